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
import { parseDuration } from '@redress/protocol'
import type { Kysely } from 'kysely'
import { reportTo, startPolling } from '../_lib/poller'
import type { Site, Tables } from '../db/schema'
import { emit } from '../outbox'
import { issueRemedy } from './issue'

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
  // Null for years and months, which have no fixed length (the admin API never stores them).
  const ms = guarantee ? parseDuration(guarantee.firstReplyWithin) : null
  if (!guarantee || ms === null || suspected) return {}
  return {
    guarantee: JSON.stringify(guarantee),
    guarantee_due_at: new Date(receivedAt.getTime() + ms),
    guarantee_state: 'pending' as const,
  }
}

/**
 * What `startGuaranteeWorker` takes: the database, and optionally the clock,
 * the batch and the polling.
 *
 * @example
 * const options: GuaranteeWorkerOptions = { db, interval: 60_000, batchSize: 100 }
 * const worker = startGuaranteeWorker(options)
 */
export interface GuaranteeWorkerOptions {
  /** The database whose complaints' guarantees it keeps. */
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

/**
 * A running service-guarantee worker, from `startGuaranteeWorker`.
 *
 * @example
 * const worker = startGuaranteeWorker({ db, interval: false, now: () => clock })
 * await worker.runOnce() // how many due guarantees it settled
 * await worker.stop()
 */
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
