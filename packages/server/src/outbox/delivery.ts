/**
 * @module The webhook delivery worker: takes due rows of the outbox
 * (`webhook_deliveries`) with `FOR UPDATE SKIP LOCKED`, leases them, posts
 * them outside any transaction, and records the outcome, retrying on a
 * schedule. Every attempt goes only to a public address, or one the operator
 * allowed (`_outbound.ts`).
 */
import { type Kysely, sql } from 'kysely'
import { reportTo, startPolling } from '../_lib/poller'
import type { Tables } from '../db/schema'
import {
  ALLOW_HINT,
  type OutboundPolicy,
  outboundPolicy,
  refusalReason,
  resolveOutbound,
} from './_outbound'
import { type OutboundTransport, postPinned } from './_outbound-request'
import { webhookHeaders } from './signing'

/**
 * Delays before the 2nd, 3rd, … attempt (±20% jitter): about 22 hours in all, then `failed`.
 *
 * @example
 * RETRY_SCHEDULE_MS.reduce((sum, ms) => sum + ms, 0) / 3_600_000 // ≈ 22 hours
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  30_000,
  120_000,
  600_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
]
/**
 * Attempts before a delivery is `failed`: the first plus one per step of the schedule.
 *
 * @example
 * MAX_ATTEMPTS // 9
 */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1

/**
 * What `startWebhookWorker` takes: the database, and optionally where
 * deliveries may go, the clock, the batch, the polling and the timeout.
 *
 * @example
 * const options: WebhookWorkerOptions = { db, batchSize: 50, interval: 500, timeout: 5000 }
 * const worker = startWebhookWorker(options)
 */
export interface WebhookWorkerOptions {
  /** The database the deliveries are in. */
  db: Kysely<Tables>
  /**
   * Which addresses deliveries may reach, and how host names are resolved.
   * @default outboundPolicy(): REDRESS_WEBHOOK_ALLOW and the system resolver
   */
  outbound?: OutboundPolicy | undefined
  /** Sends one attempt to the checked address. @default postPinned */
  transport?: OutboundTransport | undefined
  /** The worker's clock: what is due, when to retry, the signature's timestamp. @default () => new Date() */
  now?: () => Date
  /** Deliveries taken per round. @default 20 */
  batchSize?: number
  /**
   * Milliseconds between rounds when there was less than a full batch; `false`
   * to never poll (rounds happen only through `runOnce`). @default 1000
   */
  interval?: number | false
  /** Per attempt, the lookup included. @default 10000 */
  timeout?: number
  /** For the jitter. @default Math.random */
  random?: () => number
  /** Unexpected errors (a round that failed as a whole). @default a line on stderr */
  onError?: (error: unknown) => void
}

/**
 * A running webhook delivery worker, from `startWebhookWorker`.
 *
 * @example
 * const worker = startWebhookWorker({ db, interval: false })
 * while ((await worker.runOnce()) > 0) {} // deliver everything due now
 * await worker.stop()
 */
export interface WebhookWorker {
  /** One round: take up to `batchSize` due deliveries, post them, record the outcomes. Returns how many. */
  runOnce(): Promise<number>
  /** Stop polling and wait for the round in progress. Safe to call twice. */
  stop(): Promise<void>
}

/** Milliseconds a taken delivery is leased for: no other worker takes it meanwhile. */
const leaseMs = (timeout: number) => timeout * 3

interface Claimed {
  id: string
  endpoint_id: string
  payload: string
  attempts: number
  url: string
  secret: string
}

type Outcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'gone'; status: number }
  | { kind: 'failed'; status: number | null; error: string }
  /** The endpoint's address is not one webhooks may reach: final, no retry. */
  | { kind: 'refused'; error: string }

