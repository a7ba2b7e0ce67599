// Settings against the real server: a verification secret made in the
// dashboard is shown once and verifies a customer token a backend signs with
// it (the inbox then says "Verified"), and the goodwill coupon's switch and
// figures are accepted by the server's policy check.
import { createHmac } from 'node:crypto'
import { expect, type Page, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const TOKEN = 'rdk_e2e'

/** CSP violations and uncaught exceptions, so a test can assert there were none. */
async function watch(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    )
  })
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
  return {
    csp: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    errors,
  }
}

async function openSettings(page: Page) {
  await page.goto(`${server}/admin/`)
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Complaints', level: 1 })).toBeVisible()
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
}

/** A customer token as a host's backend signs it (HS256, what `jose`'s SignJWT makes). */
function customerToken(secret: string, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const iat = Math.floor(Date.now() / 1000)
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iat, exp: iat + 3600 })}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

test('a new verification secret is shown once and verifies the complaints signed with it', async ({
  page,
}) => {
  const seen = await watch(page)
  await openSettings(page)
  const section = page.locator('#settings-verification')
  await expect(section.getByRole('heading', { name: 'Customer verification' })).toBeVisible()
  // The demo page may have made the first secret already: then this is a rotation (24 hours).
  const make = section.getByRole('button', { name: /^(Create a secret|Rotate the secret)$/ })
  await expect(make).toBeVisible()
  await make.click()

  const field = section.getByLabel('New verification secret')
  await expect(field).toBeFocused()
  const secret = await field.inputValue()
  expect(secret).toMatch(/^vsec_/)
  await expect(section.getByText(/shown only now: copy it to your backend/)).toBeVisible()
  const hint = secret.slice(-4)
  const newest = section.getByRole('table').getByRole('row').nth(1)
  await expect(newest).toContainText(`…${hint}`)
  await expect(newest).toContainText('Current: sign with this one')
  await expect(page.locator('#settings-audit')).toContainText(
    `Customer verification: new secret, ending in ${hint}`,
  )
  await page.screenshot({ path: test.info().outputPath('settings-verification.png') })

  // A backend signs a token with it; the complaint naming the vouched order is verified.
  const ref = `E2E-${test.info().testId}`.slice(0, 60)
  const description = `Verified ${test.info().testId}`
  const sent = await page.request.post(`${server}/v1/complaints`, {
    headers: { 'idempotency-key': `verified-${test.info().testId}` },
    data: {
      site: 'pk_demo',
      category: 'order',
      severity: 'minor',
      description,
      orderRef: ref,
      customerToken: customerToken(secret, {
        aud: 'pk_demo',
        sub: 'cus_e2e',
        email: 'e2e@example.com',
        orders: [{ ref, value: 4200, currency: 'EUR' }],
      }),
    },
  })
  expect(sent.status()).toBe(201)

  // Gone after a reload: only the last characters are listed.
  await page.reload()
  await expect(section.getByRole('table')).toContainText(`…${hint}`)
  await expect(section.getByLabel('New verification secret')).toHaveCount(0)
  expect(await page.content()).not.toContain(secret)

  await page.getByRole('link', { name: 'Inbox' }).click()
  const row = page
    .getByRole('listbox', { name: 'Complaints, newest first' })
    .getByRole('option')
    .filter({ hasText: description })
  await expect(row).toContainText('Verified')
  await row.click()
  await expect(page.getByRole('heading', { name: 'Confirmed by your backend' })).toBeVisible()
  const confirmed = page.locator('.facts.verified')
  await expect(confirmed).toContainText('cus_e2e')
  await expect(confirmed).toContainText(ref)
  await expect(confirmed).toContainText('€42.00')

  expect(await seen.csp()).toEqual([])
  expect(seen.errors).toEqual([])
})

test('the goodwill coupon states its risk in figures and saves', async ({ page }) => {
  const seen = await watch(page)
  await openSettings(page)
  const section = page.locator('#settings-goodwill')
  const enabled = section.getByRole('checkbox', {
    name: 'Give unverified complaints a goodwill coupon',
  })
  await expect(enabled).not.toBeChecked()
  await section.getByLabel('Coupon value (EUR)').fill('2')
  await section.getByLabel('Budget per day (EUR)').fill('10')
  await section.getByLabel('Coupons per client address per day').fill('2')
  await expect(section.locator('#goodwill-risk')).toContainText(
    'scripts can collect up to €10.00 a day in coupons (5 coupons of €2.00), at most 2 coupons per address',
  )
  await enabled.check()
  await section.getByRole('button', { name: 'Save' }).click()
  await expect(section.getByText('Saved')).toBeVisible()
  await expect(page.locator('#settings-audit')).toContainText('goodwill.enabled')

  // Stored: a reload shows it; then off again, as the other tests expect.
  await page.reload()
  await expect(enabled).toBeChecked()
  await expect(section.getByLabel('Coupon value (EUR)')).toHaveValue('2')
  await enabled.uncheck()
  await section.getByLabel('Coupon value (EUR)').fill('3')
  await section.getByLabel('Budget per day (EUR)').fill('30')
  await section.getByLabel('Coupons per client address per day').fill('1')
  await section.getByRole('button', { name: 'Save' }).click()
  await expect(section.getByText('Saved')).toBeVisible()

  expect(await seen.csp()).toEqual([])
  expect(seen.errors).toEqual([])
})
