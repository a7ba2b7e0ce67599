/**
 * @module `@redress/widget` for bundlers. Most sites use the script tag
 * (`dist/redress.js`); this entry exposes the types of its command API and
 * the building blocks for those who mount the widget themselves.
 */
export type { WidgetOptions } from './app'
export type { App, EmbedContext } from './embed'
export type { Category, HelpLink, Locale } from './types'
export { DEFAULT_CATEGORIES, LOCALES, toLocale } from './types'
