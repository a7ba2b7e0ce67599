/**
 * @module The widget's message tables: one per locale, each loaded on its own
 * so a page never downloads a language it does not show.
 */
import type en from './en'

/**
 * Every string the widget shows, shaped like the English table. `categories`
 * also takes the ids of a site's own categories.
 */
export type Messages = typeof en & { categories: Record<string, string> }

/** Any part of `T`, at any depth: what an override may contain. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends string ? string : DeepPartial<T[K]> }

/**
 * Load the built-in table for a locale. Each table is its own chunk.
 *
 * @example
 * const messages = await loadMessages(toLocale(navigator.language))
 */
export const loadMessages = (locale: 'en' | 'zh-CN'): Promise<Messages> =>
  (locale === 'zh-CN' ? import('./zh-CN') : import('./en')).then((table) => table.default)

/**
 * Replace any strings of a table; the rest stay. Values that are not strings
 * are ignored, so overrides from page attributes cannot inject anything but text.
 *
 * @example
 * withOverrides(messages, { title: 'Something wrong?', categories: { delivery: 'Delivery' } })
 */
export const withOverrides = (messages: Messages, overrides: DeepPartial<Messages>): Messages =>
  merge(messages as unknown as Table, overrides as Table) as unknown as Messages

type Table = { [key: string]: string | Table }

const merge = (base: Table, overrides: Table): Table => {
  const result = { ...base }
  for (const key in overrides) {
    const value = overrides[key]
    const inner = base[key]
    // A JSON override could name `__proto__`; it must not reshape the result.
    if (key === '__proto__') continue
    // Text replaces text and groups merge into groups, never one for the other.
    if (typeof value === 'string') {
      if (typeof inner !== 'object') result[key] = value
    } else if (value && typeof value === 'object' && typeof inner !== 'string')
      result[key] = merge(inner ?? {}, value)
  }
  return result
}
