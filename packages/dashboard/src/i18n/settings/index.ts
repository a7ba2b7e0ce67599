/**
 * @module The Settings view's messages in both languages, kept out of the
 * main tables: only the Settings chunk imports them, so the first screen
 * (sign-in, the inbox) does not carry them. They follow the same `locale`.
 */
import { computed } from '@preact/signals'
import { type Locale, locale, type Widen } from '../index'
import en from './en'
import zhCN from './zh-CN'

/** Every table has the English table's shape. */
export type SettingsMessages = Widen<typeof en>

const TABLES: Record<Locale, SettingsMessages> = { en, 'zh-CN': zhCN }

/** The current table: read `settingsMessages.value.policy.title` inside a component. */
export const settingsMessages = computed(() => TABLES[locale.value])
