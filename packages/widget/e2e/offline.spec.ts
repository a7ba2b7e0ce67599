// Offline, the customer still gets the apology at once and is told the report
// is kept; it reaches the collector exactly once when the browser is back
// online, even if the page was reloaded meanwhile. The network is cut in the
// browser (offline emulation, and routes that fail the collector's URL).
import { expect, test } from '@playwright/test'
import {
  APOLOGY,
  dialog,
  launcher,
  REFERENCE,
  REMEDY,
  report,
  stored,
  storedOnce,
  unique,
} from './_helpers'

const OFFLINE = "You're offline. We saved your report and will send it automatically."
const outbox = 'redress:outbox:pk_demo'
const receipts = 'redress:receipts:pk_demo'

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
  // The collector's answer comes with the reference, as it would have online.
  await expect(form.getByText(REMEDY.minor)).toBeVisible()
  const entry = await storedOnce(request, description)
  await expect(form.getByText(`Your reference: ${entry.reference}`)).toBeVisible()
  expect(await page.evaluate((key) => localStorage.getItem(key), outbox)).toBe('[]')
  // Nothing is left to send, and nothing was stored twice.
  expect(await stored(request, description)).toHaveLength(1)
})

test('sent offline, page reloaded still offline: delivered once when back online', async ({
  page,
  context,
  request,
}) => {
  const description = unique('Sent offline, then reloaded')
  await page.goto('/__fixtures/page.html')
  await launcher(page).click()
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()
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
  // A page a route serves has no address, so Chromium takes it for a public site
  // and asks before it lets it call the collector on 127.0.0.1 (headless, the
  // answer is no). Loaded by the browser, from the network or its cache, it is
  // on 127.0.0.1 itself and is never asked.
  await context.grantPermissions(['local-network-access'], {
    origin: new URL(page.url()).origin,
  })
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
  // The page keeps the collector's receipt for it, for the status on a later visit.
  const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]'), receipts)
  expect(kept).toMatchObject([{ id: entry.id, reference: entry.reference }])
  // And the customer, opening the widget, finds it there.
  await launcher(page).click()
  await expect(dialog(page).getByText(`Your reference: ${entry.reference}`)).toBeVisible()
})
