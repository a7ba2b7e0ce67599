// Early warning end to end: complaints pile up on the real server, its worker
// raises an alert, and the owner's inbox shows it with the way to the
// complaints it counted.
import { expect, type Page, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const TOKEN = 'rdk_e2e'
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }

async function signIn(page: Page) {
  await page.goto(`${server}/admin/`)
  // Signing in with a password is the main way; the admin token is one click away.
  await page.getByRole('button', { name: 'Use an admin token instead' }).click()
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Complaints', level: 1 })).toBeVisible()
}

test('a burst of billing complaints raises one alert the owner can follow and put away', async ({
  page,
  request,
}) => {
  // A rule of this run's own: its episode is new whatever earlier specs sent.
  const rule = `billing-${Date.now().toString(36)}`
  const patch = (alerts: unknown) =>
    request.patch(`${server}/v1/admin/site`, { headers, data: { alerts } })
  expect(
    (
      await patch([
        { id: rule, kind: 'burst', by: 'category', only: 'billing', count: 3, withinMinutes: 60 },
      ])
    ).ok(),
  ).toBe(true)
  try {
    const send = async (category: string, description: string) => {
      const response = await request.post(`${server}/v1/complaints`, {
        headers: { 'content-type': 'application/json', 'idempotency-key': description },
        data: { site: 'pk_demo', category, severity: 'minor', description },
      })
      expect(response.status()).toBe(201)
      return ((await response.json()) as { reference: string }).reference
    }
    const other = await send('order', `Wrong size (${rule})`)
    const references: string[] = []
    for (let i = 0; i < 3; i++)
      references.push(await send('billing', `Charged twice (${rule} ${i})`))
    // The server's worker checks the site within seconds of its complaints.
    await expect
      .poll(
        async () => {
          const page = (await (
            await request.get(`${server}/v1/admin/alerts?dismissed=false`, { headers })
          ).json()) as { items: { rule: { id: string } }[] }
          return page.items.filter((item) => item.rule.id === rule).length
        },
        { timeout: 20_000 },
      )
      .toBe(1)

    await signIn(page)
    const banner = page.getByRole('region', { name: 'Early warning' })
    const line = banner.getByRole('listitem').filter({ hasText: 'Billing or payment' })
    await expect(line).toHaveCount(1)
    await expect(line).toContainText(/complaints about Billing or payment within 60 minutes/)

    await line.getByRole('link', { name: 'See the affected complaints' }).click()
    const list = page.getByRole('listbox', { name: 'Complaints, newest first' })
    for (const reference of references)
      await expect(list.getByRole('option').filter({ hasText: reference })).toHaveCount(1)
    // Only what the alert counted: nothing of another category.
    await expect(list.getByRole('option').filter({ hasText: other })).toHaveCount(0)

    await line.getByRole('button', { name: 'Dismiss' }).click()
    await expect(line).toHaveCount(0)
    // Put away for good: a reload does not bring it back.
    await page.reload()
    await expect(page.getByRole('heading', { name: 'Complaints', level: 1 })).toBeVisible()
    await expect(
      page.getByRole('region', { name: 'Early warning' }).getByText('Billing or payment'),
    ).toHaveCount(0)
  } finally {
    await patch(null)
  }
})
