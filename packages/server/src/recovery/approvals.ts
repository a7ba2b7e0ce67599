/**
 * @module Approvals: the owner approves or rejects a remedy that waits for
 * it (`pending_approval`), under the same locks as every other path.
 */
import { formatMoney, type Recovery, toLocale } from '@redress/protocol'
import type { ActorRef } from '@redress/protocol/admin'
import type { Transaction } from 'kysely'
import type { RecoveryRow, RecoveryStatus, Site, Tables } from '../db/schema'
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors'
import { emit } from '../outbox'
import { type Authority, chargeAuthority } from './authority'
import { chargeCaps } from './caps'
import { claimPoolCode } from './coupon-pool'
import { MONEY_KINDS, SPENT } from './ledger'
import { effectivePolicy } from './policy'
import { type Made, makeRemedy, poolEmpty } from './remedies'
import { clientLocale } from './texts'

/** What `decidePending` did. */
export interface PendingDecision {
  row: RecoveryRow
  /** `false` when the row was already decided this way: nothing was written. */
  changed: boolean
}

/**
 * Approve or reject a remedy that waits for approval (the admin API), under
 * the complaint's row lock, then the remedy's (the complaint first, as in
 * `issueRemedy` and the guarantee worker, so the paths never wait on each
 * other in a cycle, and a concurrent hand-issued remedy sees this approval in
 * what the complaint was given). Approving makes the coupon now (a generated
 * code, or a code from the site's pool worth at most the approved value, which
 * becomes the value, exactly it for a guarantee; none is `409 conflict`), the
 * refund or the replacement's message, worded now in the complaint's locale,
 * counts the value in the site's day, and emits `recovery_approved` (which enqueues
 * `recovery.issued`); the row becomes `approved`, which the customer sees like
 * `issued`. Deciding a row the same way twice changes nothing; the other way
 * is `ConflictError`. `value` (minor units, at most the policy's per-complaint
 * ceiling, or the promised value for a guarantee when that is more) overrides
 * the drafted value, needed when it is 0 (an order value in another currency,
 * a refund without an order value). A remedy shared with an earlier complaint
 * about the same incident takes that complaint's coupon once it was given;
 * otherwise a fresh one is made and counted as this complaint's own.
 * Returns `undefined` when the site has no such row.
 *
 * @example
 * await db.transaction().execute((trx) => decidePending(trx, { site, recoveryId, decision: 'approve', value: 500 }))
 */
