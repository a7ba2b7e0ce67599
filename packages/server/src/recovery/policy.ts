/**
 * @module The recovery policy as data: what each complaint gets, by failure
 * type and severity, and the caps on money. A site's `sites.policy` JSON is
 * merged over `DEFAULT_POLICY`; the engine that applies it lives in
 * `decide.ts`, the strict check of what an owner stores is the protocol's
 * `PolicyOverridesSchema`.
 * Each default says the reason for it where it is set.
 */
import {
  CURRENCY_PATTERN,
  canonicalJson,
  DEFAULT_CATEGORIES,
  FAILURE_TYPES,
  type FailureType,
  LOCALES,
} from '@redress/protocol'
import {
  COUPON_SOURCES,
  DEFAULT_CAPS,
  DEFAULT_CURRENCY,
  DEFAULT_GOODWILL,
  DEFAULT_POLICY_TEXTS,
  HARD_CAP_PERCENT,
  POLICY_REMEDY_KINDS,
  POLICY_TEXT_KEYS,
  type PolicyTexts,
  type PolicyOverrides as ProtocolPolicyOverrides,
  type RecoveryPolicy,
} from '@redress/protocol/admin'
import { sha256 } from '../_lib/crypto'
import type { Site, SiteCategory } from '../db/schema'

/**
 * The whole recovery policy, amounts in minor units of `currency`: the
 * protocol's `RecoveryPolicy`, so the dashboard reads what the server decides
 * by. `DEFAULT_POLICY` is one, `effectivePolicy` computes a site's.
 *
 * @example
 * const policy: Policy = effectivePolicy(site)
 * policy.remedies[failureTypeOf(policy, 'broken')].kind // 'coupon'
 */
export type Policy = RecoveryPolicy

/**
 * What a site stores in `sites.policy`: any part of `Policy` (the protocol's
 * `PolicyOverrides`, checked by its `PolicyOverridesSchema`).
 *
 * @example
 * const overrides: PolicyOverrides = { caps: { perSiteDay: 20000 }, coupon: { source: 'pool' } }
 * await createSite(db, { name: 'Acme Mugs', origins: [], policy: overrides })
 */
export type PolicyOverrides = ProtocolPolicyOverrides

export { HARD_CAP_PERCENT }

/** A policy's days (windows, validity) in milliseconds. */
export const DAY_MS = 86_400_000

/** The failure types of the widget's built-in categories. */
const DEFAULT_CATEGORY_TYPES: Record<string, FailureType> = Object.fromEntries(
  DEFAULT_CATEGORIES.map((category) => [category.id, category.failureType]),
)

/**
 * The built-in policy. Every field may be overridden per site in `sites.policy`.
 * Amounts are in minor units of `currency`.
 *
 * @example
 * DEFAULT_POLICY.caps.perComplaintMax // 5000: €50 at most per complaint, whatever the order says
 * const policy: PolicyOverrides = { caps: { perComplaintMax: DEFAULT_POLICY.caps.perComplaintMax * 2 } }
 */
