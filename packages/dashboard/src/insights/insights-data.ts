/**
 * @module Pure data shaping for the Insights view: uPlot's column arrays from
 * `Insights`, day labels in the current locale, the spend-against-budget
 * series, shares as percentages and the fairness grid. No DOM, no uPlot: the
 * functions here are what the tests check by hand.
 */
import type { Messages } from '../i18n'
import { majorUnits } from '../lib/money'
import type { FailureType, FairnessGroup, Insights, Severity } from '../lib/types'

/** The Insights view's messages in the current language. */
export type InsightsMessages = Messages['insights']

/** Failure types in the order every chart, legend and table uses. */
export const FAILURE_TYPES = [
  'outcome',
  'process',
  'interaction',
] as const satisfies readonly FailureType[]
export const SEVERITIES = ['minor', 'major', 'critical'] as const satisfies readonly Severity[]
/** The three sides of a recovery's fairness (Gelbrich & Roschk 2011). */
export const FAIRNESS_SIDES = ['remedy', 'process', 'treatment'] as const
export type FairnessSide = (typeof FAIRNESS_SIDES)[number]

/** A `YYYY-MM-DD` day as the Date of that UTC midnight. */
const utcDay = (day: string) => new Date(`${day}T00:00:00Z`)

/**
 * A short day label for an axis, in `locale`, read as a UTC day (the server
 * counts by UTC day, so no time zone may shift it).
 *
 * @example
 * dayLabel('2026-11-03', 'en')    // 'Nov 3'
 * dayLabel('2026-11-03', 'zh-CN') // '11月3日'
 */
export function dayLabel(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(utcDay(day))
}

/** A day with its year, for tables and summaries: "Nov 3, 2026", "2026年11月3日". */
export function longDayLabel(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    utcDay(day),
  )
}

/** The range "Nov 1, 2026 – Nov 30, 2026" in `locale`. */
export const periodLabel = (from: string, to: string, locale: string): string =>
  `${longDayLabel(from, locale)} – ${longDayLabel(to, locale)}`

export interface DailyColumns {
  /** The x values: 0 … n−1 (uPlot draws on an index scale; labels come from `days`). */
  x: number[]
  days: string[]
  counts: Record<FailureType, number[]>
  totals: number[]
  /**
   * The bars as uPlot draws them: each failure type's top edge, stacked with
   * interaction at the bottom and outcome on top. Drawn in `FAILURE_TYPES`
   * order (tallest first), each bar covers the part of the one before that
   * is its own.
   */
  stacked: Record<FailureType, number[]>
}

/**
 * The complaints-per-day chart's columns.
 *
 * @example
 * dailyColumns([{ day: '2026-11-01', outcome: 2, process: 1, interaction: 3 }]).stacked
 * // { outcome: [6], process: [4], interaction: [3] }
 */
export function dailyColumns(daily: Insights['daily']): DailyColumns {
  const counts: Record<FailureType, number[]> = { outcome: [], process: [], interaction: [] }
  const stacked: Record<FailureType, number[]> = { outcome: [], process: [], interaction: [] }
  const totals: number[] = []
  for (const entry of daily) {
    const interaction = entry.interaction
    const process = interaction + entry.process
    const outcome = process + entry.outcome
    counts.outcome.push(entry.outcome)
    counts.process.push(entry.process)
    counts.interaction.push(entry.interaction)
    stacked.interaction.push(interaction)
    stacked.process.push(process)
    stacked.outcome.push(outcome)
    totals.push(outcome)
  }
  return {
    x: daily.map((_, index) => index),
    days: daily.map((entry) => entry.day),
    counts,
    totals,
    stacked,
  }
}

/** uPlot's `AlignedData` for `dailyColumns`: x, then one series per failure type. */
export function dailyAligned(columns: DailyColumns): [number[], ...number[][]] {
  return [columns.x, ...FAILURE_TYPES.map((type) => columns.stacked[type])]
}

export interface DailySummary {
  total: number
  byType: Record<FailureType, number>
  /** The day with the most complaints (the earliest of equals); `null` when there were none. */
  busiest: { day: string; count: number } | null
}

export function dailySummary(columns: DailyColumns): DailySummary {
  const byType = Object.fromEntries(
    FAILURE_TYPES.map((type) => [type, columns.counts[type].reduce((sum, n) => sum + n, 0)]),
  ) as Record<FailureType, number>
  let busiest: DailySummary['busiest'] = null
  columns.totals.forEach((count, index) => {
    if (count > 0 && (!busiest || count > busiest.count))
      busiest = { day: columns.days[index]!, count }
  })
  return { total: FAILURE_TYPES.reduce((sum, type) => sum + byType[type], 0), byType, busiest }
}

export interface SpendColumns {
  x: number[]
  days: string[]
  /** Given per day, in major units of the currency. */
  spent: number[]
  /** The per-site daily budget, the same every day, in major units. */
  budget: number[]
  /** Days whose spend went over the budget (guarantees and approvals may). */
  overBudget: string[]
  /**
   * Whether the budget is drawn as a line. It is not when it is more than
   * `BUDGET_OFF_SCALE` times the largest day's spend: scaled to the budget,
   * those days would be bars a pixel or two high, so the chart scales to the
   * spend and the budget is said in a note above it instead.
   */
  budgetOnScale: boolean
  /** The top of the y scale, in major units: headroom over what is drawn, 1 when nothing is. */
  max: number
}

