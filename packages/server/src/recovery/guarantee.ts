/**
 * @module Service guarantees: a site promises something like "a reply within
 * 2 hours, or 10 € off", customers see the promise, and a worker keeps it.
 * Each complaint carries the guarantee as it stood when it arrived; once its
 * deadline passes without a reply from the owner, the promised remedy is
 * issued automatically, whatever the per-complaint and customer caps say (a
 * guarantee must be unconditional to be believed), and counted in the site's
 * day. The site's daily budget still holds, since anyone can post a complaint:
 * over it, the coupon waits for the owner's approval (`site_day_cap`).
 */
import { LIMITS } from '@redress/protocol'
import { cleanText } from '@redress/protocol/schema'
import type { Kysely } from 'kysely'
import { reportTo, startPolling } from '../_lib/poller'
import type { Guarantee, Site, Tables } from '../db/schema'
import { InvalidInputError } from '../errors'
import { emit } from '../outbox'
import { issueRemedy } from './issue'

const invalid = (message: string, field: string) => new InvalidInputError(message, field)

/** What a guarantee's text and promised value may be. */
export const GUARANTEE_LIMITS = {
  text: LIMITS.guarantee,
  /** Minor units. */
  value: 1_000_000,
  minMs: 60_000,
  maxMs: 30 * 86_400_000,
} as const

// Weeks, days, hours, minutes, seconds: years and months have no fixed length.
const DURATION = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/

/**
 * Milliseconds in an ISO 8601 duration of weeks, days, hours, minutes and
 * seconds, or `undefined` when it is not one.
 *
 * @example
 * durationMs('PT2H') // 7200000
 * durationMs('P1M') // undefined: a month has no fixed length
 */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text)
  if (!match) return undefined
  const [w = 0, d = 0, h = 0, m = 0, s = 0] = match.slice(1).map((part) => Number(part ?? 0))
  return ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000
}

/**
 * Check a guarantee sent to `PATCH /v1/admin/site`; throws
 * `InvalidInputError` (`400 invalid_request`) naming the field.
 *
 * @example
 * parseGuarantee({ text: 'A reply within 2 hours, or 5 € off', firstReplyWithin: 'PT2H',
 *   remedy: { kind: 'coupon', value: 500 } })
 */
export function parseGuarantee(value: unknown): Guarantee {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('guarantee is { text, firstReplyWithin, remedy } or null', 'guarantee')
  const input = value as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!['text', 'firstReplyWithin', 'remedy'].includes(key))
      throw invalid(`Unknown field ${key}`, `guarantee.${key}`)
  }
  const { firstReplyWithin, remedy } = input
  // Free text (the dashboard edits it in a text area), normalised before its length is counted.
  let text: string | undefined
  if (typeof input.text === 'string') {
    const cleaned = cleanText(input.text, 'guarantee.text', { multiline: true })
    if (!cleaned.success) throw invalid(cleaned.issues[0]!.message, 'guarantee.text')
    text = cleaned.output.trim()
  }
  if (!text || text.length > GUARANTEE_LIMITS.text)
    throw invalid(`text is 1–${GUARANTEE_LIMITS.text} characters`, 'guarantee.text')
  const ms = typeof firstReplyWithin === 'string' ? durationMs(firstReplyWithin) : undefined
  if (ms === undefined || ms < GUARANTEE_LIMITS.minMs || ms > GUARANTEE_LIMITS.maxMs)
    throw invalid(
      'firstReplyWithin is an ISO 8601 duration from one minute to 30 days, e.g. PT2H or P1D',
      'guarantee.firstReplyWithin',
    )
  const promised = remedy as Record<string, unknown> | null
  if (typeof promised !== 'object' || promised === null || promised.kind !== 'coupon')
    throw invalid('remedy is { kind: "coupon", value }', 'guarantee.remedy')
  if (
    !Number.isSafeInteger(promised.value) ||
    (promised.value as number) <= 0 ||
    (promised.value as number) > GUARANTEE_LIMITS.value
  )
    throw invalid(
      `value is a whole number of minor units from 1 to ${GUARANTEE_LIMITS.value}`,
      'guarantee.remedy.value',
    )
  return {
    text,
    firstReplyWithin: firstReplyWithin as string,
    remedy: { kind: 'coupon', value: promised.value as number },
  }
}