export async function decidePending(
  trx: Transaction<Tables>,
  input: {
    site: Site
    recoveryId: string
    decision: 'approve' | 'reject'
    value?: number | undefined
    now?: Date
    /** The person deciding: approving needs their own limits to cover the remedy. */
    authority?: Authority | undefined
    /** Who decided, named on the timeline. */
    actor?: ActorRef | undefined
  },
): Promise<PendingDecision | undefined> {
  const { site, recoveryId: id, decision } = input
  const now = input.now ?? new Date()
  // The complaint's row first (a remedy's complaint never changes): every path
  // locks complaint, customer, site day in that order.
  const target = await trx
    .selectFrom('recoveries')
    .select('complaint_id')
    .where('id', '=', id)
    .where('site_id', '=', site.id)
    .executeTakeFirst()
  if (!target) return undefined
  await trx
    .selectFrom('complaints')
    .select('id')
    .where('id', '=', target.complaint_id)
    .where('site_id', '=', site.id)
    .forUpdate()
    .executeTakeFirst()
  const row = await trx
    .selectFrom('recoveries')
    .selectAll()
    .where('id', '=', id)
    .where('site_id', '=', site.id)
    .forUpdate()
    .executeTakeFirst()
  if (!row) return undefined
  const done: RecoveryStatus[] = decision === 'approve' ? ['approved', 'issued'] : ['rejected']
  if (done.includes(row.status)) return { row, changed: false }
  if (row.status !== 'pending_approval') {
    throw new ConflictError(`Remedy ${id} is already ${row.status}`)
  }

  if (decision === 'reject') {
    const rejected = await trx
      .updateTable('recoveries')
      .set({ status: 'rejected', decided_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await emit(trx, site.id, { type: 'recovery_rejected', row: rejected, actor: input.actor })
    return { row: rejected, changed: true }
  }

  const policy = effectivePolicy(site)
  // A guarantee is a fixed promise: it may be worth more than the per-complaint ceiling.
  const guarantee = row.policy_key === 'guarantee'
  const ceiling = guarantee
    ? Math.max(policy.caps.perComplaintMax, Number(row.value))
    : policy.caps.perComplaintMax
  let value = input.value ?? Number(row.value)
  if ((row.kind === 'coupon' || row.kind === 'refund') && value <= 0) {
    throw new InvalidInputError(`Give the ${row.kind} a value (minor units) to approve it`, 'value')
  }
  if (value > ceiling) {
    throw new InvalidInputError(
      `At most ${formatMoney(ceiling, policy.currency)} per complaint`,
      'value',
    )
  }
  if (input.authority && MONEY_KINDS.includes(row.kind)) {
    const over = await chargeAuthority(trx, input.authority, value, now)
    if (over)
      throw new ForbiddenError(
        over === 'remedy'
          ? `Approving ${formatMoney(value, policy.currency)} is beyond ${input.authority.name}'s limit of ${formatMoney(input.authority.remedyLimit ?? 0, policy.currency)} per remedy`
          : `Approving ${formatMoney(value, policy.currency)} would take ${input.authority.name} past their limit of ${formatMoney(input.authority.dayLimit ?? 0, policy.currency)} for today`,
      )
  }
  let made: Made
  const original = row.reused_from
    ? await trx
        .selectFrom('recoveries')
        .selectAll()
        .where('id', '=', row.reused_from)
        .executeTakeFirst()
    : undefined
  const shared = original?.recovery && SPENT.includes(original.status) ? original : undefined
  if (shared) {
    // Same incident, same remedy: share the first complaint's coupon once it was issued.
    made = {
      value,
      code: shared.code,
      expiresAt: shared.expires_at ? new Date(shared.expires_at) : null,
      recovery: JSON.parse(shared.recovery!) as Recovery,
      poolCode: null,
    }
  } else if (MONEY_KINDS.includes(row.kind)) {
    const complaint = await trx
      .selectFrom('complaints')
      .select(['order_ref', clientLocale])
      .where('id', '=', row.complaint_id)
      .executeTakeFirstOrThrow()
    const fresh = await makeRemedy(trx, {
      site,
      policy,
      locale: toLocale(complaint.locale),
      kind: row.kind,
      value,
      now,
      orderRef: complaint.order_ref,
      exact: guarantee,
    })
    if (!fresh) throw poolEmpty(policy, value, guarantee)
    made = fresh
    value = fresh.value
  } else {
    throw new ConflictError(`A ${row.kind} cannot be approved here`)
  }
  // The owner overrides the caps, but the day's total still counts what was given.
  if (!shared) {
    await chargeCaps(trx, {
      site,
      policy,
      subject: { customerId: row.customer_id, orderValue: undefined, given: 0 },
      value,
      now,
      caps: 'count',
    })
  }
  const approved = await trx
    .updateTable('recoveries')
    .set({
      status: 'approved',
      value,
      code: made.code,
      expires_at: made.expiresAt,
      recovery: JSON.stringify(made.recovery),
      decided_at: now,
      // A fresh coupon is this complaint's own: counted in the customer's caps and in Insights.
      reused_from: shared ? row.reused_from : null,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (made.poolCode) await claimPoolCode(trx, site.id, made.poolCode, id)
  await emit(trx, site.id, { type: 'recovery_approved', row: approved, actor: input.actor })
  return { row: approved, changed: true }
}
