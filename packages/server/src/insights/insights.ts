/**
 * @module The owner's insights (`GET /v1/admin/insights`): what failed, where,
 * how fast it was put right, whether customers found it fair, what it cost and
 * what is spiking today. Every figure is an SQL aggregate over one site's rows
 * (bound parameters only); JavaScript only maps categories to failure types
 * (the site's effective policy decides them), zero-fills days and ranks.
 *
 * Days are UTC days whatever the session's time zone: timestamps are bucketed
 * with `to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD')` and ranges are compared
 * as instants, so PGlite and PostgreSQL give the same answers.
 */
import { FAILURE_TYPES, type FailureType, SEVERITIES, type Severity } from '@redress/protocol'
import type { FairnessGroup, Insights, RootCause } from '@redress/protocol/admin'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Site, Tables } from '../db/schema'
import { effectivePolicy, failureTypeOf } from '../recovery'

/** A remedy given this soon after receipt counts as recovered on the spot (the same session). */
export const ON_THE_SPOT_MS = 30 * 60_000
/** Two complaints of one customer this close count as a repeat failure (de Matos et al. 2007). */
export const REPEAT_WINDOW_DAYS = 30
/** Today's count of a category alarms above `factor` × the median of the `baselineDays` before, from `minCount`. */
export const SPIKE = { baselineDays: 14, factor: 3, minCount: 3 } as const
/** How many categories and pages are ranked. */
export const TOP = 10

const DAY_MS = 86_400_000
/** Recovery kinds that are not a remedy the customer was given. */
const NOT_REMEDIES = ['apology', 'escalation']

/** `YYYY-MM-DD` of an instant, in UTC. */
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10)
/** Midnight UTC of the day `time` falls on. */
const startOfUtcDay = (time: number) => Math.floor(time / DAY_MS) * DAY_MS
/** Every UTC day from `start` (midnight) for `count` days, oldest first. */
const daysFrom = (start: number, count: number) =>
  Array.from({ length: count }, (_, index) => utcDay(start + index * DAY_MS))

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null)
const mean = (sum: number, count: number) => (count > 0 ? sum / count : null)
const byCountThen =
  <T extends { count: number }>(key: (item: T) => string) =>
  (a: T, b: T) =>
    b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)

/**
 * The median of numbers (the mean of the middle two for an even count).
 *
 * @example
 * median([3, 1, 2]) // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/**
 * A page URL as ranked: origin and path, without query or fragment. The SQL
 * has cut `?…` and `#…` already; this also lowercases the scheme and host and
 * drops default ports. Text that is not an http(s) URL is kept as it is.
 *
 * @example
 * pageKey('HTTPS://Shop.Example:443/mug') // 'https://shop.example/mug'
 */
export function pageKey(text: string): string {
  try {
    const url = new URL(text)
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin + url.pathname
  } catch {}
  return text
}

