/**
 * @module The recovery policy's shape and the strict check of a site's policy
 * overrides (`PATCH /v1/admin/site` `{ policy }`).
 */
import * as v from 'valibot'
import {
  FAILURE_TYPES,
  type FailureType,
  ISO_DURATION,
  LOCALES,
  type Locale,
  type Severity,
} from '../index'
import { isRecord, ported, Refusal, textProblem } from './_valid'
import { ADMIN_LIMITS, HARD_CAP_PERCENT } from './words'

/** The remedies a policy may pick for a failure type. */
export const POLICY_REMEDY_KINDS = [
  'coupon',
  'refund',
  'replacement',
  'correction',
  'apology',
] as const
/** One of `POLICY_REMEDY_KINDS`. */
export type PolicyRemedyKind = (typeof POLICY_REMEDY_KINDS)[number]

/** Where coupon codes come from: made by the server, or the codes the owner uploaded. */
export const COUPON_SOURCES = ['generated', 'pool'] as const
/** One of `COUPON_SOURCES`. */
export type CouponSource = (typeof COUPON_SOURCES)[number]

/**
 * Every text the collector writes for the customer, in one locale. Each is
 * the site's own words (the defaults are the server's `DEFAULT_POLICY.texts`);
 * a `{placeholder}` is replaced when the remedy is written, in the
 * complaint's locale, and a text may use only its own placeholders.
 */
export interface PolicyTexts {
  /** Every complaint's first words, at once. No placeholders. */
  apology: string
  /**
   * After the apology when no remedy is given (a minor failure, a business
   * not at fault, a suspected bot): what happens to the report. No placeholders.
   */
  explanation: string
  /** After the apology when a remedy waits for the owner's approval. No placeholders. */
  review: string
  /**
   * A replacement. `{orderRef}`: the order it replaces, as the locale says it
   * (`" for order A-1001"` in English, `"订单 A-1001 的"` in Chinese), or
   * nothing when the complaint names no order.
   */
  replacement: string
  /** A correction: the failed service was done again. No placeholders. */
  correction: string
  /** A refund. `{amount}`: the money, formatted for the locale (`€42.00`). */
  refund: string
  /** After the apology when a person is called in. No placeholders. */
  escalation: string
  /** A coupon's title. `{amount}`: its value, formatted for the locale (`€10.50`). */
  couponLabel: string
  /**
   * A coupon's small print. `{date}`: the day it expires (UTC), written for
   * the locale (`May 3, 2027`, `2027年5月3日`).
   */
  couponTerms: string
}

/**
 * The keys of `PolicyTexts`, in the order a form lists them: the apology and
 * what may follow it, then each remedy's words.
 *
 * @example
 * POLICY_TEXT_KEYS.map((key) => `policy.texts.en.${key}`)
 */
export const POLICY_TEXT_KEYS = [
  'apology',
  'explanation',
  'review',
  'replacement',
  'correction',
  'refund',
  'escalation',
  'couponLabel',
  'couponTerms',
] as const satisfies readonly (keyof PolicyTexts)[]

/**
 * The placeholder each text may use; every other `{word}` is refused.
 *
 * @example
 * POLICY_TEXT_PLACEHOLDERS.couponLabel // '{amount}'
 */
export const POLICY_TEXT_PLACEHOLDERS: Partial<
  Record<keyof PolicyTexts, '{orderRef}' | '{amount}' | '{date}'>
> = {
  replacement: '{orderRef}',
  refund: '{amount}',
  couponLabel: '{amount}',
  couponTerms: '{date}',
}

/**
 * The whole recovery policy, as the server's `DEFAULT_POLICY` holds it and
 * `effectivePolicy` computes it; amounts in minor units of `currency`. A
 * site stores `PolicyOverrides`, any part of it.
 */
