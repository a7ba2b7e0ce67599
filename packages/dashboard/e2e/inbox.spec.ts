// The owner's inbox end to end, as ./scripts/start runs it: the real server on
// its embedded database, the dashboard at /admin/ under its strict CSP, and a
// customer on the demo page sending complaints through the widget.
import { type Browser, expect, type Page, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const TOKEN = 'rdk_e2e'
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'

/** Collect CSP violations, so a test can assert the page needed no exception. */
async function watchCsp(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    )
  })
}

async function signIn(page: Page) {
  await watchCsp(page)
  await page.goto(`${server}/admin/`)
  // Signing in with a password is the main way; the admin token is one click away.
  await page.getByRole('button', { name: 'Use an admin token instead' }).click()
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Complaints', level: 1 })).toBeVisible()
  // The live stream is connected before anything is sent, so "live" is what is tested.
  await expect(page.locator('.live-badge')).toHaveText('Live')
}

/** A customer, in a browser of their own, reporting a problem on the demo page; the widget stays open. */
async function complain(browser: Browser, description: string) {
  const context = await browser.newContext()
  const customer = await context.newPage()
  await customer.goto(`${server}/`)
  await customer.getByRole('button', { name: 'Report a problem', exact: true }).click()
  const dialog = customer.getByRole('dialog')
  await dialog.getByLabel('What went wrong?').selectOption('order')
  // Minor: an apology only, so the coupon the customer sees later is the owner's.
  await dialog.getByLabel('A small annoyance').check()
  await dialog.getByLabel('What happened?').fill(description)
  await dialog.getByRole('button', { name: 'Send' }).click()
  await expect(dialog.getByText(/^Your reference: R-[2-9A-Z]{5}$/).first()).toBeVisible()
  const reference = (await dialog
    .getByText(/^Your reference: /)
    .first()
    .textContent())!.replace('Your reference: ', '')
  return { customer, dialog, reference, close: () => context.close() }
}

const row = (page: Page, text: string) =>
  page.getByRole('listbox', { name: 'Complaints, newest first' }).getByRole('option').filter({
    hasText: text,
  })

test('a wrong admin token is refused at sign-in', async ({ page }) => {
  await page.goto(`${server}/admin/`)
  // Signing in with a password is the main way; the admin token is one click away.
  await page.getByRole('button', { name: 'Use an admin token instead' }).click()
  await page.getByLabel('Admin token').fill('rdk_not_the_token')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText(
    'That token was not accepted. Check it and try again.',
  )
  await expect(page.getByRole('heading', { name: 'Complaints' })).toHaveCount(0)
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
})

test('a complaint arrives live; the owner gives a coupon within the cap and the customer sees it', async ({
  page,
  browser,
}) => {
  await signIn(page)
  // Set on this document: still there afterwards means the page was never reloaded.
  await page.evaluate(() => {
    ;(window as unknown as { __sameDocument: boolean }).__sameDocument = true
  })

  const description = `The lid does not fit ${test.info().testId}`
  const { dialog, reference, close } = await complain(browser, description)

  const arrived = row(page, description)
  await expect(arrived).toBeVisible({ timeout: 10_000 })
  await expect(arrived).toContainText(reference)
  await expect(arrived).toContainText('New')
  await expect(arrived).toContainText('Minor')
  expect(
    await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
  ).toBe(true)
  await page.screenshot({ path: test.info().outputPath('inbox.png'), fullPage: true })

  // j selects the newest, Enter opens it.
  await page.locator('body').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('j')
  await expect(row(page, description)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: `Complaint ${reference}` })).toBeVisible()
  await expect(page.locator('.description')).toHaveText(description)

  // Take it, then give a coupon within what the caps allow.
  await page.getByLabel('Your name').fill('Ana')
  await page.getByRole('button', { name: 'Take it' }).click()
  await expect(page.getByText('Ana owns this complaint.')).toBeVisible()
  const available = page.locator('.caps-available')
  await expect(available).toHaveText(/^You can give up to €\d+\.\d\d now without approval\.$/)

  // Over the cap: refused before any request.
  await page.getByLabel('Value in EUR').fill('100000')
  await page.getByRole('button', { name: 'Give Coupon' }).click()
  await expect(page.locator('#remedy-value-error')).toContainText('is more than you can give now')

  await page.getByLabel('Value in EUR').fill('5')
  await page.getByRole('button', { name: 'Give Coupon' }).click()
  const given = page.getByText(/^Coupon given: code [2-9A-Z]+\.$/)
  await expect(given).toBeVisible()
  const code = (await given.textContent())!.match(/code ([2-9A-Z]+)\./)![1]!
  await expect(page.locator('.remedies')).toContainText(code)
  await expect(page.locator('.timeline')).toContainText('Coupon given by hand: €5.00')
  await page.evaluate(() => scrollTo(0, 0))
  await page.screenshot({ path: test.info().outputPath('complaint.png'), fullPage: true })

  // The customer's widget shows it at the next status check.
  await dialog.getByRole('button', { name: 'Check status' }).click()
  await expect(dialog.getByText(code, { exact: true })).toBeVisible()
  await expect(dialog.getByText('€5.00 off your next order')).toBeVisible()

  // A reply, signed with the owner's name, reaches the customer the same way.
  await page.getByLabel('Message', { exact: true }).fill('We are sending a new lid today.')
  await page.getByRole('button', { name: 'Send reply' }).click()
  await expect(page.getByText('Reply sent.')).toBeVisible()
  await expect(page.locator('.timeline')).toContainText('Reply sent by Ana')
  await expect(row(page, description)).toContainText('In progress')
  await dialog.getByRole('button', { name: 'Check status' }).click()
  await expect(dialog.getByText('Reply from Ana')).toBeVisible()
  await expect(dialog.getByText('We are sending a new lid today.')).toBeVisible()

  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([])
  await close()
})

