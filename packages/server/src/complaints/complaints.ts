/**
 * @module Storing complaints idempotently, reading their status, recording
 * follow-ups. Every write happens in one transaction.
 */
import {
  type Complaint,
  canonicalJson,
  type FollowUp,
  type Receipt,
  type StatusReport,
} from '@redress/protocol'
import type { Kysely } from 'kysely'
import { complaintId, matchesHash, reference, sha256, statusToken } from '../_lib/crypto'
import type { ComplaintRow, Site, Suspicion, Tables, VerifiedFacts } from '../db/schema'
import { IdempotencyConflictError, UnauthorizedError } from '../errors'
import { emit } from '../outbox'
import { decideRecovery, guaranteeColumns, issuedRecoveries } from '../recovery'
import { verifiedFacts, verifyCustomerToken } from './customers'

/** A stored complaint's first reply, and whether this call stored it. */
export interface Ingested {
  /** `true` when this call stored the complaint; `false` for a replay. */
  created: boolean
  /** The receipt as JSON text: the same bytes on every replay. */
  body: string
}

/** The receipt's bytes. Key order is fixed here, so a replay rebuilds the same text. */
function receiptJson(stored: string, token: string): string {
  const { id, reference, status, recovery, receivedAt } = JSON.parse(stored) as Omit<
    Receipt,
    'token'
  >
  const receipt: Receipt = { id, reference, status, token, recovery, receivedAt }
  return JSON.stringify(receipt)
}

/**
 * A form sent sooner than this after it opened was not typed by a person.
 * Picking a category and a severity and typing even a few words takes
 * longer; a false positive costs the customer only the automatic remedy
 * (the apology still shows and the owner sees the complaint).
 */
export const MIN_FILL_MS = 1500

/**
 * Why a complaint looks sent by a bot, from the widget's signals: a filled
 * honeypot (a field people cannot see), or a form sent faster than a person
 * can fill it. `null` when nothing suggests a bot, or no signals were sent
 * (an SDK caller without a form).
 *
 * @example
 * suspicionOf({ ...complaint, signals: { fillMs: 300 } }, MIN_FILL_MS) // 'too_fast'
 */
export function suspicionOf(complaint: Complaint, minFillMs: number): Suspicion | null {
  const signals = complaint.signals
  if (signals?.honeypot) return 'honeypot'
  if (signals?.fillMs !== undefined && signals.fillMs < minFillMs) return 'too_fast'
  return null
}

/** How many fresh id/reference pairs to try when one collides with a stored one. */
const ATTEMPTS = 5

/**
 * Store a validated complaint once per `(site, idempotencyKey)`. A replay
 * with the same body gets the original receipt; a different body gets
 * `409 idempotency_conflict`. Concurrent identical requests are resolved by
 * the unique index (`INSERT … ON CONFLICT DO NOTHING`, then read back), never
 * by a check before the insert.
 *
 * A `customerToken` is verified first (`verifyCustomerToken`); the customer id
 * and the vouched order are then taken from it, never from the body. A bad or
 * expired token is a `401` unless the request replays a complaint already stored.
 *
 * @example
 * const { created, body } = await ingestComplaint(db, { site, complaint, idempotencyKey, secret })
 * // body: the receipt as JSON text, the same bytes on every replay
 */
export async function ingestComplaint(
  db: Kysely<Tables>,
  input: {
    site: Site
    complaint: Complaint
    idempotencyKey: string
    secret: string
    /** See `suspicionOf`. @default MIN_FILL_MS */
    minFillMs?: number | undefined
    /** The client's rate-limit key (`clientKey`): goodwill coupons are counted per client. */
    clientKey?: string | null | undefined
    /** When it was received (a test's clock). @default the time of each attempt */
    now?: Date | undefined
  },
): Promise<Ingested> {
  const { site, idempotencyKey, secret } = input
  // The token is a credential, not part of the complaint: it is neither stored
  // nor fingerprinted, so a retry may carry a fresh one.
  const { customerToken, ...complaint } = input.complaint
  const requestHash = sha256(canonicalJson(complaint))
  const suspicion = suspicionOf(complaint, input.minFillMs ?? MIN_FILL_MS)
  const answer = (id: string, receipt: string, created: boolean): Ingested => ({
    created,
    body: receiptJson(receipt, statusToken(secret, id)),
  })

  let verified: VerifiedFacts | null = null
  if (customerToken) {
    try {
      const customer = await verifyCustomerToken(db, site, customerToken)
      verified = verifiedFacts(customer, complaint.orderRef)
    } catch (error) {
      // A complaint stored already keeps its receipt, whatever became of its token since.
      const stored = await storedReplay(db, site, idempotencyKey, requestHash)
      if (stored) return answer(stored.id, stored.receipt, false)
      throw error
    }
  }

  const result = await db.transaction().execute(async (trx) => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const id = complaintId()
      const ref = reference()
      const now = input.now ?? new Date()
      const stored = JSON.stringify({
        id,
        reference: ref,
        status: 'received',
        recovery: null,
        receivedAt: now.toISOString(),
      })
      const inserted = await trx
        .insertInto('complaints')
        .values({
          id,
          site_id: site.id,
          reference: ref,
          idempotency_key: idempotencyKey,
          request_hash: requestHash,
          token_hash: sha256(statusToken(secret, id)),
          body: JSON.stringify(complaint),
          category: complaint.category,
          severity: complaint.severity,
          status: 'received',
          // Only a verified id: what the body says about the customer is a claim.
          customer_id: verified?.customerId ?? null,
          order_ref: verified?.order?.ref ?? complaint.orderRef ?? null,
          verified: verified && JSON.stringify(verified),
          client_key: input.clientKey ?? null,
          receipt: stored,
          received_at: now,
          updated_at: now,
          suspicion,
          ...guaranteeColumns(site, now, suspicion !== null && verified === null),
        })
        // Any unique index: the idempotency key (a replay, told apart below) or a
        // colliding id or reference (tried again with new ones).
        .onConflict((conflict) => conflict.doNothing())
        .returning('id')
        .executeTakeFirst()

      if (inserted) {
        // First on the timeline: the policy's remedies follow it.
        await emit(trx, site, {
          type: 'received',
          complaintId: id,
          reference: ref,
          idempotencyKey,
          suspicion,
          complaint,
          verified,
          receivedAt: now,
        })
        const recovery = await decideRecovery(
          trx,
          { id, complaint, suspicion, verified, clientKey: input.clientKey ?? null },
          site,
          now,
        )
        let receipt = stored
        if (recovery) {
          receipt = JSON.stringify({ ...JSON.parse(stored), recovery })
          await trx.updateTable('complaints').set({ receipt }).where('id', '=', id).execute()
        }
        return { created: true, id, receipt }
      }

      const existing = await storedReplay(trx, site, idempotencyKey, requestHash)
      if (existing) return { created: false, ...existing }
    }
    throw new Error(`No free complaint id or reference after ${ATTEMPTS} attempts`)
  })

  return answer(result.id, result.receipt, result.created)
}

