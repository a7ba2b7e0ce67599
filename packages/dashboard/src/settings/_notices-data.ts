/**
 * @module Known-issue notices as the Settings form holds them: which are
 * running, upcoming or ended at a time, a draft with its times as
 * `datetime-local` text in the browser's time zone, the body or patch it
 * sends with the problems found before sending, where a refusal of the server
 * belongs, what a customer reading each language sees, the path a "Try a
 * path" entry names, and the words drafted from an early-warning alert in
 * both languages at once.
 */
import type {
  AlertView,
  FailureType,
  NoticeCreate,
  NoticePatch,
  NoticeView,
  SiteView,
} from '../lib/types'
import { LOCALES, type Locale } from './_texts-data'

export { LOCALES, type Locale }

/*
 * The protocol's `NOTICE_LIMITS` and `pageMatches`, written out: importing
 * from `@redress/protocol` a value of a module the first screen does not use
 * makes the build move the code the first screen shares with Settings into a
 * second script of the first load (as `LOCALES` would, in `./_texts-data`).
 * `_notices-data.test.ts` checks both against the protocol's.
 */

/** The most characters of a notice's message, and of its page pattern. */
export const NOTICE_LIMITS = { message: 500, page: 300 } as const

/** Regex source of a page pattern: `**` any characters, `*` any but `/`, the rest literal. */
const patternSource = (page: string) =>
  page
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*')

/**
 * Whether a notice's page pattern takes this path, as the widget decides:
 * `null` every page; without `*` a prefix (`/checkout` is `/checkout` and
 * `/checkout/pay`, not `/checkouts`); with it, `*` any characters but `/`
 * and `**` any characters.
 */
export function pageMatches(page: string | null, path: string): boolean {
  if (page === null) return true
  if (!page.includes('*')) {
    const prefix = page.endsWith('/') ? page.slice(0, -1) : page
    return path === prefix || path.startsWith(`${prefix}/`) || prefix === ''
  }
  return new RegExp(`^${patternSource(page)}$`).test(path)
}

export type NoticeState = 'running' | 'upcoming' | 'ended'
export type NoticeLevel = NoticeView['level']

/** The order the Settings section lists them in. */
export const NOTICE_STATES: readonly NoticeState[] = ['running', 'upcoming', 'ended']

/** Where a notice stands at `now` (ms): as pages read it, an end at `now` has ended. */
export function noticeState(
  notice: Pick<NoticeView, 'startsAt' | 'endsAt'>,
  now: number,
): NoticeState {
  if (notice.endsAt !== null && Date.parse(notice.endsAt) <= now) return 'ended'
  return Date.parse(notice.startsAt) > now ? 'upcoming' : 'running'
}

/** The notices by where they stand at `now`, each group in the server's order. */
export function groupNotices(
  items: readonly NoticeView[],
  now: number,
): Record<NoticeState, NoticeView[]> {
  const groups: Record<NoticeState, NoticeView[]> = { running: [], upcoming: [], ended: [] }
  for (const notice of items) groups[noticeState(notice, now)].push(notice)
  return groups
}

const two = (value: number) => String(value).padStart(2, '0')

/** The `datetime-local` text of an ISO time in the browser's time zone: `2026-12-04T10:00`. */
export function localInput(iso: string): string {
  const date = new Date(iso)
  return `${String(date.getFullYear()).padStart(4, '0')}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`
}

/**
 * The ISO time of `datetime-local` text read in the browser's time zone, or
 * `null` when it is not a date and time (a browser without the picker lets
 * anything be typed, and `2026-02-30` must not become 2 March).
 */
export function isoFromLocal(text: string): string | null {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?$/.exec(text.trim())
  if (!match) return null
  const [year, month, day, hours, minutes, seconds] = match
    .slice(1)
    .map((part) => Number(part ?? 0))
  const date = new Date(year!, month! - 1, day!, hours!, minutes!, seconds!)
  if (date.getMonth() !== month! - 1 || date.getDate() !== day! || hours! > 23 || minutes! > 59)
    return null
  return date.toISOString()
}

/** A notice being written: its messages and times as typed. */
export interface NoticeDraft {
  messages: Record<Locale, string>
  level: NoticeLevel
  /** The page pattern; empty: every page. */
  page: string
  /** `datetime-local` text; empty: now. */
  startsAt: string
  /** `datetime-local` text; empty: until the owner ends it. */
  endsAt: string
  /** The early-warning alert it answers (a new notice only: it is fixed once published). */
  alertId: string | null
}

