import { cleanup, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import type uPlot from 'uplot'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { messages, setLocale } from '../i18n'
import { signIn, signOut } from '../lib/state'
import type { Insights as InsightsData } from '../lib/types'
import '../test/locales'
import { dailyChartOptions, spendChartOptions } from './_chart-options'
import { Chart, canvasSupported, markIdle, readTheme, withIdleLegend } from './Chart'
import { Insights, range } from './Insights'
import { dailyColumns, spendColumns } from './insights-data'

function insights(change: Partial<InsightsData> = {}): InsightsData {
  return {
    days: 7,
    from: '2026-11-17',
    to: '2026-11-23',
    currency: 'EUR',
    total: 9,
    daily: [
      { day: '2026-11-21', outcome: 1, process: 0, interaction: 0 },
      { day: '2026-11-22', outcome: 0, process: 2, interaction: 1 },
      { day: '2026-11-23', outcome: 4, process: 0, interaction: 1 },
    ],
    topCategories: [
      { category: 'broken', failureType: 'outcome', count: 5 },
      { category: 'slow', failureType: 'process', count: 2 },
      // Gone from the site's categories since: only its id is left to show.
      { category: 'retired', failureType: 'process', count: 1 },
    ],
    topPages: [{ page: 'https://shop.example/checkout', count: 4 }],
    timeToFirstResponse: { medianMs: 45 * 60_000, count: 6 },
    timeToRecovery: { medianMs: null, count: 0 },
    recoveredOnTheSpot: { count: 3, share: 1 / 3 },
    satisfaction: { answers: 4, satisfiedShare: 0.75, madeItRightShare: null },
    repeatFailures: { customers: 1, complaints: 2 },
    rootCauses: [{ cause: 'supplier', count: 3, recurring: 1 }],
    fairness: [
      {
        failureType: 'interaction',
        severity: 'major',
        answers: 2,
        remedy: 4,
        process: 3.5,
        treatment: 2,
      },
    ],
    spend: {
      daily: [
        { day: '2026-11-21', spent: 500 },
        { day: '2026-11-22', spent: 0 },
        { day: '2026-11-23', spent: 60000 },
      ],
      budgetPerDay: 50000,
      total: 60500,
    },
    spikes: [
      { category: 'broken', day: '2026-11-23', count: 4, median14: 1 },
      { category: 'slow', day: '2026-11-23', count: 3, median14: 0 },
    ],
    avoided: {
      total: 3,
      byCategory: [
        { category: 'broken', count: 2 },
        { category: 'slow', count: 1 },
      ],
    },
    people: [],
    ...change,
  }
}

function serve(answer: (days: number) => InsightsData) {
  const asked: number[] = []
  vi.stubGlobal('fetch', async (url: string) => {
    const json = (value: unknown) =>
      new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } })
    const parsed = new URL(url, 'http://dashboard.test')
    if (parsed.pathname === '/v1/admin/insights') {
      const days = Number(parsed.searchParams.get('days'))
      asked.push(days)
      return json(answer(days))
    }
    if (parsed.pathname === '/v1/admin/site')
      return json({
        categories: [{ id: 'broken', failureType: 'outcome', label: 'Arrived broken' }],
      })
    return new Response('{}', { status: 404 })
  })
  signIn('rdk_insights_test')
  return asked
}

beforeEach(() => {
  setLocale('en')
  range.value = 30
})
afterEach(() => {
  cleanup()
  signOut()
  vi.unstubAllGlobals()
})

