/**
 * @module The recovery policy engine: decides and issues a complaint's
 * remedies inside the transaction that stores the complaint, checking the
 * caps in SQL under row locks, and writing one ledger row per rule.
 */
import type { Complaint, Recovery, Severity } from '@redress/protocol'
import { type Kysely, sql, type Transaction } from 'kysely'
import { couponCode, recoveryId } from './_crypto'
import type { RecoveryRow, RecoveryStatus, Site, Tables } from './db/schema'
import { ApiError } from './errors'
import { recordEvents } from './events'
import { effectivePolicy, failureTypeOf, formatMoney, type Policy, policyHash } from './policy'
import { enqueueRecoveryIssued } from './webhooks'

/** The per-customer cap's window. */
const CUSTOMER_CAP_DAYS = 30
const DAY_MS = 86_400_000

/** Statuses whose value counts against the caps. */
const SPENT: RecoveryStatus[] = ['issued', 'approved']

type PendingReason = 'customer_cap' | 'site_day_cap' | 'per_complaint_cap' | 'currency'

interface Draft {
  kind: Recovery['kind']
  value: number
  currency: string | null
  status: RecoveryStatus
  reason: PendingReason | null
  code: string | null
  expiresAt: Date | null
  recovery: Recovery | null
  reusedFrom: string | null
}

/** What the engine decided for one complaint; for tests and the timeline. */
export interface Decision {
  failureType: string
  /** The severity the rules used: a repeat failure counts as critical. */
  severity: Severity
  repeat: boolean
  /** The receipt's one recovery. */
  recovery: Recovery
  /** Every ledger row of the complaint, in order. */
  rows: RecoveryRow[]
}

/**
 * The seam ingest calls inside the insert's transaction: decide and issue the
 * complaint's remedies, return the one the receipt carries.
 */
export async function decideRecovery(
  trx: Transaction<Tables>,
  stored: { id: string; complaint: Complaint },
  site: Site,
  now: Date = new Date(),
): Promise<Recovery | null> {
  return (await applyPolicy(trx, stored, site, now)).recovery
}

/**
 * Apply the site's policy to a complaint just stored. Idempotent: every row
 * is keyed by `(complaint_id, policy_key)`, so a second call finds the rows
 * of the first and returns the same decision.
 *
 * Locks, always in this order so two transactions never wait on each other
 * in a cycle: the incident row (same site, category and order reference),
 * the customer's lock row, the site's row for the UTC day.
 */
