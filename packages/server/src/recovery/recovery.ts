/**
 * @module The recovery policy engine: decides and issues a complaint's
 * remedies inside the transaction that stores the complaint, checking the
 * caps in SQL under row locks, and writing one ledger row per rule. Remedies
 * issued by hand (the admin API) and by the service guarantee go through the
 * same cap check (`chargeCaps`) and the same ledger (`issueRemedy`).
 */
import {
  type Complaint,
  canonicalJson,
  type Money,
  type Recovery,
  type RecoveryKind,
  type Severity,
} from '@redress/protocol'
import type { Caps, PendingReason, RemedyInput } from '@redress/protocol/admin'
import { type Kysely, sql, type Transaction } from 'kysely'
import { couponCode, recoveryId, sha256 } from '../_lib/crypto'
import type {
  ComplaintRow,
  RecoveryRow,
  RecoveryStatus,
  Site,
  SiteCategory,
  Suspicion,
  Tables,
  VerifiedFacts,
} from '../db/schema'
import { ApiError } from '../http/errors'
import { recordEvents } from '../outbox/events'
import { enqueueRecoveryIssued } from '../outbox/webhooks'
import { effectivePolicy, failureTypeOf, formatMoney, type Policy, policyHash } from './policy'

/** The per-customer cap's window. */
const CUSTOMER_CAP_DAYS = 30
const DAY_MS = 86_400_000

/** Statuses whose value counts against the caps. */
const SPENT: RecoveryStatus[] = ['issued', 'approved']

/** The remedies that cost money, checked against the caps. */
const MONEY_KINDS: readonly RecoveryKind[] = ['coupon', 'refund', 'replacement']

/** Which cap a remedy would break. */
export type CapReason = Extract<
  PendingReason,
  'per_complaint_cap' | 'customer_cap' | 'site_day_cap'
>

