import type { FailureType } from '@redress/protocol'

/** A link shown for a category before sending, so customers can help themselves. */
export interface HelpLink {
  label: string
  url: string
}

/** What the customer can pick as "what went wrong". */
export interface Category {
  /** Sent as `complaint.category`. */
  id: string
  /** The kind of failure it stands for; decides the default remedy on the server. */
  failureType: FailureType
  /** The label, when not one of the built-in categories (whose labels are translated). */
  label?: string | Record<string, string>
  /** Self-help links shown when this category is picked. */
  help?: HelpLink[]
}

/**
 * The built-in categories, the same the reference server gives a new site.
 * Labels come from the locale's messages (`categories.<id>`), so they are
 * translated.
 */
export { DEFAULT_CATEGORIES } from '@redress/protocol'

/** The locales with complete built-in messages. */
export const LOCALES = ['en', 'zh-CN'] as const
export type Locale = (typeof LOCALES)[number]

/** Pick the built-in locale for a BCP 47 tag: any Chinese is zh-CN, anything else English. */
export const toLocale = (tag: string | null | undefined): Locale =>
  tag?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