export async function applyPolicy(
  trx: Transaction<Tables>,
  stored: { id: string; complaint: Complaint },
  site: Site,
  now: Date = new Date(),
): Promise<Decision> {
  const { id, complaint } = stored
  const policy = effectivePolicy(site)
  const hash = policyHash(policy)
  const failureType = failureTypeOf(policy, complaint.category)

  // Decided before (the rows of one complaint are written in one transaction):
  // the same answer, nothing new issued or counted.
  const existing = await ledger(trx, id)
  if (existing.length > 0) {
    return {
      failureType,
      severity: complaint.severity,
      repeat: false,
      recovery: receiptRecovery(existing),
      rows: existing,
    }
  }
  const customerId = complaint.customer?.id || null
  const orderRef = complaint.orderRef || null

  // 1. The incident: the first complaint about it decides the remedy.
  let firstOfIncident = id
  if (orderRef) {
    await trx
      .insertInto('incidents')
      .values({
        site_id: site.id,
        category: complaint.category,
        order_ref: orderRef,
        complaint_id: id,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    const incident = await trx
      .selectFrom('incidents')
      .select('complaint_id')
      .where('site_id', '=', site.id)
      .where('category', '=', complaint.category)
      .where('order_ref', '=', orderRef)
      .executeTakeFirstOrThrow()
    firstOfIncident = incident.complaint_id
  }

  // 2. The customer's lock: serialises the repeat check and the 30-day sum.
  if (customerId) {
    await trx
      .insertInto('recovery_customer_locks')
      .values({ site_id: site.id, customer_id: customerId })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    await trx
      .selectFrom('recovery_customer_locks')
      .select('customer_id')
      .where('site_id', '=', site.id)
      .where('customer_id', '=', customerId)
      .forUpdate()
      .execute()
  }

  const repeat =
    customerId !== null &&
    policy.repeatWindowDays > 0 &&
    (await isRepeat(trx, { site, id, customerId, complaint, orderRef, policy, now }))
  const severity: Severity = repeat ? 'critical' : complaint.severity
  const rule = policy.severities[severity]
  const remedyRule = policy.remedies[failureType]
  const escalate = rule.escalate || (rule.remedy && remedyRule.escalate)

  // 3. The remedy: reused from the incident's first complaint, or decided here.
  let remedy: Draft | null = null
  if (firstOfIncident !== id) {
    const first = await trx
      .selectFrom('recoveries')
      .selectAll()
      .where('complaint_id', '=', firstOfIncident)
      .where('policy_key', '=', 'remedy')
      .executeTakeFirst()
    if (first) {
      remedy = {
        kind: first.kind,
        value: Number(first.value),
        currency: first.currency,
        status: first.status,
        reason: first.reason as PendingReason | null,
        code: first.code,
        expiresAt: first.expires_at ? new Date(first.expires_at) : null,
        recovery: first.recovery ? (JSON.parse(first.recovery) as Recovery) : null,
        reusedFrom: first.reused_from ?? first.id,
      }
    }
  } else if (rule.remedy && remedyRule.kind !== 'apology') {
    remedy = await draftRemedy(trx, {
      kind: remedyRule.kind,
      policy,
      site,
      complaint,
      severity,
      customerId,
      now,
    })
  }

  const pending = remedy?.status === 'pending_approval'
  const apologyMessage = [
    policy.messages.apology,
    rule.remedy ? '' : policy.messages.explanation,
    pending ? policy.messages.review : '',
  ]
    .filter(Boolean)
    .join(' ')
  const apology: Recovery = { kind: 'apology', message: apologyMessage }
  const common = { site, id, customerId, hash }

  const rows: RecoveryRow[] = []
  rows.push(await issue(trx, common, 'apology', plain(apology)))
  if (remedy) rows.push(await issue(trx, common, 'remedy', remedy))
  if (escalate) {
    const escalation: Recovery = {
      kind: 'escalation',
      message: `${apologyMessage} ${policy.escalation.message}`,
      contactWithin: policy.escalation.contactWithin,
    }
    rows.push(await issue(trx, common, 'escalation', plain(escalation)))
  }

  return { failureType, severity, repeat, recovery: receiptRecovery(rows), rows }
}

const ledger = (trx: Transaction<Tables>, complaintId: string) =>
  trx
    .selectFrom('recoveries')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .orderBy('seq')
    .execute()

/**
 * The receipt's one recovery: a remedy the customer can use now; else the
 * person who will contact them (its message includes the apology); else the
 * apology (which says when a remedy waits for review).
 */
function receiptRecovery(rows: RecoveryRow[]): Recovery {
  const shown = (key: string) => {
    const row = rows.find((candidate) => candidate.policy_key === key)
    return row && SPENT.includes(row.status) && row.recovery
      ? (JSON.parse(row.recovery) as Recovery)
      : null
  }
  return shown('remedy') ?? shown('escalation') ?? shown('apology')!
}

const plain = (recovery: Recovery): Draft => ({
  kind: recovery.kind,
  value: 0,
  currency: null,
  status: 'issued',
  reason: null,
  code: null,
  expiresAt: null,
  recovery,
  reusedFrom: null,
})

/**
 * Whether the customer complained about something else (not this incident)
 * within the policy's window. Runs under the customer's lock, so of two
 * concurrent complaints the second always sees the first.
 */
async function isRepeat(
  trx: Transaction<Tables>,
  input: {
    site: Site
    id: string
    customerId: string
    complaint: Complaint
    orderRef: string | null
    policy: Policy
    now: Date
  },
): Promise<boolean> {
  const { site, id, customerId, complaint, orderRef, policy, now } = input
  let query = trx
    .selectFrom('complaints')
    .select('id')
    .where('site_id', '=', site.id)
    .where('customer_id', '=', customerId)
    .where('id', '<>', id)
    .where('received_at', '>', new Date(now.getTime() - policy.repeatWindowDays * DAY_MS))
  if (orderRef) {
    // The same incident reported twice is one failure, not a repeat.
    query = query.where((eb) =>
      eb.or([
        eb('category', '<>', complaint.category),
        eb('order_ref', 'is', null),
        eb('order_ref', '<>', orderRef),
      ]),
    )
  }
  return (await query.limit(1).executeTakeFirst()) !== undefined
}

/**
 * Size a money remedy and check it against the caps. The per-complaint cap
 * (a share of the order value, and an absolute ceiling) shrinks a coupon to
 * fit; a replacement over it, or anything that would take the customer's
 * 30 days or the site's day over budget, waits for approval instead.
 */
async function draftRemedy(
  trx: Transaction<Tables>,
  input: {
    kind: 'coupon' | 'replacement'
    policy: Policy
    site: Site
    complaint: Complaint
    severity: Severity
    customerId: string | null
    now: Date
  },
): Promise<Draft> {
  const { kind, policy, site, complaint, severity, customerId, now } = input
  const currency = policy.currency
  const tier = severity === 'critical' ? 'critical' : 'major'
  const order = complaint.orderValue
  const draft: Draft = {
    kind,
    value: 0,
    currency,
    status: 'issued',
    reason: null,
    code: null,
    expiresAt: null,
    recovery: null,
    reusedFrom: null,
  }
  const pend = (reason: PendingReason): Draft => ({
    ...draft,
    status: 'pending_approval',
    reason,
    code: null,
    expiresAt: null,
    recovery: null,
  })

  // An order value in another currency cannot be compared with the caps.
  if (order && order.currency !== currency) return pend('currency')
  const orderCap =
    order === undefined
      ? Number.POSITIVE_INFINITY
      : Math.floor((order.value * policy.caps.perComplaintPercent) / 100)
  const complaintCap = Math.min(orderCap, policy.caps.perComplaintMax)

  if (kind === 'coupon') {
    const wanted = order
      ? Math.round((order.value * policy.coupon.percent[tier]) / 100)
      : policy.coupon.fixed[tier]
    draft.value = Math.min(wanted, complaintCap)
    if (draft.value <= 0) return pend('per_complaint_cap')
  } else {
    draft.value = order?.value ?? 0
    if (draft.value > complaintCap) return pend('per_complaint_cap')
  }

  if (draft.value > 0) {
    if (customerId) {
      // The customer's lock row is held (taken in applyPolicy).
      const spent = await trx
        .selectFrom('recoveries')
        .select(sql<string>`coalesce(sum(value), 0)`.as('total'))
        .where('site_id', '=', site.id)
        .where('customer_id', '=', customerId)
        .where('value', '>', 0)
        .where('status', 'in', SPENT)
        .where('reused_from', 'is', null)
        .where('created_at', '>', new Date(now.getTime() - CUSTOMER_CAP_DAYS * DAY_MS))
        .executeTakeFirstOrThrow()
      if (Number(spent.total) + draft.value > policy.caps.perCustomer30Days)
        return pend('customer_cap')
    }
    // The site's day: lock its row (made on demand), check and add to its total.
    const day = now.toISOString().slice(0, 10)
    await trx
      .insertInto('recovery_site_days')
      .values({ site_id: site.id, day, issued: 0 })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    const budget = await trx
      .selectFrom('recovery_site_days')
      .select('issued')
      .where('site_id', '=', site.id)
      .where('day', '=', day)
      .forUpdate()
      .executeTakeFirstOrThrow()
    if (Number(budget.issued) + draft.value > policy.caps.perSiteDay) return pend('site_day_cap')
    await trx
      .updateTable('recovery_site_days')
      .set({ issued: sql`issued + ${draft.value}` })
      .where('site_id', '=', site.id)
      .where('day', '=', day)
      .execute()
  }

  if (kind === 'coupon') {
    const coupon = newCoupon(policy, draft.value, now)
    draft.code = coupon.code
    draft.expiresAt = coupon.expiresAt
    draft.recovery = coupon.recovery
  } else {
    draft.recovery = replacementRecovery(policy, complaint.orderRef)
  }
  return draft
}

/** A fresh coupon worth `value` minor units of the policy's currency. */
function newCoupon(
  policy: Policy,
  value: number,
  now: Date,
): { code: string; expiresAt: Date; recovery: Recovery } {
  const expiresAt = new Date(now.getTime() + policy.coupon.validDays * DAY_MS)
  const code = couponCode()
  return {
    code,
    expiresAt,
    recovery: {
      kind: 'coupon',
      code,
      label: policy.coupon.label.replaceAll('{amount}', formatMoney(value, policy.currency)),
      expiresAt: expiresAt.toISOString(),
      terms: policy.coupon.terms.replaceAll('{date}', expiresAt.toISOString().slice(0, 10)),
    },
  }
}

const replacementRecovery = (policy: Policy, orderRef: string | undefined | null): Recovery => ({
  kind: 'replacement',
  message: policy.messages.replacement.replaceAll(
    '{orderRef}',
    orderRef ? ` for order ${orderRef}` : '',
  ),
})

/** What `decidePending` did. */
export interface PendingDecision {
  row: RecoveryRow
  /** `false` when the row was already decided this way: nothing was written. */
  changed: boolean
}

/**
 * Approve or reject a remedy that waits for approval (the admin API), under a
 * row lock. Approving generates the coupon code (or the replacement's
 * message) now, counts the value in the site's day, records a
 * `recovery_approved` event and enqueues `recovery.issued`; the row becomes
 * `approved`, which the customer sees like `issued`. Deciding a row the same
 * way twice changes nothing; the other way is `409 conflict`. `value`
 * (minor units, at most the policy's per-complaint ceiling) overrides the
 * drafted value, needed when it is 0 (an order value in another currency).
 * Returns `undefined` when the site has no such row.
 */
export async function decidePending(
  trx: Transaction<Tables>,
  input: {
    site: Site
    recoveryId: string
    decision: 'approve' | 'reject'
    value?: number | undefined
    now?: Date
  },
): Promise<PendingDecision | undefined> {
  const { site, recoveryId: id, decision } = input
  const now = input.now ?? new Date()
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
    throw new ApiError(409, 'conflict', `Remedy ${id} is already ${row.status}`)
  }

  if (decision === 'reject') {
    const rejected = await trx
      .updateTable('recoveries')
      .set({ status: 'rejected', decided_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordEvents(trx, row.complaint_id, {
      type: 'recovery_rejected',
      data: { recoveryId: id, kind: row.kind, reason: row.reason },
    })
    return { row: rejected, changed: true }
  }

  const policy = effectivePolicy(site)
  const value = input.value ?? Number(row.value)
  if (row.kind === 'coupon' && value <= 0) {
    throw new ApiError(
      400,
      'invalid_request',
      'Give the coupon a value (minor units) to approve it',
      {
        field: 'value',
      },
    )
  }
  if (value > policy.caps.perComplaintMax) {
    throw new ApiError(
      400,
      'invalid_request',
      `At most ${formatMoney(policy.caps.perComplaintMax, policy.currency)} per complaint`,
      { field: 'value' },
    )
  }
  let code: string | null = null
  let expiresAt: Date | null = null
  let recovery: Recovery
  const original = row.reused_from
    ? await trx
        .selectFrom('recoveries')
        .selectAll()
        .where('id', '=', row.reused_from)
        .executeTakeFirst()
    : undefined
  if (original?.recovery && SPENT.includes(original.status)) {
    // Same incident, same remedy: share the first complaint's coupon once it was issued.
    code = original.code
    expiresAt = original.expires_at ? new Date(original.expires_at) : null
    recovery = JSON.parse(original.recovery) as Recovery
  } else if (row.kind === 'coupon') {
    ;({ code, expiresAt, recovery } = newCoupon(policy, value, now))
  } else if (row.kind === 'replacement') {
    const complaint = await trx
      .selectFrom('complaints')
      .select('order_ref')
      .where('id', '=', row.complaint_id)
      .executeTakeFirstOrThrow()
    recovery = replacementRecovery(policy, complaint.order_ref)
  } else {
    throw new ApiError(409, 'conflict', `A ${row.kind} cannot be approved here`)
  }
  const counted = original?.recovery && SPENT.includes(original.status) ? 0 : value
  if (counted > 0) {
    // The owner overrides the caps, but the day's total still counts what was given.
    await trx
      .insertInto('recovery_site_days')
      .values({ site_id: site.id, day: now.toISOString().slice(0, 10), issued: counted })
      .onConflict((conflict) =>
        conflict
          .columns(['site_id', 'day'])
          .doUpdateSet({ issued: sql`recovery_site_days.issued + ${counted}` }),
      )
      .execute()
  }
  const approved = await trx
    .updateTable('recoveries')
    .set({
      status: 'approved',
      value,
      code,
      expires_at: expiresAt,
      recovery: JSON.stringify(recovery),
      decided_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await recordEvents(trx, row.complaint_id, {
    type: 'recovery_approved',
    data: { recoveryId: id, kind: row.kind, value, reason: row.reason },
  })
  await enqueueRecoveryIssued(trx, site, approved)
  return { row: approved, changed: true }
}

/**
 * Write one ledger row, once: `INSERT … ON CONFLICT (complaint_id,
 * policy_key) DO NOTHING`, then read back whichever row is there. The
 * timeline gets an event only when this call wrote it.
 */
async function issue(
  trx: Transaction<Tables>,
  common: { site: Site; id: string; customerId: string | null; hash: string },
  policyKey: string,
  draft: Draft,
): Promise<RecoveryRow> {
  const inserted = await trx
    .insertInto('recoveries')
    .values({
      id: recoveryId(),
      complaint_id: common.id,
      site_id: common.site.id,
      customer_id: common.customerId,
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
      policy_hash: common.hash,
    })
    .onConflict((conflict) => conflict.columns(['complaint_id', 'policy_key']).doNothing())
    .returningAll()
    .executeTakeFirst()
  if (inserted) {
    await recordEvents(trx, common.id, {
      type: 'recovery',
      data: {
        recoveryId: inserted.id,
        kind: draft.kind,
        status: draft.status,
        value: draft.value,
        reason: draft.reason,
        reusedFrom: draft.reusedFrom,
      },
    })
    if (inserted.status === 'issued') await enqueueRecoveryIssued(trx, common.site, inserted)
    return inserted
  }
  return trx
    .selectFrom('recoveries')
    .selectAll()
    .where('complaint_id', '=', common.id)
    .where('policy_key', '=', policyKey)
    .executeTakeFirstOrThrow()
}

/** The remedies a customer may see for a complaint: issued or approved, in order. */
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
