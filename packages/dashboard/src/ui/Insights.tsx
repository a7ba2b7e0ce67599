/**
 * @module Insights, the learning loop: complaints over time by failure type,
 * top categories and pages, time to respond and to recover, satisfaction
 * after recovery, repeat failures, root causes, the fairness grid, remedy
 * spend against the daily budget and spike alerts, over 7, 30 or 90 days.
 * Every chart has its numbers beside it as text and as a table.
 */
import { signal, useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import uPlot from 'uplot'
import { AdminApiError } from '../api'
import { fill, formatDuration, formatMoney, locale, type Messages, messages } from '../i18n'
import { api } from '../state'
import type { Insights as InsightsData } from '../types'
import { Chart, type ChartOptions, type ChartTheme } from './Chart'
import {
  barShares,
  countAxisMax,
  type DailyColumns,
  dailyAligned,
  dailyColumns,
  dailySummary,
  dayLabel,
  FAILURE_TYPES,
  FAIRNESS_SIDES,
  fairnessGrid,
  formatScore,
  formatShare,
  longDayLabel,
  periodLabel,
  type SpendColumns,
  scoreLevel,
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
  const labels = useSignal<Record<string, string>>({})
  const client = api.value
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
          message:
            error instanceof AdminApiError && error.code !== 'network'
              ? error.message
              : messages.value.common.networkError,
        }
      })
      .finally(() => {
        if (!controller.signal.aborted) busy.value = false
      })
    return () => controller.abort()
  }, [client, days, attempt.value])

  // Category labels are the owner's words; the insights only carry ids.
  useEffect(() => {
    client
      ?.site()
      .then((site) => {
        labels.value = Object.fromEntries(
          site.categories.filter((c) => c.label).map((c) => [c.id, c.label!]),
        )
      })
      .catch(() => {})
  }, [client])

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
        <InsightsBody data={current.data} labels={labels.value} m={m} lang={lang} />
      )}
    </section>
  )
}

