/**
 * @module The settings `PATCH /v1/admin/site` changes, one schema each:
 * allowed origins, categories, rate limits and the service guarantee (the
 * policy's overrides are in `policy.ts`).
 */
import * as v from 'valibot'
import {
  type CategoryHelp,
  FAILURE_TYPES,
  HELP_LIMITS,
  LIMITS,
  LOCALES,
  type Locale,
  parseDuration,
} from '../index'
import {
  clean,
  fields,
  isRecord,
  items,
  knownKeys,
  type ObjectInput,
  ported,
  Refusal,
  text,
  textProblem,
} from './_valid'
import type { Guarantee } from './complaints'
import { CATEGORY_ID } from './policy'
import { ADMIN_LIMITS } from './words'

/**
 * Normalise an allowed-origin entry: `scheme://host[:port]`, or
 * `scheme://host:*` for any port. Throws on anything else, with the
 * message the admin API sends.
 *
 * @example
 * normalizeOrigin('HTTPS://Shop.Example/') // 'https://shop.example'
 * normalizeOrigin('http://localhost:*')    // 'http://localhost:*'
 */
export function normalizeOrigin(input: string): string {
  const anyPort = /^(https?:\/\/[^/:]+):\*\/?$/i.exec(input.trim())
  if (anyPort) return `${new URL(anyPort[1]!).origin}:*`
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    throw new Error(`Not an origin: ${JSON.stringify(input)} (expected e.g. https://shop.example)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Not an http(s) origin: ${JSON.stringify(input)}`)
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new Error(`An origin has no path, query or credentials: ${JSON.stringify(input)}`)
  }
  return url.origin
}

const ORIGIN_MESSAGE = 'An origin is a text such as https://shop.example'

/** One allowed origin, named `field` (`origins[2]`), normalised. */
/* @__NO_SIDE_EFFECTS__ */
function origin(field: string) {
  return v.pipe(
    v.string(ORIGIN_MESSAGE),
    v.maxLength(ADMIN_LIMITS.origin, ORIGIN_MESSAGE),
    // Before the message below quotes it.
    clean(field),
    // Checked before normalising: `new URL` would quietly drop a trailing path dot or empty port.
    v.check(
      (entry) => /^https?:\/\/[^/?#@\s]+\/?$/i.test(entry.trim()),
      (issue) => `Not an origin: ${issue.input} (expected https?://host[:port], no path)`,
    ),
    ported((entry: string) => {
      try {
        return normalizeOrigin(entry)
      } catch (error) {
        throw new Refusal((error as Error).message)
      }
    }),
  )
}

/**
 * `origins` of `PATCH /v1/admin/site`: at most 50 origins
 * (`https?://host[:port]`, or `:*` for any port, no path), each normalised
 * (`HTTPS://Shop.Example/` → `https://shop.example`), duplicates dropped.
 */
export const OriginsSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<string[]>(Array.isArray, 'origins is an array of origins'),
    v.maxLength(ADMIN_LIMITS.origins, `origins holds at most ${ADMIN_LIMITS.origins} entries`),
    items('origins', origin),
    v.transform((list) => [...new Set(list)]),
  ))()

const CATEGORY_KEYS = ['id', 'failureType', 'label', 'labels', 'help', 'firmResponsible']

const HELP_MESSAGE = /* @__PURE__ */ (() =>
  `help is { ${LOCALES.map((locale) => `"${locale}"?`).join(', ')} }, each { answer?, links? }`)()

/** One text of the help, trimmed and NFC, or a refusal at `keys`. */
function helpText(value: unknown, max: number, keys: string[], what: string): string {
  const message = `${what} is text of 1–${max} characters`
  if (typeof value !== 'string') throw new Refusal(message, keys)
  const problem = textProblem(value, keys.join('.'), what === 'answer')
  if (problem) throw new Refusal(problem, keys)
  const text = value.normalize('NFC').trim()
  if (text.length < 1 || text.length > max) throw new Refusal(message, keys)
  return text
}

/**
 * A category's `help`: per locale `{ answer?, links? }`, `answer` 1–1000
 * characters (line breaks kept), `links` at most 5 `{ label: 1–100, url: an
 * http(s) URL of at most 2000 characters without credentials }`; a locale
 * with neither is dropped.
 */
