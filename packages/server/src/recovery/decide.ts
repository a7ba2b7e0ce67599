/**
 * @module The recovery policy engine: decides and issues a complaint's
 * remedies inside the transaction that stores the complaint, checking the
 * caps in SQL under row locks (`caps.ts`), and writing one ledger row per rule
 * (`ledger.ts`). Remedies issued by hand and by a guarantee (`issue.ts`) go
 * through the same cap check and the same ledger.
 */
import type { Complaint, Locale, Money, Recovery, Severity } from '@redress/protocol'
import type { PendingReason } from '@redress/protocol/admin'
import type { Transaction } from 'kysely'
import type {
  RecoveryRow,
  Site,
  SiteCategory,
  Suspicion,
  Tables,
  VerifiedFacts,
} from '../db/schema'
import { chargeCaps, lockCustomer, perComplaintCap, trustedOrder } from './caps'
import { goodwillCoupon } from './goodwill'
import {
  type Draft,
  issue,
  type LedgerOwner,
  ledgerOf,
  MONEY_KINDS,
  pendingDraft,
  plain,
  SPENT,
} from './ledger'
import { DAY_MS, effectivePolicy, failureTypeOf, type Policy, policyHash } from './policy'
import { makeRemedy } from './remedies'
import { upsertRow } from './rows'
import { complaintLocale, voice } from './texts'

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

/**
 * The seam ingest calls inside the insert's transaction: decide and issue the
 * complaint's remedies, return the one the receipt carries.
 *
 * @example
 * const recovery = await decideRecovery(trx, { id, complaint, suspicion, verified, clientKey }, site, now)
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
 * Every text is the policy's in the complaint's locale (`client.locale`, read
 * by `toLocale`), money and dates formatted for it; a remedy reused from the
 * incident's first complaint keeps the words it was given.
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
  const say = voice(policy, complaintLocale(complaint))
  const { texts } = say
  const hash = policyHash(policy)
  const failureType = failureTypeOf(policy, complaint.category)
  const firmResponsible = firmResponsibleFor(site, complaint.category)

  // Decided before (the rows of one complaint are written in one transaction):
  // the same answer, nothing new issued or counted.
  const existing = await ledgerOf(trx, id)
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
  const common: LedgerOwner = { site, id, customerId, hash }

  // Bot signals are a hint, not a gate: a complaint the shop's backend vouched
  // for is decided as any other (the owner still sees the flag).
  if (suspicion && !verified) {
    // Looks sent by a bot, and nobody vouched for it: the apology a minor failure
    // gets (a person wrongly flagged still reads a sincere answer) and nothing
    // else. It claims no incident and takes no lock, so it cannot decide a real
    // customer's remedy.
    const apology: Recovery = {
      kind: 'apology',
      message: say.join(texts.apology, texts.explanation),
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
    // Read, not locked: of two complaints inserting it, the second waits for the first's commit.
    const incident = await upsertRow(
      trx,
      'incidents',
      {
        site_id: site.id,
        customer_id: customerId,
        category: complaint.category,
        order_ref: orderRef,
      },
      { init: { complaint_id: id }, lock: false },
    )
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
      remedy = plain({ kind: 'correction', message: texts.correction })
    } else if (order) {
      remedy = await draftRemedy(trx, {
        kind: remedyRule.kind,
        policy,
        locale: say.locale,
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
        (await goodwillCoupon(trx, {
          site,
          policy,
          locale: say.locale,
          clientKey: stored.clientKey ?? null,
          now,
        })) ?? pendingDraft(remedyRule.kind, policy.currency, 'unverified')
    }
  }

  const pending = remedy?.status === 'pending_approval'
  const apologyMessage = say.join(
    texts.apology,
    !remedyGiven && texts.explanation,
    pending && texts.review,
  )
  const apology: Recovery = { kind: 'apology', message: apologyMessage }

  const rows: RecoveryRow[] = []
  rows.push((await issue(trx, common, 'apology', plain(apology))).row)
  if (remedy) rows.push((await issue(trx, common, 'remedy', remedy)).row)
  if (escalate) {
    const escalation: Recovery = {
      kind: 'escalation',
      message: say.join(apologyMessage, texts.escalation),
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
    /** The complaint's: the remedy is worded in it. */
    locale: Locale
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

  const made = await makeRemedy(trx, {
    site,
    policy,
    locale: input.locale,
    kind,
    value,
    now,
    orderRef: input.orderRef,
  })
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
