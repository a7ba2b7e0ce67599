// The product end to end, as ./scripts/start runs it: the widget on the demo
// page, the collector server, its embedded database.
import { expect, type Page, test } from '@playwright/test'
import { SignJWT } from 'jose'

const server = 'http://127.0.0.1:4174'

test('a complaint sent through the widget is stored by the server and readable with its token', async ({
  page,
  request,
}) => {
  const description = `Handle snapped off ${test.info().testId}`
  await page.goto(`${server}/`)
  await page.getByRole('button', { name: 'Report a problem', exact: true }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('What went wrong?').selectOption('order')
  await dialog.getByLabel('It caused me real trouble').check()
  await dialog.getByLabel('What happened?').fill(description)
  await dialog.getByRole('button', { name: 'Send' }).click()
  // Shown, and also spoken by the live region: the first is the visible one.
  await expect(dialog.getByText(/^We're sorry this happened/).first()).toBeVisible()
  await expect(dialog.getByText(/^Your reference: R-[2-9A-Z]{5}$/).first()).toBeVisible()

  // The receipt the widget kept works against the server's status endpoint.
  const [kept] = await page.evaluate(() =>
    JSON.parse(localStorage.getItem('redress:receipts:pk_demo') ?? '[]'),
  )
  const status = await request.get(`${server}/v1/complaints/${kept.id}`, {
    headers: { authorization: `Bearer ${kept.token}` },
  })
  expect(status.status()).toBe(200)
  expect(await status.json()).toMatchObject({
    id: kept.id,
    reference: kept.reference,
    status: 'received',
  })
  const refused = await request.get(`${server}/v1/complaints/${kept.id}`, {
    headers: { authorization: 'Bearer not-the-token' },
  })
  expect(refused.status()).toBe(401)
})

/**
 * Send a major complaint about order A-1001 through the demo page's widget,
 * taking the seconds a person takes to write (a form sent faster looks like a bot's).
 */
async function complainAboutTheOrder(page: Page, options: { signedIn: boolean }) {
  await page.clock.install()
  // The shop's page asks its backend for the customer's token as it loads.
  const token = options.signedIn
    ? page.waitForResponse(`${server}/__demo/customer-token`)
    : Promise.resolve()
  await page.goto(`${server}/`)
  await token
  await page.getByRole('button', { name: 'report a problem with this order' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('It caused me real trouble').check()
  await dialog.getByLabel('What happened?').fill(`The mug arrived broken ${test.info().testId}`)
  await page.clock.fastForward('00:08')
  await dialog.getByRole('button', { name: 'Send' }).click()
  return dialog
}

test("the demo shop's signed-in customer gets the policy's coupon at once, sized on the vouched order", async ({
  page,
  request,
}) => {
  // The demo's backend signs for one demo customer, whom other specs also use; this
  // one signs as the shop's backend would, for a customer of its own, with a new
  // secret of the demo site (the previous one keeps working meanwhile).
  const rotated = await request.post(`${server}/v1/admin/site/verification-secrets`, {
    headers: { authorization: 'Bearer rdk_e2e' },
    data: {},
  })
  const { secret } = (await rotated.json()) as { secret: string }
  const customerId = `cus_${test.info().testId}`
  const token = await new SignJWT({
    sub: customerId,
    orders: [{ ref: 'A-1001', value: 4200, currency: 'EUR' }],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience('pk_demo')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret))
  await page.route('**/__demo/customer-token', (route) => route.fulfill({ json: { token } }))
  const dialog = await complainAboutTheOrder(page, { signedIn: true })
  // 25% of the €42.00 order the demo backend vouched for.
  await expect(dialog.getByText('€10.50 off your next order').first()).toBeVisible()
  const [kept] = await page.evaluate(() =>
    JSON.parse(localStorage.getItem('redress:receipts:pk_demo') ?? '[]'),
  )
  const detail = await request.get(`${server}/v1/admin/complaints/${kept.id}`, {
    headers: { authorization: 'Bearer rdk_e2e' },
  })
  expect(await detail.json()).toMatchObject({
    verified: { customerId, order: { ref: 'A-1001', value: 4200, currency: 'EUR' } },
  })
})

test('a customer nobody vouched for is told that a person will review the case, and gets no coupon', async ({
  page,
}) => {
  // The shop's backend does not answer: the page has no customer token.
  await page.route('**/__demo/customer-token', (route) => route.abort())
  const dialog = await complainAboutTheOrder(page, { signedIn: false })
  await expect(dialog.getByText(/will review your case/).first()).toBeVisible()
  await expect(dialog.getByText(/off your next order/)).toHaveCount(0)
})