/**
 * Start delivering. The worker polls every `interval` (sooner while there is a
 * backlog); `runOnce` is there for tests and for one-shot jobs.
 *
 * Rows are taken in a short transaction (`SELECT … FOR UPDATE OF d SKIP
 * LOCKED`, then leased by moving `next_attempt_at` ahead and counting the
 * attempt), and posted after it commits: an HTTP call never holds a
 * transaction, which on PGlite would hold the only connection for up to the
 * timeout. If the process dies mid-request the lease runs out and the row is
 * sent again (at least once; receivers de-duplicate on `webhook-id`).
 *
 * Before each attempt the endpoint's host is resolved and every address
 * checked; the request then connects to the checked address only. A refused
 * address fails the delivery at once (`last_error` says why; a replay tries
 * again, say after the operator allowed it).
 *
 * @example
 * const worker = startWebhookWorker({ db, interval: false })
 * await worker.runOnce() // how many deliveries this round took
 * await worker.stop()
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { db } = options
  const outbound = options.outbound ?? outboundPolicy()
  const post = options.transport ?? postPinned
  const now = options.now ?? (() => new Date())
  const batchSize = options.batchSize ?? 20
  const interval = options.interval ?? 1000
  const timeout = options.timeout ?? 10_000
  const random = options.random ?? Math.random
  const onError = options.onError ?? reportTo('webhook round')

  async function claim(at: Date): Promise<Claimed[]> {
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .select(['d.id', 'd.endpoint_id', 'd.payload', 'd.attempts', 'e.url', 'e.secret'])
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', at)
        .where('e.enabled', '=', true)
        .orderBy('d.next_attempt_at')
        .orderBy('d.seq')
        .limit(batchSize)
        .forUpdate('d')
        .skipLocked()
        .execute()
      if (due.length === 0) return []
      await trx
        .updateTable('webhook_deliveries')
        .set({
          attempts: sql`attempts + 1`,
          next_attempt_at: new Date(at.getTime() + leaseMs(timeout)),
        })
        .where(
          'id',
          'in',
          due.map((row) => row.id),
        )
        .execute()
      return due.map((row) => ({ ...row, attempts: Number(row.attempts) + 1 }))
    })
  }

  async function send(delivery: Claimed): Promise<Outcome> {
    try {
      // One budget for the lookup and the request: a slow resolver cannot hold a lease longer.
      const signal = AbortSignal.timeout(timeout)
      const url = new URL(delivery.url)
      const target = await resolveOutbound(url, outbound, signal)
      if (target.outcome === 'refused')
        return {
          kind: 'refused',
          error: `refused: ${refusalReason(target.refusal)}; ${ALLOW_HINT}`.slice(0, 500),
        }
      if (target.outcome === 'unresolved')
        return { kind: 'failed', status: null, error: target.error.slice(0, 500) }
      const { status } = await post(
        { url, address: target.address, family: target.family },
        {
          headers: webhookHeaders(delivery.secret, delivery.id, delivery.payload, now()),
          body: delivery.payload,
          signal,
        },
      )
      if (status >= 200 && status < 300) return { kind: 'delivered', status }
      if (status === 410) return { kind: 'gone', status }
      // Not followed: the next hop would be unchecked. Its Location is the
      // receiver's text, and what a receiver says is never shown back.
      if (status >= 300 && status < 400)
        return { kind: 'failed', status, error: `redirect not followed: HTTP ${status}` }
      return { kind: 'failed', status, error: `HTTP ${status}` }
    } catch (error) {
      const name = error instanceof Error ? error.name : ''
      const message =
        name === 'TimeoutError' || name === 'AbortError'
          ? `no response within ${timeout} ms`
          : error instanceof Error
            ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
            : String(error)
      return { kind: 'failed', status: null, error: message.slice(0, 500) }
    }
  }

  async function record(delivery: Claimed, outcome: Outcome, at: Date): Promise<void> {
    // `attempts` fences the update: if the lease ran out and another worker took
    // the row again, only the newer attempt's outcome is written.
    const mine = (trx: Kysely<Tables>) =>
      trx
        .updateTable('webhook_deliveries')
        .where('id', '=', delivery.id)
        .where('attempts', '=', delivery.attempts)
        .where('status', '=', 'pending')
    if (outcome.kind === 'delivered') {
      await mine(db)
        .set({
          status: 'delivered',
          delivered_at: at,
          last_status: outcome.status,
          last_error: null,
        })
        .execute()
    } else if (outcome.kind === 'gone') {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('webhook_endpoints')
          .set({
            enabled: false,
            disabled_reason: `410 Gone for ${delivery.id} at ${at.toISOString()}`,
          })
          .where('id', '=', delivery.endpoint_id)
          .execute()
        await mine(trx)
          .set({ status: 'disabled', last_status: 410, last_error: 'HTTP 410: endpoint disabled' })
          .execute()
        await trx
          .updateTable('webhook_deliveries')
          .set({ status: 'disabled', last_error: 'endpoint disabled (410 Gone)' })
          .where('endpoint_id', '=', delivery.endpoint_id)
          .where('status', '=', 'pending')
          .execute()
      })
    } else if (outcome.kind === 'refused') {
      // Retrying would ask the same question of the same resolver; the endpoint
      // stays enabled so that a fixed allowance or name can take over.
      await mine(db)
        .set({ status: 'failed', last_status: null, last_error: outcome.error })
        .execute()
    } else {
      const delay = RETRY_SCHEDULE_MS[delivery.attempts - 1]
      await mine(db)
        .set(
          delay === undefined
            ? { status: 'failed', last_status: outcome.status, last_error: outcome.error }
            : {
                next_attempt_at: new Date(
                  at.getTime() + Math.round(delay * (0.8 + 0.4 * random())),
                ),
                last_status: outcome.status,
                last_error: outcome.error,
              },
        )
        .execute()
    }
  }

  async function runOnce(): Promise<number> {
    const taken = await claim(now())
    await Promise.all(taken.map(async (delivery) => record(delivery, await send(delivery), now())))
    return taken.length
  }

  const poller = startPolling(runOnce, { interval, batchSize, onError })
  return { runOnce, stop: () => poller.stop() }
}

/**
 * Send a delivery again, from the first step of the schedule, with the same
 * `webhook-id` (receivers that saw it already can drop it). Returns `false`
 * when there is no such delivery or its endpoint is disabled.
 *
 * @example
 * if (!(await replayDelivery(database.db, 'msg_2YHZ…'))) console.log('no such delivery, or its endpoint is disabled')
 */
export async function replayDelivery(
  db: Kysely<Tables>,
  id: string,
  now: Date = new Date(),
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, delivered_at: null })
    .where('id', '=', id)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('webhook_endpoints')
          .select('webhook_endpoints.id')
          .whereRef('webhook_endpoints.id', '=', 'webhook_deliveries.endpoint_id')
          .where('webhook_endpoints.enabled', '=', true),
      ),
    )
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
