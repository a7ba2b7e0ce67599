/**
 * @module The complaints in the admin API: `GET /v1/admin/complaints` (the
 * list), `GET /v1/admin/complaints/{id}` (everything about one) and
 * `PATCH /v1/admin/complaints/{id}` (status, owner, root cause, assessment).
 */
import type { Complaint, Status } from '@redress/protocol'
import {
  type ComplaintDetail,
  ComplaintListQuerySchema,
  type ComplaintPage,
  ComplaintPatchSchema,
  type ComplaintSummary,
  IdParamsSchema,
  type ParsedComplaintPatch,
  type RootCause,
} from '@redress/protocol/admin'
import { Hono } from 'hono'
import { type Kysely, sql } from 'kysely'
import type { BlobStore } from '../../blobs/types'
import { iso } from '../../complaints'
import type { ComplaintRow, Site, Tables } from '../../db/schema'
import { ApiError, readJson, valid } from '../../http'
import { emit, type OutboxEvent } from '../../outbox'
import { type Actor, can } from '../../people'
import { effectivePolicy, failureTypeOf, type Policy } from '../../recovery'
import { attachmentView } from './attachments'
import { type AdminEnv, actorRef, findOwn } from './context'
import { alertOf, encodeCursor, listQuery } from './list-query'

/** Per complaint: whether a remedy waits for approval, and whether one was given. */
type RemedyFlags = Map<string, { pending: boolean; given: boolean }>

async function remedyFlags(db: Kysely<Tables>, ids: string[]): Promise<RemedyFlags> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('recoveries')
    .select([
      'complaint_id',
      sql<boolean>`bool_or(status = 'pending_approval')`.as('pending'),
      sql<boolean>`bool_or(status IN ('issued', 'approved') AND kind NOT IN ('apology', 'escalation'))`.as(
        'given',
      ),
    ])
    .where('complaint_id', 'in', ids)
    .groupBy('complaint_id')
    .execute()
  return new Map(rows.map((row) => [row.complaint_id, { pending: row.pending, given: row.given }]))
}

/** A complaint as the list shows it. */
function summary(row: ComplaintRow, policy: Policy, flags: RemedyFlags): ComplaintSummary {
  const body = row.body as Complaint
  return {
    pendingApproval: flags.get(row.id)?.pending ?? false,
    remedyGiven: flags.get(row.id)?.given ?? false,
    id: row.id,
    reference: row.reference,
    status: row.status,
    category: row.category,
    failureType: failureTypeOf(policy, row.category),
    severity: row.severity,
    suspicion: row.suspicion,
    firstReplyAt: row.first_reply_at ? iso(row.first_reply_at) : null,
    guarantee: row.guarantee_state,
    pageUrl: body.page?.url ?? null,
    assignee: row.assignee,
    assigneeId: row.assignee_id,
    rootCause: row.root_cause,
    customerId: row.customer_id,
    verified: row.verified !== null,
    orderRef: row.order_ref,
    excerpt:
      body.description.length > 140 ? `${body.description.slice(0, 139)}…` : body.description,
    receivedAt: iso(row.received_at),
    updatedAt: iso(row.updated_at),
  }
}