/** A UTC day as SQL text: `YYYY-MM-DD`, whatever the session's time zone. */
const dayOf = (column: RawBuilder<unknown>) =>
  sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`

/** When a ledger row's remedy was given: approval time for approved rows, else creation. */
const givenAt = sql`(CASE WHEN r.status = 'approved' THEN coalesce(r.decided_at, r.created_at) ELSE r.created_at END)`

/**
 * The site's insights over the `days` UTC days ending with the day of `now`
 * (which is also "today" for spikes). Runs in one read-only, repeatable-read
 * transaction, so the figures agree with each other.
 *
 * @example
 * const figures = await computeInsights(db, site, { days: 30, now: new Date() })
 */
export async function computeInsights(
  db: Kysely<Tables>,
  site: Site,
  options: { days: number; now: Date },
): Promise<Insights> {
  const { days } = options
  const policy = effectivePolicy(site)
  const today = startOfUtcDay(options.now.getTime())
  const start = new Date(today - (days - 1) * DAY_MS)
  const end = new Date(today + DAY_MS)
  const baselineStart = new Date(today - SPIKE.baselineDays * DAY_MS)
  const siteId = site.id
  /** The site's complaints received in the range, as `c`. */
  const inRange = sql`c.site_id = ${siteId} AND c.received_at >= ${start} AND c.received_at < ${end}`

  const queries = (trx: Kysely<Tables>) =>
    Promise.all([
      // Per day and category: the daily chart, the total and the top categories.
      sql<{ day: string; category: string; count: number }>`
        SELECT ${dayOf(sql.ref('c.received_at'))} AS day, c.category, count(*)::int AS count
        FROM complaints c WHERE ${inRange}
        GROUP BY 1, 2`.execute(trx),
      // Page URLs without query or fragment.
      sql<{ page: string; count: number }>`
        SELECT split_part(split_part(c.body->'page'->>'url', '#', 1), '?', 1) AS page,
          count(*)::int AS count
        FROM complaints c
        WHERE ${inRange} AND coalesce(c.body->'page'->>'url', '') <> ''
        GROUP BY 1`.execute(trx),
      // Receipt → the owner's first reply.
      sql<{ count: number; median: number | null }>`
        SELECT count(*)::int AS count,
          percentile_cont(0.5) WITHIN GROUP (
            ORDER BY (extract(epoch FROM c.first_reply_at - c.received_at) * 1000)::float8
          ) AS median
        FROM complaints c WHERE ${inRange} AND c.first_reply_at IS NOT NULL`.execute(trx),
      // Receipt → the first remedy given; and how many within ON_THE_SPOT_MS.
      sql<{ count: number; median: number | null; spot: number }>`
        WITH firsts AS (
          SELECT c.id, extract(epoch FROM min(${givenAt}) - c.received_at) * 1000 AS ms
          FROM complaints c JOIN recoveries r ON r.complaint_id = c.id
          WHERE ${inRange} AND r.site_id = ${siteId}
            AND r.status IN ('issued', 'approved')
            AND r.kind NOT IN (${sql.join(NOT_REMEDIES)})
          GROUP BY c.id, c.received_at
        )
        SELECT count(*)::int AS count,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY ms::float8) AS median,
          (count(*) FILTER (WHERE ms <= ${ON_THE_SPOT_MS}::numeric))::int AS spot
        FROM firsts`.execute(trx),
      // Follow-up answers about the range's complaints.
      sql<{ answers: number; satisfied: number; resolved: number }>`
        SELECT count(*)::int AS answers,
          (count(*) FILTER (WHERE f.score >= 4))::int AS satisfied,
          (count(*) FILTER (WHERE f.resolved))::int AS resolved
        FROM follow_ups f JOIN complaints c ON c.id = f.complaint_id
        WHERE ${inRange}`.execute(trx),
      // Complaints with another of the same customer within REPEAT_WINDOW_DAYS, both in the range.
      sql<{ customers: number; complaints: number }>`
        WITH ordered AS (
          SELECT c.customer_id, c.received_at,
            lag(c.received_at) OVER w AS previous, lead(c.received_at) OVER w AS next
          FROM complaints c
          WHERE ${inRange} AND c.customer_id IS NOT NULL
          WINDOW w AS (PARTITION BY c.customer_id ORDER BY c.received_at, c.id)
        )
        SELECT count(DISTINCT customer_id)::int AS customers, count(*)::int AS complaints
        FROM ordered
        WHERE received_at - previous <= make_interval(days => ${REPEAT_WINDOW_DAYS}::int)
          OR next - received_at <= make_interval(days => ${REPEAT_WINDOW_DAYS}::int)`.execute(trx),
      // Root causes, and in how many categories each occurred more than once.
      sql<{ cause: RootCause; count: number; recurring: number }>`
        SELECT cause, sum(n)::int AS count, (count(*) FILTER (WHERE n > 1))::int AS recurring
        FROM (
          SELECT c.root_cause AS cause, c.category, count(*) AS n
          FROM complaints c WHERE ${inRange} AND c.root_cause IS NOT NULL
          GROUP BY 1, 2
        ) per_category
        GROUP BY cause
        ORDER BY count DESC, cause`.execute(trx),
      // Fairness sums and counts per category and severity (merged per failure type below).
      fairnessQuery(trx, inRange),
      // Money given per day: issued rows on creation, approved ones on approval. A coupon
      // shared by complaints about one incident is given once: rows reusing it do not count.
      sql<{ day: string; spent: string }>`
        SELECT ${dayOf(sql`given_at`)} AS day, sum(value)::text AS spent
        FROM (
          SELECT ${givenAt} AS given_at, r.value FROM recoveries r
          WHERE r.site_id = ${siteId} AND r.reused_from IS NULL
            AND ((r.status = 'issued' AND r.created_at >= ${start} AND r.created_at < ${end})
              OR (r.status = 'approved' AND coalesce(r.decided_at, r.created_at) >= ${start}
                AND coalesce(r.decided_at, r.created_at) < ${end}))
        ) given
        GROUP BY 1`.execute(trx),
      // Per category and day over today and the baseline days before it.
      sql<{ day: string; category: string; count: number }>`
        SELECT ${dayOf(sql.ref('c.received_at'))} AS day, c.category, count(*)::int AS count
        FROM complaints c
        WHERE c.site_id = ${siteId} AND c.received_at >= ${baselineStart} AND c.received_at < ${end}
        GROUP BY 1, 2`.execute(trx),
      // Per person who owns complaints of the range.
      sql<{
        id: string
        name: string
        complaints: number
        median: number | null
        recovered: number
      }>`
        SELECT u.id, u.name, count(*)::int AS complaints,
          percentile_cont(0.5) WITHIN GROUP (
            ORDER BY (extract(epoch FROM c.first_reply_at - c.received_at) * 1000)::float8
          ) FILTER (WHERE c.first_reply_at IS NOT NULL) AS median,
          count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM recoveries r WHERE r.complaint_id = c.id
              AND r.status IN ('issued', 'approved') AND r.kind NOT IN (${sql.join(NOT_REMEDIES)})
          ))::int AS recovered
        FROM complaints c JOIN users u ON u.id = c.assignee_id
        WHERE ${inRange}
        GROUP BY u.id, u.name
        ORDER BY complaints DESC, u.name`.execute(trx),
      // Forms closed after a help link: once per client, category and day.
      sql<{ category: string; count: number }>`
        SELECT d.category, count(*)::int AS count
        FROM help_deflections d
        WHERE d.site_id = ${siteId} AND d.day >= ${utcDay(start.getTime())}::date
          AND d.day < ${utcDay(end.getTime())}::date
        GROUP BY 1
        ORDER BY count DESC, category`.execute(trx),
    ])

  const [
    perDay,
    pages,
    firstReply,
    recovery,
    answers,
    repeats,
    causes,
    fairness,
    spent,
    recent,
    perPerson,
    deflected,
  ] = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(queries)

  // Daily chart per failure type, total, top categories.
  const dayList = daysFrom(start.getTime(), days)
  const daily = new Map(
    dayList.map((day) => [day, { day, outcome: 0, process: 0, interaction: 0 }]),
  )
  const categories = new Map<string, number>()
  let total = 0
  for (const row of perDay.rows) {
    const count = Number(row.count)
    const entry = daily.get(row.day)
    if (entry) entry[failureTypeOf(policy, row.category)] += count
    categories.set(row.category, (categories.get(row.category) ?? 0) + count)
    total += count
  }
  const topCategories = [...categories]
    .map(([category, count]) => ({ category, failureType: failureTypeOf(policy, category), count }))
    .sort(byCountThen((item) => item.category))
    .slice(0, TOP)

  const pageCounts = new Map<string, number>()
  for (const row of pages.rows) {
    const page = pageKey(row.page)
    pageCounts.set(page, (pageCounts.get(page) ?? 0) + Number(row.count))
  }
  const topPages = [...pageCounts]
    .map(([page, count]) => ({ page, count }))
    .sort(byCountThen((item) => item.page))
    .slice(0, TOP)

  const medianMs = (value: number | null | undefined) =>
    value === null || value === undefined ? null : Math.round(Number(value))
  const reply = firstReply.rows[0]
  const recovered = recovery.rows[0]
  const answered = answers.rows[0]
  const repeated = repeats.rows[0]

  const spentByDay = new Map(spent.rows.map((row) => [row.day, Number(row.spent)]))
  const spendDaily = dayList.map((day) => ({ day, spent: spentByDay.get(day) ?? 0 }))

  return {
    days,
    from: dayList[0]!,
    to: dayList[dayList.length - 1]!,
    currency: policy.currency,
    total,
    daily: [...daily.values()],
    topCategories,
    topPages,
    timeToFirstResponse: { medianMs: medianMs(reply?.median), count: Number(reply?.count ?? 0) },
    timeToRecovery: {
      medianMs: medianMs(recovered?.median),
      count: Number(recovered?.count ?? 0),
    },
    recoveredOnTheSpot: {
      count: Number(recovered?.spot ?? 0),
      share: share(Number(recovered?.spot ?? 0), total),
    },
    satisfaction: {
      answers: Number(answered?.answers ?? 0),
      satisfiedShare: share(Number(answered?.satisfied ?? 0), Number(answered?.answers ?? 0)),
      madeItRightShare: share(Number(answered?.resolved ?? 0), Number(answered?.answers ?? 0)),
    },
    repeatFailures: {
      customers: Number(repeated?.customers ?? 0),
      complaints: Number(repeated?.complaints ?? 0),
    },
    rootCauses: causes.rows.map((row) => ({
      cause: row.cause,
      count: Number(row.count),
      recurring: Number(row.recurring),
    })),
    fairness: fairnessGroups(fairness.rows, (category) => failureTypeOf(policy, category)),
    spend: {
      daily: spendDaily,
      budgetPerDay: policy.caps.perSiteDay,
      total: spendDaily.reduce((sum, entry) => sum + entry.spent, 0),
    },
    spikes: spikes(
      recent.rows,
      utcDay(today),
      daysFrom(baselineStart.getTime(), SPIKE.baselineDays),
    ),
    people: perPerson.rows.map((row) => ({
      id: row.id,
      name: row.name,
      complaints: Number(row.complaints),
      firstResponseMedianMs: medianMs(row.median),
      recoveryShare: share(Number(row.recovered), Number(row.complaints)),
    })),
    avoided: {
      total: deflected.rows.reduce((sum, row) => sum + Number(row.count), 0),
      byCategory: deflected.rows.map((row) => ({
        category: row.category,
        count: Number(row.count),
      })),
    },
  }
}

const SIDES = ['remedy', 'process', 'treatment'] as const
type Side = (typeof SIDES)[number]

interface FairnessRow {
  category: string
  severity: Severity
  answers: number
  remedy_sum: string | null
  remedy_n: number
  process_sum: string | null
  process_n: number
  treatment_sum: string | null
  treatment_n: number
}

/** Follow-ups with a fairness answer (any side a number), summed per side, per category and severity. */
function fairnessQuery(trx: Kysely<Tables>, inRange: RawBuilder<unknown>) {
  const isNumber = (side: Side) => sql`jsonb_typeof(f.fairness->${side}::text) = 'number'`
  const sum = (side: Side) =>
    sql`(sum((f.fairness->>${side}::text)::numeric) FILTER (WHERE ${isNumber(side)}))::text`
  const count = (side: Side) => sql`(count(*) FILTER (WHERE ${isNumber(side)}))::int`
  return sql<FairnessRow>`
    SELECT c.category, c.severity, count(*)::int AS answers,
      ${sum('remedy')} AS remedy_sum, ${count('remedy')} AS remedy_n,
      ${sum('process')} AS process_sum, ${count('process')} AS process_n,
      ${sum('treatment')} AS treatment_sum, ${count('treatment')} AS treatment_n
    FROM follow_ups f JOIN complaints c ON c.id = f.complaint_id
    WHERE ${inRange} AND jsonb_typeof(f.fairness) = 'object'
      AND (${sql.join(SIDES.map(isNumber), sql` OR `)})
    GROUP BY 1, 2`.execute(trx)
}

/** Mean answers per failure type and severity, in the order of `FAILURE_TYPES` and severities. */
function fairnessGroups(
  rows: readonly FairnessRow[],
  typeOf: (category: string) => FailureType,
): FairnessGroup[] {
  type Sums = { answers: number } & Record<Side, { sum: number; count: number }>
  const groups = new Map<string, Sums>()
  for (const row of rows) {
    const key = `${typeOf(row.category)} ${row.severity}`
    const group = groups.get(key) ?? {
      answers: 0,
      remedy: { sum: 0, count: 0 },
      process: { sum: 0, count: 0 },
      treatment: { sum: 0, count: 0 },
    }
    group.answers += Number(row.answers)
    for (const side of SIDES) {
      group[side].sum += Number(row[`${side}_sum`] ?? 0)
      group[side].count += Number(row[`${side}_n`])
    }
    groups.set(key, group)
  }
  return FAILURE_TYPES.flatMap((failureType) =>
    SEVERITIES.flatMap((severity) => {
      const group = groups.get(`${failureType} ${severity}`)
      if (!group) return []
      return [
        {
          failureType,
          severity,
          answers: group.answers,
          remedy: mean(group.remedy.sum, group.remedy.count),
          process: mean(group.process.sum, group.process.count),
          treatment: mean(group.treatment.sum, group.treatment.count),
        },
      ]
    }),
  )
}

/**
 * Categories whose count on `today` is above `SPIKE.factor` × the median of
 * their daily counts over `baseline` (zero days included) and at least
 * `SPIKE.minCount`; most first.
 */
function spikes(
  rows: readonly { day: string; category: string; count: number }[],
  today: string,
  baseline: readonly string[],
): Insights['spikes'] {
  const perCategory = new Map<string, Map<string, number>>()
  for (const row of rows) {
    const days = perCategory.get(row.category) ?? new Map<string, number>()
    days.set(row.day, Number(row.count))
    perCategory.set(row.category, days)
  }
  const found: Insights['spikes'] = []
  for (const [category, counts] of perCategory) {
    const count = counts.get(today) ?? 0
    if (count < SPIKE.minCount) continue
    const median14 = median(baseline.map((day) => counts.get(day) ?? 0))
    if (count > SPIKE.factor * median14) found.push({ category, day: today, count, median14 })
  }
  return found.sort(byCountThen((item) => item.category))
}
