/**
 * @module The admin API's shared words: the constant lists, the policy's
 * defaults and limits both the server and the dashboard check against.
 */

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
  'alert.raised',
  'attachment.added',
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
  /** More than the person who gave it may give on their own (their per-remedy limit). */
  | 'authority'
  /** It would take the person who gave it past their limit for the day. */
  | 'authority_day'
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

/**
 * The bounds the admin API holds requests to (lengths count UTF-16 units,
 * after NFC; money in minor units). The request schemas use them; the
 * dashboard shows them.
 *
 * @example
 * ADMIN_LIMITS.listMax // 100: `GET /v1/admin/complaints?limit=` at most
 */
export const ADMIN_LIMITS = {
  /** `?limit=` of the complaint list, site changes and deliveries: the default and the most. */
  listDefault: 25,
  listMax: 100,
  /** The list's `q` and `page` filters. */
  filterText: 200,
  /** A complaint's `assignee`. */
  assignee: 200,
  /** Allowed origins per site, and characters per origin. */
  origins: 50,
  origin: 300,
  /** Categories per site. */
  categories: 100,
  /** A webhook endpoint's URL. */
  webhookUrl: 2000,
  /** A guarantee's promised coupon (minor units) and reply time (ms). */
  guaranteeValue: 1_000_000,
  guaranteeMinMs: 60_000,
  guaranteeMaxMs: 30 * 86_400_000,
  /** Hours older verification secrets keep verifying after a rotation (default 24). */
  overlapHours: 720,
  /** `GET /v1/admin/insights?days=`. */
  insightDaysMin: 7,
  insightDaysMax: 365,
  insightDaysDefault: 30,
  /** Policy overrides: nesting levels, object keys in all, characters per text. */
  policyDepth: 8,
  policyKeys: 200,
  policyText: 1000,
  /** A coupon pool upload: codes, characters per code, bad lines named in a refusal. */
  poolCodes: 10_000,
  poolCode: 64,
  poolLinesShown: 10,
} as const