describe('the insights view', () => {
  it('shows the figures, the spike alert, the tables and the guidance', async () => {
    const asked = serve(() => insights())
    render(<Insights />)
    const figures = await screen.findByText('Time to first response')
    expect(asked).toEqual([30])
    const tile = figures.closest('div')!
    expect(within(tile).getByText('45 min')).toBeTruthy()
    expect(within(screen.getByText('Time to recovery').closest('div')!).getByText('—')).toBeTruthy()
    expect(
      within(screen.getByText('Recovered on the spot').closest('div')!).getByText('33%'),
    ).toBeTruthy()
    expect(
      within(screen.getByText('Satisfied after recovery').closest('div')!).getByText('75%'),
    ).toBeTruthy()
    expect(within(screen.getByText('Made it right').closest('div')!).getByText('—')).toBeTruthy()

    const alert = screen.getByText('Spike alert').closest('.banner')!
    expect(alert.textContent).toContain(
      'Arrived broken: 4 complaints on Nov 23, 2026, against a usual 1 a day',
    )
    // Named as the inbox names it: the site's label, else the built-in name.
    expect(alert.textContent).toContain('It took too long: 3 complaints on Nov 23, 2026')
    // The chart's text alternative: a summary and a table.
    expect(
      screen.getByText(/9 complaints by failure type: outcome 5, process 2, interaction 2\./)
        .textContent,
    ).toContain('The busiest day was Nov 23, 2026 with 5.')
    const daily = screen.getByRole('table', { name: 'Complaints over time by failure type' })
    expect(within(daily).getAllByRole('row')).toHaveLength(4)
    const categories = screen.getByRole('region', { name: 'Top categories' })
    expect(within(categories).getByRole('rowheader', { name: 'Arrived broken' })).toBeTruthy()
    expect(within(categories).getByRole('rowheader', { name: 'It took too long' })).toBeTruthy()
    expect(within(categories).getByRole('rowheader', { name: 'retired' })).toBeTruthy()
    expect(screen.getByText(/Treatment weighs most on long-run satisfaction/)).toBeTruthy()
    expect(
      screen.getByText(
        /€605\.00 given in this period, against a budget of €500\.00 a day; over the budget on 1 day\./,
      ),
    ).toBeTruthy()
    // The budget is on the chart's scale (€600 given on a day): no note above the chart.
    expect(screen.queryByText(/above the top of this chart/)).toBeNull()
  })

  it('says "one" and "other" in English, "< 1 min" for under a minute', async () => {
    serve(() =>
      insights({
        total: 1,
        daily: [{ day: '2026-11-23', outcome: 1, process: 0, interaction: 0 }],
        timeToFirstResponse: { medianMs: 30_000, count: 1 },
        timeToRecovery: { medianMs: 0, count: 1 },
        recoveredOnTheSpot: { count: 1, share: 1 },
        satisfaction: { answers: 1, satisfiedShare: 1, madeItRightShare: 1 },
        repeatFailures: { customers: 0, complaints: 0 },
      }),
    )
    render(<Insights />)
    const note = async (label: string) => within((await screen.findByText(label)).closest('div')!)
    const first = await note('Time to first response')
    expect(first.getByText('< 1 min')).toBeTruthy()
    expect(first.getByText('median, over 1 answered complaint')).toBeTruthy()
    const recovery = await note('Time to recovery')
    expect(recovery.getByText('< 1 min')).toBeTruthy()
    expect(recovery.getByText('median time to the first remedy, over 1 complaint')).toBeTruthy()
    expect(
      (await note('Recovered on the spot')).getByText('1 complaint got a remedy within 30 minutes'),
    ).toBeTruthy()
    expect(
      (await note('Satisfied after recovery')).getByText('scores of 4–5, of 1 follow-up answer'),
    ).toBeTruthy()
    expect(
      (await note('Made it right')).getByText('answered "yes", of 1 follow-up answer'),
    ).toBeTruthy()
    expect(
      (await note('Repeat failures')).getByText(
        'customers with a second complaint within 30 days (0 complaints)',
      ),
    ).toBeTruthy()
    expect(
      screen.getByText(/^1 complaint by failure type: outcome 1, process 0, interaction 0\./),
    ).toBeTruthy()
  })

  it('says the budget above the chart when it is far above every day', async () => {
    serve(() =>
      insights({
        spend: {
          daily: [
            { day: '2026-11-21', spent: 1500 },
            { day: '2026-11-22', spent: 0 },
            { day: '2026-11-23', spent: 500 },
          ],
          budgetPerDay: 50000,
          total: 2000,
        },
      }),
    )
    render(<Insights />)
    const spend = (await screen.findByRole('figure', {
      name: 'Remedy spend against the daily budget',
    })) as HTMLElement
    expect(
      within(spend).getByText('Daily budget: €500.00, above the top of this chart'),
    ).toBeTruthy()
    expect(
      within(spend).getByText(
        '€20.00 given in this period, against a budget of €500.00 a day; over the budget on 0 days.',
      ),
    ).toBeTruthy()
  })

  it('refetches for another range', async () => {
    const asked = serve(() => insights())
    render(<Insights />)
    await screen.findByText('Time to first response')
    await userEvent.click(screen.getByLabelText('7 days'))
    await waitFor(() => expect(asked).toEqual([30, 7]))
    expect(range.value).toBe(7)
  })

  it('says so when there were no complaints', async () => {
    serve(() =>
      insights({
        total: 0,
        daily: [{ day: '2026-11-23', outcome: 0, process: 0, interaction: 0 }],
        topCategories: [],
        topPages: [],
        spikes: [],
      }),
    )
    render(<Insights />)
    expect(await screen.findByText('No complaints in this period')).toBeTruthy()
    expect(screen.queryByText('Time to first response')).toBeNull()
  })

  it('counts the complaints self-help avoided, in all and per category', async () => {
    serve(() => insights())
    render(<Insights />)
    const avoided = await screen.findByRole('region', { name: 'Complaints avoided by self-help' })
    expect(avoided.querySelector('.avoided-total')!.textContent).toBe(
      '3 forms closed without sending after a help link was opened',
    )
    // Categories named as the inbox names them.
    const count = (name: string) =>
      within(avoided).getByRole('rowheader', { name }).parentElement!.querySelector('td')!
        .textContent
    expect(count('Arrived broken')).toBe('2')
    expect(count('It took too long')).toBe('1')
  })

  it('says "one" of avoided complaints, and shows them even in a period without complaints', async () => {
    serve(() =>
      insights({
        total: 0,
        daily: [],
        topCategories: [],
        topPages: [],
        spikes: [],
        avoided: { total: 1, byCategory: [{ category: 'broken', count: 1 }] },
      }),
    )
    render(<Insights />)
    expect(await screen.findByText('No complaints in this period')).toBeTruthy()
    const avoided = screen.getByRole('region', { name: 'Complaints avoided by self-help' })
    expect(avoided.querySelector('.avoided-total')!.textContent).toBe(
      '1 form closed without sending after a help link was opened',
    )
  })

  it('says when self-help avoided nothing', async () => {
    serve(() => insights({ avoided: { total: 0, byCategory: [] } }))
    render(<Insights />)
    const avoided = await screen.findByRole('region', { name: 'Complaints avoided by self-help' })
    expect(
      within(avoided).getByText(
        'None in this period. Add a short answer and links to a category in Settings.',
      ),
    ).toBeTruthy()
    expect(within(avoided).queryByRole('table')).toBeNull()
  })

  it('shows each person’s complaints, first reply and share recovered', async () => {
    serve(() =>
      insights({
        people: [
          {
            id: 'usr_a',
            name: 'Ada',
            complaints: 4,
            firstResponseMedianMs: 90 * 60_000,
            recoveryShare: 0.5,
          },
          {
            id: 'usr_b',
            name: 'Max',
            complaints: 1,
            firstResponseMedianMs: null,
            recoveryShare: 0,
          },
        ],
      }),
    )
    render(<Insights />)
    const people = await screen.findByRole('region', { name: 'By person' })
    const cells = (name: string) =>
      [
        ...within(people).getByRole('rowheader', { name }).parentElement!.querySelectorAll('td'),
      ].map((cell) => cell.textContent)
    expect(cells('Ada')).toEqual(['4', '1.5 hr', '50%'])
    // Not answered yet: no time to show.
    expect(cells('Max')).toEqual(['1', '—', '0%'])
  })

  it('says how to own a complaint when nobody owns one', async () => {
    serve(() => insights({ people: [] }))
    render(<Insights />)
    const people = await screen.findByRole('region', { name: 'By person' })
    expect(within(people).getByText(/“Take it” in a complaint makes it yours/)).toBeTruthy()
    expect(within(people).queryByRole('table')).toBeNull()
  })

  it('is in Chinese when the locale is', async () => {
    serve(() => insights())
    setLocale('zh-CN')
    render(<Insights />)
    expect(await screen.findByText('首次回复用时')).toBeTruthy()
    expect(screen.getByText('异常激增')).toBeTruthy()
    // The built-in names in Chinese, the site's own label as it is.
    const categories = screen.getByRole('region', { name: '主要类别' })
    expect(within(categories).getByRole('rowheader', { name: '等太久了' })).toBeTruthy()
    expect(within(categories).getByRole('rowheader', { name: 'Arrived broken' })).toBeTruthy()
    expect(screen.getByText('中位数，基于 6 条已回复的投诉')).toBeTruthy()
    const avoided = screen.getByRole('region', { name: '自助解决而避免的投诉' })
    expect(avoided.querySelector('.avoided-total')!.textContent).toBe(
      '3 在打开帮助链接后未提交就关闭的表单',
    )
    expect(within(avoided).getByRole('rowheader', { name: '等太久了' })).toBeTruthy()
  })
})

