// The shop's own code. External, not inline, so a strict CSP needs no exception.

// The signed-in customer: the shop's backend signs who they are and the orders
// they may complain about (a customer token), so the collector can give a
// remedy at once. Without it a complaint still goes through, and a person looks.
const customerToken = () =>
  fetch('/__demo/customer-token', { method: 'POST' })
    .then((response) => (response.ok ? response.json() : {}))
    .then((body) => body.token)
customerToken()
  .then((token) => token && window.redress('identify', { token, refresh: customerToken }))
  .catch(() => {})

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