function readHelp(input: unknown): Partial<Record<Locale, CategoryHelp>> {
  if (!isRecord(input)) throw new Refusal(HELP_MESSAGE)
  const out: Partial<Record<Locale, CategoryHelp>> = {}
  for (const [locale, entry] of Object.entries(input)) {
    if (!LOCALES.includes(locale as Locale))
      throw new Refusal(`help has no locale ${locale}: one of ${LOCALES.join(', ')}`, [locale])
    if (!isRecord(entry)) throw new Refusal('Each locale is { answer?, links? }', [locale])
    const unknown = Object.keys(entry).find((key) => key !== 'answer' && key !== 'links')
    if (unknown !== undefined) throw new Refusal(`Unknown field ${unknown}`, [locale, unknown])
    const help: CategoryHelp = {}
    if (entry.answer !== undefined)
      help.answer = helpText(entry.answer, HELP_LIMITS.answer, [locale, 'answer'], 'answer')
    if (entry.links !== undefined) {
      if (!Array.isArray(entry.links) || entry.links.length > HELP_LIMITS.links)
        throw new Refusal(`links is an array of at most ${HELP_LIMITS.links} links`, [
          locale,
          'links',
        ])
      help.links = entry.links.map((link: unknown, index) => {
        const at = [locale, `links[${index}]`]
        if (!isRecord(link) || Object.keys(link).some((key) => key !== 'label' && key !== 'url'))
          throw new Refusal('A link is { label, url }', at)
        const label = helpText(link.label, HELP_LIMITS.label, [...at, 'label'], 'label')
        const url = helpText(link.url, HELP_LIMITS.url, [...at, 'url'], 'url')
        let parsed: URL | undefined
        try {
          parsed = new URL(url)
        } catch {}
        if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password)
          throw new Refusal('url is an http(s) URL without credentials', [...at, 'url'])
        return { label, url: parsed.href }
      })
      if (help.links.length === 0) delete help.links
    }
    if (help.answer !== undefined || help.links !== undefined) out[locale as Locale] = help
  }
  return out
}
const CATEGORY_ID_MESSAGE = 'id is 1–64 of a-z, 0-9, _ and -'
const LABELS_MESSAGE = /* @__PURE__ */ (() =>
  `labels is { ${LOCALES.map((locale) => `"${locale}"?`).join(', ')} }, a label per locale`)()

/** A category's label in one locale, named `field` (`categories[2].labels.zh-CN`). */
/* @__NO_SIDE_EFFECTS__ */
function localLabel(field: string, locale: Locale) {
  return v.optional(
    text(
      `${field}.labels.${locale}`,
      LIMITS.categoryLabel,
      `labels.${locale} is 1–${LIMITS.categoryLabel} characters`,
    ),
  )
}

/** One category, named `field` (`categories[2]`); `earlier` are the ones before it. */
/* @__NO_SIDE_EFFECTS__ */
function category(field: string, _index: number, earlier: readonly unknown[]) {
  const entries = {
    id: v.pipe(
      v.string(CATEGORY_ID_MESSAGE),
      v.regex(CATEGORY_ID, CATEGORY_ID_MESSAGE),
      v.check(
        (id) => !earlier.some((other) => isRecord(other) && other.id === id),
        (issue) => `Duplicate category id ${issue.input}`,
      ),
    ),
    failureType: v.picklist(
      FAILURE_TYPES,
      `failureType must be one of ${FAILURE_TYPES.join(', ')}`,
    ),
    label: v.optional(
      text(`${field}.label`, LIMITS.categoryLabel, `label is 1–${LIMITS.categoryLabel} characters`),
    ),
    labels: v.optional(
      v.pipe(
        v.custom<Partial<Record<Locale, string>>>(isRecord, LABELS_MESSAGE),
        knownKeys<Partial<Record<Locale, string>>>(
          LOCALES,
          (key) => `labels has no locale ${key}: one of ${LOCALES.join(', ')}`,
        ),
        fields({ en: localLabel(field, 'en'), 'zh-CN': localLabel(field, 'zh-CN') }),
      ),
    ),
    help: v.optional(v.pipe(v.unknown(), ported(readHelp))),
    firmResponsible: v.optional(v.boolean('firmResponsible is true or false')),
  }
  return v.pipe(
    v.custom<ObjectInput<typeof entries>>(
      isRecord,
      'A category is { id, failureType, label?, labels?, help?, firmResponsible? }',
    ),
    knownKeys<ObjectInput<typeof entries>>(CATEGORY_KEYS),
    fields(entries),
  )
}

/**
 * `categories` of `PATCH /v1/admin/site`: at most 100 `{ id, failureType,
 * label?, labels?, firmResponsible? }`, ids unique (1–64 of a-z, 0-9, `_`,
 * `-`), `label` and each of `labels` (`{ en?, 'zh-CN'? }`, a label per
 * locale) 1–100 characters (trimmed, NFC). The output is `SiteCategory[]`.
 */
export const CategoriesSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<v.InferInput<ReturnType<typeof category>>[]>(Array.isArray, 'categories is an array'),
    v.maxLength(
      ADMIN_LIMITS.categories,
      `categories holds at most ${ADMIN_LIMITS.categories} entries`,
    ),
    items('categories', category),
  ))()

/** A site's own rate limit of one scope: `limit` requests per `windowSeconds` (default 60). */
export interface SiteRateLimit {
  /** A whole number from 0. */
  limit: number
  /** 1–86400. @default 60 */
  windowSeconds?: number
}

/** `rateLimits` of `PATCH /v1/admin/site`; `false` turns a scope off. */
export interface SiteRateLimits {
  perIp?: SiteRateLimit | false
  perSite?: SiteRateLimit | false
}

