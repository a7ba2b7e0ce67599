// The script-tag contract: what a site owner who pastes the tag,
// and their page's code, can count on.
import { expect, test } from '@playwright/test'
import {
  APOLOGY,
  COLLECTOR,
  dialog,
  holdIdle,
  idle,
  launcher,
  REFERENCE,
  REMEDY,
  report,
  storedOnce,
  unique,
  watchRequests,
} from './_helpers'

test('calls queued on the stub before the tag loads are replayed', async ({ page, request }) => {
  const description = unique('Queued before the tag loaded')
  await page.goto('/__fixtures/queued.html')
  // redress('open', { category: 'order', orderRef: 'A-1001' }) opened it, prefilled.
  const form = dialog(page)
  await expect(page.getByRole('dialog', { name: 'Report a problem' })).toBeVisible()
  await expect(form.getByLabel('What went wrong?')).toHaveValue('order')
  await expect(form.getByLabel('Order number (optional)')).toHaveValue('A-1001')
  await expect(form.getByLabel('What went wrong?')).toBeFocused()

  await form.getByLabel('A small annoyance').check()
  await form.getByLabel('What happened?').fill(description)
  await form.getByRole('button', { name: 'Send' }).click()
  await expect(form.getByText(APOLOGY).first()).toBeVisible()
  // The listener added before loading heard of it.
  await expect(page.getByRole('log', { name: 'Events' })).toHaveText(
    `complaint:submitted order A-1001: ${description}`,
  )
  await expect(form.getByText(REFERENCE)).toBeVisible()
  await expect(form.getByText(REMEDY.minor)).toBeVisible()
  expect((await storedOnce(request, description)).complaint.orderRef).toBe('A-1001')
})

test('the tag included twice draws one launcher, and it works', async ({ page }) => {
  await page.goto('/__fixtures/twice.html')
  // `load` waits for both async scripts to have run.
  expect(
    await page.evaluate(
      (src) => document.querySelectorAll(`script[src="${src}"]`).length,
      `${COLLECTOR}/redress.js`,
    ),
  ).toBe(2)
  await expect(launcher(page)).toHaveCount(1)
  await expect(page.locator('redress-widget')).toHaveCount(1)
  await launcher(page).click()
  await expect(page.getByRole('dialog', { name: 'Report a problem' })).toHaveCount(1)
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()
})

test("redress('destroy') removes every trace, and loads nothing more", async ({ page }) => {
  await holdIdle(page)
  const requests = watchRequests(page)
  await page.goto('/__fixtures/destroy.html')
  const button = launcher(page)
  const box = (await button.boundingBox())!
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 }

  const turnOff = page.getByRole('button', { name: 'Turn off the feedback widget' })
  await turnOff.click()
  await expect(page.locator('redress-widget')).toHaveCount(0)
  await expect(button).toHaveCount(0)
  expect(await page.evaluate(() => 'redress' in window)).toBe(false)

  // Where the launcher was, pointer and keyboard find only the page; and
  // idle time, when the form would load, comes and goes.
  await page.mouse.move(centre.x, centre.y)
  expect(
    await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.localName, centre),
  ).toBe('html')
  await expect(turnOff).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.locator(':focus')).toHaveCount(0)
  await idle(page)
  expect(await requests()).not.toContain('/redress-app.js')
})

test("redress('destroy') after the form is open takes it all away", async ({ page }) => {
  await page.goto('/__fixtures/destroy.html')
  await launcher(page).click()
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()
  // No keyboard or pointer can reach the page's button behind the modal; its code can.
  await page.evaluate(() => window.redress?.('destroy'))
  await expect(page.locator('redress-widget')).toHaveCount(0)
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await page.evaluate(() => 'redress' in window)).toBe(false)
  // The page is no longer inert behind a modal: its button takes a click.
  await page.getByRole('button', { name: 'Turn off the feedback widget' }).click({ trial: true })
})

test("redress('destroy') queued before the tag loads: nothing shows, nothing loads", async ({
  page,
}) => {
  await holdIdle(page)
  const requests = watchRequests(page)
  await page.goto('/__fixtures/destroy-queued.html')
  await idle(page)
  await expect(page.locator('redress-widget')).toHaveCount(0)
  await expect(launcher(page)).toHaveCount(0)
  expect(await page.evaluate(() => 'redress' in window)).toBe(false)
  expect(await requests()).not.toContain('/redress-app.js')
})

for (const [file, how] of [
  ['zh-data.html', 'data-locale="zh-CN"'],
  ['zh-lang.html', '<html lang="zh-CN">'],
]) {
  test(`speaks Chinese when the page says so with ${how}`, async ({ page, request }) => {
    const description = unique(`快递盒子破了 ${how}`)
    await page.goto(`/__fixtures/${file}`)
    await launcher(page, '报告问题').click()
    const form = page.getByRole('dialog', { name: '报告问题' })
    await expect(form.getByLabel('遇到了什么问题？')).toBeFocused()
    await form.getByLabel('遇到了什么问题？').selectOption({ label: '东西坏了或用不了' })
    await form.getByLabel('有点不方便').check()
    await form.getByLabel('发生了什么？').fill(description)
    await expect(form.getByLabel('订单号（选填）')).toBeVisible()
    await form.getByRole('button', { name: '提交' }).click()
    await expect(page.getByRole('dialog', { name: '感谢您的反馈' })).toBeVisible()
    const entry = await storedOnce(request, description)
    expect(entry.complaint).toMatchObject({ category: 'broken', client: { locale: 'zh-CN' } })
  })
}

