// The shop's own code. External, not inline, so a strict CSP needs no exception.

// Preselect the category and the order when the customer starts from the order.
document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.id === 'report-order') {
    window.redress('open', { category: 'order', orderRef: 'A-1001' })
  }
})

// For critical problems, add a coupon to the person who will call (the
// server's policy). Its code comes from the shop's backend: browser code never
// decides money on its own.
window.redress('on', 'complaint:submitted', async ({ complaint, respond }) => {
  if (complaint.severity !== 'critical') return
  const response = await fetch('/__demo/coupon', { method: 'POST' })
  if (response.ok) respond.coupon(await response.json())
})
