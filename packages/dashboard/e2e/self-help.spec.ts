// Self-help per category against the real server: the owner writes a short
// answer and a link for a category in Settings; a customer on a shop's page
// who picks that category sees both in the widget's form before sending,
// opens the link, and closes the form: Insights counts one complaint avoided.
import { expect, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const shop = 'http://127.0.0.1:4173'
const TOKEN = 'rdk_e2e'
const admin = { authorization: `Bearer ${TOKEN}` }

interface Avoided {
  total: number
  byCategory: Array<{ category: string; count: number }>
}

test('self-help written in Settings shows in the form, and a form closed after it counts as avoided', async ({
  page,
  browser,
  request,
}) => {
  const site = await (await request.get(`${server}/v1/admin/site`, { headers: admin })).json()
  const avoided = async () =>
    (await (await request.get(`${server}/v1/admin/insights?days=7`, { headers: admin })).json())
      .avoided as Avoided
  const before = await avoided()
  const category = site.categories[0].id as string
  const run = Date.now().toString(36)
  const answer = `Most parcels that arrive damaged are replaced within two days (${run}).`
  const help = `${shop}/__fixtures/page.html?returns-${run}`

  try {
    // The owner, in Settings: the first category's self-help, in English.
    await page.goto(`${server}/admin/`)
    await page.getByRole('button', { name: 'Use an admin token instead' }).click()
    await page.getByLabel('Admin token').fill(TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'Settings' }).click()
    const categories = page.locator('#settings-categories')
    await categories
      .getByRole('button', { name: /^Self-help for / })
      .first()
      .click()
    await categories.getByLabel('Answer (English)').first().fill(answer)
    await categories.getByRole('button', { name: 'Add a link (English)' }).first().click()
    await categories.getByLabel('Link 1 text (English)').first().fill('How replacements work')
    await categories.getByLabel('Link 1 address (English)').first().fill(help)
    await categories.getByRole('button', { name: 'Save' }).click()
    await expect(categories.getByText('Saved', { exact: true })).toBeVisible()

    // A customer (a browser of their own, nothing cached) picks that category.
    const customer = await browser.newContext()
    const shopPage = await customer.newPage()
    await shopPage.goto(`${shop}/__fixtures/page.html`)
    await shopPage.getByRole('button', { name: 'Report a problem', exact: true }).click()
    const form = shopPage.locator('redress-widget dialog')
    await form.getByLabel('What went wrong?').selectOption(category)
    await expect(form.getByText(answer)).toBeVisible()
    const link = form.getByRole('link', { name: 'How replacements work' })
    await expect(link).toHaveAttribute('href', help)
    // The link opens beside the form, which stays as it was.
    const [opened] = await Promise.all([customer.waitForEvent('page'), link.click()])
    await opened.close()
    await expect(form.getByText(answer)).toBeVisible()

    // Closed without sending: the widget tells the collector, which counts it once.
    const reported = shopPage.waitForResponse((response) =>
      response.url().endsWith('/v1/sites/pk_demo/deflections'),
    )
    await form.getByRole('button', { name: 'Close' }).click()
    expect((await reported).ok()).toBe(true)
    await customer.close()

    const after = await avoided()
    expect(after.total).toBe(before.total + 1)
    const count = (of: Avoided) => of.byCategory.find((entry) => entry.category === category)?.count
    expect(count(after)).toBe((count(before) ?? 0) + 1)

    // The owner sees it in Insights.
    await page.getByRole('link', { name: 'Insights' }).click()
    const region = page.getByRole('region', { name: 'Complaints avoided by self-help' })
    await expect(region.locator('.avoided-total')).toContainText(String(after.total))
  } finally {
    // The categories as the other tests expect them.
    const restored = await request.patch(`${server}/v1/admin/site`, {
      headers: admin,
      data: { categories: site.categories },
    })
    expect(restored.status()).toBe(200)
  }
})
