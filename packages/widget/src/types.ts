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
  /** A short self-help answer shown with the links (the site's, in the customer's language). */
  answer?: string
}

/**
 * The built-in categories, the same the reference server gives a new site.
 * Labels come from the locale's messages (`categories.<id>`), so they are
 * translated.
 */
/**
 * The locales with complete built-in messages, and how a BCP 47 tag picks
 * one: the protocol's, so the widget and the collector's texts always speak
 * the same language to a customer.
 */
export { DEFAULT_CATEGORIES, LOCALES, type Locale, toLocale } from '@redress/protocol'
