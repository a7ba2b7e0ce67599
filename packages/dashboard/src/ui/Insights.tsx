/**
 * @module Insights, the learning loop: complaints over time by failure type,
 * top categories and pages, time to respond and to recover, satisfaction
 * after recovery, repeat failures, root causes, the fairness grid, remedy
 * spend against the daily budget and spike alerts, over 7, 30 or 90 days.
 * Every chart has its numbers beside it as text and as a table.
 */
import { signal, useSignal } from '@preact/signals'
import type { ComponentChildren } from 'preact'
import { useEffect, useMemo } from 'preact/hooks'
import uPlot from 'uplot'
import { fill, formatDuration, formatMoney, locale, type Messages, messages, plural } from '../i18n'
import { api } from '../state'
import type { Insights as InsightsData } from '../types'
import { categoryLabel, failureText, siteOf } from './_common'
import { Chart, type ChartOptions, type ChartProps, type ChartTheme } from './Chart'
import {
  barShares,
  countAxisMax,
  type DailyColumns,
  dailyAligned,
  dailyColumns,
  dailySummary,
  dayLabel,
  daySplits,
  FAILURE_TYPES,
  FAIRNESS_SIDES,
  fairnessGrid,
  formatScore,
  formatShare,
  longDayLabel,
  periodLabel,
  type SpendColumns,
  scoreLevel,
  spendAligned,
  spendColumns,
} from './insights-data'
import './insights.css'

type InsightsMessages = Messages['insights']

export const RANGES = [7, 30, 90] as const
export type Range = (typeof RANGES)[number]

/** The chosen range, kept while the owner moves between views. */
export const range = signal<Range>(30)

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; data: InsightsData }

export function Insights() {
  const m = messages.value.insights
  const lang = locale.value
  const load = useSignal<Load>({ status: 'loading' })
  const busy = useSignal(false)
  const attempt = useSignal(0)
  const client = api.value
  // The site's categories name them as the inbox does (its labels, else the built-in names).
  const site = client ? siteOf(client).value : null
  const days = range.value

  useEffect(() => {
    if (!client) return
    const controller = new AbortController()
    busy.value = true
    client
      .insights(days, controller.signal)
      .then((data) => {
        load.value = { status: 'ready', data }
      })
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return
        load.value = {
          status: 'error',
          message: failureText(error),
        }
      })
      .finally(() => {
        if (!controller.signal.aborted) busy.value = false
      })
    return () => controller.abort()
  }, [client, days, attempt.value])

  const current = load.value
  return (
    <section class="insights" aria-labelledby="insights-title" aria-busy={busy.value}>
      <header class="view-head">
        <div>
          <h1 id="insights-title">{m.title}</h1>
          {current.status === 'ready' && (
            <p class="hint">
              {fill(m.period, {
                period: periodLabel(current.data.from, current.data.to, lang),
              })}
            </p>
          )}
        </div>
        <fieldset class="range">
          <legend class="visually-hidden">{m.range}</legend>
          {RANGES.map((value) => (
            <label key={value} class={value === days ? 'selected' : undefined}>
              <input
                type="radio"
                name="insights-range"
                value={value}
                checked={value === days}
                onChange={() => {
                  range.value = value
                }}
              />
              {fill(m.days, { days: value })}
            </label>
          ))}
        </fieldset>
      </header>
      {current.status === 'loading' && <p role="status">{messages.value.common.loading}</p>}
      {current.status === 'error' && (
        <div class="panel" role="alert">
          <p class="error">{current.message}</p>
          <button
            type="button"
            onClick={() => {
              load.value = { status: 'loading' }
              attempt.value++
            }}
          >
            {messages.value.common.retry}
          </button>
        </div>
      )}
      {current.status === 'ready' && (
        <InsightsBody
          data={current.data}
          categoryName={(id) => categoryLabel(site, id)}
          m={m}
          lang={lang}
        />
      )}
    </section>
  )
}

