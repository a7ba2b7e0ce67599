/**
 * @module The site's settings in the admin API: what `GET /v1/admin/site`
 * answers, and what `PATCH` on it, the verification secrets and the audit
 * trail take. Each setting's own schema is in `site-settings.ts`.
 */
import * as v from 'valibot'
import type { CategoryHelp, FailureType, Locale } from '../index'
import { body, fields, isRecord, knownKeys } from './_valid'
import { type AlertRule, AlertRulesSchema } from './alerts'
import type { Guarantee } from './complaints'
import { type MailSettings, MailSettingsSchema } from './mail'
import type { ActorRef } from './people'
import { PolicyOverridesSchema } from './policy'
import {
  type AttachmentSettings,
  AttachmentSettingsSchema,
  CategoriesSchema,
  GuaranteeSchema,
  OriginsSchema,
  RateLimitsSchema,
} from './site-settings'
import { ADMIN_LIMITS } from './words'

/** A complaint category of the site. */
export interface SiteCategory {
  /** 1–64 of a-z, 0-9, `_` and `-`. */
  id: string
  failureType: FailureType
  /**
   * What people see, the fallback for a locale `labels` does not name;
   * absent: a client's own name for a built-in id, else the id.
   */
  label?: string
  /** What people reading a locale see (`{ en?, 'zh-CN'? }`), before `label`. */
  labels?: Partial<Record<Locale, string>>
  /** Self-help per locale, shown when a customer picks it (`{ en?: { answer?, links? }, … }`). */
  help?: Partial<Record<Locale, CategoryHelp>>
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
  /** The site's mail settings, defaults filled in (left out by servers without mail). */
  mail?: MailSettings
  /** The early-warning rules in force (`effective`), and what the site set (`overrides`; `null`: the defaults). */
  alerts: { effective: AlertRule[]; overrides: AlertRule[] | null }
  /** How long photos are kept (`effective`), and what the site set (`overrides`; `null`: 180 days). */
  attachments: { effective: AttachmentSettings; overrides: AttachmentSettings | null }
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
  | 'mail'
  | 'alerts'
  | 'attachments'
  | 'notices'
  | 'team'
  | 'tokens'
  | 'adminToken'

/** One entry of `GET /v1/admin/site/changes`: each changed field's value before and after. */
export interface SiteChange {
  id: number
  at: string
  /** Who made it; `null` for changes made before people signed in. */
  by: ActorRef | null
  changes: Partial<Record<SiteChangeField, { before: unknown; after: unknown }>>
}

const SITE_FIELDS = [
  'origins',
  'categories',
  'policy',
  'rateLimits',
  'guarantee',
  'mail',
  'alerts',
  'attachments',
] as const

/**
 * `PATCH /v1/admin/site`: at least one of `origins`, `categories`, `policy`,
 * `rateLimits`, `guarantee`, `mail`, `alerts`, `attachments` (`null` resets the last six),
 * each checked by its own schema (`OriginsSchema`, `CategoriesSchema`,
 * `PolicyOverridesSchema`, `RateLimitsSchema`, `GuaranteeSchema`,
 * `MailSettingsSchema`, `AlertRulesSchema`), in that order.
 *
 * @example
 * parseAdmin(SitePatchSchema, { categories: [{ id: 'a', failureType: 'outcome', x: 1 }] })
 * // { ok: false, message: 'Unknown field x', field: 'categories[0].x' }
 */
export const SitePatchSchema = /* @__PURE__ */ (() =>
  v.pipe(
    body({
      origins: v.optional(OriginsSchema),
      categories: v.optional(CategoriesSchema),
      policy: v.optional(v.nullable(PolicyOverridesSchema)),
      rateLimits: v.optional(v.nullable(RateLimitsSchema)),
      guarantee: v.optional(v.nullable(GuaranteeSchema)),
      mail: v.optional(v.nullable(MailSettingsSchema)),
      alerts: v.optional(v.nullable(AlertRulesSchema)),
      attachments: v.optional(v.nullable(AttachmentSettingsSchema)),
    }),
    v.check(
      (patch) => SITE_FIELDS.some((field) => patch[field] !== undefined),
      `Send at least one of ${SITE_FIELDS.join(', ')}`,
    ),
  ))()
/** What a client sends to change the site's settings. */
export type SitePatch = v.InferInput<typeof SitePatchSchema>
export type ParsedSitePatch = v.InferOutput<typeof SitePatchSchema>

const OVERLAP_MESSAGE = /* @__PURE__ */ (() =>
  `overlapHours is a number of hours from 0 to ${ADMIN_LIMITS.overlapHours}`)()

/**
 * `POST /v1/admin/site/verification-secrets`: no body (`undefined`), `null`
 * or `{ overlapHours? }`, how long the older secrets keep verifying (0–720
 * hours; the server's default, 24, when absent). The output is in milliseconds.
 *
 * @example
 * parseAdmin(RotationBodySchema, { overlapHours: 0.5 }) // { ok: true, value: { overlapMs: 1800000 } }
 */
export const RotationBodySchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<{ overlapHours?: number | undefined } | null | undefined>(
      (input) => input === undefined || input === null || isRecord(input),
      'Send a JSON object { overlapHours? }',
    ),
    v.transform((input) => input ?? {}),
    knownKeys<{ overlapHours?: number | undefined }>(['overlapHours']),
    fields({
      overlapHours: v.optional(
        v.pipe(
          v.number(OVERLAP_MESSAGE),
          v.finite(OVERLAP_MESSAGE),
          v.minValue(0, OVERLAP_MESSAGE),
          v.maxValue(ADMIN_LIMITS.overlapHours, OVERLAP_MESSAGE),
        ),
      ),
    }),
    v.transform(({ overlapHours }) => ({
      overlapMs: overlapHours === undefined ? undefined : Math.round(overlapHours * 3_600_000),
    })),
  ))()
/** What a client sends to rotate the verification secret. */
export type RotationBody = v.InferInput<typeof RotationBodySchema>