test('data-position="bottom-left" puts the launcher in the bottom left corner', async ({
  page,
}) => {
  await page.goto('/__fixtures/bottom-left.html')
  const box = (await launcher(page).boundingBox())!
  const viewport = page.viewportSize()!
  expect(box.x).toBeCloseTo(16, 0)
  expect(viewport.height - (box.y + box.height)).toBeCloseTo(16, 0)
  expect(box.x + box.width).toBeLessThan(viewport.width / 2)
})

test.describe('on a 320×640 phone', () => {
  test.use({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true })

  test('the dialog fills the screen and works', async ({ page, request }) => {
    const description = unique('Sent from a small phone')
    await page.goto('/__fixtures/page.html')
    await launcher(page).tap()
    const form = dialog(page)
    await expect(form.getByLabel('What went wrong?')).toBeFocused()
    await expect.poll(() => form.evaluate((d) => d.getAnimations().length)).toBe(0)
    const box = (await form.boundingBox())!
    expect(box.x).toBeCloseTo(0, 0)
    expect(box.y).toBeCloseTo(0, 0)
    expect(box.width).toBeCloseTo(320, 0)
    expect(box.height).toBeCloseTo(640, 0)
    // Nothing wider than the screen: no sideways scrolling.
    expect(await form.evaluate((d) => d.scrollWidth)).toBeLessThanOrEqual(320)

    await report(page, description)
    await expect(form.getByText(APOLOGY).first()).toBeVisible()
    await expect(form.getByText(REFERENCE)).toBeVisible()
    await expect(form.getByText(REMEDY.minor)).toBeVisible()
    await form.getByRole('button', { name: 'Close' }).tap()
    await expect(form).toBeHidden()
    await storedOnce(request, description)
  })
})

test('a new <body> from a single-page app keeps the launcher working', async ({ page }) => {
  await page.goto('/__fixtures/body-swap.html')
  await expect(launcher(page)).toBeVisible()
  await page.getByRole('button', { name: 'Go to checkout' }).click()
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Go to checkout' })).toHaveCount(0)
  await expect(launcher(page)).toBeVisible()
  await launcher(page).click()
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()
})

test("redress('notice', { message }) shows a banner the customer can dismiss", async ({ page }) => {
  await page.goto('/__fixtures/page.html')
  await expect(launcher(page)).toBeVisible()
  const message = 'Deliveries to Bavaria are running a day late this week.'
  await page.evaluate((message) => window.redress?.('notice', { message }), message)
  const banner = page.getByRole('status').filter({ hasText: message })
  await expect(banner).toBeVisible()
  // Above the launcher, not over it, and without opening the dialog.
  const launcherBox = (await launcher(page).boundingBox())!
  const bannerBox = (await banner.boundingBox())!
  expect(bannerBox.y + bannerBox.height).toBeLessThanOrEqual(launcherBox.y)
  await expect(dialog(page)).toBeHidden()
  await banner.getByRole('button', { name: 'Close' }).click()
  await expect(banner).toHaveCount(0)
})

test("the shop's own coupon (respond.coupon) shows as a card with a Copy button", async ({
  page,
  context,
  request,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const description = unique('Critical, answered by the shop')
  await page.clock.install()
  await page.goto('/__fixtures/shop.html')
  const opener = page.getByRole('button', { name: 'report a problem with this order' })
  await opener.click()
  const form = dialog(page)
  await expect(form.getByLabel('Order number (optional)')).toHaveValue('A-1001')
  await report(page, description, { severity: "It's serious, I need help now", asPerson: true })
  await expect(form.getByText(APOLOGY).first()).toBeVisible()
  // From shop.js, with a code from the shop's backend (the page's own origin).
  const card = form.locator('div').filter({ hasText: '10% off your next order' })
  await expect(card).toBeVisible()
  const code = card.getByText(/^WELCOME-BACK-[0-9A-F]{6}$/)
  await expect(code).toBeVisible()
  // And the collector's own answer: a person, and no code of its own for a customer
  // nobody vouched for.
  await expect(form.getByText(REMEDY.critical)).toBeVisible()
  await expect(form.getByText(REMEDY.within)).toBeVisible()
  await expect(form.getByRole('button', { name: 'Copy code' })).toHaveCount(1)
  await card.getByRole('button', { name: 'Copy code' }).click()
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  await expect(code).toHaveText(copied)
  await expect(form.locator('[aria-live]')).toHaveText(/^Copied/)
  const entry = await storedOnce(request, description)
  expect(entry.complaint).toMatchObject({
    category: 'order',
    severity: 'critical',
    orderRef: 'A-1001',
  })
  // What the owner sees: the apology and the call given, the money waiting for a person.
  expect(entry.recoveries).toMatchObject([
    { kind: 'apology', status: 'issued' },
    { kind: 'coupon', status: 'pending_approval', reason: 'unverified' },
    { kind: 'escalation', status: 'issued' },
  ])
  // Closed, it hands focus back to what opened it: the page's own button.
  await page.keyboard.press('Escape')
  await expect(form).toBeHidden()
  await expect(opener).toBeFocused()
})
