// The owner's settings reach the customer: categories and a service guarantee
// set through the admin API show in a fresh page's widget (GET /v1/sites/{key}),
// and a complaint in the owner's category is stored with it, under the promise.
import { expect, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const admin = { authorization: 'Bearer rdk_e2e' }
const PROMISE = 'A reply within 2 hours, or €5 off'

test('the owner’s category and guarantee show in the widget, and a complaint keeps them', async ({
  page,
  request,
}) => {
  const site = await request.get(`${server}/v1/admin/site`, { headers: admin })
  expect(site.status()).toBe(200)
  // Other specs share the demo site: put back exactly what was there.
  const before = (await site.json()) as { categories: unknown[]; guarantee: unknown }
  try {
    const patched = await request.patch(`${server}/v1/admin/site`, {
      headers: admin,
      data: {
        categories: [
          ...before.categories,
          { id: 'late_delivery', failureType: 'process', label: 'Late delivery' },
        ],
        guarantee: {
          text: PROMISE,
          firstReplyWithin: 'PT2H',
          remedy: { kind: 'coupon', value: 500 },
        },
      },
    })
    expect(patched.status(), await patched.text()).toBe(200)

    const description = `Three days late ${test.info().testId}`
    // The page's clock, so the customer can take the seconds a person takes to write.
    await page.clock.install()
    await page.goto(`${server}/`)
    await page.getByRole('button', { name: 'Report a problem', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await expect(dialog.getByText(`Our promise: ${PROMISE}`)).toBeVisible()
    const category = dialog.getByLabel('What went wrong?')
    // The built-in ones keep their translated names; the owner's shows its label.
    await expect(category.locator('option')).toContainText([
      'My order is wrong or missing',
      'Late delivery',
    ])
    await category.selectOption({ label: 'Late delivery' })
    await dialog.getByLabel('It caused me real trouble').check()
    await dialog.getByLabel('What happened?').fill(description)
    // As long as a person takes: a form sent within 1.5 s looks like a bot's, which no guarantee covers.
    await page.clock.fastForward('00:08')
    await dialog.getByRole('button', { name: 'Send' }).click()
    await expect(dialog.getByText(/^Your reference: R-[2-9A-Z]{5}$/).first()).toBeVisible()
    await expect(dialog.getByText(`Our promise: ${PROMISE}`)).toBeVisible()

    const list = await request.get(`${server}/v1/admin/complaints?category=late_delivery`, {
      headers: admin,
    })
    const { items } = (await list.json()) as {
      items: { id: string; excerpt: string; failureType: string }[]
    }
    const stored = items.find((item) => item.excerpt === description)
    expect(stored).toMatchObject({ failureType: 'process' })
    const detail = await request.get(`${server}/v1/admin/complaints/${stored!.id}`, {
      headers: admin,
    })
    expect(await detail.json()).toMatchObject({
      complaint: { category: 'late_delivery' },
      suspicion: null,
      guarantee: { text: PROMISE, state: 'pending' },
    })
  } finally {
    const restored = await request.patch(`${server}/v1/admin/site`, {
      headers: admin,
      data: { categories: before.categories, guarantee: before.guarantee },
    })
    expect(restored.status(), await restored.text()).toBe(200)
  }
})