export interface RecoveryPolicy {
  /** Category id → failure type. */
  categories: Record<string, FailureType>
  /** The failure type of a category nobody listed. */
  unknownCategory: FailureType
  /** Whether each severity gets the failure type's remedy, and a person. */
  severities: Record<Severity, { remedy: boolean; escalate: boolean }>
  /** The remedy of each failure type, and whether a person is also asked. */
  remedies: Record<FailureType, { kind: PolicyRemedyKind; escalate: boolean }>
  /** A customer's second complaint within this many days is treated as critical. */
  repeatWindowDays: number
  /** ISO 4217. */
  currency: string
  coupon: {
    percent: { major: number; critical: number }
    fixed: { major: number; critical: number }
    validDays: number
    source: CouponSource
  }
  refund: { percent: { major: number; critical: number } }
  caps: {
    /** At most `HARD_CAP_PERCENT`. */
    perComplaintPercent: number
    perComplaintMax: number
    perCustomer30Days: number
    perSiteDay: number
  }
  goodwill: { enabled: boolean; value: number; perDay: number; perIpDay: number }
  escalation: { contactWithin: string }
  /**
   * What the customer reads, per locale: a complaint is answered in
   * `toLocale(complaint.client.locale)`, once, when each remedy is written.
   */
  texts: Record<Locale, PolicyTexts>
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }
/** What a site stores in its `policy`: any part of `RecoveryPolicy`. */
export type PolicyOverrides = DeepPartial<RecoveryPolicy>

/** A value of the same JSON type as each field of `T`: what the strict check compares overrides with. */
type Skeleton<T> = {
  [K in keyof T]: T[K] extends string
    ? string
    : T[K] extends number
      ? number
      : T[K] extends boolean
        ? boolean
        : Skeleton<T[K]>
}

const severity = { remedy: false, escalate: false }
const remedy = { kind: '', escalate: false }
const split = { major: 0, critical: 0 }
const texts = /* @__PURE__ */ (() =>
  Object.fromEntries(POLICY_TEXT_KEYS.map((key) => [key, ''])) as Skeleton<PolicyTexts>)()

/**
 * Every field of `RecoveryPolicy`, with a value of its JSON type (`''`, `0`,
 * `false`): the strict check refuses any other key and any other type. The
 * server's `DEFAULT_POLICY` has exactly these keys and types.
 */
export const POLICY_SHAPE: Skeleton<RecoveryPolicy> = {
  categories: {},
  unknownCategory: '',
  severities: { minor: severity, major: severity, critical: severity },
  remedies: { outcome: remedy, process: remedy, interaction: remedy },
  repeatWindowDays: 0,
  currency: '',
  coupon: { percent: split, fixed: split, validDays: 0, source: '' },
  refund: { percent: split },
  caps: { perComplaintPercent: 0, perComplaintMax: 0, perCustomer30Days: 0, perSiteDay: 0 },
  goodwill: { enabled: false, value: 0, perDay: 0, perIpDay: 0 },
  escalation: { contactWithin: '' },
  texts: { en: texts, 'zh-CN': texts },
}

/**
 * Where the texts of older policies went: they were English, so each moved
 * to the same key of `texts.en`. An override naming the old place is refused
 * with the new one.
 */
const MOVED: Record<string, keyof PolicyTexts> = {
  'policy.messages.apology': 'apology',
  'policy.messages.explanation': 'explanation',
  'policy.messages.review': 'review',
  'policy.messages.replacement': 'replacement',
  'policy.messages.correction': 'correction',
  'policy.refund.message': 'refund',
  'policy.escalation.message': 'escalation',
  'policy.coupon.label': 'couponLabel',
  'policy.coupon.terms': 'couponTerms',
}
const movedTo = (key: keyof PolicyTexts) =>
  `moved to policy.texts.en.${key} (English; policy.texts.zh-CN.${key} for Chinese)`

/** Amounts in minor units and counts: whole numbers from 0. */
const MONEY_FIELDS = [
  'policy.coupon.fixed.major',
  'policy.coupon.fixed.critical',
  'policy.caps.perComplaintMax',
  'policy.caps.perCustomer30Days',
  'policy.caps.perSiteDay',
  'policy.goodwill.value',
  'policy.goodwill.perDay',
  'policy.repeatWindowDays',
  'policy.coupon.validDays',
  'policy.goodwill.perIpDay',
]
/** Category ids as the admin API accepts them. */
export const CATEGORY_ID = /^[a-z0-9_-]{1,64}$/

