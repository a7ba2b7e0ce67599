/**
 * The locales every Redress text exists in: the widget's messages, and the
 * collector's texts for the customer (the recovery policy's `texts`). A
 * complaint's `client.locale` is read with `toLocale`, so a customer reads
 * the widget and the server's answer in one language.
 *
 * @example
 * const names: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' }
 * LOCALES.map((locale) => names[locale]) // ['English', '简体中文']
 */
export const LOCALES = ['en', 'zh-CN'] as const
/** One of `LOCALES`. */
export type Locale = (typeof LOCALES)[number]

/**
 * The locale to speak for a BCP 47 tag (`client.locale`, `navigator.language`,
 * a page's `lang`): any Chinese (`zh`, `zh-TW`, `ZH-hans`) is `zh-CN`, the
 * only Chinese there are texts for; anything else, and no tag, is English.
 *
 * @example
 * toLocale('zh-HK')     // 'zh-CN'
 * toLocale('de-DE')     // 'en'
 * toLocale(undefined)   // 'en'
 */
export const toLocale = (tag: string | null | undefined): Locale =>
  tag?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
