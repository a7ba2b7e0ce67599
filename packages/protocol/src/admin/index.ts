/**
 * @module The admin API's answers and requests (`/v1/admin`), shared by the server and the dashboard.
 *
 * Types and two small constant arrays only, so it adds next to nothing to a
 * bundle; browser SDKs never import it. Money is in whole minor units, times
 * are ISO 8601 text.
 *
 * @example
 * import type { ComplaintPage } from '@redress/protocol/admin'
 *
 * const response = await fetch('/v1/admin/complaints?status=received', {
 *   headers: { authorization: `Bearer ${adminToken}` },
 * })
 * const page = (await response.json()) as ComplaintPage
 * for (const item of page.items) console.log(item.reference, item.excerpt)
 */
import type {
  Complaint,
  FailureType,
  FollowUp,
  Recovery,
  RecoveryKind,
  Score,
  Severity,
  Status,
  VouchedOrder,
} from '../index'

// ---------------------------------------------------------------------------
// Shared words

/**
 * Where a failure came from, once the owner has diagnosed it
 * (`PATCH /v1/admin/complaints/{id}` `{ rootCause }`).
 *
 * @example
 * ROOT_CAUSES.includes(value as RootCause) // a check before trusting input
 */
export const ROOT_CAUSES = [
  'people',
  'process',
  'technology',
  'supplier',
  'third_party',
  'external_event',
  'customer',
] as const
/** One of `ROOT_CAUSES`. */
export type RootCause = (typeof ROOT_CAUSES)[number]

/**
 * The webhook event types an endpoint can subscribe to
 * (`POST /v1/admin/webhooks` `{ url, types }`).
 *
 * @example
 * const all: WebhookEventType[] = [...WEBHOOK_EVENT_TYPES]
 */
export const WEBHOOK_EVENT_TYPES = [
  'complaint.created',
  'recovery.issued',
  'complaint.resolved',
  'followup.received',
  'reply.sent',
  'guarantee.broken',
] as const
/** One of `WEBHOOK_EVENT_TYPES`. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/**
 * No per-complaint cap may be configured above this percent of the order
 * value: loyalty falls above about 150% (Haesevoets et al. 2017). The server
 * refuses more; the dashboard says so before sending.
 */
export const HARD_CAP_PERCENT = 150

/**
 * The recovery policy's caps and currency when a site sets none (minor units).
 * The server's `DEFAULT_POLICY` is built on them, with the reasons for each;
 * the dashboard shows them as the defaults.
 *
 * @example
 * DEFAULT_CAPS.perComplaintPercent // 100
 */
export const DEFAULT_CAPS = {
  perComplaintPercent: 100,
  perComplaintMax: 5000,
  perCustomer30Days: 5000,
  perSiteDay: 50000,
} as const
export const DEFAULT_CURRENCY = 'EUR'

/**
 * Goodwill coupons for unverified complaints when a site sets nothing: off,
 * and small when on (minor units; `perIpDay` is a count).
 *
 * @example
 * DEFAULT_GOODWILL.enabled // false
 */
export const DEFAULT_GOODWILL = {
  enabled: false,
  value: 300,
  perDay: 3000,
  perIpDay: 1,
} as const

/** Why a complaint looks sent by a bot: a filled honeypot, or a form sent too fast. Such complaints get no remedy. */
export type Suspicion = 'honeypot' | 'too_fast'

/** Where a complaint stands against the site's service guarantee. */
export type GuaranteeState = 'pending' | 'kept' | 'broken'

/** A ledger row's state; `issued` and `approved` count against the caps. */
export type RecoveryStatus = 'issued' | 'pending_approval' | 'approved' | 'rejected'

/** Why a remedy waits for the owner's approval. */
export type PendingReason =
  | 'per_complaint_cap'
  | 'customer_cap'
  | 'site_day_cap'
  | 'currency'
  | 'no_order_value'
  | 'coupon_pool_empty'
  /**
   * The complaint carries no valid customer token, or names an order the token
   * does not vouch for: its facts are the sender's word, so money waits for a person.
   */
  | 'unverified'

