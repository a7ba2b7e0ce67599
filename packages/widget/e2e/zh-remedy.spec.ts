// A customer whose widget speaks Chinese reads the collector's answer in
// Chinese too: the remedy card the real collector sends back, in its default
// words and in words the owner set for Chinese customers.
import { type APIRequestContext, expect, type Page, test } from '@playwright/test'
import type { SiteView } from '@redress/protocol/admin'
import { ADMIN, COLLECTOR, launcher, storedOnce, takeTimeToWrite, unique } from './_helpers'

// The collector's default Chinese texts, as a customer reads them.
const SORRY = '真的很抱歉，这本不该发生。给您添麻烦了，我们完全理解您的心情。'
const REVIEW = '我们的同事会仔细看一下您的情况，并尽快告诉您我们打算怎么处理。'
/** The widget's own apology, shown the moment the form is sent, before the collector answers. */
const AT_ONCE = '很抱歉给您带来不便。反馈已收到，我们正在处理。'

/**
 * Report a major problem in the Chinese form, as a person: nobody vouches for
 * this customer, so the money waits for the owner and the card says so.
 */
async function reportInChinese(page: Page, description: string) {
  await page.clock.install()
  await page.goto('/__fixtures/zh-remedy.html')
  await launcher(page, '报告问题').click()
  const form = page.getByRole('dialog', { name: '报告问题' })
  await form.getByLabel('遇到了什么问题？').selectOption({ label: '东西坏了或用不了' })
  await form.getByLabel('给我添了不少麻烦').check()
  await form.getByLabel('发生了什么？').fill(description)
  await takeTimeToWrite(page)
  await form.getByRole('button', { name: '提交' }).click()
  const done = page.getByRole('dialog', { name: '感谢您的反馈' })
  await expect(done.getByText(AT_ONCE).first()).toBeVisible()
  await expect(done.getByText(/^反馈编号：R-[0-9A-Z]{5}$/)).toBeVisible()
  return done
}

const site = async (request: APIRequestContext) => {
  const response = await request.get(`${COLLECTOR}/v1/admin/site`, { headers: ADMIN })
  expect(response.status(), await response.text()).toBe(200)
  return (await response.json()) as SiteView
}
const setPolicy = async (request: APIRequestContext, policy: unknown) => {
  const response = await request.patch(`${COLLECTOR}/v1/admin/site`, {
    headers: ADMIN,
    data: { policy },
  })
  expect(response.status(), await response.text()).toBe(200)
}

test('a Chinese customer reads the collector’s remedy card in Chinese', async ({
  page,
  request,
}) => {
  const description = unique('茶壶盖子裂了')
  const done = await reportInChinese(page, description)
  await expect(done.getByText(`${SORRY}${REVIEW}`, { exact: true })).toBeVisible()
  await expect(done.getByText(/We're sorry|review your case/)).toHaveCount(0)

  const stored = await storedOnce(request, description)
  expect(stored.complaint).toMatchObject({
    category: 'broken',
    severity: 'major',
    client: { locale: 'zh-CN' },
  })
  // What the card showed is what the collector keeps as given.
  expect(stored.recoveries.map((recovery) => [recovery.kind, recovery.status])).toEqual([
    ['apology', 'issued'],
    ['coupon', 'pending_approval'],
  ])
  expect(stored.recoveries[0]!.recovery).toEqual({
    kind: 'apology',
    message: `${SORRY}${REVIEW}`,
  })
})

test('the owner’s own Chinese words reach a Chinese customer', async ({ page, request }) => {
  const before = (await site(request)).policy.overrides
  const apology = '真对不起，茶壶是我们没包好。'
  const review = '店主今天就会看您的反馈，再告诉您怎么补偿。'
  await setPolicy(request, { ...before, texts: { 'zh-CN': { apology, review } } })
  try {
    const description = unique('茶壶把手掉了')
    const done = await reportInChinese(page, description)
    await expect(done.getByText(`${apology}${review}`, { exact: true })).toBeVisible()
    await expect(done.getByText(SORRY)).toHaveCount(0)
    const stored = await storedOnce(request, description)
    expect(stored.recoveries[0]!.recovery).toEqual({
      kind: 'apology',
      message: `${apology}${review}`,
    })
  } finally {
    // The other specs read the collector's defaults.
    await setPolicy(request, before)
  }
  expect((await site(request)).policy.overrides).toEqual(before)
})
