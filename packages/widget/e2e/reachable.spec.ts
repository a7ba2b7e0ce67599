// The launcher can be pressed whatever the page has on screen: its own modal
// dialog (opened before or after the tag loaded, nested in another), a layer
// at the highest z-index, a stylesheet that fights everything. No test here
// calls redress('open'): the customer gets to the form through the launcher.
import { expect, type Page, test } from '@playwright/test'
import { APOLOGY, dialog, launcher, REFERENCE, report, storedOnce, unique } from './_helpers'

/** What is at the middle of the launcher: the element a pointer there would reach. */
const hit = (page: Page) =>
  launcher(page).evaluate((button) => {
    const box = button.getBoundingClientRect()
    const at = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)
    return at?.shadowRoot?.contains(button) ? 'launcher' : at?.localName
  })

/** The widget's elements inside the page's dialog (the element that carries the launcher there). */
const oursInside = (page: Page, id: string) =>
  page.evaluate(
    (id) => document.getElementById(id)!.querySelectorAll('redress-launcher').length,
    id,
  )

test("pressed and sent while the page's modal dialog is open; nothing left in it after", async ({
  page,
  request,
}) => {
  const description = unique('Sent from over the payment dialog')
  await page.goto('/__fixtures/reachable.html')
  await page.getByRole('button', { name: 'Pay now' }).click()
  const payment = page.getByRole('dialog', { name: 'Payment' })
  await expect(payment).toBeVisible()
  // The page's dialog makes the rest of the page inert; the launcher is not.
  await expect(launcher(page)).toBeVisible()
  expect(await hit(page)).toBe('launcher')
  // Keyboard: the launcher is the dialog's last stop, after the page's own buttons.
  await payment.getByRole('button', { name: 'Cancel' }).focus()
  await page.keyboard.press('Tab')
  await expect(launcher(page)).toBeFocused()
  // Screen readers find it in the dialog they are in.
  await expect(payment).toMatchAriaSnapshot(`
    - button "Report a problem"
  `)

  await page.keyboard.press('Enter')
  const form = dialog(page)
  await expect(form.getByLabel('What went wrong?')).toBeFocused()
  await report(page, description)
  await expect(form.getByText(APOLOGY).first()).toBeVisible()
  await expect(form.getByText(REFERENCE)).toBeVisible()
  await storedOnce(request, description)

  // One Escape closes ours; the page's dialog is still open, focus on the launcher in it.
  await page.keyboard.press('Escape')
  await expect(form).toBeHidden()
  await expect(payment).toBeVisible()
  await expect(launcher(page)).toBeFocused()
  await payment.getByLabel('Card number').fill('4242')
  await expect(payment.getByLabel('Card number')).toHaveValue('4242')

  await payment.getByRole('button', { name: 'Cancel' }).click()
  await expect(payment).toBeHidden()
  expect(await oursInside(page, 'payment')).toBe(0)
  // Home again, and still works: it opens on the report just sent.
  expect(await hit(page)).toBe('launcher')
  await launcher(page).click()
  await expect(form.getByText(REFERENCE)).toBeVisible()
})

test('a dialog already open when the tag loads: the launcher starts inside it', async ({
  page,
}) => {
  await page.goto('/__fixtures/reachable-early.html')
  const payment = page.getByRole('dialog', { name: 'Payment' })
  await expect(payment).toBeVisible()
  expect(await oursInside(page, 'payment')).toBe(1)
  await launcher(page).click()
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(launcher(page)).toBeFocused()
  await payment.getByRole('button', { name: 'Cancel' }).click()
  expect(await oursInside(page, 'payment')).toBe(0)
  expect(await hit(page)).toBe('launcher')
})

test('nested dialogs: the launcher follows the topmost and comes back down', async ({ page }) => {
  await page.goto('/__fixtures/reachable.html')
  await page.getByRole('button', { name: 'Pay now' }).click()
  await page.getByRole('button', { name: 'Details' }).click()
  const details = page.getByRole('dialog', { name: 'Payment details' })
  await expect(details).toBeVisible()
  expect(await oursInside(page, 'details')).toBe(1)
  expect(await oursInside(page, 'payment')).toBe(0)
  await launcher(page).click()
  const form = dialog(page)
  await expect(form.getByLabel('What went wrong?')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(form).toBeHidden()

  await details.getByRole('button', { name: 'Close details' }).click()
  await expect(details).toBeHidden()
  expect(await oursInside(page, 'details')).toBe(0)
  expect(await oursInside(page, 'payment')).toBe(1)
  expect(await hit(page)).toBe('launcher')
  await page.getByRole('button', { name: 'Cancel' }).click()
  expect(await oursInside(page, 'payment')).toBe(0)
  expect(await hit(page)).toBe('launcher')
})

test('a dialog taken out of the page while open gives the launcher back', async ({ page }) => {
  await page.goto('/__fixtures/reachable.html')
  await page.getByRole('button', { name: 'Pay now' }).click()
  await expect(page.getByRole('dialog', { name: 'Payment' })).toBeVisible()
  expect(await oursInside(page, 'payment')).toBe(1)
  // As a single-page app unmounting its modal does.
  await page.evaluate(() => document.getElementById('payment')!.remove())
  await expect.poll(() => hit(page)).toBe('launcher')
  await launcher(page).click()
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()
})

test('above a layer at the highest z-index that takes every click', async ({ page }) => {
  await page.goto('/__fixtures/reachable.html')
  await expect(launcher(page)).toBeVisible()
  await page.getByRole('button', { name: 'Show the cookie wall' }).click()
  await expect(page.getByText('We use cookies.')).toBeVisible()
  // The wall covers the page's own button, not the launcher.
  expect(
    await page.getByRole('button', { name: 'Pay now' }).evaluate((button) => {
      const box = button.getBoundingClientRect()
      return document.elementFromPoint(box.x + 2, box.y + 2)?.id
    }),
  ).toBe('cookie-wall')
  expect(await hit(page)).toBe('launcher')
  await launcher(page).click()
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()
})

test("the page's modal under a stylesheet that fights everything", async ({ page, request }) => {
  const description = unique('Sent from over a hostile dialog')
  await page.goto('/__fixtures/reachable-hostile.html')
  await page.locator('#pay').click()
  await expect(page.locator('#payment')).toBeVisible()
  expect(await hit(page)).toBe('launcher')
  await launcher(page).click()
  const form = dialog(page)
  await expect(form.getByLabel('What went wrong?')).toBeFocused()
  await report(page, description)
  await expect(form.getByText(APOLOGY).first()).toBeVisible()
  await storedOnce(request, description)
  await page.keyboard.press('Escape')
  await page.locator('#cancel').click()
  expect(await oursInside(page, 'payment')).toBe(0)
  expect(await hit(page)).toBe('launcher')
})