const isFailureType = (value: unknown): value is FailureType =>
  (FAILURE_TYPES as readonly unknown[]).includes(value)

/** `keys` (below `policy`) as the server names the field: `policy.caps.perSiteDay`. */
const named = (keys: readonly string[]) => ['policy', ...keys].join('.')

/**
 * The overrides bounded (8 levels, 200 keys), each key one clean line and
 * each string clean free text, then NFC: the server's `checkJson(policy,
 * 'policy', { depth: 8, keys: 200, text: true })`, in its order.
 */
function bounded(value: unknown): unknown {
  let keys = 0
  const walk = (node: unknown, path: readonly string[], depth: number): unknown => {
    if (typeof node === 'string') {
      const problem = textProblem(node, named(path), true)
      if (problem) throw new Refusal(problem, path)
      return node.normalize('NFC')
    }
    if (typeof node !== 'object' || node === null) return node
    if (depth > ADMIN_LIMITS.policyDepth)
      throw new Refusal(`policy nests deeper than ${ADMIN_LIMITS.policyDepth} levels`)
    if (Array.isArray(node))
      return node.map((item, i) => walk(item, [...path, String(i)], depth + 1))
    const entries = Object.entries(node).map(([key, inner]) => {
      if (++keys > ADMIN_LIMITS.policyKeys)
        throw new Refusal(`policy has more than ${ADMIN_LIMITS.policyKeys} keys`)
      const problem = textProblem(key, `A key of ${named(path)}`)
      if (problem) throw new Refusal(problem, path)
      return [key, walk(inner, [...path, key], depth + 1)] as const
    })
    return Object.fromEntries(entries)
  }
  return walk(value, [], 1)
}

/** The server's `policyOverridesProblem`: every key known, every value of its type and range. */
function check(base: unknown, over: unknown, keys: readonly string[]): void {
  const path = named(keys)
  const problem = (message: string) => new Refusal(`${path} ${message}`, keys)
  if (path === 'policy.categories') {
    if (!isRecord(over)) throw problem('is an object of category id → failure type')
    for (const [id, type] of Object.entries(over)) {
      if (!CATEGORY_ID.test(id))
        throw new Refusal(`${path}: ${id} is not a category id`, [...keys, id])
      if (!isFailureType(type))
        throw new Refusal(`${path}.${id} must be one of ${FAILURE_TYPES.join(', ')}`, [...keys, id])
    }
    return
  }
  if (isRecord(base)) {
    if (!isRecord(over)) throw problem('is an object')
    for (const [key, value] of Object.entries(over)) {
      if (!Object.hasOwn(base, key)) throw unknown([...keys, key], value)
      check(base[key], value, [...keys, key])
    }
    return
  }
  if (path === 'policy.unknownCategory' && !isFailureType(over))
    throw problem(`must be one of ${FAILURE_TYPES.join(', ')}`)
  if (
    /^policy\.remedies\.\w+\.kind$/.test(path) &&
    !(POLICY_REMEDY_KINDS as readonly unknown[]).includes(over)
  )
    throw problem(`must be one of ${POLICY_REMEDY_KINDS.join(', ')}`)
  if (path === 'policy.coupon.source' && !(COUPON_SOURCES as readonly unknown[]).includes(over))
    throw problem(`must be one of ${COUPON_SOURCES.join(', ')}`)
  if (path === 'policy.currency' && !(typeof over === 'string' && /^[A-Z]{3}$/.test(over)))
    throw problem('is an ISO 4217 code such as EUR')
  if (
    path === 'policy.escalation.contactWithin' &&
    !(typeof over === 'string' && ISO_DURATION.test(over))
  )
    throw problem('is an ISO 8601 duration such as PT2H')
  switch (typeof base) {
    case 'boolean':
      if (typeof over !== 'boolean') throw problem('is true or false')
      return
    case 'string': {
      if (!(typeof over === 'string' && over.trim() && over.length <= ADMIN_LIMITS.policyText))
        throw problem(`is a text of 1–${ADMIN_LIMITS.policyText} characters`)
      if (keys[0] !== 'texts') return
      // A placeholder the server does not fill would reach the customer as written.
      const allowed = POLICY_TEXT_PLACEHOLDERS[keys[2] as keyof PolicyTexts]
      const stray = over.match(/\{\w+\}/g)?.find((placeholder) => placeholder !== allowed)
      if (stray)
        throw problem(
          allowed
            ? `may use ${allowed}, not ${stray}`
            : `has no placeholders: ${stray} would be shown as written`,
        )
      return
    }
    case 'number':
      if (typeof over !== 'number' || !Number.isFinite(over) || over < 0)
        throw problem('is a number from 0')
      if (MONEY_FIELDS.includes(path) && !Number.isSafeInteger(over))
        throw problem('is a whole number')
      if (path === 'policy.coupon.validDays' && over < 1) throw problem('is at least 1')
      if (path === 'policy.caps.perComplaintPercent' && over > HARD_CAP_PERCENT)
        throw problem(`may not exceed the hard cap of ${HARD_CAP_PERCENT}`)
      return
    default:
      throw problem('is not supported')
  }
}

