/**
 * @module The ranked lists (top categories, top pages, root causes, the
 * complaints self-help avoided, each person's complaints) as tables with
 * bars, and the fairness grid as a heatmap.
 */
import type { ComponentChildren } from 'preact'
import { formatDuration, plural } from '../i18n'
import type { Insights as InsightsData } from '../lib/types'
import {
  barShares,
  FAIRNESS_SIDES,
  fairnessGrid,
  formatScore,
  formatShare,
  type InsightsMessages,
  scoreLevel,
} from './insights-data'

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
  lead,
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
  /** Shown under the title, before the table (a figure the list breaks down). */
  lead?: ComponentChildren
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
      {lead}
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

export function TopCategories({
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

export function TopPages({ data, m }: { data: InsightsData; m: InsightsMessages }) {
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

export function RootCauses({ data, m }: { data: InsightsData; m: InsightsMessages }) {
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

export function Fairness({
  data,
  m,
  lang,
}: {
  data: InsightsData
  m: InsightsMessages
  lang: string
}) {
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

/**
 * Complaints avoided by self-help: forms closed without sending after a
 * category's help link was opened, in all and per category (named as the
 * inbox names them).
 */
export function Avoided({
  data,
  m,
  lang,
  name,
}: {
  data: InsightsData
  m: InsightsMessages
  lang: string
  name: (id: string) => string
}) {
  // A server from before self-help sends no `avoided`: nothing was avoided that it knows of.
  const avoided = data.avoided ?? { total: 0, byCategory: [] }
  return (
    <BarList
      id="avoided-title"
      title={m.avoided}
      lead={
        <p class="avoided-total">
          <strong class="figure-value">{new Intl.NumberFormat(lang).format(avoided.total)}</strong>{' '}
          <span class="hint">{plural(m.avoidedNote, avoided.total, {}, lang)}</span>
        </p>
      }
      hint={m.avoidedHint}
      empty={m.avoidedNone}
      entries={avoided.byCategory}
      nameLabel={m.category}
      name={(entry) => name(entry.category)}
      rowKey={(entry) => entry.category}
      columns={[{ label: m.avoidedCount, num: true, cell: (entry) => entry.count }]}
    />
  )
}

/**
 * Each person's complaints among those received in the period (the people
 * who own them by their account): how many, the median time to their first
 * reply, and the share that got a remedy.
 */
export function People({
  data,
  m,
  lang,
}: {
  data: InsightsData
  m: InsightsMessages
  lang: string
}) {
  // A server from before the team sends no `people`.
  const entries = (data.people ?? []).map((person) => ({ ...person, count: person.complaints }))
  return (
    <BarList
      id="people-title"
      title={m.peopleTitle}
      hint={m.peopleHint}
      empty={m.noPeople}
      entries={entries}
      nameLabel={m.person}
      name={(entry) => entry.name}
      rowKey={(entry) => entry.id}
      columns={[
        { label: m.complaints, num: true, cell: (entry) => entry.count },
        {
          label: m.personFirstReply,
          num: true,
          cell: (entry) =>
            entry.firstResponseMedianMs === null
              ? '—'
              : formatDuration(entry.firstResponseMedianMs),
        },
        {
          label: m.personRecovered,
          num: true,
          cell: (entry) => formatShare(entry.recoveryShare, lang),
        },
      ]}
    />
  )
}
