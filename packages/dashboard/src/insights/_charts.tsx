/**
 * @module The charts over days, complaints by failure type and remedy spend
 * against the budget, each with a caption that sums it up and a table of the
 * same numbers.
 */
import type { ComponentChildren } from 'preact'
import { useMemo } from 'preact/hooks'
import { fill, plural } from '../i18n'
import { formatMoney } from '../lib/money'
import type { Insights as InsightsData } from '../lib/types'
import { dailyChartOptions, spendChartOptions } from './_chart-options'
import { Chart, type ChartProps } from './Chart'
import {
  dailyAligned,
  dailyColumns,
  dailySummary,
  FAILURE_TYPES,
  type InsightsMessages,
  longDayLabel,
  spendAligned,
  spendColumns,
} from './insights-data'

/** One row of a chart's table: the day, then its numbers. */
interface DayRow {
  day: string
  cells: ReadonlyArray<ComponentChildren>
  /** Marks a day over a limit (the spend over the budget). */
  over?: boolean
}

/**
 * A chart with its text alternatives: a caption that sums it up and, behind
 * "Show the numbers", a table of the same numbers by day.
 */
function ChartFigure({
  id,
  title,
  hint,
  note,
  chart,
  caption,
  columns,
  rows,
  m,
  lang,
}: {
  id: string
  title: string
  hint: string
  /** Said above the chart, beside it (the budget when it is off the chart's scale). */
  note?: ComponentChildren
  chart: ChartProps
  caption: ComponentChildren
  /** The table's numeric columns, after the day. */
  columns: readonly string[]
  rows: readonly DayRow[]
  m: InsightsMessages
  lang: string
}) {
  return (
    <figure class="panel chart-panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p class="hint">{hint}</p>
      {note && <p class="chart-note">{note}</p>}
      <Chart {...chart} />
      <figcaption>{caption}</figcaption>
      <details>
        <summary>{m.showTable}</summary>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{m.axisDay}</th>
                {columns.map((label) => (
                  <th scope="col" key={label} class="num">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.day} class={row.over ? 'over' : undefined}>
                  <th scope="row">{longDayLabel(row.day, lang)}</th>
                  {row.cells.map((cell, index) => (
                    <td key={columns[index]} class="num">
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}

export function DailyChart({
  data,
  m,
  lang,
}: {
  data: InsightsData
  m: InsightsMessages
  lang: string
}) {
  const columns = useMemo(() => dailyColumns(data.daily), [data])
  const aligned = useMemo(() => dailyAligned(columns), [columns])
  const options = useMemo(() => dailyChartOptions(columns, m, lang), [columns, m, lang])
  const summary = dailySummary(columns)
  return (
    <ChartFigure
      id="daily-title"
      title={m.dailyTitle}
      hint={m.dailyHint}
      chart={{ options, data: aligned }}
      caption={
        <>
          {plural(m.dailySummary, summary.total, {
            total: summary.total,
            outcome: summary.byType.outcome,
            process: summary.byType.process,
            interaction: summary.byType.interaction,
          })}{' '}
          {summary.busiest &&
            fill(m.busiest, {
              day: longDayLabel(summary.busiest.day, lang),
              count: summary.busiest.count,
            })}
        </>
      }
      columns={[...FAILURE_TYPES.map((type) => m.failure[type]), m.totalColumn]}
      rows={columns.days.map((day, index) => ({
        day,
        cells: [...FAILURE_TYPES.map((type) => columns.counts[type][index]), columns.totals[index]],
      }))}
      m={m}
      lang={lang}
    />
  )
}

export function SpendChart({
  data,
  m,
  lang,
}: {
  data: InsightsData
  m: InsightsMessages
  lang: string
}) {
  const columns = useMemo(() => spendColumns(data.spend, data.currency), [data])
  const aligned = useMemo(() => spendAligned(columns), [columns])
  const options = useMemo(
    () => spendChartOptions(columns, data.currency, m, lang),
    [columns, data.currency, m, lang],
  )
  const money = (minor: number) => formatMoney(minor, data.currency)
  const budget = data.spend.budgetPerDay
  return (
    <ChartFigure
      id="spend-title"
      title={m.spendTitle}
      hint={m.spendHint}
      note={
        !columns.budgetOnScale && (
          <span class="budget-note">{fill(m.budgetAbove, { budget: money(budget) })}</span>
        )
      }
      chart={{ options, data: aligned, height: 200 }}
      caption={plural(m.spendSummary, columns.overBudget.length, {
        total: money(data.spend.total),
        budget: money(budget),
        over: columns.overBudget.length,
      })}
      columns={[m.spent, m.budget]}
      rows={data.spend.daily.map((entry) => ({
        day: entry.day,
        cells: [money(entry.spent), money(budget)],
        over: entry.spent > budget,
      }))}
      m={m}
      lang={lang}
    />
  )
}