/**
 * The refusal of a key `POLICY_SHAPE` does not have: where an old text moved,
 * the locales `texts` has, the keys a locale's texts have, or unknown.
 */
function unknown(keys: readonly string[], value: unknown): Refusal {
  const path = named(keys)
  // The old texts' object as a whole: named by its first key, which says where it went.
  if (path === 'policy.messages' && isRecord(value)) {
    const [first] = Object.keys(value)
    if (first !== undefined) return unknown([...keys, first], value[first])
  }
  const moved = MOVED[path]
  if (moved) return new Refusal(`${path} ${movedTo(moved)}`, keys)
  if (path.startsWith('policy.messages'))
    return new Refusal(
      `${path}: the texts moved to policy.texts, one set per locale (${LOCALES.join(', ')})`,
      keys,
    )
  if (keys.length === 2 && keys[0] === 'texts')
    return new Refusal(
      `${path}: policy.texts has one set of texts per locale, one of ${LOCALES.join(', ')}`,
      keys,
    )
  if (keys.length === 3 && keys[0] === 'texts')
    return new Refusal(
      `Unknown policy field ${path}: a locale's texts are ${POLICY_TEXT_KEYS.join(', ')}`,
      keys,
    )
  return new Refusal(`Unknown policy field ${path}`, keys)
}

/**
 * A site's policy overrides, the value of `PATCH /v1/admin/site` `{ policy }`
 * (messages and fields name it `policy…`; `null` is allowed there, not
 * here): bounded and cleaned as JSON first (8 levels, 200 keys, clean keys
 * and free text, NFC), then checked strictly against `POLICY_SHAPE`: no
 * unknown key, each value of its type (texts of 1–1000 characters, numbers
 * from 0, whole where they are money or counts), `caps.perComplaintPercent`
 * at most `HARD_CAP_PERCENT`, each of `texts` with no `{placeholder}` but
 * its own (`PolicyTexts`). Texts are stored as sent (NFC, not trimmed). The
 * texts' old places (`messages.*`, `coupon.label`, `coupon.terms`,
 * `refund.message`, `escalation.message`) are refused with their new one.
 *
 * @example
 * parseAdmin(SitePatchSchema, { policy: { caps: { perComplaintPercent: 400 } } })
 * // { ok: false, field: 'policy.caps.perComplaintPercent',
 * //   message: 'policy.caps.perComplaintPercent may not exceed the hard cap of 150' }
 * parseAdmin(SitePatchSchema, { policy: { texts: { 'zh-CN': { apology: '非常抱歉。' } } } })
 * // { ok: true, value: { policy: { texts: { 'zh-CN': { apology: '非常抱歉。' } } } } }
 * parseAdmin(SitePatchSchema, { policy: { messages: { apology: 'Sorry.' } } })
 * // { ok: false, field: 'policy.messages.apology',
 * //   message: 'policy.messages.apology moved to policy.texts.en.apology (English; …)' }
 */
export const PolicyOverridesSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<PolicyOverrides>(() => true),
    ported((input: PolicyOverrides): PolicyOverrides => {
      const cleaned = bounded(input)
      check(POLICY_SHAPE, cleaned, [])
      return cleaned as PolicyOverrides
    }),
  ))()
