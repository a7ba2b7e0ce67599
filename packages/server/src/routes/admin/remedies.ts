/**
 * @module Remedies issued by hand from the admin API ("empower the front
 * line": an agent gives what the caps allow without asking anyone), the caps
 * a complaint stands at, and the coupon pool's routes. The cap check and the
 * ledger are the policy engine's (`issueRemedy`, `remedyCaps` in
 * `recovery.ts`), so a hand-issued remedy is held to the same limits under
 * the same locks.
 */
import { randomUUID } from 'node:crypto'
import { LIMITS, RECOVERY_KINDS, type RecoveryKind } from '@redress/protocol'
import type { RemedyInput, RemedyResult } from '@redress/protocol/admin'
import type { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { RecoveryRow, Tables } from '../../db/schema'
import { clean, readJson } from '../../http/body'
import { ApiError } from '../../http/errors'
import { couponPoolRoutes } from '../../recovery/coupon-pool'
import { ISO_DURATION } from '../../recovery/policy'
import { issueRemedy, remedyCaps } from '../../recovery/recovery'
import { type AdminEnv, findOwn, invalid, iso } from './admin'

const FIELDS = ['kind', 'value', 'message', 'label', 'contactWithin']
/** Kinds that need a value, and the one that may have one. */
const PRICED: readonly RecoveryKind[] = ['coupon', 'refund']
const MAY_COST: readonly RecoveryKind[] = ['coupon', 'refund', 'replacement']

/**
 * Check the body of `POST /v1/admin/complaints/{id}/recoveries`; throws
 * `400 invalid_request` naming the field.
 *
 * @example
 * parseRemedyRequest({ kind: 'coupon', value: 1500 }) // { kind: 'coupon', value: 1500 }
 * parseRemedyRequest({ kind: 'apology', value: 100 }) // throws: an apology costs nothing
 */
export function parseRemedyRequest(body: unknown): RemedyInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object { kind, value?, message?, label?, contactWithin? }', '')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) throw invalid(`Unknown field ${key}`, key)
  }
  const kind = input.kind as RecoveryKind
  if (!RECOVERY_KINDS.includes(kind)) {
    throw invalid(`kind must be one of ${RECOVERY_KINDS.join(', ')}`, 'kind')
  }
  const remedy: RemedyInput = { kind }
  if (input.value !== undefined) {
    if (!MAY_COST.includes(kind)) throw invalid(`A ${kind} costs nothing: send no value`, 'value')
    if (!Number.isSafeInteger(input.value) || (input.value as number) <= 0)
      throw invalid('value is a whole number of minor units above 0', 'value')
    remedy.value = input.value as number
  } else if (PRICED.includes(kind)) {
    throw invalid(`A ${kind} needs a value (minor units of the policy's currency)`, 'value')
  }
  // A message is free text (line breaks kept); a coupon's label is one line.
  const text = (field: 'message' | 'label', max: number) => {
    const value = input[field]
    if (value === undefined) return undefined
    const cleaned =
      typeof value === 'string'
        ? clean(value, field, { multiline: field === 'message' }).trim()
        : undefined
    if (!cleaned || cleaned.length > max) throw invalid(`${field} is 1–${max} characters`, field)
    return cleaned
  }
  const message = text('message', LIMITS.message)
  if (message !== undefined) {
    if (kind === 'coupon') throw invalid('A coupon has a label, not a message', 'message')
    remedy.message = message
  }
  const label = text('label', LIMITS.label)
  if (label !== undefined) {
    if (kind !== 'coupon') throw invalid('Only a coupon has a label', 'label')
    remedy.label = label
  }
  if (input.contactWithin !== undefined) {
    if (kind !== 'escalation')
      throw invalid('Only an escalation has contactWithin', 'contactWithin')
    if (typeof input.contactWithin !== 'string' || !ISO_DURATION.test(input.contactWithin))
      throw invalid('contactWithin is an ISO 8601 duration such as PT2H', 'contactWithin')
    remedy.contactWithin = input.contactWithin
  }
  return remedy
}

/** A ledger row as the admin API answers about one remedy. */
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
 * The routes, mounted with the admin API (`/v1/admin`):
 * `GET /complaints/:id/caps`, `POST /complaints/:id/recoveries`, and the
 * coupon pool's (`coupon-pool.ts`).
 */
export function remedyRoutes(admin: Hono<AdminEnv>, db: Kysely<Tables>): void {
  couponPoolRoutes(admin, db)

  admin.get('/complaints/:id/caps', async (c) => {
    const site = c.get('site')
    const complaint = await findOwn(db, site, c.req.param('id'))
    return c.json(await remedyCaps(db, site, complaint))
  })

  admin.post('/complaints/:id/recoveries', async (c) => {
    const key = c.req.header('idempotency-key')
    if (key !== undefined && (key.length === 0 || key.length > LIMITS.idempotencyKey)) {
      throw new ApiError(
        400,
        'invalid_request',
        `Idempotency-Key is 1–${LIMITS.idempotencyKey} characters`,
        { field: 'idempotencyKey' },
      )
    }
    // Checked, not normalised: a retry must send the very same key.
    if (key !== undefined) clean(key, 'idempotencyKey')
    const complaintId = clean(c.req.param('id'), 'id')
    const remedy = parseRemedyRequest(await readJson(c))
    const site = c.get('site')
    const { row, created } = await db.transaction().execute((trx) =>
      issueRemedy(trx, {
        site,
        complaintId,
        // Without a key every call is a new remedy; with one, a retry is safe.
        policyKey: `manual:${key ?? randomUUID()}`,
        remedy,
        caps: 'enforce',
        by: 'admin',
      }),
    )
    return c.json(remedyView(row, created), created ? 201 : 200)
  })
}
