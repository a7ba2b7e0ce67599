// The SDK in real Chromium against the demo's wire-protocol endpoint:
// nothing a customer sends is lost or stored twice, offline or across reloads.
import { type APIRequestContext, expect, type Page, test } from '@playwright/test'

interface Stored {
  complaint: { description: string }
  idempotencyKey: string
}

const stored = async (request: APIRequestContext, description: string) => {
  const all: Stored[] = await (await request.get('/__demo/complaints')).json()
  return all.filter((entry) => entry.complaint.description === description)
}

// What the customer sees in answer, apart from the page's event log.
const answers = (page: Page) => page.getByRole('region', { name: 'Our answer' })

const report = async (page: Page, description: string) => {
  await page.getByLabel('Category').selectOption('delivery')
  await page.getByLabel('It caused me real trouble').check()
  await page.getByLabel('Tell us what happened').fill(description)
  await page.getByRole('button', { name: 'Send' }).click()
}

test.beforeEach(async ({ page }) => {
  await page.goto('/')
  await expect(page.getByText(/^ready /)).toBeVisible()
})

test('apologises at once and shows the remedy the server decided', async ({ page, request }) => {
  const description = `Broken on arrival ${test.info().testId}`
  await report(page, description)
  await expect(answers(page).getByText("We're sorry this happened.")).toBeVisible()
  await expect(
    answers(page).getByText(/^Coupon SORRY-[0-9A-F]{8}: 15% off your next order$/),
  ).toBeVisible()
  await expect(
    answers(page).getByText(/^Received\. Your reference is R-[2-9A-Z]{5}\.$/),
  ).toBeVisible()
  expect(await stored(request, description)).toHaveLength(1)
})

test('sent offline, delivered once when the browser is back online', async ({
  page,
  context,
  request,
}) => {
  const description = `Sent while offline ${test.info().testId}`
  await context.setOffline(true)
  await report(page, description)
  await expect(answers(page).getByText("We're sorry this happened.")).toBeVisible()
  await expect(answers(page).getByText(/You're offline: we kept your report/)).toBeVisible()
  await expect(page.locator('#pending')).toHaveText('1')
  expect(await stored(request, description)).toHaveLength(0)

  await context.setOffline(false)
  await expect(page.getByTestId('reference')).toBeVisible()
  await expect(page.locator('#pending')).toHaveText('0')
  expect(await stored(request, description)).toHaveLength(1)
})

test('queued while the endpoint is unreachable, delivered exactly once after a reload', async ({
  page,
  request,
}) => {
  const description = `Queued across a reload ${test.info().testId}`
  await page.route('**/v1/complaints', (route) => route.abort('connectionrefused'))
  await report(page, description)
  await expect(page.getByTestId('queued').first()).toBeVisible()
  const outbox = await page.evaluate(() =>
    JSON.parse(localStorage.getItem('redress:outbox:pk_demo') ?? '[]'),
  )
  expect(outbox).toHaveLength(1)

  await page.unroute('**/v1/complaints')
  await page.reload()
  await expect(page.getByTestId('reference')).toBeVisible()
  const [entry, ...others] = await stored(request, description)
  expect(others).toEqual([])
  expect(entry?.idempotencyKey).toBe(outbox[0].id)
  expect(await page.evaluate(() => localStorage.getItem('redress:outbox:pk_demo'))).toBe('[]')
})

test('names what is missing, in an alert, and sends nothing', async ({ page }) => {
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('alert')).toHaveText('description is required')
  await expect(page.locator('#pending')).toHaveText('0')
})
