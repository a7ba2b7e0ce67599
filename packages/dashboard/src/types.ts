/**
 * @module The admin API's answers as the dashboard reads them (see
 * packages/server/README.md, "Admin API"). Money is in minor units.
 */
import type {
  Complaint,
  FailureType,
  FollowUp,
  Recovery,
  RecoveryKind,
  Severity,
  Status,
} from '@redress/protocol'

export type { Complaint, FailureType, Recovery, RecoveryKind, Severity, Status }

export const ROOT_CAUSES = [
  'people',
  'process',
  'technology',
  'supplier',
  'third_party',
  'external_event',
  'customer',
] as const
export type RootCause = (typeof ROOT_CAUSES)[number]

export type GuaranteeState = 'pending' | 'kept' | 'broken'

/** One row of `GET /v1/admin/complaints`. */
export interface ComplaintSummary {
  id: string
  reference: string
  status: Status
  category: string
  failureType: FailureType
  severity: Severity
  /** A remedy waits for approval. */
  pendingApproval: boolean
  /** A coupon, refund, replacement or correction was given. */
  remedyGiven: boolean
  suspicion: 'honeypot' | 'too_fast' | null
  firstReplyAt: string | null
  guarantee: GuaranteeState | null
  pageUrl: string | null
  assignee: string | null
  rootCause: RootCause | null
  customerId: string | null
  orderRef: string | null
  excerpt: string
  receivedAt: string
  updatedAt: string
}

export interface ComplaintPage {
  items: ComplaintSummary[]
  nextCursor: string | null
}

/** The list's filters, as query parameters. */
export interface ListFilters {
  status?: Status | undefined
  category?: string | undefined
  failureType?: FailureType | undefined
  severity?: Severity | undefined
  page?: string | undefined
  hasRemedy?: boolean | undefined
  pending?: boolean | undefined
  /** Sent with bot signals (a filled honeypot, a form sent too fast). */
  suspected?: boolean | undefined
  q?: string | undefined
}

export type RecoveryStatus = 'issued' | 'pending_approval' | 'approved' | 'rejected'

/** Why a remedy waits for the owner's approval. */
export type PendingReason =
  | 'per_complaint_cap'
  | 'customer_cap'
  | 'site_day_cap'
  | 'currency'
  | 'no_order_value'
  | 'coupon_pool_empty'

/** A ledger row of one complaint. */
export interface RecoveryRow {
  id: string
  policyKey: string
  kind: RecoveryKind
  status: RecoveryStatus
  reason: string | null
  value: number
  currency: string | null
  code: string | null
  expiresAt: string | null
  recovery: Recovery | null
  reusedFrom: string | null
  createdAt: string
  decidedAt: string | null
}

export interface TimelineEntry {
  type: string
  data: Record<string, unknown>
  at: string
}

/** `GET /v1/admin/complaints/{id}`. */
export interface ComplaintDetail {
  id: string
  reference: string
  status: Status
  assignee: string | null
  rootCause: RootCause | null
  recoveryAppropriate: boolean | null
  suspicion: 'honeypot' | 'too_fast' | null
  firstReplyAt: string | null
  guarantee: {
    text: string
    firstReplyWithin: string
    remedy?: { kind: 'coupon'; value: number }
    dueAt: string | null
    state: GuaranteeState | null
  } | null
  complaint: Complaint
  receivedAt: string
  updatedAt: string
  recoveries: RecoveryRow[]
  followUps: Array<FollowUp & { createdAt: string }>
  timeline: TimelineEntry[]
}

/** `GET /v1/admin/complaints/{id}/caps`: what a remedy may be worth without approval. */
export interface Caps {
  currency: string
  perComplaint: {
    max: number
    percentOfOrder: number
    /** In the policy's currency; `null` without one (then `limit` is `max`). */
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
 * A remedy issued by hand or decided (`POST …/recoveries`, `…/approve`,
 * `…/reject`); `changed: false` when a retry or a repeated decision did nothing.
 */
export interface RemedyResult {
  id: string
  complaintId: string
  policyKey?: string
  kind: RecoveryKind
  status: RecoveryStatus
  value: number
  currency: string | null
  code: string | null
  expiresAt: string | null
  recovery: Recovery | null
  changed: boolean
}

/** `POST /v1/admin/complaints/{id}/replies`: `id` is the `replied` event's. */
export interface ReplyView {
  id: string
  message: string
  author: string | null
  at: string
}

/** What `POST /v1/admin/complaints/{id}/recoveries` takes. */
export interface RemedyInput {
  kind: 'coupon' | 'refund' | 'replacement' | 'correction' | 'apology' | 'escalation'
  value?: number
  message?: string
  label?: string
  contactWithin?: string
}

export interface SiteCategory {
  id: string
  failureType: FailureType
  label?: string
  firmResponsible?: boolean
}

export interface Guarantee {
  text: string
  firstReplyWithin: string
  remedy: { kind: 'coupon'; value: number }
}

/** `GET /v1/admin/site`. The policy is kept loose here: the server checks it. */
export interface SiteView {
  name: string
  publicKey: string
  origins: string[]
  categories: SiteCategory[]
  rateLimits: { effective: unknown; overrides: unknown }
  policy: { effective: Policy; overrides: Record<string, unknown> | null }
  guarantee: Guarantee | null
  createdAt: string
}

/** The parts of the server's policy the dashboard shows and edits. */
export interface Policy {
  currency: string
  caps: {
    perComplaintPercent: number
    perComplaintMax: number
    perCustomer30Days: number
    perSiteDay: number
  }
  [key: string]: unknown
}

export interface WebhookEndpoint {
  id: string
  url: string
  types: string[]
  enabled: boolean
  disabledReason: string | null
  createdAt: string
}

export interface WebhookDelivery {
  id: string
  type: string
  status: 'pending' | 'delivered' | 'failed' | 'disabled'
  attempts: number
  lastStatus: number | null
  lastError: string | null
  nextAttemptAt: string
  createdAt: string
  deliveredAt: string | null
}

/** `POST /v1/admin/webhooks`: the endpoint and its secret, shown this once. */
export interface CreatedWebhook extends WebhookEndpoint {
  secret: string
}

/** The webhook event types an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'complaint.created',
  'recovery.issued',
  'complaint.resolved',
  'followup.received',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** One entry of `GET /v1/admin/site/changes`: each changed field's value before and after. */
export interface SiteChange {
  id: number
  at: string
  changes: Partial<
    Record<
      'origins' | 'categories' | 'policy' | 'rateLimits' | 'guarantee' | 'webhooks',
      { before: unknown; after: unknown }
    >
  >
}

/** `GET /v1/admin/coupon-pool`: what is left of the uploaded codes. */
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

/** One message of `GET /v1/admin/stream`. */
export interface LiveEvent {
  /** The event's id as a decimal string, the same as the SSE `id`. */
  eventId: string
  complaintId: string
  type: string
  at: string
  data: Record<string, unknown>
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
  /** Mean fairness answers (1–5) by failure type and severity, where any were given. */
  fairness: Array<{
    failureType: FailureType
    severity: Severity
    answers: number
    remedy: number | null
    process: number | null
    treatment: number | null
  }>
  /** Money given per day against the policy's per-site daily budget. */
  spend: { daily: Array<{ day: string; spent: number }>; budgetPerDay: number; total: number }
  /**
   * Categories whose count today exceeds three times their median daily count
   * over the 14 days before (and is at least 3, so a quiet category's first
   * complaint is not an alarm).
   */
  spikes: Array<{ category: string; day: string; count: number; median14: number }>
}
