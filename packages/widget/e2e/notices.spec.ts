// Known-issue notices the owner publishes on the real collector: the widget
// shows each on the pages it names only, in the customer's language, as soon
// as the customer reaches for the widget, before any form opens.
import { type APIRequestContext, expect, type Page, test } from '@playwright/test'
import { ADMIN, COLLECTOR, launcher, unique } from './_helpers'

const publish = async (request: APIRequestContext, data: Record<string, unknown>) => {
  const response = await request.post(`${COLLECTOR}/v1/admin/notices`, { headers: ADMIN, data })
  expect(response.status(), await response.text()).toBe(201)
  return ((await response.json()) as { id: string }).id
}

/** The page, with the widget loaded by the pointer on its launcher (the form stays closed). */
async function reach(page: Page, path: string, name = 'Report a problem') {
  await page.goto(path)
  await launcher(page, name).hover()
  // The form's chunk has mounted once its (hidden) dialog exists.
  await expect(page.locator('redress-widget dialog')).toHaveCount(1)
}

test('a notice shows on the pages it names only, in the customer’s language', async ({
  page,
  request,
}) => {
  const en = unique('Card payments are failing; we are on it.')
  const zh = unique('银行卡支付暂时失败，我们正在处理。')
  const other = unique('Returns are slower this week.')
  const ids = [
    await publish(request, {
      messages: { en, 'zh-CN': zh },
      level: 'warning',
      page: '/__fixtures/zh-remedy.html',
    }),
    // A pattern: every fixture page whose name starts with "p".
    await publish(request, { messages: { en: other }, page: '/__fixtures/p*.html' }),
  ]
  try {
    // Its page, in Chinese: the Chinese words, not the English ones.
    await reach(page, '/__fixtures/zh-remedy.html', '报告问题')
    const notice = page.getByRole('status').filter({ hasText: zh })
    await expect(notice).toBeVisible()
    await expect(page.getByText(en)).toHaveCount(0)
    await expect(page.getByText(other)).toHaveCount(0)

    // Another Chinese page: none of them.
    await reach(page, '/__fixtures/zh-lang.html', '报告问题')
    await expect(page.getByText(zh)).toHaveCount(0)
    await expect(page.getByText(other)).toHaveCount(0)

    // A page the pattern takes: the English-only notice, in English.
    await reach(page, '/__fixtures/page.html')
    await expect(page.getByRole('status').filter({ hasText: other })).toBeVisible()
    await expect(page.getByText(en)).toHaveCount(0)
  } finally {
    for (const id of ids)
      await request.delete(`${COLLECTOR}/v1/admin/notices/${id}`, { headers: ADMIN })
  }
})

test('an ended notice shows nowhere', async ({ page, request }) => {
  const words = unique('Checkout is down.')
  const id = await publish(request, { messages: { en: words } })
  try {
    const ended = await request.patch(`${COLLECTOR}/v1/admin/notices/${id}`, {
      headers: ADMIN,
      data: { endsAt: new Date().toISOString() },
    })
    expect(ended.status()).toBe(200)
    await reach(page, '/__fixtures/page.html')
    await expect(page.getByText(words)).toHaveCount(0)
  } finally {
    await request.delete(`${COLLECTOR}/v1/admin/notices/${id}`, { headers: ADMIN })
  }
})
