/**
 * @module Remedies issued outside the policy's rules: by hand from the admin
 * API, or by a broken service guarantee. Held to the same caps (`chargeCaps`)
 * and written to the same ledger (`issue`) as the policy's.
 */
import { canonicalJson, toLocale } from '@redress/protocol'
import type { ActorRef, PendingReason, RemedyInput } from '@redress/protocol/admin'
import { sql, type Transaction } from 'kysely'
import { sha256 } from '../_lib/crypto'
import type { RecoveryRow, Site, Tables } from '../db/schema'
import { IdempotencyConflictError, InvalidInputError, NotFoundError } from '../errors'
import { type Authority, chargeAuthority } from './authority'
import { capExceeded, chargeCaps, complaintGiven, trustedOrder } from './caps'
import { type Draft, issue, type LedgerOwner, MONEY_KINDS, pendingDraft, plain } from './ledger'
import { effectivePolicy, policyHash } from './policy'
import { makeRemedy, poolEmpty } from './remedies'
import { clientLocale } from './texts'

/**
 * Issue one remedy for a complaint outside the policy's rules: by hand from
 * the admin API (`policyKey: 'manual:<Idempotency-Key>'`) or by a service
 * guarantee (`policyKey: 'guarantee'`). Under the complaint's row lock, then
 * the engine's locks in its order (customer, site day).
 *
 * - `caps: 'enforce'`: a money remedy must fit the per-complaint cap (less
 *   what the complaint got already), the customer's 30 days and the site's
 *   day, else `409 cap_exceeded` (`field: 'value'`, the message says how much
 *   is left) and nothing is written.
 * - `caps: 'guarantee'` (a broken service guarantee, a fixed promise): exempt
 *   from the per-complaint and customer caps, but held to the site's day
 *   (`policy.caps.perSiteDay`), since anyone can post a complaint: within it
 *   issued at once and counted; over it, a `pending_approval` row (reason
 *   `site_day_cap`) at the promised value, for the owner to approve.
 *
 * The remedy speaks the complaint's locale: the owner's words (`message`,
 * `label`) as given, the policy's texts of that locale for the rest.
 *
 * A coupon is generated, or taken from the site's pool when the policy says
 * `coupon.source: 'pool'` (the largest free code worth at most `value`, whose
 * value is what is given; for a guarantee a code worth exactly `value`). No
 * fitting code: `409 conflict` with `enforce`; with `guarantee`, a
 * `pending_approval` row (reason `coupon_pool_empty`) at the promised value
 * that the owner can approve once codes are uploaded.
 *
 * Idempotent through the ledger: a second call with the same `policyKey`
 * returns the first row with `created: false` and issues nothing; with a
 * different `remedy` it is `409 idempotency_conflict`. A new row records a
 * `recovery` event (`by`: `admin` for `manual:` keys, else the key) and, once
 * issued, enqueues `recovery.issued`. `404 not_found` when the site has no
 * such complaint.
 *
 * @example
 * const { row } = await db.transaction().execute((trx) =>
 *   issueRemedy(trx, { site, complaintId, policyKey: 'guarantee', remedy: { kind: 'coupon', value: 500 }, caps: 'guarantee' }),
 * )
 */
export async function issueRemedy(
  trx: Transaction<Tables>,
  input: {
    site: Site
    complaintId: string
    policyKey: string
    remedy: RemedyInput
    caps: 'enforce' | 'guarantee'
    now?: Date | undefined
    /** Who issued it, for the timeline. @default 'admin' for `manual:` keys, else the key */
    by?: string | undefined
    /** The person giving it, whose own limits apply before the site's caps. */
    authority?: Authority | undefined
    /** Who gave it, named on the timeline. */
    actor?: ActorRef | undefined
  },
): Promise<{ row: RecoveryRow; created: boolean }> {
  const { site, complaintId, policyKey, remedy } = input
  const now = input.now ?? new Date()
  const by = input.by ?? (policyKey.startsWith('manual:') ? 'admin' : policyKey)
  const complaint = await trx
    .selectFrom('complaints')
    .select(['id', 'customer_id', 'order_ref', 'verified', clientLocale])
    .where('id', '=', complaintId)
    .where('site_id', '=', site.id)
    .forUpdate()
    .executeTakeFirst()
  if (!complaint) throw new NotFoundError(`No complaint ${complaintId}`)

  // The request's fingerprint, kept in the timeline to tell a replay from a reuse of the key.
  const request = sha256(canonicalJson(remedy)).slice(0, 32)
  const existing = await trx
    .selectFrom('recoveries')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .where('policy_key', '=', policyKey)
    .executeTakeFirst()
  if (existing) {
    const event = await trx
      .selectFrom('events')
      .select(sql<string | null>`data->>'request'`.as('request'))
      .where('complaint_id', '=', complaintId)
      .where('type', '=', 'recovery')
      .where(sql<string>`data->>'recoveryId'`, '=', existing.id)
      .executeTakeFirst()
    if (event?.request && event.request !== request) {
      throw new IdempotencyConflictError(
        'This Idempotency-Key was already used for a different remedy on this complaint',
      )
    }
    return { row: existing, created: false }
  }

  const policy = effectivePolicy(site)
  const value = remedy.value ?? 0
  const money = MONEY_KINDS.includes(remedy.kind)
  if (
    !Number.isSafeInteger(value) ||
    value < 0 ||
    (money && remedy.kind !== 'replacement' && value === 0)
  )
    throw new InvalidInputError('value is a whole number of minor units above 0', 'value')
  if (!money && value > 0)
    throw new InvalidInputError(`A ${remedy.kind} costs nothing: send no value`, 'value')

  const common: LedgerOwner = {
    site,
    id: complaintId,
    customerId: complaint.customer_id,
    hash: policyHash(policy),
  }
  const extra = { by, request, actor: input.actor }
  const guarantee = input.caps === 'guarantee'
  // A guarantee that cannot be kept now waits for the owner at the promised value.
  const waiting = (reason: PendingReason) =>
    issue(
      trx,
      common,
      policyKey,
      { ...pendingDraft(remedy.kind, policy.currency, reason), value },
      extra,
    )
  // A promise made to whoever sent the complaint: paid out at once only to a
  // verified customer, since anyone can post complaints and wait.
  if (guarantee && money && !complaint.verified) return waiting('unverified')
  // The person's own limits first: above them it waits for someone whose limits cover it.
  if (input.authority && money) {
    const over = await chargeAuthority(trx, input.authority, value, now)
    if (over) return waiting(over === 'remedy' ? 'authority' : 'authority_day')
  }
  const made = await makeRemedy(trx, {
    site,
    policy,
    locale: toLocale(complaint.locale),
    kind: remedy.kind,
    value,
    now,
    orderRef: complaint.order_ref,
    wording: remedy,
    exact: guarantee,
  })
  if (!made) {
    if (!guarantee) throw poolEmpty(policy, value)
    return waiting('coupon_pool_empty')
  }
  const breach = await chargeCaps(trx, {
    site,
    policy,
    subject: {
      customerId: complaint.customer_id,
      orderValue: trustedOrder(complaint.verified),
      given: await complaintGiven(trx, complaintId),
    },
    value: made.value,
    now,
    caps: guarantee ? 'site-day' : 'enforce',
  })
  if (breach) {
    if (!guarantee) throw capExceeded(policy, made.value, breach)
    return waiting(breach.reason)
  }
  const draft: Draft = {
    ...plain(made.recovery),
    ...made,
    currency: money ? policy.currency : null,
  }
  return issue(trx, common, policyKey, draft, extra)
}
