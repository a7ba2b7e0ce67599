/**
 * @module The dashboard's two languages, English and Simplified Chinese:
 * the current locale as a signal (remembered in local storage, first taken
 * from the browser), its messages table, and number, date and duration
 * formatting (money is `lib/money`).
 */
import { computed, signal } from '@preact/signals'
import type { Plural, Widen } from './_types'
import en from './en'
import zhCN from './zh-CN'

export type { Plural, Widen }

/** Every table has the English table's shape. */
export type Messages = Widen<typeof en>

export const LOCALES = { en: 'English', 'zh-CN': '简体中文' } as const
export type Locale = keyof typeof LOCALES

const TABLES: Record<Locale, Messages> = { en, 'zh-CN': zhCN }
const LOCALE_KEY = 'redress:dashboard-locale'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY)
    if (saved && saved in LOCALES) return saved as Locale
  } catch {}
  const languages = typeof navigator === 'undefined' ? [] : navigator.languages
  return languages.some((language) => language.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en'
}

export const locale = signal<Locale>(initialLocale())

export function setLocale(next: Locale): void {
  try {
    localStorage.setItem(LOCALE_KEY, next)
  } catch {}
  locale.value = next
}

/** The current table: read `messages.value.inbox.title` inside a component. */
export const messages = computed(() => TABLES[locale.value])

/** Replace `{name}` placeholders. */
export const fill = (text: string, values: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  )

/**
 * The variant of `forms` for `count` in `lang` (the current locale by
 * default), with its placeholders filled from `values`.
 *
 * @example
 * plural({ one: '{count} complaint', other: '{count} complaints' }, 1, { count: 1 }) // '1 complaint'
 */
export function plural(
  forms: Plural,
  count: number,
  values: Record<string, string | number>,
  lang: string = locale.value,
): string {
  const category = new Intl.PluralRules(lang).select(count) as keyof Plural
  return fill(forms[category] ?? forms.other, values)
}

/** A date and time in the current locale. */
export const formatDateTime = (iso: string): string =>
  new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  )

/** A duration in milliseconds, short: "< 1 min", "45 min", "3.5 h", "2 d". */
export function formatDuration(ms: number): string {
  const minutes = ms / 60_000
  const format = (value: number, unit: 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(locale.value, {
      style: 'unit',
      unit,
      unitDisplay: 'short',
      maximumFractionDigits: 1,
    }).format(value)
  // Under a minute would round to "0 min", which reads as "no time at all".
  if (minutes < 1)
    return fill(messages.value.common.underAMinute, { duration: format(1, 'minute') })
  if (minutes < 90) return format(Math.round(minutes), 'minute')
  if (minutes < 48 * 60) return format(minutes / 60, 'hour')
  return format(minutes / 1440, 'day')
}