/** The server's `readLimit`: `false` for off, the limit with its window, or `undefined` when invalid. */
function readLimit(value: unknown): Required<SiteRateLimit> | false | undefined {
  if (value === false || value === null) return false
  if (typeof value !== 'object' || value === null) return undefined
  const { limit, windowSeconds = 60 } = value as Record<string, unknown>
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) return undefined
  if (
    typeof windowSeconds !== 'number' ||
    !Number.isInteger(windowSeconds) ||
    windowSeconds < 1 ||
    windowSeconds > 86_400
  )
    return undefined
  return { limit, windowSeconds }
}

/**
 * `rateLimits` of `PATCH /v1/admin/site` (`null` is allowed there, not
 * here): `{ perIp?, perSite? }`, each `false` (off) or `{ limit:
 * a whole number ≥ 0, windowSeconds?: 1–86400 }`; the window defaults to 60.
 * Scopes are checked in the order sent.
 */
export const RateLimitsSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<SiteRateLimits>(() => true),
    ported((value: SiteRateLimits) => {
      if (!isRecord(value)) throw new Refusal('rateLimits is { perIp?, perSite? } or null')
      const out: {
        perIp?: Required<SiteRateLimit> | false
        perSite?: Required<SiteRateLimit> | false
      } = {}
      for (const [scope, limit] of Object.entries(value)) {
        if (scope !== 'perIp' && scope !== 'perSite')
          throw new Refusal(`Unknown field ${scope}`, [scope])
        if (limit === false) {
          out[scope] = false
          continue
        }
        const read = readLimit(limit)
        const keys = typeof limit === 'object' && limit !== null ? Object.keys(limit) : []
        if (!read || keys.some((key) => key !== 'limit' && key !== 'windowSeconds'))
          throw new Refusal(
            `${scope} is false or { limit: a whole number ≥ 0, windowSeconds: 1–86400 }`,
            [scope],
          )
        out[scope] = read
      }
      return out
    }),
  ))()

const DURATION_MESSAGE =
  'firstReplyWithin is an ISO 8601 duration from one minute to 30 days, e.g. PT2H or P1D'
const GUARANTEE_VALUE_MESSAGE = /* @__PURE__ */ (() =>
  `value is a whole number of minor units from 1 to ${ADMIN_LIMITS.guaranteeValue}`)()

/**
 * `guarantee` of `PATCH /v1/admin/site` (`null` removes it there): `text`
 * 1–300 characters of free text (trimmed, NFC), `firstReplyWithin` an ISO
 * 8601 duration of weeks to seconds from one minute to 30 days, `remedy` `{
 * kind: 'coupon', value: 1–1000000 }` (other keys of `remedy` are dropped).
 */
export const GuaranteeSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<Guarantee>(isRecord, 'guarantee is { text, firstReplyWithin, remedy } or null'),
    knownKeys<Guarantee>(['text', 'firstReplyWithin', 'remedy']),
    fields({
      text: text(
        'guarantee.text',
        LIMITS.guarantee,
        `text is 1–${LIMITS.guarantee} characters`,
        true,
      ),
      firstReplyWithin: v.pipe(
        v.string(DURATION_MESSAGE),
        v.check((duration) => {
          const ms = parseDuration(duration)
          return (
            ms !== null && ms >= ADMIN_LIMITS.guaranteeMinMs && ms <= ADMIN_LIMITS.guaranteeMaxMs
          )
        }, DURATION_MESSAGE),
      ),
      remedy: v.pipe(
        v.custom<Guarantee['remedy']>(
          (remedy) =>
            typeof remedy === 'object' &&
            remedy !== null &&
            (remedy as { kind?: unknown }).kind === 'coupon',
          'remedy is { kind: "coupon", value }',
        ),
        fields({
          kind: v.literal('coupon'),
          value: v.custom<number>(
            (value) =>
              Number.isSafeInteger(value) &&
              (value as number) > 0 &&
              (value as number) <= ADMIN_LIMITS.guaranteeValue,
            GUARANTEE_VALUE_MESSAGE,
          ),
        }),
      ),
    }),
  ))()

/** A site's photo settings: how many days photos are kept. */
export interface AttachmentSettings {
  retentionDays: number
}

/** Days photos are kept unless the site says otherwise; the most it may say. */
export const ATTACHMENT_RETENTION = { days: 180, max: 3650 } as const

const RETENTION_MESSAGE = /* @__PURE__ */ (() =>
  `retentionDays is a whole number of days from 1 to ${ATTACHMENT_RETENTION.max}`)()

/**
 * `attachments` of `PATCH /v1/admin/site` (`null`: the default, 180 days):
 * `{ retentionDays }`, a whole number of days from 1 to 3650 after which the
 * server deletes a complaint's photos.
 *
 * @example
 * parseAdmin(AttachmentSettingsSchema, { retentionDays: 30 }) // { ok: true, value: { retentionDays: 30 } }
 */
export const AttachmentSettingsSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<AttachmentSettings>(isRecord, 'attachments is { retentionDays } or null'),
    knownKeys<AttachmentSettings>(['retentionDays']),
    fields({
      retentionDays: v.pipe(
        v.number(RETENTION_MESSAGE),
        v.integer(RETENTION_MESSAGE),
        v.minValue(1, RETENTION_MESSAGE),
        v.maxValue(ATTACHMENT_RETENTION.max, RETENTION_MESSAGE),
      ),
    }),
  ))()
