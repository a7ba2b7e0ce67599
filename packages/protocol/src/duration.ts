/**
 * An ISO 8601 duration as the protocol carries it (`EscalationRecovery.contactWithin`,
 * a guarantee's reply time): `P`, then whole numbers of years `Y`, months `M`,
 * weeks `W` and days `D` in that order, then optionally `T` and hours `H`,
 * minutes `M` and seconds `S`. At least one component; `T` only before a time
 * component. No fractions, signs, lower case or spaces. Weeks may be combined
 * with the other units, as RFC 3339 allows. The seven components are capture
 * groups 1–7.
 *
 * @example
 * ISO_DURATION.test('PT2H')    // true
 * ISO_DURATION.test('P1W2DT3H') // true
 * ISO_DURATION.test('PT1.5H')  // false: whole numbers only
 * ISO_DURATION.test('P1DT')    // false: `T` without a time
 */
export const ISO_DURATION: RegExp =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/

/**
 * The length of an ISO 8601 duration (`ISO_DURATION`) in milliseconds, with
 * weeks of 7 days, days of 24 hours. `null` when `text` is not one, when it
 * has a year or month component (even `P0M`: their length depends on the
 * calendar, so a deadline cannot be computed from them), or when the result
 * is not a safe integer.
 *
 * @example
 * parseDuration('PT2H')     // 7200000
 * parseDuration('P1DT30M')  // 88200000
 * parseDuration('P1M')      // null: a month has no fixed length
 * parseDuration('2 hours')  // null
 */
export function parseDuration(text: string): number | null {
  const match = ISO_DURATION.exec(text)
  if (!match || match[1] || match[2]) return null
  const [w = 0, d = 0, h = 0, m = 0, s = 0] = match.slice(3).map((part = '0') => +part)
  const ms = ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000
  return Number.isSafeInteger(ms) ? ms : null
}

const UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const

/**
 * An ISO 8601 duration (`ISO_DURATION`) in words for people, in `locale`
 * (default `en`): each component above zero as a whole unit ("2 hours"),
 * joined as the locale joins units. Years and months are kept as they are
 * written, never converted. `null` when `text` is absent or not one, or
 * every component is zero. Works where `Intl.DurationFormat` does not exist yet.
 *
 * @example
 * formatDuration('PT2H')           // '2 hours'
 * formatDuration('P1DT2H')         // '1 day, 2 hours'
 * formatDuration('PT2H', 'zh-CN')  // '2小时'
 * formatDuration('PT0S')           // null
 * formatDuration(recovery.contactWithin) // null when the remedy names no time
 */
export function formatDuration(text: string | undefined, locale = 'en'): string | null {
  const words: string[] = []
  // `exec` reads undefined as the text "undefined", which never matches.
  ISO_DURATION.exec(text as string)
    ?.slice(1)
    .forEach((amount, index) => {
      // An absent component is undefined, and +undefined is NaN: skipped like zero.
      if (+amount!)
        words.push(
          new Intl.NumberFormat(locale, {
            style: 'unit',
            unit: UNITS[index]!,
            unitDisplay: 'long',
          }).format(+amount!),
        )
    })
  return words[0] ? new Intl.ListFormat(locale, { type: 'unit' }).format(words) : null
}
