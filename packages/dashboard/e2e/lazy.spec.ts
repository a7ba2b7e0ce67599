// The dashboard's first screen loads alone: Insights (with uPlot) and Settings
// are chunks of their own, fetched through /admin/assets/ under the strict CSP
// when their route is shown, and a chunk that fails to load (offline, or gone
// after a deploy) says so and can be tried again.
import { expect, type Page, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const TOKEN = 'rdk_e2e'

/** CSP violations, console errors and uncaught exceptions, and the dashboard files fetched. */
async function watch(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    )
  })
  const errors: string[] = []
  page.on('console', (message) => {
    const { url } = message.location()
    // The browser asks for /favicon.ico on its own; the dashboard names none. On load the
    // dashboard asks whether a person is signed in: `401` when nobody is, which Chromium logs.
    if (
      message.type() === 'error' &&
      !url.endsWith('/favicon.ico') &&
      !url.endsWith('/v1/admin/session')
    )
      errors.push(`${message.text()} ${url}`)
  })
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
  const assets: string[] = []
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (path.startsWith('/admin/assets/')) assets.push(path.slice('/admin/assets/'.length))
  })
  return {
    assets,
    csp: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    errors,
  }
}

async function signIn(page: Page) {
  await page.goto(`${server}/admin/`)
  // Signing in with a password is the main way; the admin token is one click away.
  await page.getByRole('button', { name: 'Use an admin token instead' }).click()
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Complaints', level: 1 })).toBeVisible()
}

test('the inbox loads without Insights or Settings; each comes on its route', async ({ page }) => {
  const seen = await watch(page)
  await signIn(page)
  await expect(page.locator('.live-badge')).toHaveText('Live')
  // Only the entry's files and the messages of the language shown: one script, one
  // stylesheet, one table.
  expect(seen.assets.filter((name) => /\.(?:js|css)$/.test(name))).toEqual([
    expect.stringMatching(/^index-[\w-]+\.js$/),
    expect.stringMatching(/^index-[\w-]+\.css$/),
    expect.stringMatching(/^en-[\w-]+\.js$/),
  ])

  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  expect(seen.assets).toContainEqual(expect.stringMatching(/^Settings-[\w-]+\.js$/))
  expect(seen.assets).toContainEqual(expect.stringMatching(/^Settings-[\w-]+\.css$/))
  expect(seen.assets).toContainEqual(expect.stringMatching(/^settings-en-[\w-]+\.js$/))
  expect(seen.assets.some((name) => /zh-CN/.test(name))).toBe(false)
  expect(seen.assets.some((name) => name.startsWith('Insights-'))).toBe(false)

  await page.getByRole('link', { name: 'Insights' }).click()
  await expect(page.getByRole('heading', { name: 'Insights', level: 1 })).toBeVisible()
  expect(seen.assets).toContainEqual(expect.stringMatching(/^Insights-[\w-]+\.js$/))
  expect(seen.assets).toContainEqual(expect.stringMatching(/^Insights-[\w-]+\.css$/))
  // uPlot's stylesheet came with the chunk (a file: the CSP allows no inline style).
  const uplotRules = await page.evaluate(
    () =>
      [...document.styleSheets].filter((sheet) =>
        [...sheet.cssRules].some((rule) => rule.cssText.startsWith('.uplot')),
      ).length,
  )
  expect(uplotRules).toBe(1)

  // Back and forth: nothing is fetched again.
  const count = seen.assets.length
  await page.getByRole('link', { name: 'Inbox' }).click()
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  expect(seen.assets.length).toBe(count)

  expect(await seen.csp()).toEqual([])
  expect(seen.errors).toEqual([])
})

test('a view whose chunk fails to load says so, and Try again loads it', async ({ page }) => {
  const seen = await watch(page)
  await signIn(page)
  // As after a deploy that removed this build's files, or a dropped connection.
  let fail = true
  await page.route(/\/admin\/assets\/Insights-[\w-]+\.js$/, (route) =>
    fail ? route.abort('connectionfailed') : route.continue(),
  )
  await page.getByRole('link', { name: 'Insights' }).click()
  await expect(page.getByRole('alert')).toContainText('This view could not be loaded')
  await expect(page.getByRole('button', { name: 'Reload the page' })).toBeVisible()

  fail = false
  await page.getByRole('button', { name: 'Try again' }).click()
  await expect(page.getByRole('heading', { name: 'Insights', level: 1 })).toBeVisible()
  await expect(page.getByRole('alert')).toHaveCount(0)
  expect(await seen.csp()).toEqual([])
  // The only error is the failed request itself.
  expect(seen.errors.filter((error) => !/^Failed to load resource/.test(error))).toEqual([])
})

test('Reload the page after a failed chunk comes back on the same view, signed in', async ({
  page,
}) => {
  const seen = await watch(page)
  await signIn(page)
  await page.route(/\/admin\/assets\/Settings-[\w-]+\.js$/, (route) =>
    route.fulfill({ status: 404, body: 'gone' }),
  )
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('alert')).toContainText('This view could not be loaded')
  await page.unroute(/\/admin\/assets\/Settings-[\w-]+\.js$/)
  await page.getByRole('button', { name: 'Reload the page' }).click()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  expect(await seen.csp()).toEqual([])
})
