/**
 * @module Insights, the learning loop: complaints over time by failure type,
 * top categories and pages, time to respond and to recover, satisfaction
 * after recovery, repeat failures, root causes, the fairness grid, remedy
 * spend against the daily budget, spike alerts, the complaints self-help
 * avoided and each person's complaints, over 7, 30 or 90 days.
 * Every chart has its numbers beside it as text and as a table.
 */
import { signal, useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { fill, formatDuration, locale, messages, plural } from '../i18n'
import { failureText } from '../lib/errors'
import { categoryLabel, siteOf } from '../lib/site'
import { api } from '../lib/state'
import type { Insights as InsightsData } from '../lib/types'
import { DailyChart, SpendChart } from './_charts'
import { Avoided, Fairness, People, RootCauses, TopCategories, TopPages } from './_tables'
import { formatShare, type InsightsMessages, longDayLabel, periodLabel } from './insights-data'
import './insights.css'

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
        <>
          <div class="panel empty">
            <p>
              <strong>{m.empty}</strong>
            </p>
            <p class="hint">{m.emptyHint}</p>
          </div>
          {/* Every form closed after its help: no complaint, and still worth showing. */}
          {(data.avoided?.total ?? 0) > 0 && (
            <Avoided data={data} m={m} lang={lang} name={categoryName} />
          )}
        </>
      ) : (
        <>
          <Figures data={data} m={m} lang={lang} />
          <DailyChart data={data} m={m} lang={lang} />
          <div class="insights-pair">
            <TopCategories data={data} m={m} name={categoryName} />
            <TopPages data={data} m={m} />
          </div>
          <Avoided data={data} m={m} lang={lang} name={categoryName} />
          <People data={data} m={m} lang={lang} />
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