// ---------------------------------------------------------------------------
// Complaints

/**
 * The list's filters, as query parameters of `GET /v1/admin/complaints`
 * (and `GET /v1/admin/complaints.csv`); they combine with AND.
 *
 * @example
 * const filters: ListFilters = { status: 'received', pending: true }
 */
export interface ListFilters {
  status?: Status | undefined
  category?: string | undefined
  failureType?: FailureType | undefined
  severity?: Severity | undefined
  /** A substring of the page URL. */
  page?: string | undefined
  /** Has (or has not) a remedy the customer received: not an apology or an escalation. */
  hasRemedy?: boolean | undefined
  /** Has a remedy waiting for approval. */
  pending?: boolean | undefined
  /** Sent with bot signals (a filled honeypot, a form sent too fast). */
  suspected?: boolean | undefined
  /** A case-insensitive substring of the description. */
  q?: string | undefined
}

/** One row of `GET /v1/admin/complaints`. */
export interface ComplaintSummary {
  id: string
  reference: string
  status: Status
  category: string
  /** The category's failure type under the site's policy. */
  failureType: FailureType
  severity: Severity
  /** A remedy waits for approval. */
  pendingApproval: boolean
  /** A coupon, refund, replacement or correction was given. */
  remedyGiven: boolean
  suspicion: Suspicion | null
  firstReplyAt: string | null
  /** The service guarantee's state; `null` when the complaint arrived without one. */
  guarantee: GuaranteeState | null
  pageUrl: string | null
  assignee: string | null
  rootCause: RootCause | null
  /** The verified customer's id (from a customer token); `null` for an unverified complaint. */
  customerId: string | null
  /** The complaint carried a valid customer token. */
  verified: boolean
  orderRef: string | null
  /** The description's first 140 characters. */
  excerpt: string
  receivedAt: string
  updatedAt: string
}

/**
 * `GET /v1/admin/complaints`: newest first; `nextCursor` is `null` on the last page.
 *
 * @example
 * // GET /v1/admin/complaints?limit=25&cursor=…
 * // → { "items": [{ "id": "cmp_…", "reference": "R-7K3Q9", … }], "nextCursor": null }
 */
export interface ComplaintPage {
  items: ComplaintSummary[]
  nextCursor: string | null
}

/** A ledger row of one complaint, pending and rejected ones included. */
export interface RecoveryView {
  /** `rcv_…` */
  id: string
  /** Which rule issued it: `apology`, `remedy`, `escalation`, `guarantee`, `manual:…`. */
  policyKey: string
  kind: RecoveryKind
  status: RecoveryStatus
  /** Why it waits (or waited) for approval: a `PendingReason`. */
  reason: string | null
  /** Minor units of `currency`; 0 for remedies that cost no money. */
  value: number
  currency: string | null
  code: string | null
  expiresAt: string | null
  /** What the customer was given; `null` while pending or rejected. */
  recovery: Recovery | null
  /** The complaint whose remedy this one repeats (one incident, several complaints). */
  reusedFrom: string | null
  createdAt: string
  /** When a pending remedy was approved or rejected. */
  decidedAt: string | null
}

/** One event of a complaint's timeline. */
export interface TimelineEntry {
  /** `received`, `status_changed`, `recovery`, `replied`, `follow_up`, … */
  type: string
  data: Record<string, unknown>
  at: string
}

/** A follow-up answer as stored: what the customer sent, with `null` for what they left out. */
export interface FollowUpView {
  score: Score
  resolved: boolean
  comment: string | null
  fairness: NonNullable<FollowUp['fairness']> | null
  createdAt: string
}

/**
 * A service guarantee: a promise shown to customers and kept by the server.
 * When the owner has not replied within `firstReplyWithin`, the promised
 * remedy is issued automatically.
 *
 * @example
 * const guarantee: Guarantee = {
 *   text: 'A reply within 2 hours, or €5 off',
 *   firstReplyWithin: 'PT2H',
 *   remedy: { kind: 'coupon', value: 500 },
 * }
 */
