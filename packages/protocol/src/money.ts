// Built on first use, so importing the package does no work; a page formats
// a handful of locale and currency pairs, so the cache stays small. A plain
// object rather than a Map for the widget's bytes: `|` in every key keeps
// them off the prototype's names.
let formats: Record<string, Intl.NumberFormat> | undefined

/** The shared currency formatter for `locale` and `currency`; throws a RangeError for a malformed code. */
const currencyFormat = (locale: string, currency: string): Intl.NumberFormat => {
  const key = `${locale}|${currency}`
  formats ??= {}
  formats[key] ??= new Intl.NumberFormat(locale, { style: 'currency', currency })
  return formats[key]
}

/**
 * How many fraction digits the minor unit of an ISO 4217 currency has, as
 * `Intl` knows it: the power of ten between `Money.value` and the amount
 * people read. Throws a `RangeError` when `currency` is not a well-formed code.
 *
 * @example
 * currencyDigits('EUR') // 2
 * currencyDigits('JPY') // 0
 * currencyDigits('KWD') // 3
 */
export const currencyDigits = (currency: string): number =>
  currencyFormat('en', currency).resolvedOptions().maximumFractionDigits ?? 2

/**
 * Money in minor units as text for people, in `locale` (default `en`), with
 * the currency's own number of decimals (`currencyDigits`; `Intl` gives every
 * locale the same). Formatters are cached per locale and currency. Throws a
 * `RangeError` when `currency` is not a well-formed code.
 *
 * @example
 * formatMoney(1250, 'EUR')          // '€12.50'
 * formatMoney(500, 'JPY')           // '¥500'
 * formatMoney(1250, 'KWD')          // 'KWD 1.250' (a no-break space)
 * formatMoney(1250, 'CNY', 'zh-CN') // '¥12.50'
 */
export function formatMoney(value: number, currency: string, locale = 'en'): string {
  // This formatter's own digits, not `currencyDigits`: one formatter fewer to build.
  const format = currencyFormat(locale, currency)
  return format.format(value / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2))
}

// The whole part: plain digits, or groups of three after the first one to
// three, split throughout by one separator. With a decimal point, commas and
// spaces may group; with a decimal comma, only spaces may.
const POINT_AMOUNT = /^(\d+|[1-9]\d{0,2}([, \u00a0\u202f])\d{3}(?:\2\d{3})*)(?:\.(\d+))?$/
const COMMA_AMOUNT = /^(\d+|[1-9]\d{0,2}([ \u00a0\u202f])\d{3}(?:\2\d{3})*),(\d+)$/

/**
 * An amount typed in major units → whole minor units of `currency`, or
 * `null` when it is not exactly one amount from 0 with at most the
 * currency's decimals (`currencyDigits`).
 *
 * The rule: white space around the text is ignored. A point is always the
 * decimal separator. A comma is a decimal separator when the text reads as
 * one (one comma, digits on both sides, no point, no more decimals than the
 * currency has); otherwise it groups thousands. Thousands are grouped by
 * commas or spaces (also no-break spaces), the same separator throughout, in
 * groups of exactly three. When both readings fit, as `1,000` does for a
 * currency with three decimals, the text is ambiguous and refused. Refused
 * too: signs, currency symbols or codes, points grouping thousands
 * (`1.000,50`), exponents, and anything else. Throws a `RangeError` when
 * `currency` is not a well-formed code.
 *
 * @example
 * parseMoney('12.50', 'EUR')    // 1250
 * parseMoney('12,5', 'EUR')     // 1250: a decimal comma
 * parseMoney('1,000', 'EUR')    // 100000: a thousands comma (three digits follow)
 * parseMoney('1,000.50', 'EUR') // 100050
 * parseMoney('1 000,50', 'EUR') // 100050
 * parseMoney('1,000', 'JPY')    // 1000
 * parseMoney('1,000', 'KWD')    // null: 1 or 1000 dinars?
 * parseMoney('12.505', 'EUR')   // null: euros have two decimals
 * parseMoney('-5', 'EUR')       // null
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = currencyDigits(currency)
  const trimmed = text.trim()
  let found: number | null = null
  for (const pattern of [POINT_AMOUNT, COMMA_AMOUNT]) {
    const [, whole, separator = '', fraction = ''] = pattern.exec(trimmed) ?? []
    if (whole === undefined || fraction.length > digits) continue
    const minor =
      Number(whole.replaceAll(separator, '')) * 10 ** digits + Number(fraction.padEnd(digits, '0'))
    if (found !== null && found !== minor) return null
    found = minor
  }
  return found !== null && Number.isSafeInteger(found) ? found : null
}
