/**
 * @module Pure helpers for the Settings view: durations between
 * hours/minutes and ISO 8601, the policy overrides the caps and goodwill
 * forms send, the coupon pool's line errors, the script tag and the
 * customer token sample.
 */
import {
  DEFAULT_CAPS,
  DEFAULT_CURRENCY,
  DEFAULT_GOODWILL,
  HARD_CAP_PERCENT,
} from '@redress/protocol/admin'
import type { PolicyOverrides, SiteCategory } from '../lib/types'
import { type HelpDraft, helpDraft, helpPayload } from './_help-data'
import { LOCALES, type Locale } from './_texts-data'

/** The policy's defaults the caps form shows: the server's, from the shared contract. */
export const POLICY_DEFAULTS = { currency: DEFAULT_CURRENCY, caps: DEFAULT_CAPS } as const

export { HARD_CAP_PERCENT }

export type CapName = keyof typeof POLICY_DEFAULTS.caps
export const MONEY_CAPS = ['perComplaintMax', 'perCustomer30Days', 'perSiteDay'] as const

export type DurationUnit = 'hours' | 'minutes'

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/

/**
 * An ISO 8601 duration of weeks, days, hours, minutes, seconds → what the
 * form shows: whole hours when it is a whole number of hours, else minutes.
 * `null` for anything else (years, months, an empty duration).
 *
 * @example
 * durationParts('PT2H')    // { amount: 2, unit: 'hours' }
 * durationParts('PT1H30M') // { amount: 90, unit: 'minutes' }
 * durationParts('P1D')     // { amount: 24, unit: 'hours' }
 */
export function durationParts(iso: string): { amount: number; unit: DurationUnit } | null {
  const match = DURATION.exec(iso)
  if (!match || iso === 'P' || iso.endsWith('T')) return null
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0))
  const total = (weeks! * 7 * 24 + days! * 24 + hours!) * 60 + minutes! + Math.round(seconds! / 60)
  if (total <= 0) return null
  return total % 60 === 0
    ? { amount: total / 60, unit: 'hours' }
    : { amount: total, unit: 'minutes' }
}

/**
 * What the form holds → an ISO 8601 duration: `isoDuration(2, 'hours')` → "PT2H",
 * `isoDuration(1.5, 'hours')` → "PT90M", `isoDuration(45, 'minutes')` → "PT45M".
 * `null` unless the amount is above 0.
 */