/**
 * The columns a new complaint gets from its site's guarantee: the promise as
 * it stands now and its deadline. None for a complaint that looks sent by a bot.
 *
 * @example
 * guaranteeColumns(site, receivedAt, false).guarantee_due_at // receivedAt + firstReplyWithin
 */
export function guaranteeColumns(
  site: Pick<Site, 'guarantee'>,
  receivedAt: Date,
  suspected: boolean,
) {
  const guarantee = site.guarantee
  const ms = guarantee ? durationMs(guarantee.firstReplyWithin) : undefined
  if (!guarantee || ms === undefined || suspected) return {}
  return {
    guarantee: JSON.stringify(guarantee),
    guarantee_due_at: new Date(receivedAt.getTime() + ms),
    guarantee_state: 'pending' as const,
  }
}

export interface GuaranteeWorkerOptions {
  db: Kysely<Tables>
  /** @default () => new Date() */
  now?: () => Date
  /** Complaints checked per round. @default 50 */
  batchSize?: number
  /** Milliseconds between rounds; `false` to run only through `runOnce`. @default 15000 */
  interval?: number | false
  /** @default a line on stderr */
  onError?: (error: unknown) => void
}

export interface GuaranteeWorker {
  /** One round: settle up to `batchSize` complaints whose deadline passed. Returns how many. */
  runOnce(): Promise<number>
  /** Stop polling and wait for the round in progress. */
  stop(): Promise<void>
}

/**
 * Settle the guarantees that fell due: kept when the owner's first reply came
 * by the deadline, broken otherwise, which issues the promised coupon (ledger
 * key `guarantee`, so at most one per complaint) and emits
 * `guarantee_broken` (which enqueues `guarantee.broken`), all in the round's
 * transaction. Rows are taken with `FOR UPDATE SKIP LOCKED`, so
 * several server processes can run the worker; each batch is settled in
 * `site_id` order (then due time), so two workers always take the sites' day
 * rows in the same order and never wait on each other in a cycle.
 *
 * @example
 * const worker = startGuaranteeWorker({ db })
 * await worker.stop()
 */
export function startGuaranteeWorker(options: GuaranteeWorkerOptions): GuaranteeWorker {
  const { db } = options
  const now = options.now ?? (() => new Date())
  const batchSize = options.batchSize ?? 50

  async function runOnce(): Promise<number> {
    const at = now()
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('complaints')
        .select(['id', 'site_id', 'reference', 'guarantee', 'guarantee_due_at', 'first_reply_at'])
        .where('guarantee_state', '=', 'pending')
        .where('guarantee_due_at', '<=', at)
        .orderBy('guarantee_due_at')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute()
      // The most overdue are taken first; the site-day rows are locked in site order.
      due.sort(
        (a, b) =>
          (a.site_id < b.site_id ? -1 : a.site_id > b.site_id ? 1 : 0) ||
          new Date(a.guarantee_due_at!).getTime() - new Date(b.guarantee_due_at!).getTime(),
      )
      const sites = new Map<string, Site>()
      for (const row of due) {
        const deadline = new Date(row.guarantee_due_at!)
        const kept = row.first_reply_at !== null && new Date(row.first_reply_at) <= deadline
        await trx
          .updateTable('complaints')
          .set({ guarantee_state: kept ? 'kept' : 'broken' })
          .where('id', '=', row.id)
          .execute()
        if (kept) continue
        let site = sites.get(row.site_id)
        if (!site) {
          site = await trx
            .selectFrom('sites')
            .selectAll()
            .where('id', '=', row.site_id)
            .executeTakeFirstOrThrow()
          sites.set(row.site_id, site)
        }
        const guarantee = row.guarantee!
        const { row: recovery } = await issueRemedy(trx, {
          site,
          complaintId: row.id,
          policyKey: 'guarantee',
          remedy: { kind: 'coupon', value: guarantee.remedy.value },
          caps: 'guarantee',
          now: at,
        })
        await emit(trx, site.id, {
          type: 'guarantee_broken',
          complaintId: row.id,
          reference: row.reference,
          promise: guarantee.text,
          dueAt: deadline,
          recoveryId: recovery.id,
        })
      }
      return due.length
    })
  }

  const poller = startPolling(runOnce, {
    interval: options.interval ?? 15_000,
    batchSize,
    onError: options.onError ?? reportTo('guarantee round'),
  })
  return { runOnce, stop: () => poller.stop() }
}
