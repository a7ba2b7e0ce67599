// Opened from inside the page's own modal dialog, the widget's dialog is the
// one on top: it takes the keyboard and the pointer, and closing it leaves the
// page's dialog open and working.
import { expect, test } from '@playwright/test'
import { APOLOGY, dialog, REFERENCE, REMEDY, storedOnce, unique } from './_helpers'

test("opens above the page's own modal dialog, which still works after", async ({
  page,
  request,
}) => {
  const description = unique('Reported from inside the payment dialog')
  await page.goto('/__fixtures/host-modal.html')
  await page.getByRole('button', { name: 'Pay now' }).click()
  const payment = page.getByRole('dialog', { name: 'Payment' })
  await expect(payment).toBeVisible()
  const opener = payment.getByRole('button', { name: 'Report a payment problem' })
  await opener.click()

  const form = dialog(page)
  await expect(page.getByRole('dialog', { name: 'Report a problem' })).toBeVisible()
  const category = form.getByLabel('What went wrong?')
  await expect(category).toBeFocused()
  await expect(category).toHaveValue('billing')
  // The topmost modal: the page's dialog is inert now, the widget's is not.
  await expect(payment.getByLabel('Card number')).not.toBeFocused()
  expect(
    await page.evaluate(() => {
      const x = innerWidth / 2
      const y = innerHeight / 2
      return document.elementFromPoint(x, y)?.localName
    }),
  ).toBe('redress-widget')

  await form.getByLabel('A small annoyance').check()
  const what = form.getByLabel('What happened?')
  await what.click()
  await page.keyboard.type(description)
  await expect(what).toHaveValue(description)
  await form.getByRole('button', { name: 'Send' }).click()
  await expect(form.getByText(APOLOGY).first()).toBeVisible()
  await expect(form.getByText(REFERENCE)).toBeVisible()
  await expect(form.getByText(REMEDY.minor)).toBeVisible()
  const entry = await storedOnce(request, description)
  expect(entry.complaint.category).toBe('billing')

  await page.keyboard.press('Escape')
  await expect(form).toBeHidden()
  // One Escape closes one dialog: the page's is still open, with focus back in it.
  await expect(payment).toBeVisible()
  await expect(opener).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(payment.getByLabel('Card number')).toBeFocused()
  await page.keyboard.type('4242')
  await expect(payment.getByLabel('Card number')).toHaveValue('4242')
  await payment.getByRole('button', { name: 'Cancel' }).click()
  await expect(payment).toBeHidden()
})
