// Insights end to end, as ./scripts/start runs it: a customer's follow-up
// answer, given in the widget on the demo page once the owner has replied and
// resolved the complaint, is counted in the owner's Insights at /admin/, under
// the dashboard's strict CSP. Other spec files use the same server first, so
// the figures are checked against what they were before this test, and the
// page must show what the admin API says.
import { type APIRequestContext, expect, type Page, test } from '@playwright/test'
import type { Insights } from '../src/lib/types'

const server = 'http://127.0.0.1:4174'
const TOKEN = 'rdk_e2e'
const admin = { authorization: `Bearer ${TOKEN}` }

/** What went wrong on the page: CSP violations, console errors and uncaught exceptions. */
async function watchProblems(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    )
  })
  const errors: string[] = []
  page.on('console', (message) => {
    // On load the dashboard asks whether a person is signed in: `401` when nobody is.
    if (message.type() === 'error' && !message.location().url.endsWith('/v1/admin/session'))
      errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
  return {
    expectNone: async () => {
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual(
        [],
      )
      expect(errors).toEqual([])
    },
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

async function readInsights(request: APIRequestContext): Promise<Insights> {
  const response = await request.get(`${server}/v1/admin/insights?days=30`, { headers: admin })
  expect(response.status()).toBe(200)
  return (await response.json()) as Insights
}

// The page's numbers, formatted here independently of the dashboard's code.
const share = (value: number | null, lang = 'en') =>
  value === null
    ? '—'
    : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(value)
const score = (value: number | null, lang = 'en') =>
  value === null
    ? '—'
    : new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
        value,
      )
function duration(ms: number, lang = 'en') {
  const minutes = ms / 60_000
  const unit = (value: number, name: 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(lang, {
      style: 'unit',
      unit: name,
      unitDisplay: 'short',
      maximumFractionDigits: 1,
    }).format(value)
  // Under a minute is "< 1 min" ("不到1分钟"), never "0 min".
  if (minutes < 1) return lang === 'en' ? `< ${unit(1, 'minute')}` : `不到${unit(1, 'minute')}`
  if (minutes < 90) return unit(Math.round(minutes), 'minute')
  if (minutes < 48 * 60) return unit(minutes / 60, 'hour')
  return unit(minutes / 1440, 'day')
}
/** A count and its English noun: "1 follow-up answer", "2 follow-up answers". */
const countOf = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`
/** How many answers a share stands for (shares are counts over `answers`). */
const counted = (value: number | null, answers: number) => Math.round((value ?? 0) * answers)

/** A figure tile of Insights: its big value and the note under it. */
function figure(page: Page, label: string) {
  const term = page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) })
  const tile = page.getByRole('main').locator('dl > div').filter({ has: term })
  return {
    value: tile.getByRole('definition').first(),
    note: tile.getByRole('definition').nth(1),
  }
}

const fairnessRow = (page: Page, title: string, type: string, severity: string) =>
  page
    .getByRole('region', { name: title })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: type, exact: true }) })
    .filter({ has: page.getByRole('cell', { name: severity, exact: true }) })

/** The fairness row's cells as the page must show them, from the API's row. */
function fairnessCells(
  row: Insights['fairness'][number],
  severity: string,
  sides: Record<'remedy' | 'process' | 'treatment', string>,
  lang = 'en',
) {
  const scores = (['remedy', 'process', 'treatment'] as const).filter((side) => row[side] !== null)
  const sorted = [...scores].sort((a, b) => row[a]! - row[b]!)
  const weakest =
    sorted.length >= 2 && row[sorted[0]!]! < row[sorted[1]!]! ? sides[sorted[0]!] : '—'
  return [
    severity,
    score(row.remedy, lang),
    score(row.process, lang),
    score(row.treatment, lang),
    String(row.answers),
    weakest,
  ]
}

const SIDES_EN = { remedy: 'Remedy', process: 'Process', treatment: 'Treatment' }

/** Both charts drawn on their canvases (uPlot draws one canvas per chart). */
async function expectCharts(page: Page) {
  const canvases = page.getByRole('main').locator('.chart canvas')
  await expect(canvases).toHaveCount(2)
  for (const canvas of await canvases.all()) {
    const box = await canvas.boundingBox()
    expect(box?.width).toBeGreaterThan(200)
    expect(box?.height).toBeGreaterThan(100)
  }
}

test('a follow-up answer in the widget shows up in Insights', async ({ page, browser }) => {
  const problems = await watchProblems(page)
  const description = `The teapot arrived cracked ${test.info().testId}`

  // The customer, in a browser of their own, reports a major problem with an order.
  const context = await browser.newContext()
  const customer = await context.newPage()
  // The page's clock, so the customer can take the seconds a person takes to write:
  // a form sent within 1.5 s of opening is flagged as a suspected bot and gets no remedy.
  await customer.clock.install()
  await customer.goto(`${server}/`)
  await customer.getByRole('button', { name: 'Report a problem', exact: true }).click()
  const dialog = customer.getByRole('dialog')
  await dialog.getByLabel('What went wrong?').selectOption('order')
  await dialog.getByLabel('It caused me real trouble').check()
  await dialog.getByLabel('What happened?').fill(description)
  await customer.clock.fastForward('00:08')
  await dialog.getByRole('button', { name: 'Send' }).click()
  await expect(dialog.getByText(/^Your reference: R-[2-9A-Z]{5}$/).first()).toBeVisible()
  const reference = (await dialog
    .getByText(/^Your reference: /)
    .first()
    .textContent())!.replace('Your reference: ', '')

  // The owner reads Insights before anything is answered: the page shows what the API says.
  await signIn(page)
  const before = await readInsights(page.request)
  const nav = page.getByRole('navigation')
  await nav.getByRole('link', { name: 'Insights' }).click()
  await expect(page.getByRole('heading', { name: 'Insights', level: 1 })).toBeVisible()
  await expect(page.getByRole('radio', { name: '30 days' })).toBeChecked()
  await expect(figure(page, 'Satisfied after recovery').note).toHaveText(
    `scores of 4–5, of ${countOf(before.satisfaction.answers, 'follow-up answer')}`,
  )
  await expect(figure(page, 'Satisfied after recovery').value).toHaveText(
    share(before.satisfaction.satisfiedShare),
  )
  await expect(figure(page, 'Made it right').value).toHaveText(
    share(before.satisfaction.madeItRightShare),
  )
  await expect(figure(page, 'Time to first response').note).toHaveText(
    `median, over ${countOf(before.timeToFirstResponse.count, 'answered complaint')}`,
  )

  // The owner opens the complaint in the inbox, replies and resolves it.
  await nav.getByRole('link', { name: 'Inbox' }).click()
  const row = page
    .getByRole('listbox', { name: 'Complaints, newest first' })
    .getByRole('option')
    .filter({ hasText: description })
  await expect(row).toContainText(reference)
  await expect(row).toContainText('Major')
  await expect(row).not.toContainText('Suspected bot')
  await page.screenshot({ path: test.info().outputPath('inbox.png'), fullPage: true })
  await row.click()
  await expect(page.getByRole('heading', { name: `Complaint ${reference}` })).toBeVisible()
  await page.getByLabel('Your name').fill('Ana')
  await page.getByLabel('Message', { exact: true }).fill('A new teapot is on its way today.')
  await page.getByRole('button', { name: 'Send reply' }).click()
  await expect(page.getByText('Reply sent.')).toBeVisible()
  await expect(row).toContainText('In progress')
  const handling = page.getByRole('region', { name: 'Handling' })
  await handling.getByLabel('Status').selectOption('resolved')
  await expect(handling.getByRole('status')).toHaveText('Saved')
  await expect(row).toContainText('Resolved')

  // The customer checks the status, reads the reply and answers "Did we make it right?".
  await dialog.getByRole('button', { name: 'Check status' }).click()
  await expect(dialog.getByText('Status: Resolved')).toBeVisible()
  await expect(dialog.getByText('Reply from Ana')).toBeVisible()
  await expect(dialog.getByText('A new teapot is on its way today.')).toBeVisible()
  const tap = (question: string, answer: string) =>
    dialog
      .getByRole('group', { name: question })
      .getByRole('radio', { name: answer, exact: true })
      .check()
  await tap('Did we make it right?', '5')
  await tap('Is your problem solved?', 'Yes')
  await tap('Was the remedy fair?', '5')
  await tap('Was it quick and easy?', '4')
  await tap('Were you treated with respect?', '5')
  await dialog.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(dialog.getByText('Thank you, this helps us do better.').first()).toBeVisible()
  await context.close()

  // The API counts exactly this answer on top of what was there before.
  const after = await readInsights(page.request)
  const answers = before.satisfaction.answers + 1
  expect(after.satisfaction.answers).toBe(answers)
  expect(after.satisfaction.satisfiedShare).toBeCloseTo(
    (counted(before.satisfaction.satisfiedShare, answers - 1) + 1) / answers,
    6,
  )
  expect(after.satisfaction.madeItRightShare).toBeCloseTo(
    (counted(before.satisfaction.madeItRightShare, answers - 1) + 1) / answers,
    6,
  )
  expect(after.timeToFirstResponse.count).toBe(before.timeToFirstResponse.count + 1)
  expect(after.timeToFirstResponse.medianMs).not.toBeNull()
  const fairBefore = before.fairness.find(
    (entry) => entry.failureType === 'outcome' && entry.severity === 'major',
  )
  const fairAfter = after.fairness.find(
    (entry) => entry.failureType === 'outcome' && entry.severity === 'major',
  )
  expect(fairAfter?.answers).toBe((fairBefore?.answers ?? 0) + 1)
  if (!fairBefore) expect(fairAfter).toMatchObject({ remedy: 5, process: 4, treatment: 5 })

  // The owner's Insights show it (opening the view reads the figures again).
  await nav.getByRole('link', { name: 'Insights' }).click()
  await expect(page.getByRole('heading', { name: 'Insights', level: 1 })).toBeVisible()
  const satisfied = figure(page, 'Satisfied after recovery')
  await expect(satisfied.note).toHaveText(
    `scores of 4–5, of ${countOf(answers, 'follow-up answer')}`,
  )
  await expect(satisfied.value).toHaveText(share(after.satisfaction.satisfiedShare))
  const madeRight = figure(page, 'Made it right')
  await expect(madeRight.note).toHaveText(
    `answered "yes", of ${countOf(answers, 'follow-up answer')}`,
  )
  await expect(madeRight.value).toHaveText(share(after.satisfaction.madeItRightShare))
  const firstResponse = figure(page, 'Time to first response')
  await expect(firstResponse.note).toHaveText(
    `median, over ${countOf(after.timeToFirstResponse.count, 'answered complaint')}`,
  )
  await expect(firstResponse.value).not.toHaveText('—')
  await expect(firstResponse.value).toHaveText(duration(after.timeToFirstResponse.medianMs!))
  await expect(figure(page, 'Complaints').value).toHaveText(String(after.total))
  await expect(figure(page, 'Time to recovery').value).toHaveText(
    after.timeToRecovery.medianMs === null ? '—' : duration(after.timeToRecovery.medianMs),
  )
  await expect(figure(page, 'Recovered on the spot').value).toHaveText(
    share(after.recoveredOnTheSpot.share),
  )

  // The fairness grid has the answer under outcome (an order) and major.
  const fairness = fairnessRow(page, 'Was the recovery fair?', 'Outcome', 'Major')
  await expect(fairness).toHaveCount(1)
  await expect(fairness.getByRole('cell')).toHaveText(fairnessCells(fairAfter!, 'Major', SIDES_EN))
  if (!fairBefore) {
    await expect(fairness.getByRole('cell')).toHaveText([
      'Major',
      '5.0',
      '4.0',
      '5.0',
      '1',
      'Process',
    ])
  }

  await expectCharts(page)
  await page.screenshot({ path: test.info().outputPath('insights.png'), fullPage: true })
  await problems.expectNone()
})

test('Insights in Chinese, in dark mode, with no CSP exception or console error', async ({
  page,
}) => {
  // Data of its own, through the public and admin APIs: a critical complaint about
  // how the customer was treated, answered, resolved and found not put right.
  const sent = await page.request.post(`${server}/v1/complaints`, {
    headers: { 'idempotency-key': `insights-zh-${test.info().testId}-${Date.now()}` },
    data: {
      site: 'pk_demo',
      category: 'staff',
      severity: 'critical',
      description: 'The person on the phone hung up on me twice',
      page: { url: 'http://127.0.0.1:4174/support?from=mail' },
    },
  })
  expect(sent.status()).toBe(201)
  const receipt = (await sent.json()) as { id: string; token: string }
  const replied = await page.request.post(`${server}/v1/admin/complaints/${receipt.id}/replies`, {
    headers: admin,
    data: { message: 'We are sorry. The team lead will call you today.', author: 'Ana' },
  })
  expect(replied.status()).toBe(201)
  const resolved = await page.request.patch(`${server}/v1/admin/complaints/${receipt.id}`, {
    headers: admin,
    data: { status: 'resolved', rootCause: 'people' },
  })
  expect(resolved.status()).toBe(200)
  const answered = await page.request.post(`${server}/v1/complaints/${receipt.id}/follow-up`, {
    headers: { authorization: `Bearer ${receipt.token}` },
    data: { score: 2, resolved: false, fairness: { remedy: 3, process: 2, treatment: 1 } },
  })
  expect(answered.status()).toBe(204)
  const data = await readInsights(page.request)
  const row = data.fairness.find(
    (entry) => entry.failureType === 'interaction' && entry.severity === 'critical',
  )
  expect(row?.answers).toBeGreaterThanOrEqual(1)

  const problems = await watchProblems(page)
  await page.emulateMedia({ colorScheme: 'dark' })
  await signIn(page)
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN')
  await expect(page.getByRole('heading', { name: '投诉', level: 1 })).toBeVisible()
  await page.getByRole('navigation').getByRole('link', { name: '洞察' }).click()
  await expect(page.getByRole('heading', { name: '洞察', level: 1 })).toBeVisible()
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
    'rgb(17, 18, 22)',
  )

  // The same figures as the API, in Chinese.
  await expect(page.getByRole('radio', { name: '30 天' })).toBeChecked()
  await expect(figure(page, '投诉数').value).toHaveText(String(data.total))
  await expect(figure(page, '补救后满意').value).toHaveText(
    share(data.satisfaction.satisfiedShare, 'zh-CN'),
  )
  await expect(figure(page, '补救后满意').note).toHaveText(
    `评分 4–5 的比例，共 ${data.satisfaction.answers} 份回访答复`,
  )
  await expect(figure(page, '问题已解决').value).toHaveText(
    share(data.satisfaction.madeItRightShare, 'zh-CN'),
  )
  await expect(figure(page, '首次回复用时').value).toHaveText(
    duration(data.timeToFirstResponse.medianMs!, 'zh-CN'),
  )
  const zhSides = { remedy: '补救', process: '过程', treatment: '态度' }
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
  const fairness = fairnessRow(page, '补救是否公平？', '互动', '非常严重')
  await expect(fairness).toHaveCount(1)
  await expect(fairness.getByRole('cell')).toHaveText(
    fairnessCells(row!, '非常严重', zhSides, 'zh-CN'),
  )
  await expect(page.getByRole('region', { name: '根本原因' })).toContainText('人员')
  await expectCharts(page)
  await page.screenshot({ path: test.info().outputPath('insights-dark-zh.png'), fullPage: true })

  // Other ranges and the tables behind the charts: still nothing the CSP refuses.
  await page.getByRole('radio', { name: '7 天' }).check()
  await expect(page.getByRole('radio', { name: '7 天' })).toBeChecked()
  await expect(figure(page, '投诉数').note).toHaveText('最近 7 天')
  await page.getByRole('radio', { name: '90 天' }).check()
  await expect(figure(page, '投诉数').note).toHaveText('最近 90 天')
  for (const summary of await page.getByText('以表格显示数据').all()) await summary.click()
  await expect(page.getByRole('table', { name: '按失误类型统计的每日投诉' })).toBeVisible()
  await expectCharts(page)
  await problems.expectNone()
})
