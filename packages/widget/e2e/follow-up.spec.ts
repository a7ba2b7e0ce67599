// After the report: the owner answers and resolves it through the admin API,
// the customer reads that in the widget on the shop's page and says whether
// it was made right, and the owner sees the answer on the complaint.
import { type APIRequestContext, expect, type Page, test } from '@playwright/test'
import {
  complaint,
  dialog,
  launcher,
  REFERENCE,
  report,
  resolve,
  storedOnce,
  tap,
  unique,
} from './_helpers'

/** Send a major problem from the shop's page, as a person; the stored complaint. */
async function complain(page: Page, request: APIRequestContext, description: string) {
  await page.clock.install()
  await page.goto('/__fixtures/page.html')
  await launcher(page).click()
  await report(page, description, { severity: 'It caused me real trouble', asPerson: true })
  await expect(dialog(page).getByText(REFERENCE)).toBeVisible()
  return storedOnce(request, description)
}

test('resolved by the owner: "Check status" shows it, and the answer reaches the owner', async ({
  page,
  request,
}) => {
  const description = unique('The lid does not fit the teapot')
  const sent = await complain(page, request, description)
  const form = dialog(page)
  // Nothing to ask yet: it is not resolved.
  await expect(form.getByRole('group', { name: 'Did we make it right?' })).toHaveCount(0)

  await resolve(request, sent.id, 'A lid that fits is on its way.')
  await form.getByRole('button', { name: 'Check status' }).click()
  await expect(form.getByText('Status: Resolved')).toBeVisible()
  await expect(form.getByText('Reply from Ana')).toBeVisible()
  const reply = form.getByText('A lid that fits is on its way.')
  await expect(reply).toBeVisible()
  // Drawn as the rest of the dialog's text, not in a warning banner's colours.
  const text = await form.getByText('Reply from Ana').evaluate((p) => getComputedStyle(p).color)
  await expect(reply).toHaveCSS('color', text)
  await expect(reply).toHaveCSS('background-color', 'rgba(0, 0, 0, 0)')

  await tap(page, 'Did we make it right?', '4')
  await tap(page, 'Is your problem solved?', 'Yes')
  await tap(page, 'Was the remedy fair?', '3')
  await tap(page, 'Was it quick and easy?', '5')
  await tap(page, 'Were you treated with respect?', '5')
  await form.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(form.getByText('Thank you, this helps us do better.').first()).toBeVisible()

  // Stored once, as given, and on the complaint's timeline; the complaint stays resolved.
  await expect.poll(async () => (await complaint(request, sent.id)).followUps.length).toBe(1)
  const after = await complaint(request, sent.id)
  expect(after.followUps).toMatchObject([
    { score: 4, resolved: true, fairness: { remedy: 3, process: 5, treatment: 5 } },
  ])
  expect(after.timeline.filter((event) => event.type === 'follow_up')).toMatchObject([
    { data: { score: 4, resolved: true } },
  ])
  expect(after.status).toBe('resolved')
})

test('resolved while the customer was away: the next visit asks, and "not solved" reopens it', async ({
  page,
  request,
}) => {
  const description = unique('Still no refund for the returned mug')
  const sent = await complain(page, request, description)
  await resolve(request, sent.id, 'The refund went out this morning.')

  // Another page of the shop, later: the widget picks up the report the browser kept.
  await page.reload()
  await launcher(page).click()
  const form = dialog(page)
  await expect(form.getByText(`Your reference: ${sent.reference}`)).toBeVisible()
  await expect(form.getByText('Status: Resolved')).toBeVisible()
  await tap(page, 'Did we make it right?', '2')
  await tap(page, 'Is your problem solved?', 'No')
  await form.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(
    form.getByText("Sorry it isn't solved yet. We've reopened your report.").first(),
  ).toBeVisible()

  await expect.poll(async () => (await complaint(request, sent.id)).status).toBe('reopened')
  const after = await complaint(request, sent.id)
  expect(after.followUps).toMatchObject([{ score: 2, resolved: false, fairness: null }])
  expect(after.timeline.filter((event) => event.type === 'status_changed').at(-1)).toMatchObject({
    data: { from: 'resolved', to: 'reopened', by: 'follow_up' },
  })
  // Checked again, the widget says so too.
  await form.getByRole('button', { name: 'Check status' }).click()
  await expect(form.getByText("Status: Reopened, we're looking at it again")).toBeVisible()
})
