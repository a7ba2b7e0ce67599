// Offline, the customer still gets the apology at once and is told the report
// is kept; it reaches the server exactly once when the browser is back
// online, even if the page was reloaded meanwhile.
import { expect, test } from '@playwright/test'
import {
  APOLOGY,
  dialog,
  launcher,
  REFERENCE,
  report,
  stored,
  storedOnce,
  unique,
} from './_helpers'

const OFFLINE = "You're offline. We saved your report and will send it automatically."
const outbox = 'redress:outbox:pk_demo'

test('sent offline: apology at once, kept, delivered once back online', async ({
  page,
  context,
  request,
}) => {
  const description = unique('Sent while offline')
  await page.goto('/__fixtures/page.html')
  await launcher(page).click()
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()

  await context.setOffline(true)
  await report(page, description)
  const form = dialog(page)
  await expect(form.getByText(APOLOGY).first()).toBeVisible()
  await expect(form.getByText(OFFLINE)).toBeVisible()
  expect(await stored(request, description)).toHaveLength(0)

  await context.setOffline(false)
  await expect(form.getByText(REFERENCE)).toBeVisible()
  await expect(form.getByText(OFFLINE)).toBeHidden()
  await storedOnce(request, description)
  expect(await page.evaluate((key) => localStorage.getItem(key), outbox)).toBe('[]')
})

test('sent offline, page reloaded still offline: delivered once when back online', async ({
  page,
  context,
  request,
}) => {
  const description = unique('Sent offline, then reloaded')
  await page.goto('/__fixtures/page.html')
  await launcher(page).click()
  // Offline; and every attempt is counted, and fails.
  let attempts = 0
  await context.route('**/v1/complaints', (route) => {
    attempts++
    return route.abort('internetdisconnected')
  })
  await context.setOffline(true)
  await report(page, description)
  await expect(dialog(page).getByText(OFFLINE)).toBeVisible()
  expect(attempts).toBe(1)
  expect(await stored(request, description)).toHaveLength(0)
  const [queued, ...others] = await page.evaluate(
    (key) => JSON.parse(localStorage.getItem(key) ?? '[]'),
    outbox,
  )
  expect(others).toEqual([])
  expect(queued.complaint.description).toBe(description)

  // The reload is offline too: its files come from here, as from a cache.
  await context.route(/\/(__fixtures|script-tag)\/|\/redress[\w.-]*\.js$/, async (route) =>
    route.fulfill({ response: await route.fetch() }),
  )
  await page.reload()
  await expect(launcher(page)).toBeVisible()
  expect(await page.evaluate(() => navigator.onLine)).toBe(false)
  // Nobody touches the widget: it loads when the page is idle and tries again.
  await expect.poll(() => attempts).toBe(2)
  await expect(dialog(page)).toBeHidden()
  // Not asserted here: nothing stored yet. Chromium's offline emulation sometimes
  // lets one request reach the server while the page reloads, unseen by the page
  // and the test's routes alike; the idempotency key keeps that to one complaint.

  await context.unroute('**/v1/complaints')
  await context.setOffline(false)
  const entry = await storedOnce(request, description)
  expect(entry.idempotencyKey).toBe(queued.id)
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), outbox)).toBe('[]')
  expect(await stored(request, description)).toHaveLength(1)
})
