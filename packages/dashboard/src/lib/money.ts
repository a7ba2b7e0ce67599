/**
 * @module Money in the dashboard, on the shared rules of `@redress/protocol`.
 * The server stores and sends whole minor units (cents, yen); people read and
 * type major units. Every money field reads with `toMinor` (or
 * `toPositiveMinor` where zero makes no sense), every amount shown goes
 * through `formatMoney`, and a field starts from `majorText`.
 */
import {
  CURRENCY_PATTERN,
  parseMoney,
  currencyDigits as protocolCurrencyDigits,
  formatMoney as protocolFormatMoney,
} from '@redress/protocol'
import { locale } from '../i18n'

/**
 * How many decimals a currency's major unit has, that is minor units as a
 * power of ten: 2 for EUR, 0 for JPY, and 2 for a code Intl does not know
 * (where the protocol's throws), so a half-typed currency cannot break a form.
 */
export function currencyDigits(currency: string): number {
  try {
    return protocolCurrencyDigits(currency)
  } catch {
    return 2
  }
}

/** An ISO 4217 code the browser knows (so amounts can be shown in it). */
export function knownCurrency(code: string): boolean {
  // Keep reading a binding of the protocol's index itself here, not only its
  // re-exports: without one, the build moves the code the first screen shares
  // with the lazy views into a chunk of its own, a second script to load first.
  if (!CURRENCY_PATTERN.test(code)) return false
  try {
    protocolCurrencyDigits(code)
    return true
  } catch {
    return false
  }
}

/** Minor units as a number of major units: `majorUnits(1250, 'EUR')` → 12.5. */
export const majorUnits = (minor: number, currency: string): number =>
  minor / 10 ** currencyDigits(currency)

/** Money in minor units, in the current locale: `formatMoney(1250, 'EUR')` → "€12.50". */
export const formatMoney = (minor: number, currency: string): string =>
  protocolFormatMoney(minor, currency, locale.value)

/**
 * Minor units as the text a money field starts with: `majorText(5000, 'EUR')`
 * → "50", `majorText(4990, 'EUR')` → "49.90"; with `fixed`, always every
 * decimal the currency has ("50.00").
 */
export function majorText(
  minor: number,
  currency: string,
  { fixed = false }: { fixed?: boolean } = {},
): string {
  const digits = currencyDigits(currency)
  if (digits === 0) return String(minor)
  const whole = Math.trunc(minor / 10 ** digits)
  const fraction = String(minor % 10 ** digits).padStart(digits, '0')
  return !fixed && /^0+$/.test(fraction) ? String(whole) : `${whole}.${fraction}`
}

/**
 * An amount typed in major units as whole minor units of `currency`, or
 * `null` when it is not an amount from 0 up: the protocol's `parseMoney`
 * rule, once a currency sign or name typed before or after the number is
 * dropped ("€ 7", "12 EUR", "30元"), as people type them into a money field.
 * `null` too for a currency Intl does not know.
 *
 * The rule: "." is always a decimal point; "," groups thousands when groups
 * of three digits follow, else it is a decimal comma; spaces (no-break ones
 * too) group thousands; no more decimals than the currency has. What reads
 * both ways with different values is ambiguous and refused: "1,000" is one
 * thousand euros or yen, but in a currency with three decimals (KWD) it
 * could be 1.000 too, so it is `null`.
 *
 * @example
 * toMinor('12.50', 'EUR')    // 1250
 * toMinor('12,5', 'EUR')     // 1250: a decimal comma
 * toMinor('1,000', 'EUR')    // 100000: a thousands comma
 * toMinor('1 000,50', 'EUR') // 100050
 * toMinor('€ 7', 'EUR')      // 700
 * toMinor('1.000', 'EUR')    // null: three decimals in a two-decimal currency
 * toMinor('1.5', 'JPY')      // null: yen have no minor unit
 * toMinor('1,000', 'KWD')    // null: one thousand, or one?
 */
export function toMinor(text: string, currency: string): number | null {
  try {
    return parseMoney(text.replace(/^[\p{L}\p{Sc}\s]+|[\p{L}\p{Sc}\s]+$/gu, ''), currency)
  } catch {
    return null
  }
}

/**
 * `toMinor` for an amount that must be above zero (a remedy's value): `null`
 * for "0" too.
 *
 * @example
 * toPositiveMinor('0.01', 'EUR') // 1
 * toPositiveMinor('0', 'EUR')    // null
 */
export function toPositiveMinor(text: string, currency: string): number | null {
  const minor = toMinor(text, currency)
  return minor !== null && minor > 0 ? minor : null
}