export function isoDuration(amount: number, unit: DurationUnit): string | null {
  if (!Number.isFinite(amount) || amount <= 0) return null
  const minutes = Math.round(unit === 'hours' ? amount * 60 : amount)
  if (minutes <= 0) return null
  return minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`
}

/** The guarantee's reply time limits the server accepts: one minute to 30 days. */
export const GUARANTEE_WITHIN = { minMinutes: 1, maxMinutes: 30 * 24 * 60 } as const

export type CapsInput = { currency: string } & Record<CapName, number>

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The policy overrides to store after editing the caps and currency: the
 * other overrides stay as they are (PATCH replaces the whole policy), a value
 * equal to the default is dropped so the site follows the default, and an
 * empty result is `null` (the defaults).
 */
export function policyWithCaps(
  overrides: Record<string, unknown> | null,
  input: CapsInput,
): PolicyOverrides | null {
  const next: Record<string, unknown> = { ...(overrides ?? {}) }
  const caps: Record<string, unknown> = isObject(next.caps) ? { ...next.caps } : {}
  for (const name of Object.keys(POLICY_DEFAULTS.caps) as CapName[]) {
    if (input[name] === POLICY_DEFAULTS.caps[name]) delete caps[name]
    else caps[name] = input[name]
  }
  if (Object.keys(caps).length > 0) next.caps = caps
  else delete next.caps
  if (input.currency === POLICY_DEFAULTS.currency) delete next.currency
  else next.currency = input.currency
  return Object.keys(next).length > 0 ? next : null
}

/** The policy overrides with `coupon.source` set (the pool section's switch). */
export function policyWithCouponSource(
  overrides: Record<string, unknown> | null,
  source: 'generated' | 'pool',
): PolicyOverrides | null {
  const next: Record<string, unknown> = { ...(overrides ?? {}) }
  const coupon: Record<string, unknown> = isObject(next.coupon) ? { ...next.coupon } : {}
  if (source === 'generated') delete coupon.source
  else coupon.source = source
  if (Object.keys(coupon).length > 0) next.coupon = coupon
  else delete next.coupon
  return Object.keys(next).length > 0 ? next : null
}

/**
 * The goodwill coupon's defaults, a copy of the server's
 * `DEFAULT_POLICY.goodwill` (the shared contract has no constant for them
 * yet): a value equal to one of them is not stored, so the site follows it.
 */
export const GOODWILL_DEFAULTS = DEFAULT_GOODWILL

export type GoodwillInput = { enabled: boolean; value: number; perDay: number; perIpDay: number }

/**
 * The policy overrides after editing the goodwill coupon: the other overrides
 * stay as they are (PATCH replaces the whole policy) and values equal to the
 * defaults are dropped, like the caps.
 *
 * @example
 * policyWithGoodwill({ caps: { perSiteDay: 1000 } }, { enabled: true, value: 300, perDay: 3000, perIpDay: 2 })
 * // { caps: { perSiteDay: 1000 }, goodwill: { enabled: true, perIpDay: 2 } }
 */
export function policyWithGoodwill(
  overrides: Record<string, unknown> | null,
  input: GoodwillInput,
): PolicyOverrides | null {
  const next: Record<string, unknown> = { ...(overrides ?? {}) }
  const goodwill: Record<string, unknown> = isObject(next.goodwill) ? { ...next.goodwill } : {}
  for (const name of Object.keys(GOODWILL_DEFAULTS) as Array<keyof GoodwillInput>) {
    if (input[name] === GOODWILL_DEFAULTS[name]) delete goodwill[name]
    else goodwill[name] = input[name]
  }
  if (Object.keys(goodwill).length > 0) next.goodwill = goodwill
  else delete next.goodwill
  return Object.keys(next).length > 0 ? next : null
}

/** How many goodwill coupons of `value` a day's budget pays for (0 when none fits). */
export const couponsPerDay = (perDay: number, value: number): number =>
  value > 0 ? Math.floor(perDay / value) : 0

/**
 * How long the older verification secrets keep verifying after a rotation,
 * in hours as `POST /v1/admin/site/verification-secrets` takes them; `day`
 * is the server's default.
 */
export const OVERLAP_HOURS = { day: 24, week: 168, now: 0 } as const
export type Overlap = keyof typeof OVERLAP_HOURS

/** The order value the token sample uses, in minor units. */
export const SAMPLE_ORDER_VALUE = 4200

/**
 * Node code signing a customer token for this site with `jose`, as the
 * verification section shows it: HS256, the site's public key as audience,
 * one hour of life, the secret read from the backend's configuration.
 */
export const tokenSample = (publicKey: string, currency: string): string =>
  `import { SignJWT } from 'jose'

const token = await new SignJWT({
  sub: customer.id,
  email: customer.email,
  orders: [{ ref: 'A-1001', value: ${SAMPLE_ORDER_VALUE}, currency: '${currency}' }],
})
  .setProtectedHeader({ alg: 'HS256' })
  .setAudience('${publicKey}')
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(new TextEncoder().encode(process.env.REDRESS_VERIFICATION_SECRET))`

/** How the page hands the token to the widget. */
export const IDENTIFY_SAMPLE = `redress('identify', { token })`

/** The allowed-origins text area: one origin per line, blank lines ignored. */
export const originLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)

/** `origins[3]` → 3 (the index in what was sent), else `null`. */
export function indexedField(field: string, name: string): { index: number; rest: string } | null {
  const match = new RegExp(`^${name}\\[(\\d+)\\](?:\\.(.+))?$`).exec(field)
  return match ? { index: Number(match[1]), rest: match[2] ?? '' } : null
}

/**
 * A coupon pool refusal as a heading and its line errors: the server joins up
 * to ten `line N: …` problems with "; " after a colon.
 *
 * @example
 * splitLineErrors('2 bad lines, nothing was stored: line 3: bad value; line 7: code twice')
 * // { head: '2 bad lines, nothing was stored', lines: ['line 3: bad value', 'line 7: code twice'] }
 */
export function splitLineErrors(message: string): { head: string; lines: string[] } {
  const start = message.search(/:\s*line \d+:/)
  if (start < 0) return { head: message, lines: [] }
  const head = message.slice(0, start)
  const lines = message
    .slice(start + 1)
    .split(/;\s*(?=line \d+:|and \d+ more)/)
    .map((line) => line.trim())
    .filter(Boolean)
  return { head, lines }
}

/** The tag the owner pastes into their pages. */
export const scriptTag = (origin: string, publicKey: string): string =>
  `<script async src="${origin}/redress.js" data-site="${publicKey}"></script>`

/** The categories as `PATCH /v1/admin/site` takes them. */
export interface CategoryDraft {
  key: string
  id: string
  /** The label per locale, as typed. */
  labels: Record<Locale, string>
  failureType: SiteCategory['failureType']
  firmResponsible: boolean
  /** Its self-help per language, as typed. */
  help: HelpDraft
  /** Stored already: its id is what complaints refer to, so it is not edited. */
  saved: boolean
  /** Whether the stored entry named `firmResponsible` itself. */
  hadFirm: boolean
}

export function categoryDrafts(categories: SiteCategory[]): CategoryDraft[] {
  return categories.map((category, index) => ({
    key: `saved-${index}-${category.id}`,
    id: category.id,
    labels: {
      // A category saved before labels per locale has one `label`: the English one.
      en: category.labels?.en ?? category.label ?? '',
      'zh-CN': category.labels?.['zh-CN'] ?? '',
    },
    failureType: category.failureType,
    firmResponsible: category.firmResponsible !== false,
    help: helpDraft(category.help),
    saved: true,
    hadFirm: category.firmResponsible !== undefined,
  }))
}

/**
 * The categories to send: `labels` with each label typed, and `label` the
 * English one, which widgets and servers from before `labels` read, and the
 * widget falls back to in a language without its own label; and the
 * self-help typed (`PATCH` replaces the categories, so what is not sent is gone).
 */
export function categoriesPayload(drafts: CategoryDraft[]): SiteCategory[] {
  return drafts.map((draft) => {
    const category: SiteCategory = { id: draft.id.trim(), failureType: draft.failureType }
    const labels: NonNullable<SiteCategory['labels']> = {}
    for (const locale of LOCALES) {
      const label = draft.labels[locale].trim()
      if (label) labels[locale] = label
    }
    if (labels.en) category.label = labels.en
    if (Object.keys(labels).length > 0) category.labels = labels
    const { help } = helpPayload(draft.help)
    if (help) category.help = help
    if (!draft.firmResponsible || draft.hadFirm) category.firmResponsible = draft.firmResponsible
    return category
  })
}

/** A category id from a label, for new rows: "Late delivery" → "late-delivery". */
export const slugify = (label: string): string =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)

export const CATEGORY_ID = /^[a-z0-9_-]{1,64}$/
