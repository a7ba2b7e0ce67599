/**
 * @module What the customer reads: the policy's texts in the complaint's
 * locale, placeholders filled for that locale (money, dates, the order).
 * Worded once, when a remedy is written; a stored remedy keeps its words.
 */
import { type Complaint, formatMoney, type Locale, toLocale } from '@redress/protocol'
import type { PolicyTexts } from '@redress/protocol/admin'
import { sql } from 'kysely'
import type { Policy } from './policy'

/**
 * The locale a complaint is answered in: the one its widget spoke
 * (`client.locale`), else English.
 *
 * @example
 * complaintLocale({ client: { locale: 'zh-TW' } }) // 'zh-CN'
 */
export const complaintLocale = (complaint: Pick<Complaint, 'client'> | null | undefined): Locale =>
  toLocale(complaint?.client?.locale)

/**
 * The stored complaint's `client.locale` as the column `locale` of a query
 * on `complaints`, for `toLocale`: a remedy written after ingest (approved,
 * issued by hand, a broken guarantee) speaks the complaint's language too.
 *
 * @example
 * const row = await trx.selectFrom('complaints').select(['order_ref', clientLocale]).where('id', '=', id).executeTakeFirstOrThrow()
 * toLocale(row.locale) // 'zh-CN'
 */
export const clientLocale = sql<string | null>`body->'client'->>'locale'`.as('locale')

// A space between English sentences; Chinese full stops need none.
const BETWEEN: Record<Locale, string> = { en: ' ', 'zh-CN': '' }

// `{orderRef}` of the replacement text, as each language fits an order into it.
const FOR_ORDER: Record<Locale, (ref: string) => string> = {
  en: (ref) => ` for order ${ref}`,
  'zh-CN': (ref) => `订单 ${ref} 的`,
}

// Built on first use; one per locale.
const dates: Partial<Record<Locale, Intl.DateTimeFormat>> = {}
// The day in UTC, as `expiresAt` counts it: the server does not know the customer's zone.
const dateFormat = (locale: Locale) =>
  (dates[locale] ??= new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }))

/** The policy's voice in one locale. */
export interface Voice {
  locale: Locale
  /** The policy's texts in this locale. */
  texts: PolicyTexts
  /** Texts in a row, as sentences of this language follow each other; empty ones left out. */
  join(...parts: (string | false | null | undefined)[]): string
  /** `text` with `{amount}` as `value` minor units of the policy's currency, formatted for the locale. */
  amount(text: string, value: number): string
  /** `text` with `{date}` as the day of `date`, written for the locale. */
  date(text: string, date: Date): string
  /** `text` with `{orderRef}` as this language names the order, or nothing without one. */
  order(text: string, orderRef: string | null | undefined): string
}

/**
 * The policy's voice for a complaint's locale (`complaintLocale`).
 *
 * @example
 * const say = voice(policy, 'zh-CN')
 * say.amount(say.texts.couponLabel, 1050) // '下次购物立减€10.50'
 * say.join(say.texts.apology, say.texts.review) // the two sentences, no space between
 */
export function voice(policy: Policy, locale: Locale): Voice {
  // A function, not a string, replaces: `$&` or `$'` in an order reference
  // (the customer's text) or a currency's symbol would be read as patterns.
  const fill = (text: string, placeholder: string, value: string) =>
    text.replaceAll(placeholder, () => value)
  return {
    locale,
    texts: policy.texts[locale],
    join: (...parts) => parts.filter(Boolean).join(BETWEEN[locale]),
    amount: (text, value) => fill(text, '{amount}', formatMoney(value, policy.currency, locale)),
    date: (text, date) => fill(text, '{date}', dateFormat(locale).format(date)),
    order: (text, orderRef) =>
      fill(text, '{orderRef}', orderRef ? FOR_ORDER[locale](orderRef) : ''),
  }
}
