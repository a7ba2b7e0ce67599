/**
 * @module Remedies in the admin API: issued by hand ("empower the front
 * line": an agent gives what the caps allow without asking anyone), the caps
 * a complaint stands at, and approving or rejecting a remedy that waits for
 * it. The cap check, the ledger and the decision are the policy engine's
 * (`issueRemedy`, `remedyCaps`, `decidePending`), so a hand-issued remedy is
 * held to the same limits under the same locks.
 */
import { randomUUID } from 'node:crypto'
import {
  ApproveBodySchema,
  IdParamsSchema,
  RemedyHeadersSchema,
  RemedyRequestSchema,
  type RemedyResult,
} from '@redress/protocol/admin'
import { type Context, Hono } from 'hono'
import type { Kysely } from 'kysely'
import { iso } from '../../complaints'
import type { RecoveryRow, Tables } from '../../db/schema'
import { ApiError, readJson, valid } from '../../http'
import type { Actor } from '../../people'
import { type Authority, decidePending, issueRemedy, remedyCaps } from '../../recovery'
import { type AdminEnv, actorRef, findOwn } from './context'

/**
 * A ledger row as the admin API answers about one remedy.
 *
 * @example
 * c.json(remedyView(row, created), created ? 201 : 200)
 */
export const remedyView = (row: RecoveryRow, changed: boolean): RemedyResult => ({
  id: row.id,
  complaintId: row.complaint_id,
  policyKey: row.policy_key,
  kind: row.kind,
  status: row.status,
  value: Number(row.value),
  currency: row.currency,
  code: row.code,
  expiresAt: row.expires_at ? iso(row.expires_at) : null,
  recovery: row.recovery ? JSON.parse(row.recovery) : null,
  changed,
})

/**
 * The remedy routes, a sub-app for the admin API (which has authenticated the site):
 * `GET /complaints/:id/caps`, `POST /complaints/:id/recoveries`,
 * `POST /recoveries/:id/approve` and `POST /recoveries/:id/reject`.
 *
 * @example
 * admin.route('/', remedyRoutes(db))
 * // POST /v1/admin/complaints/cmp_…/recoveries { "kind": "coupon", "value": 1500 } → 201 the remedy
 */
/** A person's own limits; tokens act for the site, within its caps only. */
const authorityOf = (actor: Actor): Authority | undefined =>
  actor.kind === 'user'
    ? {
        userId: actor.id,
        name: actor.name,
        remedyLimit: actor.remedyLimit,
        dayLimit: actor.dayLimit,
      }
    : undefined

export function remedyRoutes(db: Kysely<Tables>): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()

  const decide = (decision: 'approve' | 'reject') => async (c: Context<AdminEnv>) => {
    let value: number | undefined
    if (decision === 'approve' && c.req.header('content-type')) {
      value = valid(ApproveBodySchema, await readJson(c)).value
    }
    const { id } = valid(IdParamsSchema, c.req.param())
    const result = await db.transaction().execute((trx) =>
      decidePending(trx, {
        site: c.get('site'),
        recoveryId: id,
        decision,
        value,
        authority: authorityOf(c.get('actor')),
        actor: actorRef(c.get('actor')),
      }),
    )
    if (!result) throw new ApiError(404, 'not_found', `No remedy ${id}`)
    return c.json(remedyView(result.row, result.changed))
  }
  routes.post('/recoveries/:id/approve', decide('approve'))
  routes.post('/recoveries/:id/reject', decide('reject'))

  routes.get('/complaints/:id/caps', async (c) => {
    const site = c.get('site')
    const complaint = await findOwn(db, site, valid(IdParamsSchema, c.req.param()).id)
    return c.json(await remedyCaps(db, site, complaint))
  })

  routes.post('/complaints/:id/recoveries', async (c) => {
    const { idempotencyKey: key } = valid(RemedyHeadersSchema, {
      idempotencyKey: c.req.header('idempotency-key'),
    })
    const { id: complaintId } = valid(IdParamsSchema, c.req.param())
    const remedy = valid(RemedyRequestSchema, await readJson(c))
    const site = c.get('site')
    const { row, created } = await db.transaction().execute((trx) =>
      issueRemedy(trx, {
        site,
        complaintId,
        // Without a key every call is a new remedy; with one, a retry is safe.
        policyKey: `manual:${key ?? randomUUID()}`,
        remedy,
        caps: 'enforce',
        by: c.get('actor').kind === 'user' ? c.get('actor').name : 'admin',
        authority: authorityOf(c.get('actor')),
        actor: actorRef(c.get('actor')),
      }),
    )
    return c.json(remedyView(row, created), created ? 201 : 200)
  })

  return routes
}
