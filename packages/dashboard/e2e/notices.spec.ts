// Known-issue notices end to end: the owner publishes one in Settings, in
// both languages, for the widget's test pages; the admin API lists it and
// pages get it with the site's public settings; End now stops it being
// served. Deleted afterwards whatever happened, so no other spec sees it.
import { type APIRequestContext, expect, type Page, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const TOKEN = 'rdk_e2e'
const admin = { authorization: `Bearer ${TOKEN}` }
/** The widget's test pages (`/__fixtures/`), an origin the global setup lists on the demo site. */
const pagesOrigin = 'http://127.0.0.1:4173'

interface Notice {
  id: string
  messages: { en?: string; 'zh-CN'?: string }
  level: 'info' | 'warning'
  page: string | null
  startsAt: string
  endsAt: string | null
  alertId?: string | null
}

/** CSP violations and uncaught exceptions, so the test can assert there were none. */
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

/** Every notice of the demo site, as the admin API lists them. */
async function adminNotices(request: APIRequestContext): Promise<Notice[]> {
  const response = await request.get(`${server}/v1/admin/notices`, { headers: admin })
  expect(response.status()).toBe(200)
  return ((await response.json()) as { items: Notice[] }).items
}

/** The notices a page of the test pages' origin gets with the site's public settings. */
async function servedNotices(request: APIRequestContext): Promise<Notice[]> {
  const response = await request.get(`${server}/v1/sites/pk_demo`, {
    headers: { origin: pagesOrigin },
  })
  expect(response.status()).toBe(200)
  return ((await response.json()) as { notices?: Notice[] }).notices ?? []
}

test('a notice published in Settings is served to the pages it names until the owner ends it', async ({
  page,
  request,
}) => {
  // Words of this run's own, to find it whatever earlier runs left.
  const run = Date.now().toString(36)
  const en = `Card payments fail on the test pages (${run}); we are on it.`
  const zh = `测试页面的银行卡支付暂时失败（${run}），我们正在处理。`
  let id: string | null = null
  try {
    const seen = await watch(page)
    await openSettings(page)
    const section = page.locator('#settings-notices')
    await expect(section.getByRole('heading', { name: 'Known-issue notices' })).toBeVisible()
    await section.getByRole('button', { name: 'Write a notice' }).click()

    const english = section.getByLabel('Message in English')
    await expect(english).toBeFocused()
    await english.fill(en)
    await section.getByLabel('Message in 简体中文').fill(zh)
    await section.getByLabel('Warning: stands out').check()
    await section.getByLabel('Pages', { exact: true }).fill('/__fixtures/')
    // The pattern is a prefix: the pages under it, not a longer name.
    const tryPath = section.getByLabel('Try a path')
    await tryPath.fill(`${pagesOrigin}/__fixtures/notices.html?x=1`)
    await expect(section.locator('#notice-try-result')).toHaveText(
      'Match: shown on /__fixtures/notices.html.',
    )
    await tryPath.fill('/__fixtures-old/')
    await expect(section.locator('#notice-try-result')).toHaveText(
      'No match: not shown on /__fixtures-old/.',
    )
    const preview = section.getByRole('region', { name: 'Preview' })
    await expect(preview).toContainText(en)
    await expect(preview).toContainText(zh)
    await section.getByRole('button', { name: 'Publish' }).click()
    await expect(section.getByText('Published.')).toBeVisible()

    const running = section
      .getByRole('list', { name: 'Running' })
      .getByRole('listitem')
      .filter({ hasText: en })
    await expect(running).toHaveCount(1)
    await expect(running).toContainText(zh)
    await expect(running).toContainText('On pages /__fixtures/')
    id = await running.getAttribute('data-notice')
    expect(id).toBeTruthy()
    await page.screenshot({ path: test.info().outputPath('notices-published.png') })

    // Stored as published, and served to the pages with the site's settings.
    const stored = (await adminNotices(request)).find((notice) => notice.id === id)
    expect(stored).toMatchObject({
      messages: { en, 'zh-CN': zh },
      level: 'warning',
      page: '/__fixtures/',
      endsAt: null,
      alertId: null,
    })
    expect(Date.parse(stored!.startsAt)).toBeLessThanOrEqual(Date.now())
    expect((await servedNotices(request)).find((notice) => notice.id === id)).toMatchObject({
      messages: { en, 'zh-CN': zh },
      level: 'warning',
      page: '/__fixtures/',
      endsAt: null,
    })
    await expect(page.locator('#settings-audit')).toContainText(
      `Known-issue notices: published: “${en}”`,
    )

    // End now: over for the admin API, and no longer served.
    await running.getByRole('button', { name: 'End now' }).click()
    await expect(section.getByText('Ended. Pages opened from now on do not show it.')).toBeVisible()
    await expect(
      section.getByRole('list', { name: 'Ended' }).getByRole('listitem').filter({ hasText: en }),
    ).toHaveCount(1)
    await expect(
      section.getByRole('list', { name: 'Running' }).filter({ hasText: en }),
    ).toHaveCount(0)
    const ended = (await adminNotices(request)).find((notice) => notice.id === id)
    expect(ended?.endsAt).not.toBeNull()
    expect(Date.parse(ended!.endsAt!)).toBeLessThanOrEqual(Date.now())
    await expect
      .poll(async () => (await servedNotices(request)).some((notice) => notice.id === id))
      .toBe(false)
    await expect(page.locator('#settings-audit')).toContainText(
      `Known-issue notices: ended: “${en}”`,
    )

    expect(await seen.csp()).toEqual([])
    expect(seen.errors).toEqual([])
  } finally {
    // By id, and by this run's words in case the page never showed the id.
    const left = await adminNotices(request).catch(() => [] as Notice[])
    for (const notice of left.filter((item) => item.id === id || item.messages.en === en))
      await request.delete(`${server}/v1/admin/notices/${encodeURIComponent(notice.id)}`, {
        headers: admin,
      })
  }
})
