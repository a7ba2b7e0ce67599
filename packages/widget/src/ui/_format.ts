// Locale-aware formatting with the browser's own Intl data, so the message
// tables stay free of plural rules, currency symbols and date patterns. Money
// and durations are formatted by `@redress/protocol`, as the server does.

/** Fill `{name}` placeholders; unknown ones stay visible rather than vanish. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole))

/** A date, or nothing when the timestamp is not one (Intl would throw). */
export const date = (iso: string | undefined, locale: string): string | undefined => {
  const when = new Date(iso ?? NaN)
  return Number.isNaN(+when)
    ? undefined
    : new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(when)
}