/** Everything about one complaint: what the customer sent, its handling, remedies, answers, timeline. */
async function detail(db: Kysely<Tables>, row: ComplaintRow): Promise<ComplaintDetail> {
  const [recoveries, followUps, events, mails, attachments] = await Promise.all([
    db
      .selectFrom('recoveries')
      .selectAll()
      .where('complaint_id', '=', row.id)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('follow_ups')
      .selectAll()
      .where('complaint_id', '=', row.id)
      .orderBy('id')
      .execute(),
    db.selectFrom('events').selectAll().where('complaint_id', '=', row.id).orderBy('id').execute(),
    db
      .selectFrom('mail_messages')
      .select([
        'id',
        'kind',
        'recipient',
        'subject',
        'state',
        'attempts',
        'last_error',
        'text_body',
        'created_at',
        'sent_at',
      ])
      .where('complaint_id', '=', row.id)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('attachments')
      .selectAll()
      .where('complaint_id', '=', row.id)
      .orderBy('seq')
      .execute(),
  ])
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    assignee: row.assignee,
    assigneeId: row.assignee_id,
    rootCause: row.root_cause,
    recoveryAppropriate: row.recovery_appropriate,
    suspicion: row.suspicion,
    firstReplyAt: row.first_reply_at ? iso(row.first_reply_at) : null,
    guarantee: row.guarantee
      ? {
          ...row.guarantee,
          dueAt: row.guarantee_due_at ? iso(row.guarantee_due_at) : null,
          state: row.guarantee_state,
        }
      : null,
    verified: row.verified,
    complaint: row.body,
    receivedAt: iso(row.received_at),
    updatedAt: iso(row.updated_at),
    recoveries: recoveries.map((r) => ({
      id: r.id,
      policyKey: r.policy_key,
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      value: Number(r.value),
      currency: r.currency,
      code: r.code,
      expiresAt: r.expires_at ? iso(r.expires_at) : null,
      recovery: r.recovery ? JSON.parse(r.recovery) : null,
      reusedFrom: r.reused_from,
      createdAt: iso(r.created_at),
      decidedAt: r.decided_at ? iso(r.decided_at) : null,
    })),
    followUps: followUps.map((f) => ({
      score: f.score,
      resolved: f.resolved,
      comment: f.comment,
      fairness: f.fairness,
      createdAt: iso(f.created_at as unknown as Date),
    })),
    timeline: events.map((e) => ({
      type: e.type,
      data: e.data,
      at: iso(e.created_at as unknown as Date),
    })),
    // Every mail, sent or not: without SMTP they are the owner's only way to read them.
    mails: mails.map((m) => ({
      id: m.id,
      kind: m.kind,
      to: m.recipient,
      subject: m.subject,
      state: m.state,
      attempts: Number(m.attempts),
      lastError: m.last_error,
      text: m.text_body,
      createdAt: iso(m.created_at),
      sentAt: m.sent_at ? iso(m.sent_at) : null,
    })),
    attachments: attachments.map(attachmentView),
  }
}

/**
 * Who `assignee` names: `me` (a person signed in), `null` (nobody), one of
 * the site's people by id (`usr_…`), or, from a token, a name as before.
 */
async function assigneeOf(
  db: Kysely<Tables>,
  site: Site,
  actor: Actor,
  assignee: string | null,
): Promise<{ id: string | null; name: string | null }> {
  if (assignee === null) return { id: null, name: null }
  if (assignee === 'me') {
    if (actor.kind !== 'user')
      throw new ApiError(
        400,
        'invalid_request',
        'Only a person signed in can take a complaint as "me"',
        {
          field: 'assignee',
        },
      )
    return { id: actor.id, name: actor.name }
  }
  if (assignee.startsWith('usr_')) {
    const person = await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('site_id', '=', site.id)
      .where('id', '=', assignee)
      .where('disabled_at', 'is', null)
      .executeTakeFirst()
    if (!person)
      throw new ApiError(400, 'invalid_request', `No team member ${assignee}`, {
        field: 'assignee',
      })
    return person
  }
  // A person names people by id; a script may still write a name.
  if (actor.kind === 'user')
    throw new ApiError(400, 'invalid_request', 'assignee is "me", a team member’s id, or null', {
      field: 'assignee',
    })
  return { id: null, name: assignee }
}

/**
 * Apply a patch under the complaint's row lock. Its side effects are all
 * here: one timeline event per change, emitted in the same transaction (a
 * move to `resolved` also sends `complaint.resolved`).
 */