interface Draft {
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

/** What the engine decided for one complaint; for tests and the timeline. */
export interface Decision {
  failureType: string
  /** The severity the rules used: a repeat failure counts as critical. */
  severity: Severity
  repeat: boolean
  /**
   * `false` when the site says the business is not at fault for the
   * complaint's category (`SiteCategory.firmResponsible`): no money then.
   */
  firmResponsible: boolean
  /** Why the complaint looks sent by a bot; unverified, such complaints get the apology only. */
  suspicion: Suspicion | null
  /** The receipt's one recovery. */
  recovery: Recovery
  /** Every ledger row of the complaint, in order. */
  rows: RecoveryRow[]
}

/** A stored complaint as the engine reads it. */
export interface StoredComplaint {
  id: string
  complaint: Complaint
  /** Set at ingest from the widget's bot signals. @default null */
  suspicion?: Suspicion | null | undefined
  /** What a valid customer token vouched for; `null`: unverified. @default null */
  verified?: VerifiedFacts | null | undefined
  /** The client's rate-limit key, for goodwill coupons' per-client cap. @default null */
  clientKey?: string | null | undefined
}

/** The order value money may be sized on: the vouched order's, never the body's. */
export const trustedOrder = (verified: VerifiedFacts | null | undefined): Money | undefined =>
  verified?.order ? { value: verified.order.value, currency: verified.order.currency } : undefined

/**
 * The seam ingest calls inside the insert's transaction: decide and issue the
 * complaint's remedies, return the one the receipt carries.
 */
export async function decideRecovery(
  trx: Transaction<Tables>,
  stored: StoredComplaint,
  site: Site,
  now: Date = new Date(),
): Promise<Recovery | null> {
  return (await applyPolicy(trx, stored, site, now)).recovery
}

/**
 * Whether the business answers for failures of this category. Only an
 * explicit `firmResponsible: false` on the site's category says no.
 */
const firmResponsibleFor = (site: Pick<Site, 'categories'>, category: string): boolean =>
  (site.categories as SiteCategory[] | null)?.find((entry) => entry?.id === category)
    ?.firmResponsible !== false

/**
 * Apply the site's policy to a complaint just stored. Idempotent: every row
 * is keyed by `(complaint_id, policy_key)`, so a second call finds the rows
 * of the first and returns the same decision.
 *
 * Money is decided on trusted facts only: a verified complaint about an order
 * its customer token vouches for gets the remedy sized on the token's value;
 * any other complaint's money remedy waits for a person (`unverified`), unless
 * the site gives goodwill coupons to unverified complaints (`goodwillCoupon`).
 *
 * Locks, always in this order so two transactions never wait on each other
 * in a cycle: the incident row (same site, verified customer, category and
 * order reference), the customer's lock row, for goodwill the site's and the
 * client's goodwill rows, the site's row for the UTC day. Coupon pool rows
 * are taken with `SKIP LOCKED`, so they never wait.
 *
 * @example
 * const decision = await db.transaction().execute((trx) => applyPolicy(trx, { id, complaint }, site))
 * decision.recovery // { kind: 'coupon', code: '…', label: '€5.00 off your next order', … }
 */
export async function applyPolicy(
  trx: Transaction<Tables>,
  stored: StoredComplaint,
  site: Site,
  now: Date = new Date(),
): Promise<Decision> {
  const { id, complaint } = stored
  const suspicion = stored.suspicion ?? null
  const policy = effectivePolicy(site)
  const hash = policyHash(policy)
  const failureType = failureTypeOf(policy, complaint.category)
  const firmResponsible = firmResponsibleFor(site, complaint.category)

  // Decided before (the rows of one complaint are written in one transaction):
  // the same answer, nothing new issued or counted.
  const existing = await ledger(trx, id)
  if (existing.length > 0) {
    return {
      failureType,
      severity: complaint.severity,
      repeat: false,
      firmResponsible,
      suspicion,
      recovery: receiptRecovery(existing),
      rows: existing,
    }
  }
  const verified = stored.verified ?? null
  const customerId = verified?.customerId ?? null
  const common = { site, id, customerId, hash }

  // Bot signals are a hint, not a gate: a complaint the shop's backend vouched
  // for is decided as any other (the owner still sees the flag).
  if (suspicion && !verified) {
    // Looks sent by a bot, and nobody vouched for it: the apology a minor failure
    // gets (a person wrongly flagged still reads a sincere answer) and nothing
    // else. It claims no incident and takes no lock, so it cannot decide a real
    // customer's remedy.
    const apology: Recovery = {
      kind: 'apology',
      message: `${policy.messages.apology} ${policy.messages.explanation}`,
    }
    const { row } = await issue(trx, common, 'apology', plain(apology))
    return {
      failureType,
      severity: complaint.severity,
      repeat: false,
      firmResponsible,
      suspicion,
      recovery: apology,
      rows: [row],
    }
  }
  const orderRef = verified?.order?.ref ?? (complaint.orderRef || null)

  // 1. The incident: the first complaint about it decides the remedy. It is one
  // verified customer's: anyone else naming the same order starts nothing and
  // reuses nothing, so a remedy's code never reaches another customer.
  let firstOfIncident = id
  if (orderRef && customerId) {
    await trx
      .insertInto('incidents')
      .values({
        site_id: site.id,
        customer_id: customerId,
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
      .where('customer_id', '=', customerId)
      .where('category', '=', complaint.category)
      .where('order_ref', '=', orderRef)
      .executeTakeFirstOrThrow()
    firstOfIncident = incident.complaint_id
  }

  // 2. The customer's lock: serialises the repeat check and the 30-day sum.
  if (customerId) await lockCustomer(trx, site.id, customerId)

  const repeat =
    customerId !== null &&
    policy.repeatWindowDays > 0 &&
    (await isRepeat(trx, { site, id, customerId, complaint, orderRef, policy, now }))
  const severity: Severity = repeat ? 'critical' : complaint.severity
  const rule = policy.severities[severity]
  const remedyRule = policy.remedies[failureType]
  // Compensation changes nothing when the firm was not at fault (Grewal,
  // Roggeveen & Tsiros 2008): no money then, an explanation instead.
  const remedyGiven = rule.remedy && (firmResponsible || !MONEY_KINDS.includes(remedyRule.kind))
  const escalate = rule.escalate || (remedyGiven && remedyRule.escalate)

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
        poolCode: null,
      }
    }
  } else if (remedyGiven && remedyRule.kind !== 'apology') {
    const order = trustedOrder(verified)
    if (remedyRule.kind === 'correction') {
      remedy = plain({ kind: 'correction', message: policy.messages.correction })
    } else if (order) {
      remedy = await draftRemedy(trx, {
        kind: remedyRule.kind,
        policy,
        site,
        orderRef,
        order,
        severity,
        customerId,
        now,
      })
    } else {
      // The sender's word only (no token, or an order the token does not vouch
      // for): a person decides, unless the site gives strangers a goodwill coupon.
      remedy =
        (await goodwillCoupon(trx, { site, policy, clientKey: stored.clientKey ?? null, now })) ??
        pendingDraft(remedyRule.kind, policy.currency, 'unverified')
    }
  }

