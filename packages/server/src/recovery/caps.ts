/**
 * @module The caps on money: per complaint, per customer over 30 days and per
 * site per UTC day. One check (`chargeCaps`) serves the policy, approvals,
 * remedies issued by hand and guarantees, under row locks taken always in
 * the same order: customer, then site day.
 */
import { formatMoney, type Money } from '@redress/protocol'
import type { Caps, PendingReason } from '@redress/protocol/admin'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { ComplaintRow, Site, Tables, VerifiedFacts } from '../db/schema'
import { CapExceededError } from '../errors'
import { SPENT } from './ledger'
import { DAY_MS, effectivePolicy, type Policy } from './policy'
import { upsertRow } from './rows'

/** The per-customer cap's window. */
const CUSTOMER_CAP_DAYS = 30

/** Which cap a remedy would break. */
export type CapReason = Extract<
  PendingReason,
  'per_complaint_cap' | 'customer_cap' | 'site_day_cap'
>

/** What a cap check needs to know about the complaint. */
export interface CapSubject {
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
 * The order value money may be sized on: the vouched order's, never the body's.
 *
 * @example
 * trustedOrder(complaint.verified) // { value: 4200, currency: 'EUR' }, or undefined
 */
export const trustedOrder = (verified: VerifiedFacts | null | undefined): Money | undefined =>
  verified?.order ? { value: verified.order.value, currency: verified.order.currency } : undefined

/**
 * The per-complaint cap: a share of the order value (when the complaint
 * carries one in the policy's currency) and an absolute ceiling, since the
 * order value comes from the page and can be forged.
 *
 * @example
 * perComplaintCap(policy, { value: 4200, currency: 'EUR' }).limit // the smaller of the two
 */
export function perComplaintCap(policy: Policy, order: Money | undefined) {
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

/**
 * Take the customer's lock row (made on demand); taking it again in one
 * transaction is a no-op.
 *
 * @example
 * await lockCustomer(trx, site.id, 'cus_42')
 */
export async function lockCustomer(
  trx: Transaction<Tables>,
  siteId: string,
  customerId: string,
): Promise<void> {
  await upsertRow(
    trx,
    'recovery_customer_locks',
    { site_id: siteId, customer_id: customerId },
    { lock: true },
  )
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

/**
 * What one complaint was given (issued or approved), minor units.
 *
 * @example
 * await complaintGiven(trx, complaintId) // 1500
 */
export async function complaintGiven(db: Kysely<Tables>, complaintId: string): Promise<number> {
  const given = await db
    .selectFrom('recoveries')
    .select(sql<string>`coalesce(sum(value), 0)`.as('total'))
    .where('complaint_id', '=', complaintId)
    .where('value', '>', 0)
    .where('status', 'in', SPENT)
    .executeTakeFirstOrThrow()
  return Number(given.total)
}

/**
 * The UTC day a budget counts in, `YYYY-MM-DD`.
 *
 * @example
 * dayOf(new Date('2026-03-01T23:30:00Z')) // '2026-03-01'
 */
export const dayOf = (now: Date) => now.toISOString().slice(0, 10)

/** The site's total for the UTC day, read without a lock. */
async function siteDaySpent(db: Kysely<Tables>, siteId: string, day: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_site_days')
    .select('issued')
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .executeTakeFirst()
  return Number(row?.issued ?? 0)
}

/**
 * The site's total for the UTC day, its row made on demand and locked, so
 * the check and the increment that follow are atomic.
 */
async function lockSiteDay(trx: Transaction<Tables>, siteId: string, day: string) {
  const row = await upsertRow(
    trx,
    'recovery_site_days',
    { site_id: siteId, day },
    { init: { issued: 0 }, lock: true },
  )
  return Number(row.issued)
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
 * (a broken guarantee, a goodwill coupon): only the site's day is checked,
 * since a promise made to anonymous senders must not be an unbounded
 * liability. `count`: no check (the owner overrides the caps). Either way a
 * value that is given is added to the site's day. Locks in the engine's
 * order: customer, then site day.
 *
 * @example
 * const breach = await chargeCaps(trx, { site, policy, subject, value: 500, now, caps: 'enforce' })
 * breach // undefined: counted; { reason: 'customer_cap', remaining: 200 }: nothing counted
 */
export async function chargeCaps(
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
    const left = policy.caps.perSiteDay - (await lockSiteDay(trx, site.id, dayOf(now)))
    if (value > left) return { reason: 'site_day_cap', remaining: Math.max(0, left) }
  }
  await addToSiteDay(trx, site.id, now, value)
  return undefined
}

const CAP_NAMES: Record<CapReason, string> = {
  per_complaint_cap: 'the cap for this complaint',
  customer_cap: "this customer's 30-day cap",
  site_day_cap: "the site's cap for today",
}

/**
 * The refusal of a remedy over a cap, saying how much is left.
 *
 * @example
 * throw capExceeded(policy, 8000, { reason: 'site_day_cap', remaining: 2000 })
 * // "€80.00 is over the site's cap for today: €20.00 is left"
 */
export const capExceeded = (policy: Policy, value: number, breach: CapBreach) =>
  new CapExceededError(
    `${formatMoney(value, policy.currency)} is over ${CAP_NAMES[breach.reason]}: ` +
      `${formatMoney(breach.remaining, policy.currency)} is left`,
    'value',
  )

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
    siteDaySpent(db, site.id, day),
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
