/**
 * @module Known-issue notices in the admin API: `GET`/`POST
 * /v1/admin/notices`, `PATCH`/`DELETE /v1/admin/notices/{id}`. Pages get the
 * running ones with the site's public settings (`SiteConfig.notices`).
 */
import * as v from 'valibot'
import { LOCALES, type Locale, NOTICE_LIMITS, type SiteNotice } from '../index'
import { body, fields, isRecord, knownKeys, text } from './_valid'

/** A notice as the admin API shows it. */
export interface NoticeView extends SiteNotice {
  /** The early-warning alert it was published from, if any. */
  alertId: string | null
  createdAt: string
  updatedAt: string
}

/** `GET /v1/admin/notices`: running and upcoming first, then ended, newest first within each. */
export interface NoticePage {
  items: NoticeView[]
}

/** The most notices a site keeps that have not ended. */
export const NOTICES_MAX = 50

const MESSAGES_MESSAGE = /* @__PURE__ */ (() =>
  `messages is { ${LOCALES.map((locale) => `"${locale}"?`).join(', ')} } with at least one message`)()
const PAGE_MESSAGE = /* @__PURE__ */ (() =>
  `page is a path starting with / (a prefix, or a pattern with * and **) of at most ${NOTICE_LIMITS.page} characters, or null for every page`)()
const TIME_MESSAGE = (field: string) => `${field} is an ISO 8601 date and time with a zone`

/** An ISO 8601 time with a zone, as a `Date`'s ISO text. */
/* @__NO_SIDE_EFFECTS__ */
function time(field: string) {
  return v.pipe(
    v.string(TIME_MESSAGE(field)),
    v.check(
      (input) => /(Z|[+-]\d\d:?\d\d)$/i.test(input) && !Number.isNaN(Date.parse(input)),
      TIME_MESSAGE(field),
    ),
    v.transform((input) => new Date(input).toISOString()),
  )
}

const message = (locale: Locale) =>
  v.optional(
    text(
      `messages.${locale}`,
      NOTICE_LIMITS.message,
      `messages.${locale} is text of 1–${NOTICE_LIMITS.message} characters`,
      true,
    ),
  )

const MessagesSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<Partial<Record<Locale, string>>>(isRecord, MESSAGES_MESSAGE),
    knownKeys<Partial<Record<Locale, string>>>(
      LOCALES,
      (key) => `messages has no locale ${key}: one of ${LOCALES.join(', ')}`,
    ),
    fields({ en: message('en'), 'zh-CN': message('zh-CN') }),
    v.check((messages) => Object.values(messages).some(Boolean), MESSAGES_MESSAGE),
    // Absent locales are left out, not kept as `undefined`.
    v.transform(
      (messages) =>
        Object.fromEntries(
          Object.entries(messages).filter(([, value]) => value !== undefined),
        ) as Partial<Record<Locale, string>>,
    ),
  ))()

const PageSchema = /* @__PURE__ */ (() =>
  v.nullable(
    v.pipe(
      text('page', NOTICE_LIMITS.page, PAGE_MESSAGE),
      v.check((page) => page.startsWith('/') && !/\s/.test(page), PAGE_MESSAGE),
    ),
  ))()

const LEVEL_MESSAGE = 'level is info or warning'

const entries = /* @__PURE__ */ (() => ({
  messages: MessagesSchema,
  level: v.optional(v.picklist(['info', 'warning'], LEVEL_MESSAGE)),
  page: v.optional(PageSchema),
  startsAt: v.optional(time('startsAt')),
  endsAt: v.optional(v.nullable(time('endsAt'))),
  alertId: v.optional(v.nullable(text('alertId', 64, 'alertId is an alert id (alt_…) or null'))),
}))()

const ordered = <T extends { startsAt?: string | undefined; endsAt?: string | null | undefined }>(
  notice: T,
) => !notice.startsAt || !notice.endsAt || notice.endsAt > notice.startsAt

/**
 * `POST /v1/admin/notices`: `messages` `{ en?, 'zh-CN'? }` (at least one, each
 * 1–500 characters, line breaks kept), `level` `info` (default) or `warning`,
 * `page` a path starting with `/` (a prefix, or a pattern with `*` and `**`;
 * at most 300 characters) or `null` for every page (default), `startsAt`
 * (default now) and `endsAt` (default `null`: until ended) ISO 8601 times with
 * a zone, `endsAt` after `startsAt`; `alertId` the alert it answers.
 *
 * @example
 * parseAdmin(NoticeCreateSchema, { messages: { en: 'Card payments fail; we are on it.' }, page: '/checkout' })
 * // { ok: true, value: { messages: { en: '…' }, page: '/checkout' } }
 */
export const NoticeCreateSchema = /* @__PURE__ */ (() =>
  v.pipe(
    body(entries),
    v.forward(
      v.partialCheck([['startsAt'], ['endsAt']], ordered, 'endsAt must be after startsAt'),
      ['endsAt'],
    ),
  ))()
export type NoticeCreate = v.InferInput<typeof NoticeCreateSchema>
export type ParsedNoticeCreate = v.InferOutput<typeof NoticeCreateSchema>

/**
 * `PATCH /v1/admin/notices/{id}`: any of the fields of `NoticeCreateSchema`
 * but `alertId`, each replacing what is stored; at least one.
 *
 * @example
 * parseAdmin(NoticePatchSchema, { endsAt: '2026-12-04T18:00:00Z' })
 */
export const NoticePatchSchema = /* @__PURE__ */ (() => {
  const { alertId: _, ...rest } = entries
  return v.pipe(
    body({ ...rest, messages: v.optional(MessagesSchema) }),
    v.check(
      (patch) => Object.values(patch).some((value) => value !== undefined),
      'Send at least one of messages, level, page, startsAt, endsAt',
    ),
    v.forward(
      v.partialCheck([['startsAt'], ['endsAt']], ordered, 'endsAt must be after startsAt'),
      ['endsAt'],
    ),
  )
})()
export type NoticePatch = v.InferInput<typeof NoticePatchSchema>
export type ParsedNoticePatch = v.InferOutput<typeof NoticePatchSchema>