  const pending = remedy?.status === 'pending_approval'
  const apologyMessage = [
    policy.messages.apology,
    remedyGiven ? '' : policy.messages.explanation,
    pending ? policy.messages.review : '',
  ]
    .filter(Boolean)
    .join(' ')
  const apology: Recovery = { kind: 'apology', message: apologyMessage }

  const rows: RecoveryRow[] = []
  rows.push((await issue(trx, common, 'apology', plain(apology))).row)
  if (remedy) rows.push((await issue(trx, common, 'remedy', remedy)).row)
  if (escalate) {
    const escalation: Recovery = {
      kind: 'escalation',
      message: `${apologyMessage} ${policy.escalation.message}`,
      contactWithin: policy.escalation.contactWithin,
    }
    rows.push((await issue(trx, common, 'escalation', plain(escalation))).row)
  }

  return {
    failureType,
    severity,
    repeat,
    firmResponsible,
    suspicion,
    recovery: receiptRecovery(rows),
    rows,
  }
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
  poolCode: null,
})

/** A remedy that waits for the owner: no code, no recovery shown, nothing counted. */
const pendingDraft = (kind: RecoveryKind, currency: string, reason: PendingReason): Draft => ({
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

/**
 * Whether the customer complained about something else (not this incident)
 * within the policy's window. Runs under the customer's lock, so of two
 * concurrent complaints the second always sees the first. Complaints that
 * look sent by a bot do not count.
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
    .where('suspicion', 'is', null)
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
 * Size a money remedy from the policy, make it, and check it against the
 * caps. Coupons and refunds are shrunk to the per-complaint cap; a
 * replacement over it, or anything that would take the customer's 30 days or
 * the site's day over budget, waits for approval instead.
 */
async function draftRemedy(
  trx: Transaction<Tables>,
  input: {
    kind: 'coupon' | 'refund' | 'replacement'
    policy: Policy
    site: Site
    orderRef: string | null
    /** The vouched order's value. */
    order: Money
    severity: Severity
    customerId: string | null
    now: Date
  },
): Promise<Draft> {
  const { kind, policy, site, order, severity, customerId, now } = input
  const currency = policy.currency
  const tier = severity === 'critical' ? 'critical' : 'major'
  const pend = (reason: PendingReason) => pendingDraft(kind, currency, reason)

  // An order value in another currency cannot be compared with the caps.
  if (order.currency !== currency) return pend('currency')
  const { limit } = perComplaintCap(policy, order)
  let value: number
  if (kind === 'replacement') {
    value = order.value
  } else {
    // A share of the order, shrunk to the cap.
    const percent = (kind === 'refund' ? policy.refund : policy.coupon).percent[tier]
    value = Math.min(Math.round((order.value * percent) / 100), limit)
    if (value <= 0) return pend('per_complaint_cap')
  }

  const made = await makeRemedy(trx, { site, policy, kind, value, now, orderRef: input.orderRef })
  if (!made) return pend('coupon_pool_empty')
  const breach = await chargeCaps(trx, {
    site,
    policy,
    // A complaint the policy decides is new: nothing was given for it yet.
    subject: { customerId, orderValue: order, given: 0 },
    value: made.value,
    now,
    caps: 'enforce',
  })
  if (breach) return pend(breach.reason)
  return { ...plain(made.recovery), currency, ...made, reusedFrom: null }
}

// ---------------------------------------------------------------------------
// The caps: one check for the policy, approvals, hand-issued remedies and guarantees

/** What a cap check needs to know about the complaint. */
interface CapSubject {
  customerId: string | null
  orderValue: Money | undefined
  /** What the complaint has been given already (issued or approved), minor units. */
  given: number
}

/** A cap a remedy would break, and how much that cap still allows. */
export interface CapBreach {
  reason: CapReason
  remaining: number
}

/**
 * The per-complaint cap: a share of the order value (when the complaint
 * carries one in the policy's currency) and an absolute ceiling, since the
 * order value comes from the page and can be forged.
 */
function perComplaintCap(policy: Policy, order: Money | undefined) {
  const orderValue = order && order.currency === policy.currency ? order.value : null
  const byOrder =
    orderValue === null
      ? Number.POSITIVE_INFINITY
      : Math.floor((orderValue * policy.caps.perComplaintPercent) / 100)
  return {
    max: policy.caps.perComplaintMax,
    percentOfOrder: policy.caps.perComplaintPercent,
    orderValue,
    limit: Math.min(byOrder, policy.caps.perComplaintMax),
  }
}

/** Take the customer's lock row (made on demand); taking it again in one transaction is a no-op. */
async function lockCustomer(trx: Transaction<Tables>, siteId: string, customerId: string) {
  await trx
    .insertInto('recovery_customer_locks')
    .values({ site_id: siteId, customer_id: customerId })
    .onConflict((conflict) => conflict.doNothing())
    .execute()
  await trx
    .selectFrom('recovery_customer_locks')
    .select('customer_id')
    .where('site_id', '=', siteId)
    .where('customer_id', '=', customerId)
    .forUpdate()
    .execute()
}

/** What the customer was given over the last 30 days; a shared incident coupon counts once. */
async function customerSpent(
  db: Kysely<Tables>,
  siteId: string,
  customerId: string,
  now: Date,
): Promise<number> {
  const spent = await db
    .selectFrom('recoveries')
    .select(sql<string>`coalesce(sum(value), 0)`.as('total'))
    .where('site_id', '=', siteId)
    .where('customer_id', '=', customerId)
    .where('value', '>', 0)
    .where('status', 'in', SPENT)
    .where('reused_from', 'is', null)
    .where('created_at', '>', new Date(now.getTime() - CUSTOMER_CAP_DAYS * DAY_MS))
    .executeTakeFirstOrThrow()
  return Number(spent.total)
}

/** What one complaint was given (issued or approved), minor units. */
async function complaintGiven(db: Kysely<Tables>, complaintId: string): Promise<number> {
  const given = await db
    .selectFrom('recoveries')
    .select(sql<string>`coalesce(sum(value), 0)`.as('total'))
    .where('complaint_id', '=', complaintId)
    .where('value', '>', 0)
    .where('status', 'in', SPENT)
    .executeTakeFirstOrThrow()
  return Number(given.total)
}

const dayOf = (now: Date) => now.toISOString().slice(0, 10)

/**
 * The site's total for the UTC day. With `lock`, its row is made on demand
 * and locked, so the check and the increment that follow are atomic.
 */
async function siteDaySpent(
  db: Kysely<Tables>,
  siteId: string,
  day: string,
  lock: boolean,
): Promise<number> {
  if (lock) {
    await db
      .insertInto('recovery_site_days')
      .values({ site_id: siteId, day, issued: 0 })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
  }
  let query = db
    .selectFrom('recovery_site_days')
    .select('issued')
    .where('site_id', '=', siteId)
    .where('day', '=', day)
  if (lock) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return Number(row?.issued ?? 0)
}

/** Add what was given to the site's day (the row is made on demand). */
async function addToSiteDay(trx: Transaction<Tables>, siteId: string, now: Date, value: number) {
  await trx
    .insertInto('recovery_site_days')
    .values({ site_id: siteId, day: dayOf(now), issued: value })
    .onConflict((conflict) =>
      conflict
        .columns(['site_id', 'day'])
        .doUpdateSet({ issued: sql`recovery_site_days.issued + ${value}` }),
    )
    .execute()
}

/**
 * The one cap check. `enforce`: the value must fit the per-complaint cap
 * (less what the complaint got already), the customer's 30 days (read under
 * the customer's lock row) and the site's day (read under its day row);
 * else the first cap broken is returned and nothing is counted. `site-day`
 * (a broken guarantee): only the site's day is checked, since a promise made
 * to anonymous senders must not be an unbounded liability. `count`: no check
 * (the owner overrides the caps). Either way a value that is given is added
 * to the site's day. Locks in the engine's order: customer, then site day.
 */
async function chargeCaps(
  trx: Transaction<Tables>,
  input: {
    site: Site
    policy: Policy
    subject: CapSubject
    value: number
    now: Date
    caps: 'enforce' | 'site-day' | 'count'
  },
): Promise<CapBreach | undefined> {
  const { site, policy, subject, value, now } = input
  if (value <= 0) return undefined
  if (input.caps === 'enforce') {
    const perComplaint = perComplaintCap(policy, subject.orderValue).limit - subject.given
    if (value > perComplaint)
      return { reason: 'per_complaint_cap', remaining: Math.max(0, perComplaint) }
    if (subject.customerId) {
      await lockCustomer(trx, site.id, subject.customerId)
      const left =
        policy.caps.perCustomer30Days - (await customerSpent(trx, site.id, subject.customerId, now))
      if (value > left) return { reason: 'customer_cap', remaining: Math.max(0, left) }
    }
  }
  if (input.caps !== 'count') {
    const left = policy.caps.perSiteDay - (await siteDaySpent(trx, site.id, dayOf(now), true))
    if (value > left) return { reason: 'site_day_cap', remaining: Math.max(0, left) }
  }
  await addToSiteDay(trx, site.id, now, value)
  return undefined
}

/**
 * A goodwill coupon for a complaint nobody vouched for, when the site allows
 * them (`policy.goodwill`): a fixed value, within the goodwill budget of the
 * UTC day, at most `perIpDay` per client, and within the site's day. `null`
 * when goodwill is off, a budget is spent, the client is unknown or the pool
 * has no fitting code: the remedy then waits for a person. The goodwill rows
 * are read under row locks and counted only when the coupon is given.
 */
async function goodwillCoupon(
  trx: Transaction<Tables>,
  input: { site: Site; policy: Policy; clientKey: string | null; now: Date },
): Promise<Draft | null> {
  const { site, policy, clientKey, now } = input
  const { goodwill } = policy
  if (!goodwill.enabled || goodwill.value <= 0 || !clientKey) return null
  const day = dayOf(now)
  await trx
    .insertInto('goodwill_days')
    .values({ site_id: site.id, day, issued: 0 })
    .onConflict((conflict) => conflict.doNothing())
    .execute()
  const today = await trx
    .selectFrom('goodwill_days')
    .select('issued')
    .where('site_id', '=', site.id)
    .where('day', '=', day)
    .forUpdate()
    .executeTakeFirstOrThrow()
  if (Number(today.issued) + goodwill.value > goodwill.perDay) return null
  await trx
    .insertInto('goodwill_clients')
    .values({ site_id: site.id, day, client_key: clientKey, given: 0 })
    .onConflict((conflict) => conflict.doNothing())
    .execute()
  const client = await trx
    .selectFrom('goodwill_clients')
    .select('given')
    .where('site_id', '=', site.id)
    .where('day', '=', day)
    .where('client_key', '=', clientKey)
    .forUpdate()
    .executeTakeFirstOrThrow()
  if (Number(client.given) >= goodwill.perIpDay) return null

  // A pooled code may be worth less than asked, never more: that is what is counted.
  const made = await makeRemedy(trx, {
    site,
    policy,
    kind: 'coupon',
    value: goodwill.value,
    now,
    orderRef: null,
  })
  if (!made) return null
  const breach = await chargeCaps(trx, {
    site,
    policy,
    subject: { customerId: null, orderValue: undefined, given: 0 },
    value: made.value,
    now,
    caps: 'site-day',
  })
  if (breach) return null
  await trx
    .updateTable('goodwill_days')
    .set({ issued: sql`issued + ${made.value}` })
    .where('site_id', '=', site.id)
    .where('day', '=', day)
    .execute()
  await trx
    .updateTable('goodwill_clients')
    .set({ given: sql`given + 1` })
    .where('site_id', '=', site.id)
    .where('day', '=', day)
    .where('client_key', '=', clientKey)
    .execute()
  return { ...plain(made.recovery), currency: policy.currency, ...made, reusedFrom: null }
}

/**
 * Where a complaint stands against every cap, read without locks (a remedy
 * issued meanwhile is checked again under them).
 *
 * @example
 * const caps = await remedyCaps(db, site, complaintRow)
 * caps.available // 2500: a coupon of €25.00 or less is issued at once
 */
export async function remedyCaps(
  db: Kysely<Tables>,
  site: Site,
  complaint: Pick<ComplaintRow, 'id' | 'customer_id' | 'verified'>,
  now: Date = new Date(),
): Promise<Caps> {
  const policy = effectivePolicy(site)
  const day = dayOf(now)
  const { caps } = policy
  const [given, customer, today] = await Promise.all([
    complaintGiven(db, complaint.id),
    complaint.customer_id ? customerSpent(db, site.id, complaint.customer_id, now) : null,
    siteDaySpent(db, site.id, day, false),
  ])
  const perComplaint = perComplaintCap(policy, trustedOrder(complaint.verified))
  const left = (limit: number, spent: number) => Math.max(0, limit - spent)
  const view: Caps = {
    currency: policy.currency,
    perComplaint: { ...perComplaint, given, remaining: left(perComplaint.limit, given) },
    customer:
      complaint.customer_id && customer !== null
        ? {
            id: complaint.customer_id,
            limit: caps.perCustomer30Days,
            spent: customer,
            remaining: left(caps.perCustomer30Days, customer),
          }
        : null,
    siteDay: {
      day,
      limit: caps.perSiteDay,
      spent: today,
      remaining: left(caps.perSiteDay, today),
    },
    available: 0,
  }
  view.available = Math.min(
    view.perComplaint.remaining,
    view.customer?.remaining ?? Number.POSITIVE_INFINITY,
    view.siteDay.remaining,
  )
  return view
}

// ---------------------------------------------------------------------------
// Making remedies

/** A remedy ready to be written: its value (a pool code's, for pooled coupons) and its `Recovery`. */
interface Made {
  value: number
  code: string | null
  expiresAt: Date | null
  recovery: Recovery
  poolCode: string | null
}

/** What a remedy says, when the caller does not use the policy's text. */
interface Wording {
  message?: string | undefined
  label?: string | undefined
  contactWithin?: string | undefined
}

/**
 * Make a remedy worth `value`: a coupon (a fresh code, or the largest fitting
 * code of the site's pool, which sets the value; with `exact`, for a
 * guarantee, only a code worth exactly `value`), a refund, a replacement, a
 * correction, an apology or an escalation. `undefined` when the policy takes
 * coupons from the pool and no free code fits.
 */
async function makeRemedy(
  trx: Transaction<Tables>,
  input: {
    site: Site
    policy: Policy
    kind: RecoveryKind
    value: number
    now: Date
    orderRef: string | null
    wording?: Wording
    /** A pooled coupon must be worth exactly `value` (a guarantee pays what it promised). */
    exact?: boolean
  },
): Promise<Made | undefined> {
  const { site, policy, kind, value, now, orderRef } = input
  const wording = input.wording ?? {}
  const made = (recovery: Recovery): Made => ({
    value,
    code: null,
    expiresAt: null,
    recovery,
    poolCode: null,
  })
  switch (kind) {
    case 'coupon': {
      if (policy.coupon.source === 'generated') {
        return { ...newCoupon(policy, value, now, wording.label), poolCode: null, value }
      }
      const pooled = await takePoolCode(trx, site.id, value, now, input.exact ?? false)
      if (!pooled) return undefined
      const coupon = couponRecovery(policy, {
        code: pooled.code,
        value: pooled.value,
        expiresAt: earlier(
          pooled.expiresAt,
          new Date(now.getTime() + policy.coupon.validDays * DAY_MS),
        ),
        label: wording.label,
      })
      return { ...coupon, value: pooled.value, poolCode: pooled.code }
    }
    case 'refund':
      return made({
        kind: 'refund',
        amount: { value, currency: policy.currency },
        message: (wording.message ?? policy.refund.message).replaceAll(
          '{amount}',
          formatMoney(value, policy.currency),
        ),
      })
    case 'replacement':
      return made(
        wording.message
          ? { kind: 'replacement', message: wording.message }
          : replacementRecovery(policy, orderRef),
      )
    case 'correction':
      return made({ kind: 'correction', message: wording.message ?? policy.messages.correction })
    case 'apology':
      return made({ kind: 'apology', message: wording.message ?? policy.messages.apology })
    case 'escalation':
      return made({
        kind: 'escalation',
        message: wording.message ?? policy.escalation.message,
        contactWithin: wording.contactWithin ?? policy.escalation.contactWithin,
      })
  }
}

const earlier = (a: Date | null, b: Date) => (a && a < b ? a : b)

/** A coupon `Recovery` with the policy's label (or `label`) and terms. */
function couponRecovery(
  policy: Policy,
  coupon: { code: string; value: number; expiresAt: Date; label?: string | undefined },
): { code: string; expiresAt: Date; recovery: Recovery } {
  const { code, value, expiresAt } = coupon
  return {
    code,
    expiresAt,
    recovery: {
      kind: 'coupon',
      code,
      label: (coupon.label ?? policy.coupon.label).replaceAll(
        '{amount}',
        formatMoney(value, policy.currency),
      ),
      expiresAt: expiresAt.toISOString(),
      terms: policy.coupon.terms.replaceAll('{date}', expiresAt.toISOString().slice(0, 10)),
    },
  }
}

/** A fresh coupon worth `value` minor units of the policy's currency. */
function newCoupon(
  policy: Policy,
  value: number,
  now: Date,
  label?: string,
): { code: string; expiresAt: Date; recovery: Recovery } {
  const expiresAt = new Date(now.getTime() + policy.coupon.validDays * DAY_MS)
  return couponRecovery(policy, { code: couponCode(), value, expiresAt, label })
}

/**
 * The largest free code of the site's pool worth at most `maxValue` (with
 * `exact`, exactly `maxValue`), not
 * expiring within a day (a customer needs time to use it), locked with
 * `FOR UPDATE SKIP LOCKED`: concurrent complaints each take a different code
 * and never wait on each other. Claimed by `claimPoolCode` once the ledger
 * row exists.
 */
async function takePoolCode(
  trx: Transaction<Tables>,
  siteId: string,
  maxValue: number,
  now: Date,
  exact: boolean,
): Promise<{ code: string; value: number; expiresAt: Date | null } | undefined> {
  const row = await trx
    .selectFrom('coupon_pool')
    .select(['code', 'value', 'expires_at'])
    .where('site_id', '=', siteId)
    .where('recovery_id', 'is', null)
    .where(exact ? sql<boolean>`value = ${maxValue}` : sql<boolean>`value <= ${maxValue}`)
    .where((eb) =>
      eb.or([
        eb('expires_at', 'is', null),
        eb('expires_at', '>', new Date(now.getTime() + DAY_MS)),
      ]),
    )
    .orderBy('value', 'desc')
    .orderBy('code')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst()
  return row
    ? {
        code: row.code,
        value: Number(row.value),
        expiresAt: row.expires_at ? new Date(row.expires_at) : null,
      }
    : undefined
}

/** Mark a pool code as taken by a ledger row (which must exist: `recovery_id` is a foreign key). */
async function claimPoolCode(
  trx: Transaction<Tables>,
  siteId: string,
  code: string,
  recoveryRowId: string,
) {
  await trx
    .updateTable('coupon_pool')
    .set({ recovery_id: recoveryRowId })
    .where('site_id', '=', siteId)
    .where('code', '=', code)
    .execute()
}

const replacementRecovery = (policy: Policy, orderRef: string | undefined | null): Recovery => ({
  kind: 'replacement',
  message: policy.messages.replacement.replaceAll(
    '{orderRef}',
    orderRef ? ` for order ${orderRef}` : '',
  ),
})

const poolEmpty = (policy: Policy, value: number, exact = false) =>
  new ApiError(
    409,
    'conflict',
    `The coupon pool has no free code worth ${exact ? 'exactly' : 'at most'} ${formatMoney(value, policy.currency)} ` +
      'that is valid for at least a day: upload codes (POST /v1/admin/coupon-pool) or choose another value',
    { field: 'value' },
  )

// ---------------------------------------------------------------------------
// Approvals

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
 * refund or the replacement's message, counts the
 * value in the site's day, records a `recovery_approved` event and enqueues
 * `recovery.issued`; the row becomes `approved`, which the customer sees like
 * `issued`. Deciding a row the same way twice changes nothing; the other way
 * is `409 conflict`. `value` (minor units, at most the policy's per-complaint
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
  // A guarantee is a fixed promise: it may be worth more than the per-complaint ceiling.
  const guarantee = row.policy_key === 'guarantee'
  const ceiling = guarantee
    ? Math.max(policy.caps.perComplaintMax, Number(row.value))
    : policy.caps.perComplaintMax
  let value = input.value ?? Number(row.value)
  if ((row.kind === 'coupon' || row.kind === 'refund') && value <= 0) {
    throw new ApiError(
      400,
      'invalid_request',
      `Give the ${row.kind} a value (minor units) to approve it`,
      { field: 'value' },
    )
  }
  if (value > ceiling) {
    throw new ApiError(
      400,
      'invalid_request',
      `At most ${formatMoney(ceiling, policy.currency)} per complaint`,
      { field: 'value' },
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
      .select('order_ref')
      .where('id', '=', row.complaint_id)
      .executeTakeFirstOrThrow()
    const fresh = await makeRemedy(trx, {
      site,
      policy,
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
    throw new ApiError(409, 'conflict', `A ${row.kind} cannot be approved here`)
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
  await recordEvents(trx, row.complaint_id, {
    type: 'recovery_approved',
    data: { recoveryId: id, kind: row.kind, value, reason: row.reason },
  })
  await enqueueRecoveryIssued(trx, site, approved)
  return { row: approved, changed: true }
}

// ---------------------------------------------------------------------------
// Remedies issued by hand or by a guarantee

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
  },
): Promise<{ row: RecoveryRow; created: boolean }> {
  const { site, complaintId, policyKey, remedy } = input
  const now = input.now ?? new Date()
  const by = input.by ?? (policyKey.startsWith('manual:') ? 'admin' : policyKey)
  const complaint = await trx
    .selectFrom('complaints')
    .select(['id', 'customer_id', 'order_ref', 'verified'])
    .where('id', '=', complaintId)
    .where('site_id', '=', site.id)
    .forUpdate()
    .executeTakeFirst()
  if (!complaint) throw new ApiError(404, 'not_found', `No complaint ${complaintId}`)

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
      throw new ApiError(
        409,
        'idempotency_conflict',
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
    throw new ApiError(400, 'invalid_request', 'value is a whole number of minor units above 0', {
      field: 'value',
    })
  if (!money && value > 0)
    throw new ApiError(400, 'invalid_request', `A ${remedy.kind} costs nothing: send no value`, {
      field: 'value',
    })

  const common = {
    site,
    id: complaintId,
    customerId: complaint.customer_id,
    hash: policyHash(policy),
  }
  const extra = { by, request }
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
  const made = await makeRemedy(trx, {
    site,
    policy,
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

const CAP_NAMES: Record<CapReason, string> = {
  per_complaint_cap: 'the cap for this complaint',
  customer_cap: "this customer's 30-day cap",
  site_day_cap: "the site's cap for today",
}

const capExceeded = (policy: Policy, value: number, breach: CapBreach) =>
  new ApiError(
    409,
    'cap_exceeded',
    `${formatMoney(value, policy.currency)} is over ${CAP_NAMES[breach.reason]}: ` +
      `${formatMoney(breach.remaining, policy.currency)} is left`,
    { field: 'value' },
  )

// ---------------------------------------------------------------------------
// The ledger

/**
 * Write one ledger row, once: `INSERT … ON CONFLICT (complaint_id,
 * policy_key) DO NOTHING`, then read back whichever row is there. The
 * timeline gets an event, and a pool code its claim, only when this call
 * wrote it.
 */
async function issue(
  trx: Transaction<Tables>,
  common: { site: Site; id: string; customerId: string | null; hash: string },
  policyKey: string,
  draft: Draft,
  extra: Record<string, unknown> = {},
): Promise<{ row: RecoveryRow; created: boolean }> {
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
    if (draft.poolCode) await claimPoolCode(trx, common.site.id, draft.poolCode, inserted.id)
    await recordEvents(trx, common.id, {
      type: 'recovery',
      data: {
        recoveryId: inserted.id,
        kind: draft.kind,
        status: draft.status,
        value: draft.value,
        reason: draft.reason,
        reusedFrom: draft.reusedFrom,
        ...extra,
      },
    })
    if (inserted.status === 'issued') await enqueueRecoveryIssued(trx, common.site, inserted)
    return { row: inserted, created: true }
  }
  const row = await trx
    .selectFrom('recoveries')
    .selectAll()
    .where('complaint_id', '=', common.id)
    .where('policy_key', '=', policyKey)
    .executeTakeFirstOrThrow()
  return { row, created: false }
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