const noMessages = (): Record<Locale, string> =>
  Object.fromEntries(LOCALES.map((locale) => [locale, ''])) as Record<Locale, string>

/** A new notice: no words yet, information, every page, from now on, no end. */
export const newDraft = (now: Date): NoticeDraft => ({
  messages: noMessages(),
  level: 'info',
  page: '',
  startsAt: localInput(now.toISOString()),
  endsAt: '',
  alertId: null,
})

/** A stored notice, to change it. */
export const draftOf = (notice: NoticeView): NoticeDraft => ({
  messages: { ...noMessages(), ...notice.messages },
  level: notice.level,
  page: notice.page ?? '',
  startsAt: localInput(notice.startsAt),
  endsAt: notice.endsAt === null ? '' : localInput(notice.endsAt),
  alertId: notice.alertId,
})

/** What is wrong with a draft, keyed by the field it shows at: words are the form's. */
export type NoticeProblem =
  | 'messagesMissing'
  | 'messageTooLong'
  | 'pageInvalid'
  | 'timeInvalid'
  | 'endBeforeStart'

/** The fields the server takes, read from a draft. */
export interface NoticeFields {
  messages: Partial<Record<Locale, string>>
  level: NoticeLevel
  page: string | null
  /** Absent: now. */
  startsAt?: string
  endsAt: string | null
}

/**
 * The draft read as the server would take it, and the problems that keep it
 * from being sent (keyed `messages`, `messages.en`, `page`, `startsAt`,
 * `endsAt`, as the server names them). A blank message is left out: the
 * server refuses an empty one, and the other language then stands in.
 */
export function noticeFields(
  draft: NoticeDraft,
  now: number,
): { fields: NoticeFields; problems: Record<string, NoticeProblem> } {
  const problems: Record<string, NoticeProblem> = {}
  const messages: Partial<Record<Locale, string>> = {}
  for (const locale of LOCALES) {
    const text = draft.messages[locale].trim()
    if (!text) continue
    messages[locale] = text
    if (text.length > NOTICE_LIMITS.message) problems[`messages.${locale}`] = 'messageTooLong'
  }
  if (Object.keys(messages).length === 0) problems.messages = 'messagesMissing'
  const page = draft.page.trim()
  if (page && (!page.startsWith('/') || /\s/.test(page) || page.length > NOTICE_LIMITS.page))
    problems.page = 'pageInvalid'
  const time = (key: 'startsAt' | 'endsAt') => {
    const text = draft[key].trim()
    if (!text) return null
    const iso = isoFromLocal(text)
    if (iso === null) problems[key] = 'timeInvalid'
    return iso
  }
  const startsAt = time('startsAt')
  const endsAt = time('endsAt')
  if (endsAt !== null && Date.parse(endsAt) <= (startsAt === null ? now : Date.parse(startsAt)))
    problems.endsAt ??= 'endBeforeStart'
  return {
    fields: {
      messages,
      level: draft.level,
      page: page || null,
      ...(startsAt === null ? {} : { startsAt }),
      endsAt,
    },
    problems,
  }
}

/** `POST /v1/admin/notices`: the fields, with the alert it answers; no times means from now, until ended. */
export const createBody = (fields: NoticeFields, alertId: string | null): NoticeCreate => ({
  messages: fields.messages,
  level: fields.level,
  page: fields.page,
  ...(fields.startsAt === undefined ? {} : { startsAt: fields.startsAt }),
  ...(fields.endsAt === null ? {} : { endsAt: fields.endsAt }),
  ...(alertId ? { alertId } : {}),
})

/**
 * `PATCH /v1/admin/notices/{id}`: the words, level and pages, and a time
 * only when its text changed. A `datetime-local` field holds minutes, so
 * sending an untouched one back would move a start of 10:02:35 to 10:02.
 * An emptied start is now, as it is for a new notice.
 */
export function noticePatch(
  fields: NoticeFields,
  draft: NoticeDraft,
  notice: NoticeView,
  now: number,
): NoticePatch {
  const patch: NoticePatch = { messages: fields.messages, level: fields.level, page: fields.page }
  if (draft.startsAt.trim() !== localInput(notice.startsAt))
    patch.startsAt = fields.startsAt ?? new Date(now).toISOString()
  if (draft.endsAt.trim() !== (notice.endsAt === null ? '' : localInput(notice.endsAt)))
    patch.endsAt = fields.endsAt
  return patch
}