export const DEFAULT_POLICY: Policy = {
  // Failures are outcome (not delivered), process (delivered badly) or
  // interaction (people); the type picks the remedy (Roschk & Gelbrich 2014).
  categories: DEFAULT_CATEGORY_TYPES,
  // Most unlisted categories are about how things were done, and a process
  // failure gets the cheapest default remedy.
  unknownCategory: 'process',
  severities: {
    // For minor failures speed and ease matter most, so a fast, empathetic
    // apology with an explanation is the recovery; money adds nothing when the
    // apology is immediate (Wirtz & Mattila 2004; Roschk & Kaiser 2013).
    minor: { remedy: false, escalate: false },
    // For severe failures the remedy itself matters (an experiment on recovery across failure severity).
    major: { remedy: true, escalate: false },
    // Critical: remedy plus a person.
    critical: { remedy: true, escalate: true },
  },
  remedies: {
    // Money or an exchange for a bad or missing product (Roschk & Gelbrich 2014;
    // Smith, Bolton & Wagner 1999). Set `kind: "replacement"` to ship a new one.
    outcome: { kind: 'coupon', escalate: false },
    // A service done badly: compensation for the time lost.
    process: { kind: 'coupon', escalate: false },
    // Neglect or rudeness calls for an apology and a person, not money.
    interaction: { kind: 'apology', escalate: true },
  },
  // The recovery paradox disappears after a second failure (Maxham &
  // Netemeyer 2002), and compensation pays only when failures repeat (Grewal,
  // Roggeveen & Tsiros 2008): escalate a second failure within 30 days.
  repeatWindowDays: 30,
  // One currency per site; set yours.
  currency: DEFAULT_CURRENCY,
  coupon: {
    // The apology comes first and at once, so the coupon is a token, not the
    // recovery (Wirtz & Mattila 2004); satisfaction only climbs steeply from
    // about 60% of the price (Gelbrich, Gäthke & Grégoire 2014), which is what
    // critical failures get, with a person who can do more within the caps.
    percent: { major: 25, critical: 60 },
    // Without an order value: a small fixed amount (a business choice, not research).
    fixed: { major: 500, critical: 1000 },
    // Coupons always expire (Shopify `endsAt`, Stripe `expires_at`).
    validDays: 90,
    // Generated codes need no set-up; a shop whose checkout only knows its own
    // codes uploads them and sets `pool`.
    source: 'generated',
  },
  refund: {
    // Money for a money loss (Roschk & Gelbrich 2014): the price paid back in
    // full, still bounded by the per-complaint caps. Used when a failure type's
    // remedy is set to `refund` (e.g. billing errors).
    percent: { major: 100, critical: 100 },
  },
  caps: {
    // Satisfaction with compensation saturates around 100–120% of the price and
    // loyalty falls above about 150% (Gelbrich et al. 2014; Haesevoets et al. 2017).
    perComplaintPercent: DEFAULT_CAPS.perComplaintPercent,
    // The order value comes from the page and can be forged: a ceiling that does
    // not depend on it (a business choice).
    perComplaintMax: DEFAULT_CAPS.perComplaintMax,
    // A customer who keeps failing needs a person, not more coupons (de Matos et
    // al. 2007: the paradox does not survive a second failure). Business choice.
    perCustomer30Days: DEFAULT_CAPS.perCustomer30Days,
    // The most the policy gives away unattended in a day. Business choice.
    perSiteDay: DEFAULT_CAPS.perSiteDay,
  },
  // Off: a stranger's complaint gets the apology and a person. An owner who
  // turns it on accepts losing up to perDay a day to scripts.
  goodwill: { ...DEFAULT_GOODWILL },
  escalation: {
    // "Reply within 2 h": the usual promise of a service guarantee.
    contactWithin: 'PT2H',
  },
  // A complaint is answered in its customer's language: the widget's, which
  // sends it as `client.locale`. Each locale says the same things in its own
  // way, not word for word.
  texts: DEFAULT_POLICY_TEXTS,
}

/** A plain object: not null, not an array. */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Merge `over` into `base`, key by key; values of another type than the base's are ignored. */
function merge<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return base
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const current = (base as Record<string, unknown>)[key]
    if (current === undefined) continue
    if (isObject(current)) out[key] = merge(current, value)
    else if (typeof value === typeof current) out[key] = value
  }
  return out as T
}

const money = (value: number) => (Number.isSafeInteger(value) && value >= 0 ? value : 0)
const percent = (value: number) => (Number.isFinite(value) && value >= 0 ? value : 0)
/** One of the protocol's failure types. */
const isFailureType = (value: unknown): value is FailureType =>
  (FAILURE_TYPES as readonly unknown[]).includes(value)

/** A locale's texts with every blank one (stored before the strict check) back at its default. */
const filled = (texts: PolicyTexts, defaults: PolicyTexts): PolicyTexts =>
  Object.fromEntries(
    POLICY_TEXT_KEYS.map((key) => [key, texts[key].trim() ? texts[key] : defaults[key]]),
  ) as unknown as PolicyTexts