function InsightsBody({
  data,
  labels,
  m,
  lang,
}: {
  data: InsightsData
  labels: Record<string, string>
  m: InsightsMessages
  lang: string
}) {
  const categoryName = (id: string) => labels[id] ?? id
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
  const tiles: Array<{ label: string; value: string; note: string }> = [
    {
      label: m.total,
      value: new Intl.NumberFormat(lang).format(data.total),
      note: fill(m.totalNote, { days: data.days }),
    },
    {
      label: m.firstResponse,
      value: duration(data.timeToFirstResponse.medianMs),
      note: fill(m.firstResponseNote, { count: data.timeToFirstResponse.count }),
    },
    {
      label: m.recovery,
      value: duration(data.timeToRecovery.medianMs),
      note: fill(m.recoveryNote, { count: data.timeToRecovery.count }),
    },
    {
      label: m.onTheSpot,
      value: formatShare(data.recoveredOnTheSpot.share, lang),
      note: fill(m.onTheSpotNote, { count: data.recoveredOnTheSpot.count }),
    },
    {
      label: m.satisfied,
      value: formatShare(data.satisfaction.satisfiedShare, lang),
      note: fill(m.satisfiedNote, { answers: data.satisfaction.answers }),
    },
    {
      label: m.madeItRight,
      value: formatShare(data.satisfaction.madeItRightShare, lang),
      note: fill(m.madeItRightNote, { answers: data.satisfaction.answers }),
    },
    {
      label: m.repeat,
      value: new Intl.NumberFormat(lang).format(data.repeatFailures.customers),
      note: fill(m.repeatNote, { complaints: data.repeatFailures.complaints }),
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

const bars = () => uPlot.paths.bars!({ size: [0.72, 40], gap: 1 })

function dayAxis(theme: ChartTheme, label: string, days: string[], lang: string): uPlot.Axis {
  return {
    label,
    stroke: theme.muted,
    grid: { show: false },
    ticks: { stroke: theme.line },
    incrs: DAY_INCRS,
    space: 64,
    values: (_u, splits) =>
      splits.map((value) =>
        Number.isInteger(value) && days[value] ? dayLabel(days[value]!, lang) : '',
      ),
  }
}

export function dailyChartOptions(
  columns: DailyColumns,
  m: InsightsMessages,
  lang: string,
): (theme: ChartTheme) => ChartOptions {
  const count = new Intl.NumberFormat(lang)
  const n = columns.days.length
  const dayAt = (index: number | null | undefined) =>
    index === null || index === undefined || !columns.days[index]
      ? '—'
      : longDayLabel(columns.days[index]!, lang)
  return (theme) => ({
    scales: {
      x: { time: false, range: () => [-0.5, Math.max(n, 1) - 0.5] },
      y: { range: (_u, _min, max) => [0, countAxisMax(max)] },
    },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    axes: [
      dayAxis(theme, m.axisDay, columns.days, lang),
      {
        label: m.axisComplaints,
        stroke: theme.muted,
        grid: { stroke: theme.line, width: 1 },
        ticks: { stroke: theme.line },
        incrs: COUNT_INCRS,
        values: (_u, splits) => splits.map((value) => count.format(value)),
      },
    ],
    series: [
      { label: m.axisDay, value: (_u, value) => dayAt(value) },
      ...FAILURE_TYPES.map(
        (type): uPlot.Series => ({
          label: m.failure[type],
          fill: theme[type],
          stroke: theme[type],
          width: 0,
          paths: bars(),
          points: { show: false },
          // The bars are stacked; the legend shows the type's own count.
          value: (_u, _value, _series, index) =>
            index === null || index === undefined
              ? '—'
              : count.format(columns.counts[type][index] ?? 0),
        }),
      ),
    ],
  })
}

function DailyChart({ data, m, lang }: { data: InsightsData; m: InsightsMessages; lang: string }) {
  const columns = useMemo(() => dailyColumns(data.daily), [data])
  const aligned = useMemo(() => dailyAligned(columns), [columns])
  const options = useMemo(() => dailyChartOptions(columns, m, lang), [columns, m, lang])
  const summary = dailySummary(columns)
  return (
    <figure class="panel chart-panel" aria-labelledby="daily-title">
      <h2 id="daily-title">{m.dailyTitle}</h2>
      <p class="hint">{m.dailyHint}</p>
      <Chart options={options} data={aligned} />
      <figcaption>
        {fill(m.dailySummary, {
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
      </figcaption>
      <details>
        <summary>{m.showTable}</summary>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{m.dailyTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{m.axisDay}</th>
                {FAILURE_TYPES.map((type) => (
                  <th scope="col" key={type} class="num">
                    {m.failure[type]}
                  </th>
                ))}
                <th scope="col" class="num">
                  {m.totalColumn}
                </th>
              </tr>
            </thead>
            <tbody>
              {columns.days.map((day, index) => (
                <tr key={day}>
                  <th scope="row">{longDayLabel(day, lang)}</th>
                  {FAILURE_TYPES.map((type) => (
                    <td key={type} class="num">
                      {columns.counts[type][index]}
                    </td>
                  ))}
                  <td class="num">{columns.totals[index]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}

function Bar({ share }: { share: number }) {
  // A custom property set through the CSSOM: allowed by the CSP (no inline style attribute).
  return <span class="bar" style={{ '--share': `${share}%` }} aria-hidden="true" />
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
  const shares = barShares(data.topCategories)
  return (
    <section class="panel" aria-labelledby="top-categories">
      <h2 id="top-categories">{m.topCategories}</h2>
      <div class="table-wrap">
        <table class="bars">
          <thead>
            <tr>
              <th scope="col">{m.category}</th>
              <th scope="col">{m.failureType}</th>
              <th scope="col" class="num">
                {m.complaints}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.topCategories.map((entry, index) => (
              <tr key={entry.category}>
                <th scope="row">
                  {name(entry.category)}
                  <Bar share={shares[index] ?? 0} />
                </th>
                <td>
                  <span class={`chip ${entry.failureType}`}>{m.failure[entry.failureType]}</span>
                </td>
                <td class="num">{entry.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function TopPages({ data, m }: { data: InsightsData; m: InsightsMessages }) {
  const shares = barShares(data.topPages)
  return (
    <section class="panel" aria-labelledby="top-pages">
      <h2 id="top-pages">{m.topPages}</h2>
      {data.topPages.length === 0 ? (
        <p class="hint">{m.noPages}</p>
      ) : (
        <div class="table-wrap">
          <table class="bars">
            <thead>
              <tr>
                <th scope="col">{m.page}</th>
                <th scope="col" class="num">
                  {m.complaints}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.topPages.map((entry, index) => (
                <tr key={entry.page}>
                  <th scope="row" class="page-url">
                    {entry.page}
                    <Bar share={shares[index] ?? 0} />
                  </th>
                  <td class="num">{entry.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
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

function RootCauses({ data, m }: { data: InsightsData; m: InsightsMessages }) {
  const shares = barShares(data.rootCauses)
  return (
    <section class="panel" aria-labelledby="causes-title">
      <h2 id="causes-title">{m.causesTitle}</h2>
      <p class="hint">{m.causesHint}</p>
      {data.rootCauses.length === 0 ? (
        <p class="hint">{m.noCauses}</p>
      ) : (
        <div class="table-wrap">
          <table class="bars">
            <thead>
              <tr>
                <th scope="col">{m.cause}</th>
                <th scope="col" class="num">
                  {m.complaints}
                </th>
                <th scope="col" class="num">
                  {m.recurring}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rootCauses.map((entry, index) => (
                <tr key={entry.cause}>
                  <th scope="row">
                    {m.causeName[entry.cause] ?? entry.cause}
                    <Bar share={shares[index] ?? 0} />
                  </th>
                  <td class="num">{entry.count}</td>
                  <td class="num">{entry.recurring}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export function spendChartOptions(
  columns: SpendColumns,
  currency: string,
  m: InsightsMessages,
  lang: string,
): (theme: ChartTheme) => ChartOptions {
  const n = columns.days.length
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency })
  const axisMoney = new Intl.NumberFormat(lang, {
    style: 'currency',
    currency,
    notation: 'compact',
  })
  const dayAt = (index: number | null | undefined) =>
    index === null || index === undefined || !columns.days[index]
      ? '—'
      : longDayLabel(columns.days[index]!, lang)
  const moneyAt = (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : money.format(value)
  return (theme) => ({
    scales: {
      x: { time: false, range: () => [-0.5, Math.max(n, 1) - 0.5] },
      y: { range: () => [0, columns.max > 0 ? columns.max * 1.15 : 1] },
    },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    axes: [
      dayAxis(theme, m.axisDay, columns.days, lang),
      {
        label: fill(m.axisMoney, { currency }),
        stroke: theme.muted,
        grid: { stroke: theme.line, width: 1 },
        ticks: { stroke: theme.line },
        size: 60,
        values: (_u, splits) => splits.map((value) => axisMoney.format(value)),
      },
    ],
    series: [
      { label: m.axisDay, value: (_u, value) => dayAt(value) },
      {
        label: m.spent,
        fill: theme.accent,
        stroke: theme.accent,
        width: 0,
        paths: bars(),
        points: { show: false },
        value: (_u, value) => moneyAt(value),
      },
      {
        label: m.budget,
        stroke: theme.danger,
        width: 2,
        dash: [6, 4],
        points: { show: false },
        value: (_u, value) => moneyAt(value),
      },
    ],
  })
}

function SpendChart({ data, m, lang }: { data: InsightsData; m: InsightsMessages; lang: string }) {
  const columns = useMemo(() => spendColumns(data.spend, data.currency), [data])
  const aligned = useMemo(
    (): uPlot.AlignedData => [columns.x, columns.spent, columns.budget],
    [columns],
  )
  const options = useMemo(
    () => spendChartOptions(columns, data.currency, m, lang),
    [columns, data.currency, m, lang],
  )
  const money = (minor: number) => formatMoney(minor, data.currency)
  return (
    <figure class="panel chart-panel" aria-labelledby="spend-title">
      <h2 id="spend-title">{m.spendTitle}</h2>
      <p class="hint">{m.spendHint}</p>
      <Chart options={options} data={aligned} height={200} />
      <figcaption>
        {fill(m.spendSummary, {
          total: money(data.spend.total),
          budget: money(data.spend.budgetPerDay),
          over: columns.overBudget.length,
        })}
      </figcaption>
      <details>
        <summary>{m.showTable}</summary>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{m.spendTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{m.axisDay}</th>
                <th scope="col" class="num">
                  {m.spent}
                </th>
                <th scope="col" class="num">
                  {m.budget}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.spend.daily.map((entry) => (
                <tr
                  key={entry.day}
                  class={entry.spent > data.spend.budgetPerDay ? 'over' : undefined}
                >
                  <th scope="row">{longDayLabel(entry.day, lang)}</th>
                  <td class="num">{money(entry.spent)}</td>
                  <td class="num">{money(data.spend.budgetPerDay)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
