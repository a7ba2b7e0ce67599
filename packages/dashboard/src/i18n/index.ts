/**
 * @module The dashboard's two languages, English and Simplified Chinese:
 * the current locale as a signal (remembered in local storage, first taken
 * from the browser), its messages table, and number, date and duration
 * formatting (money is `lib/money`). Each table is a chunk of its own,
 * fetched for the locale shown: `main.tsx` waits for the first one, and
 * `setLocale` fetches the next before it switches.
 */
import { batch, computed, type ReadonlySignal, signal } from '@preact/signals'
import type { Plural, Widen } from './_types'
import type en from './en'

export type { Plural, Widen }

/** Every table has the English table's shape. */
export type Messages = Widen<typeof en>

export const LOCALES = { en: 'English', 'zh-CN': '简体中文' } as const
export type Locale = keyof typeof LOCALES

const LOCALE_KEY = 'redress:dashboard-locale'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY)
    if (saved && saved in LOCALES) return saved as Locale
  } catch {}
  const languages = typeof navigator === 'undefined' ? [] : navigator.languages
  return languages.some((language) => language.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en'
}

/** The locale shown. It changes only once every table for it is loaded. */
export const locale = signal<Locale>(initialLocale())
/** The locale `setLocale` is fetching tables for, while it does. */
export const pendingLocale = signal<Locale | null>(null)
/** The locale the last `setLocale` could not fetch tables for, until the next call. */
export const failedLocale = signal<Locale | null>(null)

interface TableSet {
  has(lang: Locale): boolean
  load(lang: Locale): Promise<void>
}
const tableSets: TableSet[] = []

/**
 * A set of message tables, one chunk per locale (write each loader as a
 * literal `import()` so the bundler splits it), and the current locale's
 * table. The set joins those `loadLocale` and `setLocale` fetch, so a view
 * that brings its own tables switches language together with the rest.
 *
 * @example
 * export const settingsMessages = localeTables<SettingsMessages>({
 *   en: () => import('./en'),
 *   'zh-CN': () => import('./zh-CN'),
 * })
 */
export function localeTables<T>(
  loaders: Record<Locale, () => Promise<{ default: T }>>,
): ReadonlySignal<T> {
  // A signal, not a plain object: a read that threw before its table came must not stay cached.
  const loaded = signal<Partial<Record<Locale, T>>>({})
  const loading: Partial<Record<Locale, Promise<void>>> = {}
  tableSets.push({
    has: (lang) => lang in loaded.peek(),
    load: (lang) =>
      (loading[lang] ??= loaders[lang]().then(
        (module) => {
          loaded.value = { ...loaded.peek(), [lang]: module.default }
        },
        (error: unknown) => {
          // Forget the failure, so that choosing the language again fetches it again.
          delete loading[lang]
          throw error
        },
      )),
  })
  return computed(() => {
    const table = loaded.value[locale.value]
    if (!table) throw new Error(`The ${locale.value} messages are not loaded: await loadLocale()`)
    return table
  })
}

const ready = (lang: Locale) => tableSets.every((set) => set.has(lang))

/**
 * Fetch every table for `lang` (the current locale by default): before the
 * first render, and after importing a view that brings its own tables.
 * Rejects when a table cannot be fetched.
 */
export async function loadLocale(lang: Locale = locale.peek()): Promise<void> {
  // A view's tables may join while others load: go on until none is missing.
  while (!ready(lang))
    await Promise.all(tableSets.filter((set) => !set.has(lang)).map((set) => set.load(lang)))
}

let wanted: Locale | null = null

/**
 * Show `next`: at once when its tables are loaded, else once they are, the
 * current language staying meanwhile. Never rejects: when the tables cannot
 * be fetched the current language stays and `failedLocale` names `next`; a
 * later call overtakes one still loading.
 */
export async function setLocale(next: Locale): Promise<void> {
  wanted = next
  batch(() => {
    failedLocale.value = null
    pendingLocale.value = ready(next) ? null : next
  })
  // Loaded tables switch at once, in the caller's turn, with no frame in between.
  if (!ready(next)) {
    try {
      await loadLocale(next)
    } catch (error) {
      if (wanted !== next) return
      console.warn(`Could not load the ${next} messages:`, error)
      batch(() => {
        pendingLocale.value = null
        failedLocale.value = next
      })
      return
    }
    if (wanted !== next) return
  }
  try {
    localStorage.setItem(LOCALE_KEY, next)
  } catch {}
  batch(() => {
    pendingLocale.value = null
    locale.value = next
  })
}

/** The current table: read `messages.value.inbox.title` inside a component. */
export const messages = localeTables<Messages>({
  en: () => import('./en'),
  'zh-CN': () => import('./zh-CN'),
})

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