/** How many times the largest day the budget may be and still be drawn to scale. */
export const BUDGET_OFF_SCALE = 4

/**
 * The remedy spend chart's columns: bars of money given per day and the
 * daily budget as a flat line, both in major units; the y scale fits the
 * budget too unless it would flatten the bars (see `budgetOnScale`).
 *
 * @example
 * spendColumns({ daily: [{ day: '2026-11-01', spent: 25000 }], budgetPerDay: 50000, total: 25000 }, 'EUR')
 * // { …, spent: [250], budget: [500, …], budgetOnScale: true, max: 575 }  (500 × 1.15)
 * spendColumns({ daily: [{ day: '2026-11-01', spent: 1500 }], budgetPerDay: 50000, total: 1500 }, 'EUR')
 * // { …, spent: [15], budgetOnScale: false, max: 18.75 }  (15 × 1.25; €500 is over 4 × €15)
 */
export function spendColumns(spend: Insights['spend'], currency: string): SpendColumns {
  const budget = majorUnits(spend.budgetPerDay, currency)
  const spent = spend.daily.map((entry) => majorUnits(entry.spent, currency))
  const largest = Math.max(0, ...spent)
  // With nothing given the budget line is all there is to see, so it stays.
  const budgetOnScale = largest === 0 || budget <= BUDGET_OFF_SCALE * largest
  const drawn = budgetOnScale ? Math.max(budget, largest) * 1.15 : largest * 1.25
  return {
    x: spend.daily.map((_, index) => index),
    days: spend.daily.map((entry) => entry.day),
    spent,
    budget: spend.daily.map(() => budget),
    overBudget: spend.daily.filter((entry) => entry.spent > spend.budgetPerDay).map((e) => e.day),
    budgetOnScale,
    max: drawn > 0 ? drawn : 1,
  }
}

/** uPlot's `AlignedData` for `spendColumns`: x, the spend and, when drawn to scale, the budget. */
export function spendAligned(columns: SpendColumns): [number[], ...number[][]] {
  return columns.budgetOnScale
    ? [columns.x, columns.spent, columns.budget]
    : [columns.x, columns.spent]
}

/**
 * The day-axis ticks: every `step` days counted back from the last day
 * (today), so today is always labelled, whatever step fits the width.
 *
 * @example
 * daySplits(30, 7) // [1, 8, 15, 22, 29]
 */
export function daySplits(count: number, step: number): number[] {
  const every = Math.max(1, Math.round(step))
  const splits: number[] = []
  for (let index = count - 1; index >= 0; index -= every) splits.unshift(index)
  return splits
}

/** A share (0–1) as a whole percentage; `null` stays `null` (nothing to divide). */
export const percent = (share: number | null): number | null =>
  share === null || !Number.isFinite(share) ? null : Math.round(share * 100)

/** A share as "67%" in `locale`, or "—" when there is none. */
export function formatShare(share: number | null, locale: string): string {
  if (share === null || !Number.isFinite(share)) return '—'
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share)
}

/** A mean fairness score (1–5) with one decimal, or "—". */
export function formatScore(score: number | null, locale: string): string {
  if (score === null || !Number.isFinite(score)) return '—'
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(score)
}

/** Each item's length as a percentage of the largest count, for bar lists. */
export function barShares(items: ReadonlyArray<{ count: number }>): number[] {
  const max = Math.max(0, ...items.map((item) => item.count))
  return items.map((item) => (max === 0 ? 0 : Math.round((item.count / max) * 1000) / 10))
}

export interface FairnessRow extends FairnessGroup {
  /** The side scored lowest when one is clearly lowest; `null` on a tie or without answers. */
  weakest: FairnessSide | null
}

/**
 * The fairness grid: every failure type × severity in a fixed order
 * (outcome, process, interaction; minor, major, critical), rows the server
 * did not send are empty, so the grid reads the same every time.
 */
export function fairnessGrid(fairness: Insights['fairness']): FairnessRow[] {
  const rows: FairnessRow[] = []
  for (const failureType of FAILURE_TYPES) {
    for (const severity of SEVERITIES) {
      const found = fairness.find(
        (entry) => entry.failureType === failureType && entry.severity === severity,
      )
      const scores = {
        remedy: found?.remedy ?? null,
        process: found?.process ?? null,
        treatment: found?.treatment ?? null,
      }
      rows.push({
        failureType,
        severity,
        answers: found?.answers ?? 0,
        ...scores,
        weakest: weakestSide(scores),
      })
    }
  }
  return rows
}

function weakestSide(scores: Record<FairnessSide, number | null>): FairnessSide | null {
  const given = FAIRNESS_SIDES.filter((side) => scores[side] !== null)
  if (given.length < 2) return null
  const sorted = [...given].sort((a, b) => scores[a]! - scores[b]!)
  return scores[sorted[0]!]! < scores[sorted[1]!]! ? sorted[0]! : null
}

/** A heat level for a 1–5 score, for the grid's cell colour (the number is always shown too). */
export function scoreLevel(score: number | null): 'none' | 'low' | 'mid' | 'good' | 'high' {
  if (score === null || !Number.isFinite(score)) return 'none'
  if (score < 2.5) return 'low'
  if (score < 3.5) return 'mid'
  if (score < 4.25) return 'good'
  return 'high'
}

/** The top of a count axis: a little headroom, never below 1 so an empty chart has a scale. */
export const countAxisMax = (max: number): number => Math.max(1, Math.ceil(max * 1.1))