export interface Guarantee {
  /** What customers are told, e.g. "A reply within 2 hours, or 10% off". */
  text: string
  /** ISO 8601 duration, e.g. `PT2H`. */
  firstReplyWithin: string
  /** What a broken promise gives: a coupon worth `value` minor units of the policy currency. */
  remedy: { kind: 'coupon'; value: number }
}

/** The guarantee as it stood when a complaint arrived, and how it went. */
export interface ComplaintGuarantee extends Guarantee {
  dueAt: string | null
  state: GuaranteeState | null
}

/**
 * `GET /v1/admin/complaints/{id}` (and what `PATCH` on it answers): what the
 * customer sent, its handling, remedies, answers and timeline.
 */
export interface ComplaintDetail {
  id: string
  reference: string
  status: Status
  assignee: string | null
  rootCause: RootCause | null
  recoveryAppropriate: boolean | null
  suspicion: Suspicion | null
  firstReplyAt: string | null
  guarantee: ComplaintGuarantee | null
  /**
   * What a valid customer token said: the customer and the vouched order the
   * complaint is about (`null` when it named none the token vouches for).
   * `null` for an unverified complaint, whose `complaint.customer` is only a claim.
   */
  verified: {
    customerId: string
    email: string | null
    name: string | null
    order: VouchedOrder | null
  } | null
  /** Everything the customer sent, as validated (without the customer token). */
  complaint: Complaint
  receivedAt: string
  updatedAt: string
  recoveries: RecoveryView[]
  followUps: FollowUpView[]
  timeline: TimelineEntry[]
}

/**
 * `POST /v1/admin/complaints/{id}/replies`: a message to the customer.
 *
 * @example
 * // → 201 { "id": "42", "message": "We found your parcel.", "author": "Ana", "at": "…" }
 */
export interface ReplyView {
  /** The `replied` event's id (the same `id` the live stream sends). */
  id: string
  message: string
  author: string | null
  at: string
}

// ---------------------------------------------------------------------------
// Remedies

/**
 * `GET /v1/admin/complaints/{id}/caps`: what a remedy may be worth without
 * approval, cap by cap.
 */
export interface Caps {
  currency: string
  perComplaint: {
    max: number
    percentOfOrder: number
    /** The complaint's order value in the policy's currency; `null` without one or in another currency (then `limit` is `max`). */
    orderValue: number | null
    limit: number
    /** Given to this complaint already (issued or approved). */
    given: number
    remaining: number
  }
  customer: { id: string; limit: number; spent: number; remaining: number } | null
  /** `day` is the UTC day, YYYY-MM-DD. */
  siteDay: { day: string; limit: number; spent: number; remaining: number }
  /** What one more remedy may be worth now without approval: the smallest `remaining`. */
  available: number
}

/**
 * What `POST /v1/admin/complaints/{id}/recoveries` takes: one remedy issued by
 * hand, outside the policy's rules but within its caps.
 *
 * @example
 * const remedy: RemedyInput = { kind: 'coupon', value: 1500, label: '{amount} off' }
 */
export interface RemedyInput {
  kind: RecoveryKind
  /**
   * Minor units of the policy's currency: required for `coupon` and `refund`,
   * optional for `replacement` (counted against the caps when given), not
   * allowed for the others (they cost nothing).
   */
  value?: number | undefined
  /** The text; the policy's when absent. Not for coupons. */
  message?: string | undefined
  /** A coupon's label (`{amount}` is replaced); the policy's when absent. */
  label?: string | undefined
  /** An escalation's ISO 8601 duration; the policy's when absent. */
  contactWithin?: string | undefined
}

/**
 * A remedy issued by hand or decided (`POST …/recoveries`,
 * `POST /v1/admin/recoveries/{id}/approve`, `…/reject`); `changed: false` when a
 * retry or a repeated decision did nothing.
 */
export interface RemedyResult {
  id: string
  complaintId: string
  policyKey: string
  kind: RecoveryKind
  status: RecoveryStatus
  value: number
  currency: string | null
  code: string | null
  expiresAt: string | null
  recovery: Recovery | null
  changed: boolean
}

