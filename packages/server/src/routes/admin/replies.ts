/**
 * @module Replying to the customer: `POST /v1/admin/complaints/{id}/replies`.
 * A reply is a `replied` event on the complaint's timeline (there is no
 * table of its own); the customer reads the replies in the status report.
 */
import {
  type ActorRef,
  IdParamsSchema,
  ReplyBodySchema,
  ReplyHeadersSchema,
  type ReplyView,
} from '@redress/protocol/admin'
import { Hono } from 'hono'
import { type Kysely, sql } from 'kysely'
import { iso } from '../../complaints'
import type { Tables } from '../../db/schema'
import { ApiError, readJson, valid } from '../../http'
import { emit } from '../../outbox'
import { type AdminEnv, actorRef, findOwn } from './context'

/** What a `replied` event's `data` holds (`statusReport` reads `message` and `author`). */
interface ReplyData {
  message: string
  author: string | null
  /** The `Idempotency-Key` it was sent with, if any: a retry finds the reply by it. */
  idempotencyKey: string | null
}

const view = (row: {
  id: string | number | bigint
  data: unknown
  created_at: unknown
}): ReplyView => {
  const data = row.data as ReplyData
  return {
    id: String(row.id),
    message: data.message,
    author: data.author,
    at: iso(row.created_at as Date),
  }
}

/**
 * Store a reply under the complaint's row lock: a `replied` event, the first
 * reply's time (which keeps a service guarantee), `received` → `in_progress`,
 * and a `reply.sent` webhook. The lock also serialises retries with one
 * `Idempotency-Key`, so concurrent ones store (and send) one reply.
 */
async function storeReply(
  db: Kysely<Tables>,
  input: {
    site: AdminEnv['Variables']['site']
    id: string
    reply: { message: string; author: string | null }
    key: string | null
    actor: ActorRef
  },
): Promise<{ created: boolean; reply: ReplyView }> {
  const { site, id, reply, key } = input
  return db.transaction().execute(async (trx) => {
    const row = await findOwn(trx, site, id, true)
    if (key !== null) {
      // Read under the lock: a retry that waited for it sees the first reply committed.
      const earlier = await trx
        .selectFrom('events')
        .select(['id', 'data', 'created_at'])
        .where('complaint_id', '=', row.id)
        .where('type', '=', 'replied')
        .where(sql<boolean>`data->>'idempotencyKey' = ${key}`)
        .orderBy('id')
        .executeTakeFirst()
      if (earlier) {
        const first = view(earlier)
        if (first.message !== reply.message || first.author !== reply.author) {
          throw new ApiError(
            409,
            'idempotency_conflict',
            'This Idempotency-Key was already used for a different reply to this complaint',
          )
        }
        return { created: false, reply: first }
      }
    }
    // The timeline row is the reply: its id and time are the reply's, and one
    // instant serves the reply, the complaint's change and the first reply.
    const [written] = await emit(trx, site.id, {
      type: 'replied',
      complaintId: row.id,
      reference: row.reference,
      ...reply,
      idempotencyKey: key,
      actor: input.actor,
    })
    const { id: replyId, createdAt: now } = written!
    const moves = row.status === 'received'
    await trx
      .updateTable('complaints')
      .set({
        updated_at: now,
        first_reply_at: row.first_reply_at ?? now,
        ...(moves ? { status: 'in_progress' as const } : {}),
      })
      .where('id', '=', row.id)
      .execute()
    if (moves) {
      await emit(trx, site.id, {
        type: 'status_changed',
        complaintId: row.id,
        reference: row.reference,
        from: 'received',
        to: 'in_progress',
        by: 'reply',
        at: now,
        actor: input.actor,
      })
    }
    return { created: true, reply: { id: replyId, ...reply, at: iso(now) } }
  })
}

/**
 * The reply route, a sub-app for the admin API (which has authenticated the site).
 *
 * @example
 * admin.route('/', replyRoutes(db))
 * // POST /v1/admin/complaints/cmp_…/replies  { "message": "We found your parcel.", "author": "Ana" }
 * // → 201 { "id": "42", "message": "We found your parcel.", "author": "Ana", "at": "…" }
 */
export function replyRoutes(db: Kysely<Tables>): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()

  routes.post('/complaints/:id/replies', async (c) => {
    const body = valid(ReplyBodySchema, await readJson(c))
    // A person signs their replies with their name unless they chose another.
    const actor = c.get('actor')
    const reply =
      actor.kind === 'user' && body.author === null ? { ...body, author: actor.name } : body
    const { idempotencyKey: key } = valid(ReplyHeadersSchema, {
      idempotencyKey: c.req.header('idempotency-key'),
    })
    const { id } = valid(IdParamsSchema, c.req.param())
    const result = await storeReply(db, {
      site: c.get('site'),
      id,
      reply,
      key,
      actor: actorRef(actor),
    })
    return c.json(result.reply, result.created ? 201 : 200)
  })

  return routes
}