function InsightsBody({
  data,
  categoryName,
  m,
  lang,
}: {
  data: InsightsData
  /** A category id as the owner reads it, the same as in the inbox. */
  categoryName: (id: string) => string
  m: InsightsMessages
  lang: string
}) {
  return (
    <>
      {data.spikes.length > 0 && (
        <div class="banner warn" role="status">
          <strong>{m.spikeTitle}</strong>
          <ul>
            {data.spikes.map((spike) => (
              <li key={`${spike.category}-${spike.day}`}>
                {fill(m.spike, {
                  category: categoryName(spike.category),
                  count: spike.count,
                  day: longDayLabel(spike.day, lang),
                  median: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(
                    spike.median14,
                  ),
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {data.total === 0 ? (
        <div class="panel empty">
          <p>
            <strong>{m.empty}</strong>
          </p>
          <p class="hint">{m.emptyHint}</p>
        </div>
      ) : (
        <>
          <Figures data={data} m={m} lang={lang} />
          <DailyChart data={data} m={m} lang={lang} />
          <div class="insights-pair">
            <TopCategories data={data} m={m} name={categoryName} />
            <TopPages data={data} m={m} />
          </div>
          <Fairness data={data} m={m} lang={lang} />
          <RootCauses data={data} m={m} />
          <SpendChart data={data} m={m} lang={lang} />
        </>
      )}
    </>
  )
}

function Figures({ data, m, lang }: { data: InsightsData; m: InsightsMessages; lang: string }) {
  const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms))
  const { timeToFirstResponse, timeToRecovery, recoveredOnTheSpot, satisfaction } = data
  const { answers } = satisfaction
  const tiles: Array<{ label: string; value: string; note: string }> = [
    {
      label: m.total,
      value: new Intl.NumberFormat(lang).format(data.total),
      note: fill(m.totalNote, { days: data.days }),
    },
    {
      label: m.firstResponse,
      value: duration(timeToFirstResponse.medianMs),
      note: plural(m.firstResponseNote, timeToFirstResponse.count, {
        count: timeToFirstResponse.count,
      }),
    },
    {
      label: m.recovery,
      value: duration(timeToRecovery.medianMs),
      note: plural(m.recoveryNote, timeToRecovery.count, { count: timeToRecovery.count }),
    },
    {
      label: m.onTheSpot,
      value: formatShare(recoveredOnTheSpot.share, lang),
      note: plural(m.onTheSpotNote, recoveredOnTheSpot.count, { count: recoveredOnTheSpot.count }),
    },
    {
      label: m.satisfied,
      value: formatShare(satisfaction.satisfiedShare, lang),
      note: plural(m.satisfiedNote, answers, { answers }),
    },
    {
      label: m.madeItRight,
      value: formatShare(satisfaction.madeItRightShare, lang),
      note: plural(m.madeItRightNote, answers, { answers }),
    },
    {
      label: m.repeat,
      value: new Intl.NumberFormat(lang).format(data.repeatFailures.customers),
      note: plural(m.repeatNote, data.repeatFailures.complaints, {
        complaints: data.repeatFailures.complaints,
      }),
    },
  ]
  return (
    <dl class="figures">
      {tiles.map((tile) => (
        <div class="panel figure" key={tile.label}>
          <dt>{tile.label}</dt>
          <dd class="figure-value">{tile.value}</dd>
          <dd class="hint">{tile.note}</dd>
        </div>
      ))}
    </dl>
  )
}

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

function DailyChart({ data, m, lang }: { data: InsightsData; m: InsightsMessages; lang: string }) {
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

function SpendChart({ data, m, lang }: { data: InsightsData; m: InsightsMessages; lang: string }) {
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

function Bar({ share }: { share: number }) {
  // A custom property set through the CSSOM: allowed by the CSP (no inline style attribute).
  return <span class="bar" style={{ '--share': `${share}%` }} aria-hidden="true" />
}

/** A column of a bar list after the named one. */
interface BarColumn<T> {
  label: string
  /** Right-aligned, for numbers. */
  num?: boolean
  cell: (entry: T) => ComponentChildren
}

/**
 * A ranked list as a table: each row names an entry, with a bar as long as
 * its share of the largest count, then its other columns. With `empty`, a
 * list with no entries shows that text instead of an empty table.
 */
function BarList<T extends { count: number }>({
  id,
  title,
  hint,
  empty,
  entries,
  nameLabel,
  nameClass,
  name,
  rowKey,
  columns,
}: {
  id: string
  title: string
  hint?: string
  empty?: string
  entries: readonly T[]
  nameLabel: string
  nameClass?: string
  name: (entry: T) => string
  rowKey: (entry: T) => string
  columns: ReadonlyArray<BarColumn<T>>
}) {
  const shares = barShares(entries)
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {hint !== undefined && <p class="hint">{hint}</p>}
      {empty !== undefined && entries.length === 0 ? (
        <p class="hint">{empty}</p>
      ) : (
        <div class="table-wrap">
          <table class="bars">
            <thead>
              <tr>
                <th scope="col">{nameLabel}</th>
                {columns.map((column) => (
                  <th scope="col" key={column.label} class={column.num ? 'num' : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry, index) => (
                <tr key={rowKey(entry)}>
                  <th scope="row" class={nameClass}>
                    {name(entry)}
                    <Bar share={shares[index] ?? 0} />
                  </th>
                  {columns.map((column) => (
                    <td key={column.label} class={column.num ? 'num' : undefined}>
                      {column.cell(entry)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function TopCategories({
  data,
  m,
  name,
}: {
  data: InsightsData
  m: InsightsMessages
  name: (id: string) => string
}) {
  return (
    <BarList
      id="top-categories"
      title={m.topCategories}
      entries={data.topCategories}
      nameLabel={m.category}
      name={(entry) => name(entry.category)}
      rowKey={(entry) => entry.category}
      columns={[
        {
          label: m.failureType,
          cell: (entry) => (
            <span class={`chip ${entry.failureType}`}>{m.failure[entry.failureType]}</span>
          ),
        },
        { label: m.complaints, num: true, cell: (entry) => entry.count },
      ]}
    />
  )
}

function TopPages({ data, m }: { data: InsightsData; m: InsightsMessages }) {
  return (
    <BarList
      id="top-pages"
      title={m.topPages}
      empty={m.noPages}
      entries={data.topPages}
      nameLabel={m.page}
      nameClass="page-url"
      name={(entry) => entry.page}
      rowKey={(entry) => entry.page}
      columns={[{ label: m.complaints, num: true, cell: (entry) => entry.count }]}
    />
  )
}

function RootCauses({ data, m }: { data: InsightsData; m: InsightsMessages }) {
  return (
    <BarList
      id="causes-title"
      title={m.causesTitle}
      hint={m.causesHint}
      empty={m.noCauses}
      entries={data.rootCauses}
      nameLabel={m.cause}
      name={(entry) => m.causeName[entry.cause] ?? entry.cause}
      rowKey={(entry) => entry.cause}
      columns={[
        { label: m.complaints, num: true, cell: (entry) => entry.count },
        { label: m.recurring, num: true, cell: (entry) => entry.recurring },
      ]}
    />
  )
}

function Fairness({ data, m, lang }: { data: InsightsData; m: InsightsMessages; lang: string }) {
  const rows = fairnessGrid(data.fairness)
  const answered = rows.some((row) => row.answers > 0)
  return (
    <section class="panel" aria-labelledby="fairness-title">
      <h2 id="fairness-title">{m.fairnessTitle}</h2>
      <p class="hint">{m.fairnessHint}</p>
      {!answered ? (
        <p class="hint">{m.noFairness}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="heatmap">
              <thead>
                <tr>
                  <th scope="col">{m.failureType}</th>
                  <th scope="col">{m.severity}</th>
                  {FAIRNESS_SIDES.map((side) => (
                    <th scope="col" key={side} class="num">
                      {m.side[side]}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    {m.answers}
                  </th>
                  <th scope="col">{m.weakest}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.failureType}-${row.severity}`}>
                    <th scope="row">
                      <span class={`chip ${row.failureType}`}>{m.failure[row.failureType]}</span>
                    </th>
                    <td>{m.severityName[row.severity]}</td>
                    {FAIRNESS_SIDES.map((side) => (
                      <td key={side} class={`num heat ${scoreLevel(row[side])}`}>
                        {formatScore(row[side], lang)}
                      </td>
                    ))}
                    <td class="num">{row.answers}</td>
                    <td>{row.weakest ? m.side[row.weakest] : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="guidance">{m.fairnessGuidance}</p>
        </>
      )}
    </section>
  )
}
