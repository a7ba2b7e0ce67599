// Locale-aware formatting with the browser's own Intl data, so the message
// tables stay free of plural rules, currency symbols and date patterns.
import type { Money } from '@redress/sdk'

/** Fill `{name}` placeholders; unknown ones stay visible rather than vanish. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole))

/** An amount in minor units: 1250 EUR is €12.50, 1250 JPY is ¥1,250. */
export const money = ({ value, currency }: Money, locale: string): string => {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
  return format.format(value / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2))
}

/** A date, or nothing when the timestamp is not one (Intl would throw). */
export const date = (iso: string | undefined, locale: string): string | undefined => {
  const when = new Date(iso ?? NaN)
  return Number.isNaN(+when)
    ? undefined
    : new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(when)
}

const UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second']

/**
 * An ISO 8601 duration in words, e.g. PT2H is "2 hours" or "2小时", P1DT2H
 * "1 day, 2 hours"; nothing when it cannot be read. Intl.DurationFormat
 * would do this, but not every browser the widget supports has it.
 */
export const duration = (iso: string | undefined, locale: string): string | undefined => {
  const match =
    /^P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?$/.exec(
      iso ?? '',
    )
  const parts: string[] = []
  UNITS.forEach((unit, index) => {
    const amount = Number(match?.[index + 1])
    if (amount > 0)
      parts.push(
        new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(amount),
      )
  })
  return parts.length ? new Intl.ListFormat(locale, { type: 'unit' }).format(parts) : undefined
}