/**
 * `GET /v1/admin/coupon-pool`: what is left of the uploaded codes.
 *
 * @example
 * // → { "free": 12, "used": 3, "expired": 0, "byValue": [{ "value": 500, "free": 12 }],
 * //     "currency": "EUR", "source": "pool" }
 */
export interface CouponPoolSummary {
  free: number
  used: number
  expired: number
  /** Free codes per value (minor units), smallest first. */
  byValue: Array<{ value: number; free: number }>
  currency: string
  /** The policy's `coupon.source`: codes come from the pool only with `pool`. */
  source: 'generated' | 'pool'
}

// ---------------------------------------------------------------------------
// The site

/** A complaint category of the site. */
export interface SiteCategory {
  /** 1–64 of a-z, 0-9, `_` and `-`. */
  id: string
  failureType: FailureType
  /** What people see; the id when absent. */
  label?: string
  /**
   * `false` when the business is not at fault for this kind of problem (say, a
   * carrier the customer chose): compensation then buys nothing (Grewal,
   * Roggeveen & Tsiros 2008), so the policy apologises and explains but gives
   * no money. @default true
   */
  firmResponsible?: boolean
}

/**
 * The parts of the site's effective policy a client can rely on; the rest is
 * loose here, since the server checks every change (`PATCH /v1/admin/site`).
 */
export interface SitePolicy {
  /** The site's one currency (ISO 4217); every amount is in its minor units. */
  currency: string
  caps: {
    perComplaintPercent: number
    perComplaintMax: number
    perCustomer30Days: number
    perSiteDay: number
  }
  /**
   * A small coupon for complaints without a valid customer token. Off by
   * default: anyone can send such a complaint, so its budget is what the site
   * accepts to lose to strangers each day.
   */
  goodwill: {
    enabled: boolean
    /** The coupon's value, minor units. */
    value: number
    /** The most given this way per UTC day, minor units. */
    perDay: number
    /** Goodwill coupons per client IP per UTC day. */
    perIpDay: number
  }
  [key: string]: unknown
}

/** A customer-verification secret of the site, as listed; the secret itself is shown once. */
export interface VerificationSecret {
  /** `vsk_…`, also accepted as the token header's `kid`. */
  id: string
  /** The secret's last 4 characters, to tell them apart. */
  hint: string
  createdAt: string
  /** When it stops being accepted; `null` for the current secret. */
  expiresAt: string | null
}

/** `POST /v1/admin/site/verification-secrets`: the new secret, shown this once. */
export interface CreatedVerificationSecret extends VerificationSecret {
  /** `vsec_…`: the HS256 key (its UTF-8 bytes) your backend signs customer tokens with. */
  secret: string
}

/**
 * `GET /v1/admin/site` (and what `PATCH` on it answers): `effective` is what
 * the next complaint is decided by, `overrides` what is stored (`null`: the
 * server's defaults).
 */
export interface SiteView {
  name: string
  /** The public key pages send, `pk_…`. */
  publicKey: string
  origins: string[]
  categories: SiteCategory[]
  /** `effective` is `false` when the server runs without rate limits. */
  rateLimits: { effective: unknown; overrides: unknown }
  policy: { effective: SitePolicy; overrides: Record<string, unknown> | null }
  guarantee: Guarantee | null
  createdAt: string
}

/** A site setting whose changes the audit trail records. */
export type SiteChangeField =
  | 'origins'
  | 'categories'
  | 'policy'
  | 'rateLimits'
  | 'guarantee'
  | 'webhooks'
  | 'verificationSecrets'

/** One entry of `GET /v1/admin/site/changes`: each changed field's value before and after. */
export interface SiteChange {
  id: number
  at: string
  changes: Partial<Record<SiteChangeField, { before: unknown; after: unknown }>>
}

// ---------------------------------------------------------------------------
// Webhooks

