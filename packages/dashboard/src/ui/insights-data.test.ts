import { describe, expect, it } from 'vitest'
import { currencyDigits, majorUnits } from '../i18n'
import type { Insights } from '../types'
import {
  barShares,
  countAxisMax,
  dailyAligned,
  dailyColumns,
  dailySummary,
  dayLabel,
  fairnessGrid,
  formatScore,
  formatShare,
  longDayLabel,
  percent,
  periodLabel,
  scoreLevel,
  spendColumns,
} from './insights-data'

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
})

describe('the spend against the budget', () => {
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
    expect(spendColumns(spend, 'EUR')).toEqual({
      x: [0, 1, 2],
      days: ['2026-11-01', '2026-11-02', '2026-11-03'],
      spent: [12.5, 0, 600],
      budget: [500, 500, 500],
      overBudget: ['2026-11-03'],
      max: 600,
    })
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
    expect(spend.max).toBe(1000) // the budget is higher than any day
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
