/**
 * @module The ledger of remedies (`recoveries`): one row per complaint and
 * rule (`policy_key`), written once, whoever decided it (the policy, the
 * owner, a guarantee), and what a customer may see of it.
 */
import type { Recovery, RecoveryKind } from '@redress/protocol'
import type { ActorRef, PendingReason } from '@redress/protocol/admin'
import type { Kysely, Transaction } from 'kysely'
import { recoveryId } from '../_lib/crypto'
import type { RecoveryRow, RecoveryStatus, Site, Tables } from '../db/schema'
import { emit } from '../outbox'
import { claimPoolCode } from './coupon-pool'

/** Statuses whose value counts against the caps, and which the customer sees. */
export const SPENT: RecoveryStatus[] = ['issued', 'approved']

/** The remedies that cost money, checked against the caps. */
export const MONEY_KINDS: readonly RecoveryKind[] = ['coupon', 'refund', 'replacement']

/** A ledger row before it is written. */
export interface Draft {
  kind: RecoveryKind
  value: number
  currency: string | null
  status: RecoveryStatus
  reason: PendingReason | null
  code: string | null
  expiresAt: Date | null
  recovery: Recovery | null
  reusedFrom: string | null
  /** A code taken from the site's coupon pool, claimed once the ledger row exists. */
  poolCode: string | null
}

/**
 * A remedy given at once, costing nothing.
 *
 * @example
 * plain({ kind: 'apology', message: "We're sorry." }).status // 'issued'
 */
export const plain = (recovery: Recovery): Draft => ({
  kind: recovery.kind,
  value: 0,
  currency: null,
  status: 'issued',
  reason: null,
  code: null,
  expiresAt: null,
  recovery,
  reusedFrom: null,
  poolCode: null,
})

/**
 * A remedy that waits for the owner: no code, no recovery shown, nothing counted.
 *
 * @example
 * pendingDraft('coupon', 'EUR', 'unverified').status // 'pending_approval'
 */
export const pendingDraft = (
  kind: RecoveryKind,
  currency: string,
  reason: PendingReason,
): Draft => ({
  kind,
  value: 0,
  currency,
  status: 'pending_approval',
  reason,
  code: null,
  expiresAt: null,
  recovery: null,
  reusedFrom: null,
  poolCode: null,
})

/** Whose ledger a row goes to, and under which policy. */
export interface LedgerOwner {
  site: Site
  /** The complaint's id. */
  id: string
  customerId: string | null
  /** The policy's `policyHash`. */
  hash: string
}

/**
 * Write one ledger row, once: `INSERT … ON CONFLICT (complaint_id,
 * policy_key) DO NOTHING`, then read back whichever row is there. Only when
 * this call wrote it does the timeline get a `recovery` event (with `extra`:
 * who issued it and the request's fingerprint), an issued row its
 * `recovery.issued` webhook, and a pool code its claim.
 *
 * @example
 * const { row, created } = await issue(trx, { site, id, customerId: null, hash }, 'apology', plain(apology))
 */
export async function issue(
  trx: Transaction<Tables>,
  owner: LedgerOwner,
  policyKey: string,
  draft: Draft,
  extra: { by?: string; request?: string; actor?: ActorRef | undefined } = {},
): Promise<{ row: RecoveryRow; created: boolean }> {
  const inserted = await trx
    .insertInto('recoveries')
    .values({
      id: recoveryId(),
      complaint_id: owner.id,
      site_id: owner.site.id,
      customer_id: owner.customerId,
      policy_key: policyKey,
      kind: draft.kind,
      value: draft.value,
      currency: draft.currency,
      status: draft.status,
      reason: draft.reason,
      code: draft.code,
      expires_at: draft.expiresAt,
      recovery: draft.recovery ? JSON.stringify(draft.recovery) : null,
      reused_from: draft.reusedFrom,
      policy_hash: owner.hash,
    })
    .onConflict((conflict) => conflict.columns(['complaint_id', 'policy_key']).doNothing())
    .returningAll()
    .executeTakeFirst()
  if (inserted) {
    if (draft.poolCode) await claimPoolCode(trx, owner.site.id, draft.poolCode, inserted.id)
    await emit(trx, owner.site, { type: 'recovery', row: inserted, ...extra })
    return { row: inserted, created: true }
  }
  const row = await trx
    .selectFrom('recoveries')
    .selectAll()
    .where('complaint_id', '=', owner.id)
    .where('policy_key', '=', policyKey)
    .executeTakeFirstOrThrow()
  return { row, created: false }
}

/**
 * Every ledger row of a complaint, in order.
 *
 * @example
 * const rows = await ledgerOf(trx, complaintId) // [apology, remedy, escalation]
 */
export const ledgerOf = (db: Kysely<Tables>, complaintId: string): Promise<RecoveryRow[]> =>
  db
    .selectFrom('recoveries')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .orderBy('seq')
    .execute()

/**
 * The remedies a customer may see for a complaint: issued or approved, in order.
 *
 * @example
 * const recoveries = await issuedRecoveries(db, complaint.id) // [{ kind: 'apology', … }, { kind: 'coupon', … }]
 */
export async function issuedRecoveries(
  db: Kysely<Tables>,
  complaintId: string,
): Promise<Recovery[]> {
  const rows = await db
    .selectFrom('recoveries')
    .select('recovery')
    .where('complaint_id', '=', complaintId)
    .where('status', 'in', SPENT)
    .where('recovery', 'is not', null)
    .orderBy('seq')
    .execute()
  return rows.map((row) => JSON.parse(row.recovery!) as Recovery)
}