async function applyPatch(
  db: Kysely<Tables>,
  site: Site,
  id: string,
  patch: ParsedComplaintPatch,
  actor: Actor,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findOwn(trx, site, id, true)
    const now = new Date()
    const complaintId = row.id
    const by = actorRef(actor)
    const set: {
      status?: Status
      assignee?: string | null
      assignee_id?: string | null
      root_cause?: RootCause | null
      recovery_appropriate?: boolean | null
    } = {}
    const events: OutboxEvent[] = []
    if (patch.assignee !== undefined) {
      const target = await assigneeOf(trx, site, actor, patch.assignee)
      if (target.name !== row.assignee || target.id !== row.assignee_id) {
        // A person takes a free complaint, or lets go of their own; handing one to
        // someone else, or taking one someone else owns, is a manager's call.
        const self = actor.kind === 'user' ? actor.id : undefined
        const own = row.assignee === null || (self !== undefined && row.assignee_id === self)
        const toSelfOrNobody = target.name === null || (self !== undefined && target.id === self)
        if (actor.kind === 'user' && !(own && toSelfOrNobody) && !can(actor, 'approve'))
          throw new ApiError(
            403,
            'forbidden',
            own
              ? 'Only a manager hands a complaint to someone else'
              : `${row.assignee} owns this complaint; only a manager hands it on`,
          )
        // Whoever first takes it owns it: changing someone else's needs `force`.
        if (!own && !patch.force) {
          throw new ApiError(
            409,
            'conflict',
            `${row.assignee} already owns this complaint; send force: true to reassign it`,
            { field: 'assignee' },
          )
        }
        set.assignee = target.name
        set.assignee_id = target.id
        events.push({
          type: 'assigned',
          complaintId,
          from: row.assignee,
          to: target.name,
          actor: by,
        })
      }
    }
    if (patch.status !== undefined && patch.status !== row.status) {
      set.status = patch.status
      events.push({
        type: 'status_changed',
        complaintId,
        reference: row.reference,
        from: row.status,
        to: patch.status,
        by: 'admin',
        at: now,
        actor: by,
      })
    }
    if (patch.rootCause !== undefined && patch.rootCause !== row.root_cause) {
      set.root_cause = patch.rootCause
      events.push({
        type: 'root_cause',
        complaintId,
        from: row.root_cause,
        to: patch.rootCause,
        actor: by,
      })
    }
    if (
      patch.recoveryAppropriate !== undefined &&
      patch.recoveryAppropriate !== row.recovery_appropriate
    ) {
      set.recovery_appropriate = patch.recoveryAppropriate
      events.push({
        type: 'recovery_assessed',
        complaintId,
        from: row.recovery_appropriate,
        to: patch.recoveryAppropriate,
        actor: by,
      })
    }
    if (events.length === 0) return
    await trx
      .updateTable('complaints')
      .set({ ...set, updated_at: now })
      .where('id', '=', row.id)
      .execute()
    await emit(trx, site.id, ...events)
  })
}

/**
 * The complaint routes, a sub-app for the admin API (which has authenticated the site).
 *
 * @example
 * admin.route('/', complaintRoutes(db))
 * // GET /v1/admin/complaints?status=received&limit=10 → 200 { items: [...], nextCursor: '…' }
 */
export function complaintRoutes(db: Kysely<Tables>, blobs?: BlobStore): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()

  // An owner's (the route needs `configure`): the complaint, its timeline, answers,
  // mails and photos, bytes included. Refused while other records refer to its
  // remedies (a coupon-pool code, another complaint's shared remedy).
  routes.delete('/complaints/:id', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    const site = c.get('site')
    const photos = await db.transaction().execute(async (trx) => {
      const row = await findOwn(trx, site, id, true)
      const keys = await trx
        .selectFrom('attachments')
        .select('blob_key')
        .where('complaint_id', '=', row.id)
        .execute()
      try {
        await trx.deleteFrom('complaints').where('id', '=', row.id).execute()
      } catch (error) {
        if ((error as { code?: unknown }).code !== '23503') throw error
        throw new ApiError(
          409,
          'conflict',
          `Complaint ${id} cannot be deleted: other records refer to its remedies (a coupon-pool code, or a remedy shared with another complaint)`,
        )
      }
      return keys.map((key) => key.blob_key)
    })
    // After the commit: bytes whose rows are gone are never listed.
    for (const key of photos) await blobs?.delete(key)
    return c.body(null, 204)
  })

  routes.get('/complaints', async (c) => {
    const { limit, cursor, ...filters } = valid(ComplaintListQuerySchema, c.req.query())
    const alert = await alertOf(db, c.get('site'), filters.alert)
    const rows = await listQuery(db, c.get('site'), filters, cursor, alert, c.get('actor'))
      .limit(limit + 1)
      .execute()
    const page = rows.slice(0, limit)
    const policy = effectivePolicy(c.get('site'))
    const flags = await remedyFlags(
      db,
      page.map((row) => row.id),
    )
    return c.json({
      items: page.map((row) => summary(row, policy, flags)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    } satisfies ComplaintPage)
  })

  routes.get('/complaints/:id', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    return c.json(await detail(db, await findOwn(db, c.get('site'), id)))
  })

  routes.patch('/complaints/:id', async (c) => {
    const patch = valid(ComplaintPatchSchema, await readJson(c))
    const { id } = valid(IdParamsSchema, c.req.param())
    const site = c.get('site')
    await applyPatch(db, site, id, patch, c.get('actor'))
    return c.json(await detail(db, await findOwn(db, site, id)))
  })

  return routes
}