describe('the charts', () => {
  const theme = {
    text: '#000',
    muted: '#555',
    line: '#ddd',
    panel: '#fff',
    accent: '#00f',
    danger: '#f00',
    outcome: '#111',
    process: '#222',
    interaction: '#333',
  }
  const fake = {} as uPlot

  it('labels axes and series from the messages table, dates in the locale', () => {
    setLocale('zh-CN')
    const columns = dailyColumns(insights().daily)
    const options = dailyChartOptions(columns, messages.value.insights, 'zh-CN')(theme)
    expect(options.series.map((series) => series.label)).toEqual([
      '日期（UTC）',
      '结果',
      '过程',
      '互动',
    ])
    expect(options.series[1]!.fill).toBe('#111')
    expect(options.axes![1]!.label).toBe('投诉数')
    const values = options.axes![0]!.values as (u: uPlot, splits: number[]) => string[]
    expect(values(fake, [0, 1, 2, 1.5])).toEqual(['11月21日', '11月22日', '11月23日', ''])
    // The legend shows each type's own count, not the stacked height.
    const value = options.series[1]!.value as (u: uPlot, v: number, s: number, i: number) => string
    expect(value(fake, 5, 1, 2)).toBe('4')
  })

  it('draws the spend in major units with the budget line', () => {
    const data = insights()
    const columns = spendColumns(data.spend, 'EUR')
    const options = spendChartOptions(columns, 'EUR', messages.value.insights, 'en')(theme)
    expect(options.series.map((series) => series.label)).toEqual([
      'Day (UTC)',
      'Given',
      'Daily budget',
    ])
    expect(options.axes![1]!.label).toBe('Given (EUR)')
    expect(options.series[2]!.stroke).toBe('#f00')
    const range = options.scales!.y!.range as () => [number, number]
    expect(range()).toEqual([0, 690]) // 600 × 1.15
  })

  it('scales the spend to the largest day, without the budget line, when the budget is far above it', () => {
    const spend = {
      daily: [
        { day: '2026-11-22', spent: 0 },
        { day: '2026-11-23', spent: 1500 },
      ],
      budgetPerDay: 50000,
      total: 1500,
    }
    const columns = spendColumns(spend, 'EUR')
    const options = spendChartOptions(columns, 'EUR', messages.value.insights, 'en')(theme)
    expect(options.series.map((series) => series.label)).toEqual(['Day (UTC)', 'Given'])
    const range = options.scales!.y!.range as () => [number, number]
    expect(range()).toEqual([0, 18.75]) // €15 × 1.25: the bar fills most of the height
  })

  it('labels the last day (today) on the day axis, whatever step fits', () => {
    const days = Array.from({ length: 30 }, (_, index) =>
      new Date(Date.UTC(2026, 9, 25 + index)).toISOString().slice(0, 10),
    )
    const columns = dailyColumns(
      days.map((day) => ({ day, outcome: 0, process: 0, interaction: 0 })),
    )
    const options = dailyChartOptions(columns, messages.value.insights, 'en')(theme)
    const axis = options.axes![0]!
    const splits = axis.splits as (
      u: uPlot,
      a: number,
      min: number,
      max: number,
      step: number,
    ) => number[]
    const ticks = splits(fake, 0, -0.5, 29.5, 7)
    expect(ticks).toEqual([1, 8, 15, 22, 29])
    const values = axis.values as (u: uPlot, splits: number[]) => string[]
    expect(values(fake, ticks).at(-1)).toBe('Nov 23')
  })

  it('shows the legend without values while no day is under the pointer', () => {
    const root = document.createElement('div')
    const plot = { root, legend: { idx: null } } as unknown as uPlot
    markIdle(plot)
    expect(root.classList.contains('u-idle')).toBe(true)
    ;(plot.legend as { idx: number | null }).idx = 3
    markIdle(plot)
    expect(root.classList.contains('u-idle')).toBe(false)
    const own = () => {}
    const options = withIdleLegend({ series: [{}], hooks: { setLegend: [own] } })
    expect(options.hooks!.setLegend).toEqual([own, markIdle])
  })

  it('reads its colours from the CSS variables and draws nothing without a canvas', () => {
    document.documentElement.style.setProperty('--outcome', '#123456')
    expect(readTheme().outcome).toBe('#123456')
    document.documentElement.style.removeProperty('--outcome')
    expect(canvasSupported()).toBe(false)
    const { container } = render(
      <Chart
        options={() => ({ series: [{}, {}] })}
        data={[
          [0, 1],
          [1, 2],
        ]}
      />,
    )
    expect(container.querySelector('.chart')!.childElementCount).toBe(0)
  })
})