/**
 * The policy in force for a site: the defaults, then the site's categories,
 * then its `policy` JSON. Unknown keys and values of the wrong type are
 * ignored, and so are blank texts; the per-complaint cap never exceeds
 * `HARD_CAP_PERCENT`. A text the site overrides in one locale changes only
 * that locale.
 *
 * @example
 * effectivePolicy({ categories: [], policy: { caps: { perComplaintPercent: 400 } } }).caps.perComplaintPercent // 150
 */
export function effectivePolicy(site: Pick<Site, 'categories' | 'policy'>): Policy {
  const overrides = isObject(site.policy) ? site.policy : {}
  const policy = merge(DEFAULT_POLICY, overrides)
  // Categories are open-ended: take every valid entry, site categories first.
  const categories: Record<string, FailureType> = { ...DEFAULT_CATEGORY_TYPES }
  for (const category of (site.categories as SiteCategory[] | null) ?? []) {
    if (isFailureType(category?.failureType)) categories[category.id] = category.failureType
  }
  if (isObject(overrides.categories)) {
    for (const [id, type] of Object.entries(overrides.categories))
      if (isFailureType(type)) categories[id] = type
  }
  if (!isFailureType(policy.unknownCategory)) policy.unknownCategory = 'process'
  for (const type of FAILURE_TYPES) {
    if (!(POLICY_REMEDY_KINDS as readonly string[]).includes(policy.remedies[type].kind))
      policy.remedies[type] = DEFAULT_POLICY.remedies[type]
  }
  if (!CURRENCY_PATTERN.test(policy.currency)) policy.currency = DEFAULT_POLICY.currency
  return {
    ...policy,
    categories,
    repeatWindowDays: Math.max(0, Math.floor(percent(policy.repeatWindowDays))),
    coupon: {
      ...policy.coupon,
      percent: {
        major: percent(policy.coupon.percent.major),
        critical: percent(policy.coupon.percent.critical),
      },
      fixed: {
        major: money(policy.coupon.fixed.major),
        critical: money(policy.coupon.fixed.critical),
      },
      validDays: Math.max(1, Math.floor(percent(policy.coupon.validDays)) || 1),
      source: (COUPON_SOURCES as readonly string[]).includes(policy.coupon.source)
        ? policy.coupon.source
        : DEFAULT_POLICY.coupon.source,
    },
    refund: {
      ...policy.refund,
      percent: {
        major: percent(policy.refund.percent.major),
        critical: percent(policy.refund.percent.critical),
      },
    },
    goodwill: {
      enabled: policy.goodwill.enabled === true,
      value: money(policy.goodwill.value),
      perDay: money(policy.goodwill.perDay),
      perIpDay: Math.floor(money(policy.goodwill.perIpDay)),
    },
    caps: {
      perComplaintPercent: Math.min(HARD_CAP_PERCENT, percent(policy.caps.perComplaintPercent)),
      perComplaintMax: money(policy.caps.perComplaintMax),
      perCustomer30Days: money(policy.caps.perCustomer30Days),
      perSiteDay: money(policy.caps.perSiteDay),
    },
    texts: Object.fromEntries(
      LOCALES.map((locale) => [locale, filled(policy.texts[locale], DEFAULT_POLICY.texts[locale])]),
    ) as Policy['texts'],
  }
}

/**
 * A short fingerprint of a policy, stored with every remedy it decided.
 *
 * @example
 * policyHash(effectivePolicy(site)) // 16 hex digits
 */
export const policyHash = (policy: Policy) => sha256(canonicalJson(policy)).slice(0, 16)

/**
 * The failure type of a category under a policy.
 *
 * @example
 * failureTypeOf(DEFAULT_POLICY, 'staff') // 'interaction'
 */
export const failureTypeOf = (policy: Policy, category: string): FailureType =>
  Object.hasOwn(policy.categories, category) ? policy.categories[category]! : policy.unknownCategory