/** An endpoint of `GET /v1/admin/webhooks`; its secret is never shown again. */
export interface WebhookEndpoint {
  /** `whe_…` */
  id: string
  url: string
  types: string[]
  enabled: boolean
  disabledReason: string | null
  createdAt: string
}

/** `POST /v1/admin/webhooks`: the endpoint and its secret, shown this once. */
export interface CreatedWebhook extends WebhookEndpoint {
  /** `whsec_…`, to check the `webhook-signature` header (Standard Webhooks). */
  secret: string
}

/** Where one delivery stands; `failed` after its last attempt, `disabled` with its endpoint. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'disabled'

/** One delivery of `GET /v1/admin/webhooks/{id}/deliveries`. */
export interface WebhookDelivery {
  /** `msg_…`, the `webhook-id` header. */
  id: string
  /** A `WebhookEventType`, or `webhook.test`. */
  type: string
  status: WebhookDeliveryStatus
  attempts: number
  lastStatus: number | null
  lastError: string | null
  nextAttemptAt: string
  createdAt: string
  deliveredAt: string | null
}

// ---------------------------------------------------------------------------
// Live and insights

/**
 * One message of `GET /v1/admin/stream` (server-sent events): a row of the
 * site's timeline as it is recorded.
 *
 * @example
 * // id: 42
 * // event: received
 * // data: {"eventId":"42","complaintId":"cmp_…","type":"received","at":"…","data":{…}}
 */
export interface LiveEvent {
  /** The event's id as a decimal string, the same as the SSE `id`. */
  eventId: string
  complaintId: string
  type: string
  /** When it was recorded. */
  at: string
  data: Record<string, unknown>
}

/** Mean fairness answers (1–5) of one failure type and severity; `null` where none was given. */
export interface FairnessGroup {
  failureType: FailureType
  severity: Severity
  answers: number
  remedy: number | null
  process: number | null
  treatment: number | null
}

/**
 * `GET /v1/admin/insights?days=N` (N 7–365, default 30): the learning loop,
 * computed by the server over the site's complaints received in the last N
 * UTC days (today included). Durations in milliseconds, money in minor units
 * of `currency`, shares from 0 to 1 (`null` when there is nothing to divide).
 */
export interface Insights {
  days: number
  /** First and last UTC day, YYYY-MM-DD. */
  from: string
  to: string
  currency: string
  total: number
  /** One entry per day of the range, zero-filled, oldest first. */
  daily: Array<{ day: string; outcome: number; process: number; interaction: number }>
  /** The 10 most frequent, most first. */
  topCategories: Array<{ category: string; failureType: FailureType; count: number }>
  /** The 10 most frequent page URLs (origin and path, no query), most first. */
  topPages: Array<{ page: string; count: number }>
  /** From receipt to the owner's first reply. */
  timeToFirstResponse: { medianMs: number | null; count: number }
  /** From receipt to the first remedy given (not an apology or escalation). */
  timeToRecovery: { medianMs: number | null; count: number }
  /** Complaints that got a remedy in the same session: within 30 minutes of receipt. */
  recoveredOnTheSpot: { count: number; share: number | null }
  /** Follow-up answers: `satisfiedShare` is the share of scores 4–5, `madeItRightShare` of `resolved: true`. */
  satisfaction: { answers: number; satisfiedShare: number | null; madeItRightShare: number | null }
  /** Customers (by `customer.id`) with two or more complaints within 30 days, and those complaints. */
  repeatFailures: { customers: number; complaints: number }
  /** Diagnosed root causes, most first; `recurring` is how many categories saw it more than once. */
  rootCauses: Array<{ cause: RootCause; count: number; recurring: number }>
  /** By failure type, then severity, where any answers were given. */
  fairness: FairnessGroup[]
  /** Money given per day against the policy's per-site daily budget. */
  spend: { daily: Array<{ day: string; spent: number }>; budgetPerDay: number; total: number }
  /**
   * Categories whose count today exceeds three times their median daily count
   * over the 14 days before (and is at least 3, so a quiet category's first
   * complaint is not an alarm).
   */
  spikes: Array<{ category: string; day: string; count: number; median14: number }>
}