/**
 * The complaint stored under this key, when the request is its replay;
 * `409 idempotency_conflict` when the key was used for a different complaint.
 */
async function storedReplay(
  db: Kysely<Tables>,
  site: Site,
  idempotencyKey: string,
  requestHash: string,
): Promise<{ id: string; receipt: string } | undefined> {
  const existing = await db
    .selectFrom('complaints')
    .select(['id', 'request_hash', 'receipt'])
    .where('site_id', '=', site.id)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
  if (!existing) return undefined
  if (existing.request_hash !== requestHash) {
    throw new IdempotencyConflictError(
      'This Idempotency-Key was already used for a different complaint',
    )
  }
  return { id: existing.id, receipt: existing.receipt }
}

/**
 * The complaint with this id, or `undefined`.
 *
 * @example
 * const complaint = await findComplaint(db, 'cmp_…')
 */
export function findComplaint(db: Kysely<Tables>, id: string): Promise<ComplaintRow | undefined> {
  return db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst()
}

/**
 * Throw `UnauthorizedError` (`401 unauthorized`) unless the bearer token is this complaint's.
 *
 * @example
 * authorize(complaint, bearer(c))
 */
export function authorize(complaint: ComplaintRow, token: string | undefined): void {
  if (!token || !matchesHash(token, complaint.token_hash)) {
    throw new UnauthorizedError('unauthorized', 'The token does not match this complaint')
  }
}

/**
 * A timestamp from the database as ISO 8601, as every answer writes it.
 *
 * @example
 * iso(row.created_at) // '2026-03-01T12:00:00.000Z'
 */
export const iso = (value: Date | string) => new Date(value).toISOString()

/**
 * `GET /v1/complaints/{id}`: where the complaint stands, with the remedies
 * issued so far and the owner's replies (the `replied` events, oldest first;
 * the field is left out until there is one, as the protocol allows).
 *
 * @example
 * const report = await statusReport(db, complaint) // { id, reference, status, recoveries, updatedAt }
 */
export async function statusReport(
  db: Kysely<Tables>,
  complaint: ComplaintRow,
): Promise<StatusReport> {
  const [recoveries, replied] = await Promise.all([
    issuedRecoveries(db, complaint.id),
    db
      .selectFrom('events')
      .select(['data', 'created_at'])
      .where('complaint_id', '=', complaint.id)
      .where('type', '=', 'replied')
      .orderBy('id')
      .execute(),
  ])
  // Only what the customer should see: never the idempotency key stored beside it.
  const replies = replied.map(({ data, created_at }) => {
    const { message, author } = data as { message: string; author: string | null }
    return { message, ...(author ? { author } : {}), at: iso(created_at as unknown as Date) }
  })
  return {
    id: complaint.id,
    reference: complaint.reference,
    status: complaint.status,
    recoveries,
    ...(replies.length ? { replies } : {}),
    updatedAt: iso(complaint.updated_at),
  }
}

/**
 * Record a follow-up answer; `resolved: false` reopens the complaint.
 *
 * @example
 * await recordFollowUp(db, complaint, { score: 4, resolved: true })
 */
export async function recordFollowUp(
  db: Kysely<Tables>,
  complaint: ComplaintRow,
  answer: FollowUp,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('follow_ups')
      .values({
        complaint_id: complaint.id,
        score: answer.score,
        resolved: answer.resolved,
        comment: answer.comment ?? null,
        fairness: JSON.stringify(answer.fairness ?? null),
      })
      .execute()
    await emit(trx, complaint.site_id, {
      type: 'follow_up',
      complaintId: complaint.id,
      reference: complaint.reference,
      answer,
    })
    if (answer.resolved) return
    // Read the status under a row lock, so two answers at once record one change each way.
    const current = await trx
      .selectFrom('complaints')
      .select('status')
      .where('id', '=', complaint.id)
      .forUpdate()
      .executeTakeFirstOrThrow()
    if (current.status === 'reopened') return
    await trx
      .updateTable('complaints')
      .set({ status: 'reopened', updated_at: new Date() })
      .where('id', '=', complaint.id)
      .execute()
    await emit(trx, complaint.site_id, {
      type: 'status_changed',
      complaintId: complaint.id,
      reference: complaint.reference,
      from: current.status,
      to: 'reopened',
      by: 'follow_up',
    })
  })
}