test('customer text with markup is shown as text in the inbox and the complaint', async ({
  page,
  browser,
}) => {
  await signIn(page)
  const { reference, close } = await complain(browser, `${XSS} ${test.info().testId}`)

  const arrived = row(page, reference)
  await expect(arrived).toBeVisible({ timeout: 10_000 })
  await expect(arrived.locator('.excerpt')).toHaveText(`${XSS} ${test.info().testId}`)
  await expect(page.locator('.rows img, .rows script')).toHaveCount(0)
  await page.screenshot({ path: test.info().outputPath('inbox-xss.png'), fullPage: true })

  await arrived.click()
  await expect(page.locator('.description')).toHaveText(`${XSS} ${test.info().testId}`)
  await expect(page.locator('.complaint img, .complaint script')).toHaveCount(0)
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([])
  await close()
})

test('on a phone the list and the complaint stack, with room to tap', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  const sent = await page.request.post(`${server}/v1/complaints`, {
    headers: { 'idempotency-key': `phone-${test.info().testId}` },
    data: {
      site: 'pk_demo',
      category: 'slow',
      severity: 'major',
      description: 'Waited forty minutes for the page to load on my phone',
    },
  })
  expect(sent.ok()).toBe(true)
  await signIn(page)
  const first = page.getByRole('listbox', { name: 'Complaints, newest first' }).getByRole('option')
  await expect(first.first()).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('inbox-phone.png'), fullPage: true })
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('.inbox-view button, .inbox-view select, .inbox-view input')]
      .filter((element) => (element as HTMLElement).offsetParent !== null)
      .map((element) => ({
        name: (element as HTMLInputElement).name || element.textContent,
        height: element.getBoundingClientRect().height,
        width: element.getBoundingClientRect().width,
        type: (element as HTMLInputElement).type,
      }))
      .filter(
        ({ height, type }) => type !== 'checkbox' && type !== 'radio' && Math.round(height) < 40,
      ),
  )
  expect(small).toEqual([])
  // Nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

  await first.first().click()
  await expect(page.getByRole('heading', { name: /^Complaint R-/ })).toBeVisible()
  // The complaint takes the screen; the list comes back with "All complaints".
  await expect(page.getByRole('listbox')).toBeHidden()
  await page.screenshot({ path: test.info().outputPath('complaint-phone.png'), fullPage: true })
  await page.getByRole('link', { name: '← All complaints' }).click()
  await expect(page.getByRole('listbox')).toBeVisible()
  await context.close()
})

test('in dark mode and in Chinese', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' })
  const page = await context.newPage()
  await signIn(page)
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN')
  await expect(page.getByRole('heading', { name: '投诉', level: 1 })).toBeVisible()
  await expect(page.locator('.live-badge')).toHaveText('实时')
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  expect(background).toBe('rgb(17, 18, 22)')
  await page.getByRole('listbox', { name: '投诉，最新的在前' }).getByRole('option').first().click()
  await expect(page.getByRole('heading', { name: /^投诉 R-/ })).toBeVisible()
  await expect(page.getByRole('heading', { name: '顾客提交的内容' })).toBeVisible()
  await page.evaluate(() => scrollTo(0, 0))
  await page.screenshot({ path: test.info().outputPath('complaint-dark-zh.png'), fullPage: true })
  await context.close()
})
