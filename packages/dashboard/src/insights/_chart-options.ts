/**
 * @module The uPlot options of the charts over days: one slot per day, the
 * day axis counted back from today, bars, and legends that say each value.
 */
import uPlot from 'uplot'
import { fill } from '../i18n'
import type { ChartOptions, ChartTheme } from './Chart'
import {
  countAxisMax,
  type DailyColumns,
  dayLabel,
  daySplits,
  FAILURE_TYPES,
  type InsightsMessages,
  longDayLabel,
  type SpendColumns,
} from './insights-data'

/** Day-axis steps (in days) uPlot may pick from; whole days only. */
const DAY_INCRS = [1, 2, 3, 7, 14, 28, 56]
const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000, 100_000]

/** Bars 72% of a day's slot, at most 40 px and at least 2 px (90 days on a phone). */
const bars = () => uPlot.paths.bars!({ size: [0.72, 40, 2], gap: 1 })

function dayAxis(theme: ChartTheme, label: string, days: string[], lang: string): uPlot.Axis {
  return {
    label,
    stroke: theme.muted,
    grid: { show: false },
    ticks: { stroke: theme.line },
    incrs: DAY_INCRS,
    space: 64,
    // Counted back from today, so the last day always has its label.
    splits: (_u, _axis, _min, _max, step) => daySplits(days.length, step),
    values: (_u, splits) =>
      splits.map((value) =>
        Number.isInteger(value) && days[value] ? dayLabel(days[value]!, lang) : '',
      ),
  }
}

/** The value axis beside the days: gridlines across the plot, its numbers by `format`. */
function valueAxis(
  theme: ChartTheme,
  label: string,
  format: (value: number) => string,
  extra: Pick<uPlot.Axis, 'incrs' | 'size'>,
): uPlot.Axis {
  return {
    label,
    stroke: theme.muted,
    grid: { stroke: theme.line, width: 1 },
    ticks: { stroke: theme.line },
    ...extra,
    values: (_u, splits) => splits.map((value) => format(value)),
  }
}

/** A series drawn as bars in one colour, its legend value by `value`. */
function barSeries(label: string, colour: string, value: uPlot.Series['value']): uPlot.Series {
  return {
    label,
    fill: colour,
    stroke: colour,
    width: 0,
    paths: bars(),
    points: { show: false },
    value,
  }
}

/**
 * What every chart over days shares: an index scale with one slot per day,
 * the day axis, a cursor that does not zoom, and the day as the legend's
 * first entry; `y`, `axis` and `series` are the chart's own.
 */
function overDays({
  theme,
  days,
  m,
  lang,
  y,
  axis,
  series,
}: {
  theme: ChartTheme
  days: string[]
  m: InsightsMessages
  lang: string
  y: uPlot.Scale.Range
  axis: uPlot.Axis
  series: uPlot.Series[]
}): ChartOptions {
  const n = days.length
  const dayAt = (index: number | null | undefined) =>
    index === null || index === undefined || !days[index] ? '—' : longDayLabel(days[index]!, lang)
  return {
    scales: {
      x: { time: false, range: () => [-0.5, Math.max(n, 1) - 0.5] },
      y: { range: y },
    },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    axes: [dayAxis(theme, m.axisDay, days, lang), axis],
    series: [{ label: m.axisDay, value: (_u, value) => dayAt(value) }, ...series],
  }
}

export function dailyChartOptions(
  columns: DailyColumns,
  m: InsightsMessages,
  lang: string,
): (theme: ChartTheme) => ChartOptions {
  const count = new Intl.NumberFormat(lang)
  return (theme) =>
    overDays({
      theme,
      days: columns.days,
      m,
      lang,
      y: (_u, _min, max) => [0, countAxisMax(max)],
      axis: valueAxis(theme, m.axisComplaints, (value) => count.format(value), {
        incrs: COUNT_INCRS,
      }),
      series: FAILURE_TYPES.map((type) =>
        // The bars are stacked; the legend shows the type's own count.
        barSeries(m.failure[type], theme[type], (_u, _value, _series, index) =>
          index === null || index === undefined
            ? '—'
            : count.format(columns.counts[type][index] ?? 0),
        ),
      ),
    })
}

export function spendChartOptions(
  columns: SpendColumns,
  currency: string,
  m: InsightsMessages,
  lang: string,
): (theme: ChartTheme) => ChartOptions {
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency })
  const axisMoney = new Intl.NumberFormat(lang, {
    style: 'currency',
    currency,
    notation: 'compact',
  })
  const moneyAt = (_u: uPlot, value: number | null | undefined) =>
    value === null || value === undefined ? '—' : money.format(value)
  return (theme) =>
    overDays({
      theme,
      days: columns.days,
      m,
      lang,
      y: () => [0, columns.max],
      axis: valueAxis(theme, fill(m.axisMoney, { currency }), (value) => axisMoney.format(value), {
        size: 60,
      }),
      series: [
        barSeries(m.spent, theme.accent, moneyAt),
        // Far above every day, the budget is a note above the chart instead (`budgetAbove`).
        ...(columns.budgetOnScale
          ? [
              {
                label: m.budget,
                stroke: theme.danger,
                width: 2,
                dash: [6, 4],
                points: { show: false },
                value: moneyAt,
              },
            ]
          : []),
      ],
    })
}
