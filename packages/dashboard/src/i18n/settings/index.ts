/**
 * @module The Settings view's messages, kept out of the main tables: only the
 * Settings chunk imports this module, so the first screen (sign-in, the
 * inbox) does not carry them. One chunk per locale, like the main tables;
 * importing this module adds them to what `loadLocale` and `setLocale` fetch,
 * so Settings switches language together with the rest.
 */
import { localeTables, type Widen } from '../index'
import type en from './en'

/** Every table has the English table's shape. */
export type SettingsMessages = Widen<typeof en>

/** The current table: read `settingsMessages.value.policy.title` inside a component. */
export const settingsMessages = localeTables<SettingsMessages>({
  en: () => import('./en'),
  'zh-CN': () => import('./zh-CN'),
})
