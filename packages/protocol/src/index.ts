/**
 * @module The Redress wire protocol v1: the types every browser client and
 * backend share, and the constants (limits, enums) both sides check against.
 * Runtime validators live in `@redress/protocol/schema` so that code which
 * only needs the types pays nothing for them.
 */
import type { Locale } from './locale'
import type { CategoryHelp, SiteNotice } from './notice'

/** The version of the wire protocol described by these types. */
export const PROTOCOL_VERSION = 1

/**
 * How bad the failure was for the customer, in the customer's own words.
 * Severity decides what the default policy offers.
 */
export const SEVERITIES = ['minor', 'major', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

/**
 * The three kinds of service failure: the core thing was not delivered
 * (`outcome`), it was delivered badly (`process`), people were rude or
 * unhelpful (`interaction`). Every category maps to one.
 */
export const FAILURE_TYPES = ['outcome', 'process', 'interaction'] as const
export type FailureType = (typeof FAILURE_TYPES)[number]

/**
 * The categories a site starts with, and that clients offer when a backend
 * names none. They carry no labels: each client shows its own translated
 * name for these ids. Shared, so read it and copy it; never change it.
 *
 * @example
 * const categories = site.categories.length ? site.categories : DEFAULT_CATEGORIES
 * DEFAULT_CATEGORIES.map((category) => category.id)
 * // ['broken', 'order', 'slow', 'billing', 'staff', 'other']
 */
export const DEFAULT_CATEGORIES: readonly Pick<SiteConfigCategory, 'id' | 'failureType'>[] = [
  { id: 'broken', failureType: 'outcome' },
  { id: 'order', failureType: 'outcome' },
  { id: 'slow', failureType: 'process' },
  { id: 'billing', failureType: 'outcome' },
  { id: 'staff', failureType: 'interaction' },
  { id: 'other', failureType: 'process' },
]

/** The life of a complaint: `received → in_progress → resolved → closed`, and `reopened`. */
export const STATUSES = ['received', 'in_progress', 'resolved', 'closed', 'reopened'] as const
export type Status = (typeof STATUSES)[number]

/** The kinds of remedy a complaint can receive; `Recovery` is tagged by these. */
export const RECOVERY_KINDS = [
  'apology',
  'coupon',
  'refund',
  'replacement',
  'correction',
  'escalation',
] as const
export type RecoveryKind = (typeof RECOVERY_KINDS)[number]

/** Stable machine-readable error codes carried in every error body. */
export const ERROR_CODES = [
  'invalid_request',
  'unknown_site',
  'origin_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'idempotency_conflict',
  'unauthorized',
  'invalid_customer_token',
  'customer_token_expired',
  'not_found',
  'too_many_attachments',
  'internal_error',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * Length and count limits for every field, e.g. `LIMITS.description`.
 * Clients check them before queueing a complaint; servers enforce them.
 * Lengths count UTF-16 units. A namespace of constants, so bundlers inline
 * the ones used and drop the rest.
 */
export * as LIMITS from './limits'

/**
 * What counts as an email address on the wire: something@something.tld, no
 * spaces. Deliberately loose; the only check that matters is a reply arriving.
 */
export const EMAIL_PATTERN: RegExp = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** An ISO 4217 currency code. */
export const CURRENCY_PATTERN: RegExp = /^[A-Z]{3}$/

export { formatDuration, ISO_DURATION, parseDuration } from './duration'
export { LOCALES, type Locale, toLocale } from './locale'
export { currencyDigits, formatMoney, parseMoney } from './money'
export {
  type CategoryHelp,
  HELP_LIMITS,
  type HelpLink,
  NOTICE_LIMITS,
  noticeFor,
  pageMatches,
  type SiteNotice,
} from './notice'

/** An amount of money in minor units (cents, fen) of an ISO 4217 currency. */
export interface Money {
  /** Whole minor units, e.g. `1250` for 12.50. */
  value: number
  /** ISO 4217 code in upper case, e.g. `"EUR"`, `"CNY"`. */
  currency: string
}

/** A flat bag of host-supplied facts attached to a complaint. */
export type Metadata = Record<string, string | number | boolean>

/**
 * A complaint as it travels from the browser to a backend
 * (`POST {endpoint}/v1/complaints`).
 */
export interface Complaint {
  /** The site's public key, `pk_…`. */
  site: string
  /** A category id configured for the site, e.g. `"delivery"`. */
  category: string
  severity: Severity
  /** What went wrong, in the customer's words (1–5000 characters). */
  description: string
  /** How to reach the customer, when they chose to say. */
  contact?: { email?: string; name?: string }
  /** The host's order or booking reference the complaint is about. */
  orderRef?: string
  /** The value affected by the failure; caps on remedies are a share of it. */
  orderValue?: Money
  /**
   * Who the host says the customer is (`identify`). Shown to the owner, never
   * trusted: caps and automatic money follow `customerToken` only.
   */
  customer?: { id?: string; email?: string }
  /**
   * A short-lived token the host's backend signed with the site's verification
   * secret (a compact JWT, HS256; see {@link CustomerTokenClaims}). With it the
   * server takes the customer and the orders from the token, never from the
   * body. Not part of the idempotency fingerprint: a retry may carry a fresh one.
   */
  customerToken?: string
  /** Where the customer was when they complained. */
  page?: { url?: string; title?: string; referrer?: string }
  client?: { locale?: string; userAgent?: string; sdk?: string }
  metadata?: Metadata
  /** When the customer pressed send (ISO 8601 with offset). */
  occurredAt?: string
  /**
   * Bot signals for the server to weigh; the browser never drops a complaint
   * on their account. `honeypot` is a field people cannot see (anything in it
   * suggests a bot); `fillMs` is how long the form was open before sending.
   */
  signals?: { honeypot?: string; fillMs?: number }
}

/** An order a customer token vouches for: the facts automatic money is sized on. */
export interface VouchedOrder {
  /** The host's order reference, as the complaint names it in `orderRef`. */
  ref: string
  /** What the customer paid, in minor units. */
  value: number
  /** ISO 4217 code in upper case. */
  currency: string
  /** When the order was placed (ISO 8601). */
  date?: string
}

/**
 * The claims of a customer token (`Complaint.customerToken`): a compact JWT
 * signed with HS256 by the host's backend, with the site's verification
 * secret (`vsec_…`, its UTF-8 bytes) as the key.
 *
 * @example
 * // header  {"alg":"HS256","typ":"JWT"}
 * // payload {"aud":"pk_demo","sub":"cus_42","exp":1796000000,"orders":[{"ref":"A-1001","value":4200,"currency":"EUR"}]}
 */
export interface CustomerTokenClaims {
  /** The site's public key the token is for, `pk_…`. */
  aud: string
  /** The customer's id in the host's system (1–200 characters). */
  sub: string
  /** Expiry, seconds since the epoch; at most 24 hours after `iat` (or now). */
  exp: number
  /** Issued at, seconds since the epoch. */
  iat?: number
  email?: string
  name?: string
  /** Up to 20 orders of this customer the host vouches for. */
  orders?: VouchedOrder[]
}

/** The backend's acknowledgement that a complaint is stored. */
export interface Receipt {
  /** The complaint's id, `cmp_…`. */
  id: string
  /** A short reference the customer can quote, e.g. `"R-7K3Q9"`. */
  reference: string
  status: Status
  /** A bearer token that lets this customer read the status and answer the follow-up. */
  token: string
  /** The remedy the backend's policy decided at once, if any. */
  recovery: Recovery | null
  /** When the backend stored the complaint (ISO 8601). */
  receivedAt: string
}

/** A message from the owner to the customer about their complaint. */
export interface Reply {
  /** Plain text (not HTML), 1–5000 characters. */
  message: string
  /** Who wrote it, as the owner chose to sign it. */
  author?: string
  /** When it was sent (ISO 8601). */
  at: string
}

/** `GET {endpoint}/v1/complaints/{id}`: where the complaint stands now. */
export interface StatusReport {
  id: string
  reference: string
  status: Status
  recoveries: Recovery[]
  /** The owner's replies, oldest first; absent when there are none (or the backend has no replies). */
  replies?: Reply[]
  updatedAt: string
}

/** A score from 1 (not at all) to 5 (completely). */
export type Score = 1 | 2 | 3 | 4 | 5

/**
 * The customer's answer to "Did we make it right?"
 * (`POST {endpoint}/v1/complaints/{id}/follow-up`).
 */
export interface FollowUp {
  score: Score
  /** `false` reopens the complaint. */
  resolved: boolean
  comment?: string
  /** The three sides of a fair recovery, one tap each. */
  fairness?: {
    /** Was the remedy fair? (distributive) */
    remedy?: Score
    /** Was it quick and easy? (procedural) */
    process?: Score
    /** Were you treated with respect? (interactional) */
    treatment?: Score
  }
}

export interface ApologyRecovery {
  kind: 'apology'
  message: string
}
export interface CouponRecovery {
  kind: 'coupon'
  code: string
  label: string
  /** ISO 8601 timestamp after which the code no longer works. */
  expiresAt?: string
  terms?: string
}
export interface RefundRecovery {
  kind: 'refund'
  amount: Money
  message: string
}
export interface ReplacementRecovery {
  kind: 'replacement'
  message: string
}
export interface CorrectionRecovery {
  kind: 'correction'
  message: string
}
export interface EscalationRecovery {
  kind: 'escalation'
  message: string
  /** `ISO_DURATION` within which a person will make contact, e.g. `"PT2H"`. */
  contactWithin?: string
}

/** A remedy offered to the customer, tagged by `kind`. */
export type Recovery =
  | ApologyRecovery
  | CouponRecovery
  | RefundRecovery
  | ReplacementRecovery
  | CorrectionRecovery
  | EscalationRecovery

/** A complaint category as pages see it (`SiteConfig.categories`). */
export interface SiteConfigCategory {
  /** Sent as `complaint.category`; 1–64 of a-z, 0-9, `_` and `-` on the reference server. */
  id: string
  failureType: FailureType
  /**
   * What customers see, as the owner wrote it (1–100 characters): the
   * fallback for a language `labels` does not name. Absent: a client shows
   * its own translated name for a built-in id, else the id.
   */
  label?: string
  /**
   * The owner's label per locale (each 1–100 characters), for customers
   * reading that language; a client shows `labels[locale]`, else `label`.
   * Absent in answers of backends that predate it, and when the owner gave none.
   */
  labels?: Partial<Record<Locale, string>>
  /**
   * Self-help per locale: a short answer and links the widget shows when the
   * customer picks this category, before they send. Absent when the owner gave none.
   */
  help?: Partial<Record<Locale, CategoryHelp>>
}

/**
 * `GET {endpoint}/v1/sites/{publicKey}`: what a page may know of the site's
 * settings, so the widget offers the owner's categories and shows the
 * service guarantee. Nothing else (policy, caps, origins, tokens) is ever in it.
 * A backend without the route answers 404, and clients then use their own
 * built-in categories and show no guarantee.
 *
 * @example
 * { "categories": [{ "id": "order", "failureType": "outcome" },
 *                  { "id": "late", "failureType": "process", "label": "Late delivery",
 *                    "labels": { "zh-CN": "配送太慢" } }],
 *   "guarantee": { "text": "A reply within 2 hours, or €5 off" } }
 */
export interface SiteConfig {
  /** In the order the owner put them. */
  categories: SiteConfigCategory[]
  /** The service guarantee's promise, to show as text; `null`: the site has none. */
  guarantee: { text: string } | null
  /**
   * The known-issue notices that have not ended (each with its pages and
   * times: a client shows those for its page now). Absent in answers of
   * backends that predate it.
   */
  notices?: SiteNotice[]
  /**
   * Whether the backend takes photos with a complaint, and how many and how
   * large. Absent: it takes none (a client shows no "Add a photo").
   */
  attachments?: { max: number; maxBytes: number; types: AttachmentType[] }
}

/** The image types a photo may be; the server checks the bytes, not the declared type. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number]

/**
 * `POST /v1/complaints/{id}/attachments` answers this (`201`; `200` for a
 * replay of the same `Idempotency-Key`): the photo as the backend stored it.
 */
export interface AttachmentReceipt {
  /** `att_…` */
  id: string
  /** The type its bytes are. */
  type: AttachmentType
  /** Bytes. */
  size: number
  width: number
  height: number
  createdAt: string
}

/** Every 4xx/5xx reply carries this body. */
export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    /** The offending field as a dotted path, e.g. `"contact.email"`. */
    field?: string
  }
}

/**
 * Whether a request that got this HTTP status may be sent again unchanged.
 * Only 429 and 5xx are; network errors and timeouts are too, but have no status.
 *
 * @example
 * isRetryableStatus(503) // true
 * isRetryableStatus(400) // false
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500
}

/**
 * JSON with object keys sorted, so two bodies that mean the same compare
 * equal. Backends use it to tell a replay (same key, same body) from a
 * conflict (same key, different body).
 *
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  )
}