const PLACED = ['messages', 'page', 'startsAt', 'endsAt', ...LOCALES.map((l) => `messages.${l}`)]

/** Where the server's refusal of `field` goes: beside that field, or (`level`, `alertId`, a conflict) under the form. */
export function placeNoticeError(
  field: string,
  message: string,
): { key: string; message: string } | null {
  if (PLACED.includes(field)) return { key: field, message }
  // A locale the form does not show: about the messages as a whole.
  if (field.startsWith('messages')) return { key: 'messages', message }
  return null
}

/**
 * What a customer reading `locale` sees, as the widget picks it: the
 * message in their language, else the English one, else any; with the
 * language it is in. `null` while there is none.
 */
export function shownMessage(
  messages: Partial<Record<Locale, string>>,
  locale: Locale,
): { text: string; locale: Locale } | null {
  for (const candidate of [locale, 'en' as const, ...LOCALES]) {
    const text = messages[candidate]?.trim()
    if (text) return { text, locale: candidate }
  }
  return null
}

/**
 * The path of what was typed into "Try a path": a path as it is, or a whole
 * address's path; query and fragment left out, as pages match on the path.
 */
export function pathOf(typed: string): string {
  const text = typed.trim()
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(text)) {
    try {
      return new URL(text).pathname
    } catch {
      return text
    }
  }
  return text.replace(/[?#].*$/, '')
}

/**
 * The words drafted from an alert, in each language at once, whatever the
 * dashboard's language: customers read them, so they live here with the
 * other customer texts rather than in the owner's message tables. A
 * built-in category or a failure type is named the way a customer would say
 * it, not by the inbox's word for it ("Outcome").
 */
export const ALERT_DRAFT: Record<
  Locale,
  {
    /** `{group}` is what the alert counted. */
    about: string
    /** A whole-site alert, or a group with no name a customer would know. */
    any: string
    categories: Record<string, string>
    failureTypes: Record<FailureType, string>
  }
> = {
  en: {
    about:
      'We know about a problem with {group} and are working on it. Thank you for your patience.',
    any: 'We know about a problem and are working on it. Thank you for your patience.',
    categories: {
      broken: 'broken or faulty items',
      order: 'orders',
      slow: 'waiting times',
      billing: 'billing and payment',
      staff: 'our customer service',
    },
    failureTypes: {
      outcome: 'our orders',
      process: 'delays and waiting times',
      interaction: 'our customer service',
    },
  },
  'zh-CN': {
    about: '我们已经知道{group}方面的问题，正在处理，感谢您的耐心。',
    any: '我们已经知道目前出现的问题，正在处理，感谢您的耐心。',
    categories: {
      broken: '商品损坏或故障',
      order: '订单',
      slow: '等待时间',
      billing: '账单和付款',
      staff: '客服',
    },
    failureTypes: { outcome: '订单', process: '延迟和等待', interaction: '客服' },
  },
}

/**
 * What the alert counted, as a customer reading `locale` would name it: the
 * site's label for a category (in that language, else its one label, as the
 * widget shows it), else the words above; `null` for the whole site or a
 * group without a name.
 */
function groupWords(alert: AlertView, site: SiteView | null, locale: Locale): string | null {
  const group = alert.group
  // `*` is every category the site does not list, counted together: no one name.
  if (group === null || group === '*') return null
  const words = ALERT_DRAFT[locale]
  if (alert.rule.by === 'failureType') return words.failureTypes[group as FailureType] ?? null
  const category = site?.categories.find((entry) => entry.id === group)
  return category?.labels?.[locale] || category?.label || words.categories[group] || null
}

/** The message in each language drafted from an alert (`undefined`: it could not be found). */
export function alertMessages(
  alert: AlertView | undefined,
  site: SiteView | null,
): Record<Locale, string> {
  return Object.fromEntries(
    LOCALES.map((locale) => {
      const group = alert ? groupWords(alert, site, locale) : null
      const words = ALERT_DRAFT[locale]
      // A function, not a string, replaces: a `$&` in a label would be read as a pattern.
      return [locale, group ? words.about.replace('{group}', () => group) : words.any]
    }),
  ) as Record<Locale, string>
}

/**
 * A new notice answering an alert: its words drafted in both languages, a
 * warning, every page, from now, no end.
 */
export const draftFromAlert = (
  alertId: string,
  alert: AlertView | undefined,
  site: SiteView | null,
  now: Date,
): NoticeDraft => ({
  ...newDraft(now),
  messages: alertMessages(alert, site),
  level: 'warning',
  alertId,
})
