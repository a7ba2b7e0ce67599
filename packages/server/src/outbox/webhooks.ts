/**
 * @module Signed webhooks (Standard Webhooks) delivered from an outbox.
 *
 * Events are written to `webhook_deliveries` in the transaction of the change
 * that caused them (so an event exists exactly when its change committed), one
 * row per enabled endpoint of the site subscribed to the type. A worker takes
 * due rows with `FOR UPDATE SKIP LOCKED`, leases them, posts them outside any
 * transaction, and records the outcome. Every attempt goes only to a public
 * address, or one the operator allowed (`_outbound.ts`).
 */
import { createHmac } from 'node:crypto'
import type { Complaint, FollowUp } from '@redress/protocol'
import { type ReplyView, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@redress/protocol/admin'
import { type Kysely, sql, type Transaction } from 'kysely'
import { webhookEndpointId, webhookMessageId, webhookSecret } from '../_lib/crypto'
import { reportTo, startPolling } from '../_lib/poller'
import type { ComplaintRow, RecoveryRow, Site, Tables, VerifiedFacts } from '../db/schema'
import {
  ALLOW_HINT,
  type OutboundPolicy,
  outboundPolicy,
  refusalReason,
  resolveOutbound,
} from './_outbound'
import { type OutboundTransport, postPinned } from './_outbound-request'

// The event types are the admin API's (the dashboard offers them); re-exported for the server's API.
export { WEBHOOK_EVENT_TYPES, type WebhookEventType }

/** The body of every webhook (Standard Webhooks payload structure). */
export interface WebhookPayload {
  type: WebhookEventType
  /** When the event happened, ISO 8601. */
  timestamp: string
  data: Record<string, unknown>
}

/** Delays before the 2nd, 3rd, … attempt (±20% jitter): about 22 hours in all, then `failed`. */
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
/** Attempts before a delivery is `failed`: the first plus one per step of the schedule. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1

// ---------------------------------------------------------------------------
// Endpoints

/**
 * Register an endpoint for a site (the admin API will call this). Returns the
 * endpoint's id and its secret, which the receiver needs to verify signatures.
 *
 * @example
 * const { id, secret } = await createWebhookEndpoint(db, site.id, 'https://shop.example/hooks/redress')
 */
export async function createWebhookEndpoint(
  db: Kysely<Tables>,
  siteId: string,
  url: string,
  types: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES,
): Promise<{ id: string; secret: string }> {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new TypeError(`A webhook URL must be http(s): ${url}`)
  if (parsed.username || parsed.password)
    throw new TypeError('A webhook URL must not carry credentials')
  for (const type of types) {
    if (!WEBHOOK_EVENT_TYPES.includes(type)) throw new TypeError(`Unknown webhook event: ${type}`)
  }
  const id = webhookEndpointId()
  const secret = webhookSecret()
  await db
    .insertInto('webhook_endpoints')
    .values({
      id,
      site_id: siteId,
      url: parsed.href,
      secret,
      event_types: JSON.stringify([...new Set(types)]),
    })
    .execute()
  return { id, secret }
}

// ---------------------------------------------------------------------------
// Enqueueing (inside the transaction of the change)

type Endpoint = { id: string; event_types: string[] }

/**
 * Enabled endpoints per site, read once per transaction: ingest enqueues up
 * to four events in one transaction, and most sites have no endpoint at all.
 */
const endpointCache = new WeakMap<object, Map<string, Promise<Endpoint[]>>>()

function enabledEndpoints(trx: Transaction<Tables>, siteId: string): Promise<Endpoint[]> {
  let perSite = endpointCache.get(trx)
  if (!perSite) {
    perSite = new Map()
    endpointCache.set(trx, perSite)
  }
  let endpoints = perSite.get(siteId)
  if (!endpoints) {
    endpoints = trx
      .selectFrom('webhook_endpoints')
      .select(['id', 'event_types'])
      .where('site_id', '=', siteId)
      .where('enabled', '=', true)
      .orderBy('id')
      .execute()
    perSite.set(siteId, endpoints)
  }
  return endpoints
}

/** Write one delivery per subscribed endpoint; `build` runs only when there is one. */
async function enqueue(
  trx: Transaction<Tables>,
  siteId: string,
  type: WebhookEventType,
  build: () => Promise<Record<string, unknown>> | Record<string, unknown>,
): Promise<string[]> {
  const endpoints = (await enabledEndpoints(trx, siteId)).filter((endpoint) =>
    endpoint.event_types.includes(type),
  )
  if (endpoints.length === 0) return []
  const now = new Date()
  const payload: WebhookPayload = { type, timestamp: now.toISOString(), data: await build() }
  const body = JSON.stringify(payload)
  const rows = endpoints.map((endpoint) => ({
    id: webhookMessageId(),
    endpoint_id: endpoint.id,
    event_type: type,
    payload: body,
    next_attempt_at: now,
  }))
  await trx.insertInto('webhook_deliveries').values(rows).execute()
  return rows.map((row) => row.id)
}

/**
 * Enqueue an event for every enabled endpoint of the site subscribed to
 * `type`, in the caller's transaction: it is sent if and only if that
 * transaction commits. `data` gets the site's public key as `site`. Returns
 * the deliveries' ids (`msg_…`).
 *
 * @example
 * // the admin API, when a complaint becomes resolved:
 * await enqueueWebhook(trx, site, 'complaint.resolved', {
 *   complaintId: complaint.id, reference: complaint.reference, resolvedAt: now.toISOString(),
 * })
 */
export function enqueueWebhook(
  trx: Transaction<Tables>,
  site: Pick<Site, 'id' | 'public_key'>,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<string[]> {
  return enqueue(trx, site.id, type, () => ({ ...withIds(data), site: site.public_key, ...data }))
}

/** `complaintId` and `reference` first, then `site`, then the rest: a stable key order. */
const withIds = (data: Record<string, unknown>) => ({
  complaintId: data.complaintId,
  reference: data.reference,
})

/** The event type of a test send: nobody subscribes to it; it goes to one endpoint on request. */
export const WEBHOOK_TEST_TYPE = 'webhook.test'

/**
 * Enqueue one `webhook.test` delivery to one endpoint, whatever types it
 * subscribes to (`POST /v1/admin/webhooks/{id}/test`). The caller has checked,
 * in `trx`, that the endpoint is the site's and enabled. Returns the
 * delivery's id (`msg_…`); the worker signs and sends it like any other.
 */
export async function enqueueTestWebhook(
  trx: Kysely<Tables>,
  site: Pick<Site, 'public_key'>,
  endpointId: string,
  now: Date = new Date(),
): Promise<string> {
  const id = webhookMessageId()
  const payload = {
    type: WEBHOOK_TEST_TYPE,
    timestamp: now.toISOString(),
    data: { message: 'A test from Redress', site: site.public_key },
  }
  await trx
    .insertInto('webhook_deliveries')
    .values({
      id,
      endpoint_id: endpointId,
      event_type: WEBHOOK_TEST_TYPE,
      payload: JSON.stringify(payload),
      next_attempt_at: now,
    })
    .execute()
  return id
}

/** `complaint.created`, from `ingestComplaint` right after the insert (never on a replay). */
export function enqueueComplaintCreated(
  trx: Transaction<Tables>,
  site: Site,
  stored: {
    id: string
    reference: string
    complaint: Complaint
    verified: VerifiedFacts | null
    receivedAt: Date
  },
): Promise<string[]> {
  const { complaint, verified } = stored
  // Only vouched facts: a receiver may act on them, so a claim never looks like one.
  return enqueueWebhook(trx, site, 'complaint.created', {
    complaintId: stored.id,
    reference: stored.reference,
    category: complaint.category,
    severity: complaint.severity,
    orderRef: verified?.order?.ref ?? complaint.orderRef ?? null,
    orderValue: verified?.order
      ? { value: verified.order.value, currency: verified.order.currency }
      : null,
    customerId: verified?.customerId ?? null,
    verified: verified !== null,
    receivedAt: stored.receivedAt.toISOString(),
  })
}

/** `recovery.issued`, from the policy engine when a ledger row is written as `issued`. */
export function enqueueRecoveryIssued(
  trx: Transaction<Tables>,
  site: Site,
  row: RecoveryRow,
): Promise<string[]> {
  return enqueue(trx, site.id, 'recovery.issued', async () => {
    const { reference } = await trx
      .selectFrom('complaints')
      .select('reference')
      .where('id', '=', row.complaint_id)
      .executeTakeFirstOrThrow()
    return {
      complaintId: row.complaint_id,
      reference,
      site: site.public_key,
      recoveryId: row.id,
      policyKey: row.policy_key,
      kind: row.kind,
      value: Number(row.value),
      currency: row.currency,
      recovery: row.recovery ? JSON.parse(row.recovery) : null,
      reusedFrom: row.reused_from,
    }
  })
}

/** `followup.received`, from `recordFollowUp`. */
export function enqueueFollowUpReceived(
  trx: Transaction<Tables>,
  complaint: ComplaintRow,
  answer: FollowUp,
): Promise<string[]> {
  return enqueue(trx, complaint.site_id, 'followup.received', async () => {
    const { public_key } = await trx
      .selectFrom('sites')
      .select('public_key')
      .where('id', '=', complaint.site_id)
      .executeTakeFirstOrThrow()
    return {
      complaintId: complaint.id,
      reference: complaint.reference,
      site: public_key,
      score: answer.score,
      resolved: answer.resolved,
      fairness: answer.fairness ?? null,
    }
  })
}

/**
 * `reply.sent`, from the reply route when it stores a reply (never for an
 * idempotent replay, which stores nothing). `message` and `author` are the
 * owner's words, sent to the customer: what a backend mirrors to e-mail or chat.
 */
export function enqueueReplySent(
  trx: Transaction<Tables>,
  site: Pick<Site, 'id' | 'public_key'>,
  complaint: Pick<ComplaintRow, 'id' | 'reference'>,
  reply: ReplyView,
): Promise<string[]> {
  return enqueueWebhook(trx, site, 'reply.sent', {
    complaintId: complaint.id,
    reference: complaint.reference,
    replyId: reply.id,
    message: reply.message,
    author: reply.author,
    at: reply.at,
  })
}

/**
 * `guarantee.broken`, from the guarantee worker when the first reply did not
 * come by the deadline. `recoveryId` is the ledger row of the promised coupon,
 * which sends its own `recovery.issued` once it is issued.
 */
export function enqueueGuaranteeBroken(
  trx: Transaction<Tables>,
  site: Pick<Site, 'id' | 'public_key'>,
  broken: {
    complaintId: string
    reference: string
    promise: string
    dueAt: Date
    recoveryId: string
  },
): Promise<string[]> {
  return enqueueWebhook(trx, site, 'guarantee.broken', {
    complaintId: broken.complaintId,
    reference: broken.reference,
    promise: broken.promise,
    dueAt: broken.dueAt.toISOString(),
    recoveryId: broken.recoveryId,
  })
}

// ---------------------------------------------------------------------------
// Signing

/**
 * The `webhook-signature` value: `v1,` + base64 HMAC-SHA256 of
 * `id.timestamp.body`, keyed with the base64-decoded part of `whsec_…`.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64')
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return `v1,${mac}`
}

/** The three Standard Webhooks headers for one attempt, signed at `now`. */
export function webhookHeaders(
  secret: string,
  id: string,
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000)
  return {
    'content-type': 'application/json',
    'user-agent': 'Redress-Webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  }
}

// ---------------------------------------------------------------------------
// Delivery

export interface WebhookWorkerOptions {
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
