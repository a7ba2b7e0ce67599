// A customer who uses only the keyboard can find the launcher, fill in and
// send the form, read the answer, and get back to where they were.
import { expect, test } from '@playwright/test'
import {
  APOLOGY,
  dialog,
  launcher,
  REFERENCE,
  REMEDY,
  stored,
  storedOnce,
  takeTimeToWrite,
  unique,
} from './_helpers'

test('the whole flow by keyboard: open, fill, Tab stays in the dialog, send, close', async ({
  page,
  request,
}) => {
  const description = unique('Typed with the keyboard only')
  await page.clock.install()
  await page.goto('/__fixtures/page.html')
  const button = launcher(page)
  await expect(button).toBeVisible()

  // The page's one link, then the launcher: it is in the page's tab order.
  await page.keyboard.press('Tab')
  await expect(page.getByRole('link', { name: 'Your order' })).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(button).toBeFocused()
  await page.keyboard.press('Enter')

  const form = dialog(page)
  await expect(page.getByRole('dialog', { name: 'Report a problem' })).toBeVisible()
  const category = form.getByLabel('What went wrong?')
  await expect(category).toBeFocused()

  // Shift+Tab from the first control goes round to the last, and Tab back again.
  const close = form.getByRole('button', { name: 'Close' })
  const send = form.getByRole('button', { name: 'Send' })
  await page.keyboard.press('Shift+Tab')
  await expect(close).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(send).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(close).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(category).toBeFocused()

  // A closed select changes with the arrow keys: "Choose one", broken, order.
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(category).toHaveValue('order')
  await expect(category.locator('option:checked')).toHaveText('My order is wrong or missing')

  // Tab enters the radio group; arrows move through it and pick.
  await page.keyboard.press('Tab')
  const minor = form.getByRole('radio', { name: 'A small annoyance' })
  const major = form.getByRole('radio', { name: 'It caused me real trouble' })
  await expect(minor).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(major).toBeFocused()
  await expect(major).toBeChecked()
  await expect(minor).not.toBeChecked()

  await page.keyboard.press('Tab')
  const what = form.getByLabel('What happened?')
  await expect(what).toBeFocused()
  await page.keyboard.type(description)
  await expect(what).toHaveValue(description)

  // Order number, email, name, then Send: the bots' honeypot is skipped.
  // The collector takes photos: "Add a photo" comes after the description.
  await page.keyboard.press('Tab')
  await expect(form.getByRole('button', { name: 'Add a photo' })).toBeFocused()
  for (const field of ['Order number (optional)', 'Email (optional)', 'Name (optional)']) {
    await page.keyboard.press('Tab')
    await expect(form.getByLabel(field)).toBeFocused()
  }
  await page.keyboard.press('Tab')
  await expect(send).toBeFocused()
  // Tab from the last control stays in the dialog: it goes round to the first.
  await page.keyboard.press('Tab')
  await expect(close).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(send).toBeFocused()

  // The server answers only when the test lets it: the apology must not wait for it.
  let answer!: () => void
  const held = new Promise<void>((resolve) => {
    answer = resolve
  })
  await page.route('**/v1/complaints', async (route) => {
    await held
    await route.continue()
  })
  await takeTimeToWrite(page)
  await page.keyboard.press('Enter')
  const done = page.getByRole('dialog', { name: 'Thank you for telling us' })
  await expect(done.getByText(APOLOGY).first()).toBeVisible()
  await expect(done.getByText('Sending…')).toBeVisible()
  expect(await stored(request, description)).toHaveLength(0)
  answer()
  await expect(done.getByText(REFERENCE)).toBeVisible()
  // The collector's policy for a major problem nobody vouched for: a person decides, no code yet.
  await expect(done.getByText(REMEDY.major)).toBeVisible()
  await expect(done.getByRole('button', { name: 'Copy code' })).toHaveCount(0)
  // Focus is on the answer's heading; Tab still goes round inside the dialog.
  await expect(done.getByRole('heading', { name: 'Thank you for telling us' })).toBeFocused()
  const another = done.getByRole('button', { name: 'Report another problem' })
  await page.keyboard.press('Shift+Tab')
  await expect(close).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(another).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(close).toBeFocused()

  await page.keyboard.press('Escape')
  await expect(form).toBeHidden()
  await expect(button).toBeFocused()

  const entry = await storedOnce(request, description)
  expect(entry.complaint).toMatchObject({ category: 'order', severity: 'major' })
  expect(entry.complaint.signals?.fillMs).toEqual(expect.any(Number))
  expect(entry.complaint.signals?.fillMs).toBeGreaterThan(0)
  expect(entry.suspicion).toBeNull()
})

test('Space on Send sends too', async ({ page, request }) => {
  const description = unique('Sent with the space bar')
  await page.goto('/__fixtures/page.html')
  await launcher(page).focus()
  await page.keyboard.press('Enter')
  const form = dialog(page)
  await expect(form.getByLabel('What went wrong?')).toBeFocused()
  // "Something is broken"; Space picks the focused radio, "A small annoyance".
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Space')
  await page.keyboard.press('Tab')
  await page.keyboard.type(description)
  // Add a photo, order number, email, name, Send.
  for (let stop = 0; stop < 5; stop++) await page.keyboard.press('Tab')
  await expect(form.getByRole('button', { name: 'Send' })).toBeFocused()
  await page.keyboard.press('Space')
  await expect(form.getByText(APOLOGY).first()).toBeVisible()
  await expect(form.getByText(REFERENCE)).toBeVisible()
  await expect(form.getByText(REMEDY.minor)).toBeVisible()
  const entry = await storedOnce(request, description)
  expect(entry.complaint).toMatchObject({ category: 'broken', severity: 'minor' })
})
