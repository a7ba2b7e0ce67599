/**
 * @module Pure helpers for the texts the customer reads (`policy.texts`, one
 * set per locale): the site's own texts as a draft, the policy overrides the form sends, and
 * the preview's wording.
 */
import type { Locale } from '@redress/protocol'
import {
  DEFAULT_POLICY_TEXTS as DEFAULT_TEXTS,
  POLICY_TEXT_KEYS,
  type PolicyTexts,
  POLICY_TEXT_PLACEHOLDERS as TEXT_PLACEHOLDERS,
} from '@redress/protocol/admin'
import { LOCALES as LANGUAGE_NAMES } from '../i18n'
import type { PolicyOverrides, SiteView } from '../lib/types'

export { DEFAULT_TEXTS, type Locale, POLICY_TEXT_KEYS, TEXT_PLACEHOLDERS }
export type TextKey = keyof PolicyTexts

/**
 * The protocol's `LOCALES`, read from the dashboard's own languages, which
 * are the same (checked below). Importing the protocol's value here would
 * make the build move the code the first screen shares with Settings into a
 * second script of the first load.
 */
export const LOCALES = Object.keys(LANGUAGE_NAMES) as Locale[]
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const sameLocales: Same<keyof typeof LANGUAGE_NAMES, Locale> = true
void sameLocales

/** The texts being edited: per locale, the site's own text of each key it overrides. */
export type TextsDraft = Record<Locale, Partial<Record<TextKey, string>>>

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isKey = (key: string): key is TextKey => (POLICY_TEXT_KEYS as readonly string[]).includes(key)

/** `policy.texts[locale]` of an overrides or effective policy object, as far as it is one. */
function textsIn(policy: unknown, locale: Locale): Record<string, unknown> {
  const texts = isObject(policy) ? policy.texts : undefined
  const own = isObject(texts) ? texts[locale] : undefined
  return isObject(own) ? own : {}
}

/**
 * The site's own texts (`policy.overrides.texts`): known keys with a text
 * that is not blank, since the server reads a blank one as the default.
 */
export function storedTexts(overrides: SiteView['policy']['overrides']): TextsDraft {
  const draft = {} as TextsDraft
  for (const locale of LOCALES) {
    const own: Partial<Record<TextKey, string>> = {}
    for (const [key, text] of Object.entries(textsIn(overrides, locale)))
      if (isKey(key) && typeof text === 'string' && text.trim()) own[key] = text
    draft[locale] = own
  }
  return draft
}

/**
 * What the customer reads when the site has no text of its own for `key`:
 * without an override the effective policy's text is the server's default
 * itself (right even if this copy fell behind); with one, the copy says it.
 */
export function defaultText(site: Pick<SiteView, 'policy'>, locale: Locale, key: TextKey): string {
  if (storedTexts(site.policy.overrides)[locale][key] === undefined) {
    const effective = textsIn(site.policy.effective, locale)[key]
    if (typeof effective === 'string' && effective.trim()) return effective
  }
  return DEFAULT_TEXTS[locale][key]
}

/**
 * The policy overrides after editing the texts: the other overrides stay as
 * they are (PATCH replaces the whole policy), and only the texts that differ
 * from their default are sent, each under `texts.{locale}.{key}`; blank ones
 * are left out (the form refuses them first). An empty result is `null`.
 *
 * @example
 * policyWithTexts({ caps: { perSiteDay: 1000 } }, { en: {}, 'zh-CN': { apology: '非常抱歉。' } }, fallback)
 * // { caps: { perSiteDay: 1000 }, texts: { 'zh-CN': { apology: '非常抱歉。' } } }
 */
export function policyWithTexts(
  overrides: SiteView['policy']['overrides'],
  draft: TextsDraft,
  fallback: (locale: Locale, key: TextKey) => string,
): PolicyOverrides | null {
  const next: Record<string, unknown> = { ...(overrides ?? {}) }
  const texts: Partial<Record<Locale, Partial<Record<TextKey, string>>>> = {}
  for (const locale of LOCALES) {
    for (const key of POLICY_TEXT_KEYS) {
      const text = draft[locale][key]
      if (text === undefined || !text.trim() || text === fallback(locale, key)) continue
      texts[locale] = { ...texts[locale], [key]: text }
    }
  }
  if (Object.keys(texts).length > 0) next.texts = texts
  else delete next.texts
  return Object.keys(next).length > 0 ? next : null
}

/**
 * `text` with every `placeholder` as `value`. A function, not a string,
 * replaces: a `$&` in the value would be read as a pattern.
 */
export const fillText = (text: string, placeholder: string, value: string): string =>
  text.replaceAll(placeholder, () => value)

/** Sentences one after the other as the server joins them: a space in English, none after Chinese full stops. */
export const joinTexts = (locale: Locale, ...parts: string[]): string =>
  parts.filter(Boolean).join(locale === 'zh-CN' ? '' : ' ')

/** `{orderRef}` as the server fills it in each locale, for an order the preview names. */
export const SAMPLE_ORDER: Record<Locale, string> = {
  en: ' for order A-1001',
  'zh-CN': '订单 A-1001 的',
}

/** The preview's sample coupon and refund, in minor units of the site's currency. */
export const SAMPLE_COUPON = 1050
export const SAMPLE_REFUND = 4200
