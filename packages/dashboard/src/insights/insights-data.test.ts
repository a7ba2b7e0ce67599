import { afterEach, describe, expect, it } from 'vitest'
import { formatDuration, messages, plural, setLocale } from '../i18n'
import { currencyDigits, majorUnits } from '../lib/money'
import type { Insights } from '../lib/types'
import '../test/locales'
import {
  barShares,
  countAxisMax,
  dailyAligned,
  dailyColumns,
  dailySummary,
  dayLabel,
  daySplits,
  fairnessGrid,
  formatScore,
  formatShare,
  longDayLabel,
  percent,
  periodLabel,
  scoreLevel,
  spendAligned,
  spendColumns,
} from './insights-data'

afterEach(() => setLocale('en'))

const daily: Insights['daily'] = [
  { day: '2026-11-01', outcome: 2, process: 1, interaction: 3 },
  { day: '2026-11-02', outcome: 0, process: 0, interaction: 0 },
  { day: '2026-11-03', outcome: 4, process: 2, interaction: 1 },
]

describe('the complaints-per-day columns', () => {
  it('stacks interaction at the bottom, then process, then outcome', () => {
    const columns = dailyColumns(daily)
    expect(columns.x).toEqual([0, 1, 2])
    expect(columns.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03'])
    expect(columns.counts).toEqual({
      outcome: [2, 0, 4],
      process: [1, 0, 2],
      interaction: [3, 0, 1],
    })
    // interaction; interaction + process; all three.
    expect(columns.stacked).toEqual({
      interaction: [3, 0, 1],
      process: [4, 0, 3],
      outcome: [6, 0, 7],
    })
    expect(columns.totals).toEqual([6, 0, 7])
  })

  it("gives uPlot's aligned data: x, then outcome, process, interaction (tallest drawn first)", () => {
    expect(dailyAligned(dailyColumns(daily))).toEqual([
      [0, 1, 2],
      [6, 0, 7],
      [4, 0, 3],
      [3, 0, 1],
    ])
  })

  it('sums each type and finds the busiest day (the earliest of equals)', () => {
    expect(dailySummary(dailyColumns(daily))).toEqual({
      total: 13,
      byType: { outcome: 6, process: 3, interaction: 4 },
      busiest: { day: '2026-11-03', count: 7 },
    })
    const tie = dailyColumns([
      { day: '2026-11-01', outcome: 1, process: 0, interaction: 0 },
      { day: '2026-11-02', outcome: 0, process: 1, interaction: 0 },
    ])
    expect(dailySummary(tie).busiest).toEqual({ day: '2026-11-01', count: 1 })
  })

  it('has no busiest day and empty columns when there is nothing', () => {
    const none = dailyColumns([{ day: '2026-11-01', outcome: 0, process: 0, interaction: 0 }])
    expect(dailySummary(none)).toEqual({
      total: 0,
      byType: { outcome: 0, process: 0, interaction: 0 },
      busiest: null,
    })
    expect(dailyAligned(dailyColumns([]))).toEqual([[], [], [], []])
  })

  it('leaves headroom on the count axis, and a scale of 1 when empty', () => {
    expect(countAxisMax(0)).toBe(1)
    expect(countAxisMax(7)).toBe(8) // ceil(7.7)
    expect(countAxisMax(10)).toBe(11)
  })
})

describe('day labels', () => {
  it('reads the day as a UTC day, in the locale', () => {
    expect(dayLabel('2026-11-03', 'en')).toBe('Nov 3')
    expect(dayLabel('2026-11-03', 'zh-CN')).toBe('11月3日')
    // The first of a month never slips to the month before, whatever the zone.
    expect(dayLabel('2026-12-01', 'en')).toBe('Dec 1')
    expect(longDayLabel('2026-11-03', 'en')).toBe('Nov 3, 2026')
    expect(longDayLabel('2026-11-03', 'zh-CN')).toBe('2026年11月3日')
    expect(periodLabel('2026-11-01', '2026-11-30', 'en')).toBe('Nov 1, 2026 – Nov 30, 2026')
  })

  it('ticks the axis back from the last day, so today always has a label', () => {
    expect(daySplits(30, 7)).toEqual([1, 8, 15, 22, 29])
    expect(daySplits(30, 2)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29])
    expect(daySplits(7, 1)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(daySplits(90, 28)).toEqual([5, 33, 61, 89])
    expect(daySplits(1, 7)).toEqual([0])
    expect(daySplits(0, 7)).toEqual([])
    expect(daySplits(3, 0)).toEqual([0, 1, 2]) // never a step below a day
  })
})

describe('the spend against the budget', () => {
  const spendOf = (spent: number[], budgetPerDay = 50000): Insights['spend'] => ({
    daily: spent.map((value, index) => ({ day: `2026-11-0${index + 1}`, spent: value })),
    budgetPerDay,
    total: spent.reduce((sum, value) => sum + value, 0),
  })

  it('turns minor units into major units and draws the budget flat', () => {
    const spend: Insights['spend'] = {
      daily: [
        { day: '2026-11-01', spent: 1250 },
        { day: '2026-11-02', spent: 0 },
        { day: '2026-11-03', spent: 60000 },
      ],
      budgetPerDay: 50000,
      total: 61250,
    }
    const columns = spendColumns(spend, 'EUR')
    expect(columns).toEqual({
      x: [0, 1, 2],
      days: ['2026-11-01', '2026-11-02', '2026-11-03'],
      spent: [12.5, 0, 600],
      budget: [500, 500, 500],
      overBudget: ['2026-11-03'],
      budgetOnScale: true,
      max: 690, // 600 × 1.15
    })
    expect(spendAligned(columns)).toEqual([
      [0, 1, 2],
      [12.5, 0, 600],
      [500, 500, 500],
    ])
  })

  it('scales to the spend, not the budget, when the budget is more than 4 × the largest day', () => {
    // €15 against €500 a day: scaled to the budget, €15 would be a bar a pixel or two high.
    const tiny = spendColumns(spendOf([1500, 0, 800]), 'EUR')
    expect(tiny.budgetOnScale).toBe(false)
    expect(tiny.max).toBe(18.75) // 15 × 1.25
    expect(spendAligned(tiny)).toEqual([
      [0, 1, 2],
      [15, 0, 8],
    ])
    // At exactly 4 × the budget is still drawn, and the scale reaches it.
    const quarter = spendColumns(spendOf([12500]), 'EUR')
    expect(quarter.budgetOnScale).toBe(true)
    expect(quarter.max).toBeCloseTo(575) // 500 × 1.15
    expect(spendColumns(spendOf([12499]), 'EUR').budgetOnScale).toBe(false)
  })

  it('keeps the budget line when nothing was given, and a scale of 1 when there is no budget either', () => {
    const nothing = spendColumns(spendOf([0, 0]), 'EUR')
    expect(nothing.budgetOnScale).toBe(true)
    expect(nothing.max).toBeCloseTo(575)
    const none = spendColumns(spendOf([0, 0], 0), 'EUR')
    expect(none.budgetOnScale).toBe(true)
    expect(none.max).toBe(1)
    // A budget of 0 (every remedy waits for approval) is on the scale of any spend.
    const approvals = spendColumns(spendOf([2000], 0), 'EUR')
    expect(approvals.budgetOnScale).toBe(true)
    expect(approvals.overBudget).toEqual(['2026-11-01'])
    expect(approvals.max).toBe(23) // 20 × 1.15
  })

  it('knows currencies without a minor unit', () => {
    expect(currencyDigits('JPY')).toBe(0)
    expect(currencyDigits('EUR')).toBe(2)
    expect(majorUnits(500, 'JPY')).toBe(500)
    const spend = spendColumns(
      { daily: [{ day: '2026-11-01', spent: 300 }], budgetPerDay: 1000, total: 300 },
      'JPY',
    )
    expect(spend.spent).toEqual([300])
    expect(spend.budget).toEqual([1000])
    expect(spend.budgetOnScale).toBe(true) // the budget is under 4 × the largest day
    expect(spend.max).toBe(1150) // the budget is higher than any day
  })
})

describe('durations and plurals', () => {
  it('says "< 1 min" for under a minute instead of "0 min", in both languages', () => {
    expect(formatDuration(0)).toBe('< 1 min')
    expect(formatDuration(29_000)).toBe('< 1 min')
    expect(formatDuration(59_999)).toBe('< 1 min')
    expect(formatDuration(60_000)).toBe('1 min')
    expect(formatDuration(45 * 60_000)).toBe('45 min')
    expect(formatDuration(3.5 * 3_600_000)).toBe('3.5 hr')
    setLocale('zh-CN')
    expect(formatDuration(137)).toBe('不到1分钟')
    expect(formatDuration(45 * 60_000)).toBe('45分钟')
  })

  it('picks the one/other variant by Intl.PluralRules; Chinese has only "other"', () => {
    const m = messages.value.insights
    expect(plural(m.satisfiedNote, 1, { answers: 1 })).toBe('scores of 4–5, of 1 follow-up answer')
    expect(plural(m.satisfiedNote, 0, { answers: 0 })).toBe('scores of 4–5, of 0 follow-up answers')
    expect(plural(m.onTheSpotNote, 1, { count: 1 })).toBe(
      '1 complaint got a remedy within 30 minutes',
    )
    expect(plural(m.onTheSpotNote, 2, { count: 2 })).toBe(
      '2 complaints got a remedy within 30 minutes',
    )
    expect(plural(m.firstResponseNote, 1, { count: 1 })).toBe('median, over 1 answered complaint')
    setLocale('zh-CN')
    const zh = messages.value.insights
    expect(zh.satisfiedNote.one).toBeUndefined()
    expect(plural(zh.satisfiedNote, 1, { answers: 1 })).toBe('评分 4–5 的比例，共 1 份回访答复')
    expect(plural(zh.satisfiedNote, 3, { answers: 3 })).toBe('评分 4–5 的比例，共 3 份回访答复')
  })
})

describe('shares, scores and bars', () => {
  it('rounds shares to whole percentages and keeps null as null', () => {
    expect(percent(2 / 3)).toBe(67)
    expect(percent(0)).toBe(0)
    expect(percent(1)).toBe(100)
    expect(percent(null)).toBeNull()
    expect(percent(Number.NaN)).toBeNull()
    expect(formatShare(0.125, 'en')).toBe('13%')
    expect(formatShare(null, 'en')).toBe('—')
    expect(formatShare(0.5, 'zh-CN')).toBe('50%')
    expect(formatScore(4.25, 'en')).toBe('4.3')
    expect(formatScore(3, 'en')).toBe('3.0')
    expect(formatScore(null, 'en')).toBe('—')
  })

  it('draws bars relative to the largest count', () => {
    expect(barShares([{ count: 8 }, { count: 4 }, { count: 1 }])).toEqual([100, 50, 12.5])
    expect(barShares([{ count: 0 }])).toEqual([0])
    expect(barShares([])).toEqual([])
  })

  it('buckets scores for the heatmap', () => {
    expect([null, 1, 2.49, 2.5, 3.49, 3.5, 4.24, 4.25, 5].map(scoreLevel)).toEqual([
      'none',
      'low',
      'low',
      'mid',
      'mid',
      'good',
      'good',
      'high',
      'high',
    ])
  })
})

describe('the fairness grid', () => {
  it('lists every failure type × severity in a fixed order, empty where nothing was answered', () => {
    const grid = fairnessGrid([
      // Sent out of order and incomplete on purpose.
      {
        failureType: 'interaction',
        severity: 'major',
        answers: 4,
        remedy: 4,
        process: 3.5,
        treatment: 2,
      },
      {
        failureType: 'outcome',
        severity: 'critical',
        answers: 2,
        remedy: 2.5,
        process: 4,
        treatment: 4,
      },
      {
        failureType: 'outcome',
        severity: 'minor',
        answers: 1,
        remedy: 3,
        process: 3,
        treatment: null,
      },
    ])
    expect(grid.map((row) => `${row.failureType}/${row.severity}`)).toEqual([
      'outcome/minor',
      'outcome/major',
      'outcome/critical',
      'process/minor',
      'process/major',
      'process/critical',
      'interaction/minor',
      'interaction/major',
      'interaction/critical',
    ])
    expect(grid[0]).toEqual({
      failureType: 'outcome',
      severity: 'minor',
      answers: 1,
      remedy: 3,
      process: 3,
      treatment: null,
      weakest: null, // a tie between the two sides answered
    })
    expect(grid[1]).toEqual({
      failureType: 'outcome',
      severity: 'major',
      answers: 0,
      remedy: null,
      process: null,
      treatment: null,
      weakest: null,
    })
    expect(grid[2]!.weakest).toBe('remedy')
    expect(grid[7]).toMatchObject({ answers: 4, treatment: 2, weakest: 'treatment' })
  })
})
