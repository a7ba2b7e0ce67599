// Settings against the real server: a verification secret made in the
// dashboard is shown once and verifies a customer token a backend signs with
// it (the inbox then says "Verified"), the goodwill coupon's switch and
// figures are accepted by the server's policy check, a text the customer
// reads and a category label are saved per language, and the mail settings
// are saved and make the mails a complaint lists.
import { createHmac } from 'node:crypto'
import { expect, type Page, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const TOKEN = 'rdk_e2e'
const admin = { authorization: `Bearer ${TOKEN}` }

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
  // Signing in with a password is the main way; the admin token is one click away.
  await page.getByRole('button', { name: 'Use an admin token instead' }).click()
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

test('a text the customer reads and a category label are saved per language', async ({ page }) => {
  const seen = await watch(page)
  const before = await (
    await page.request.get(`${server}/v1/admin/site`, { headers: admin })
  ).json()
  await openSettings(page)
  const texts = page.locator('#settings-texts')
  await texts.getByRole('radio', { name: '简体中文' }).check()
  const apology = texts.getByLabel('Apology', { exact: true })
  // The server's effective text, as the site has none of its own.
  await expect(apology).toHaveValue(before.policy.effective.texts['zh-CN'].apology)
  await apology.fill('抱歉，{name}！')
  await texts.getByRole('button', { name: 'Save' }).click()
  await expect(texts.locator('#text-zh-CN-apology-error')).toHaveText(
    'policy.texts.zh-CN.apology has no placeholders: {name} would be shown as written',
  )
  await apology.fill('非常抱歉，让您久等了。')
  await expect(texts.locator('[data-preview="escalation"]')).toContainText('非常抱歉，让您久等了。')
  await expect(texts.locator('[data-preview="coupon"]')).toContainText('下次购物立减€10.50')
  await texts.getByRole('button', { name: 'Save' }).click()
  await expect(texts.getByText('Saved')).toBeVisible()
  const saved = await (await page.request.get(`${server}/v1/admin/site`, { headers: admin })).json()
  expect(saved.policy.overrides.texts).toEqual({ 'zh-CN': { apology: '非常抱歉，让您久等了。' } })
  expect(saved.policy.effective.texts['zh-CN'].apology).toBe('非常抱歉，让您久等了。')
  await texts.scrollIntoViewIfNeeded()
  await page.screenshot({ path: test.info().outputPath('settings-texts.png'), fullPage: false })

  // A label per language for the first category.
  const categories = page.locator('#settings-categories')
  await categories.getByLabel('Label (简体中文)').first().fill('测试类别')
  await categories.getByRole('button', { name: 'Save' }).click()
  await expect(categories.getByText('Saved', { exact: true })).toBeVisible()
  const labelled = await (
    await page.request.get(`${server}/v1/admin/site`, { headers: admin })
  ).json()
  expect(labelled.categories[0].labels['zh-CN']).toBe('测试类别')

  // Back as the other tests expect: the default text, and the categories as they were.
  await page.reload()
  await texts.getByRole('radio', { name: '简体中文' }).check()
  await texts.getByRole('button', { name: /^Use the default ?: Apology$/ }).click()
  await expect(apology).toBeFocused()
  await texts.getByRole('button', { name: 'Save' }).click()
  await expect(texts.getByText('Saved')).toBeVisible()
  const restored = await page.request.patch(`${server}/v1/admin/site`, {
    headers: admin,
    data: { categories: before.categories, policy: before.policy.overrides },
  })
  expect(restored.status()).toBe(200)
  expect((await restored.json()).policy.overrides).toEqual(before.policy.overrides)

  expect(await seen.csp()).toEqual([])
  expect(seen.errors).toEqual([])
})

test('the mail settings are saved, and a complaint lists the mails they make', async ({ page }) => {
  const seen = await watch(page)
  await openSettings(page)
  const mail = page.locator('#settings-mail')
  await mail.getByLabel('From address').fill('care@shop.example')
  await mail.getByRole('button', { name: 'Add an address' }).click()
  await mail.getByLabel('Team address 1').fill('not an address')
  await mail.getByRole('checkbox', { name: 'Send customers an acknowledgment' }).check()
  await mail.getByRole('button', { name: 'Save' }).click()
  await expect(mail.getByLabel('Team address 1')).toHaveAttribute('aria-invalid', 'true')
  await expect(mail).toContainText(
    'Each team address is an e-mail address such as ops@shop.example',
  )
  await mail.getByLabel('Team address 1').fill('ops@shop.example')
  await mail.getByRole('button', { name: 'Save' }).click()
  await expect(mail.getByText('Saved')).toBeVisible()
  await expect(page.locator('#settings-audit')).toContainText('Mail')

  try {
    // A critical complaint with a contact address: an acknowledgment and a word to the team.
    const description = `Mail ${test.info().testId}`
    const sent = await page.request.post(`${server}/v1/complaints`, {
      headers: { 'idempotency-key': `mail-${test.info().testId}` },
      data: {
        site: 'pk_demo',
        category: 'order',
        severity: 'critical',
        description,
        contact: { email: 'kim@example.com' },
        client: { locale: 'en' },
      },
    })
    expect(sent.status()).toBe(201)
    const { id } = await sent.json()
    // The mail worker writes them within a second or so; no SMTP server here, so none is sent.
    await expect
      .poll(
        async () => {
          const detail = await (
            await page.request.get(`${server}/v1/admin/complaints/${id}`, { headers: admin })
          ).json()
          return (detail.mails ?? []).map((item: { state: string }) => item.state)
        },
        { timeout: 15_000 },
      )
      .toContain('not_sent')
    await page.goto(`${server}/admin/#/complaints/${id}`)
    const mails = page
      .locator('.card')
      .filter({ has: page.getByRole('heading', { name: 'Mails' }) })
    const acknowledgment = mails
      .locator('.mail-row')
      .filter({ hasText: 'Acknowledgment, to the customer' })
    await expect(acknowledgment).toContainText('Not sent: no mail server is configured')
    await expect(acknowledgment).toContainText('To kim@example.com')
    await acknowledgment.getByText('Text of the mail').click()
    await expect(acknowledgment.locator('pre')).toBeVisible()
    await expect(mails).toContainText('To ops@shop.example')
    await mails.scrollIntoViewIfNeeded()
    await page.screenshot({ path: test.info().outputPath('complaint-mails.png') })
  } finally {
    // Back to no mail settings, as the other tests expect.
    const reset = await page.request.patch(`${server}/v1/admin/site`, {
      headers: admin,
      data: { mail: null },
    })
    expect(reset.status()).toBe(200)
  }

  expect(await seen.csp()).toEqual([])
  expect(seen.errors).toEqual([])
})
