/**
 * @module Complaints in the admin API: the list and its filters, one
 * complaint, changing its handling and replying to the customer.
 */
import * as v from 'valibot'
import {
  type Complaint,
  FAILURE_TYPES,
  type FailureType,
  type FollowUp,
  LIMITS,
  type Recovery,
  type RecoveryKind,
  type Score,
  SEVERITIES,
  type Severity,
  STATUSES,
  type Status,
  type VouchedOrder,
} from '../index'
import { body, clean, nfc, text, textProblem } from './_valid'
import {
  ADMIN_LIMITS,
  type GuaranteeState,
  type RecoveryStatus,
  ROOT_CAUSES,
  type RootCause,
  type Suspicion,
} from './words'

/**
 * The list's filters, as query parameters of `GET /v1/admin/complaints`
 * (and `GET /v1/admin/complaints.csv`); they combine with AND.
 *
 * @example
 * const filters: ListFilters = { status: 'received', pending: true }
 */
export interface ListFilters {
  status?: Status | undefined
  category?: string | undefined
  failureType?: FailureType | undefined
  severity?: Severity | undefined
  /** A substring of the page URL. */
  page?: string | undefined
  /** Has (or has not) a remedy the customer received: not an apology or an escalation. */
  hasRemedy?: boolean | undefined
  /** Has a remedy waiting for approval. */
  pending?: boolean | undefined
  /** Sent with bot signals (a filled honeypot, a form sent too fast). */
  suspected?: boolean | undefined
  /** A case-insensitive substring of the description. */
  q?: string | undefined
}

/** One row of `GET /v1/admin/complaints`. */
export interface ComplaintSummary {
  id: string
  reference: string
  status: Status
  category: string
  /** The category's failure type under the site's policy. */
  failureType: FailureType
  severity: Severity
  /** A remedy waits for approval. */
  pendingApproval: boolean
  /** A coupon, refund, replacement or correction was given. */
  remedyGiven: boolean
  suspicion: Suspicion | null
  firstReplyAt: string | null
  /** The service guarantee's state; `null` when the complaint arrived without one. */
  guarantee: GuaranteeState | null
  pageUrl: string | null
  assignee: string | null
  rootCause: RootCause | null
  /** The verified customer's id (from a customer token); `null` for an unverified complaint. */
  customerId: string | null
  /** The complaint carried a valid customer token. */
  verified: boolean
  orderRef: string | null
  /** The description's first 140 characters. */
  excerpt: string
  receivedAt: string
  updatedAt: string
}

/**
 * `GET /v1/admin/complaints`: newest first; `nextCursor` is `null` on the last page.
 *
 * @example
 * // GET /v1/admin/complaints?limit=25&cursor=…
 * // → { "items": [{ "id": "cmp_…", "reference": "R-7K3Q9", … }], "nextCursor": null }
 */
export interface ComplaintPage {
  items: ComplaintSummary[]
  nextCursor: string | null
}

/** A ledger row of one complaint, pending and rejected ones included. */
export interface RecoveryView {
  /** `rcv_…` */
  id: string
  /** Which rule issued it: `apology`, `remedy`, `escalation`, `guarantee`, `manual:…`. */
  policyKey: string
  kind: RecoveryKind
  status: RecoveryStatus
  /** Why it waits (or waited) for approval: a `PendingReason`. */
  reason: string | null
  /** Minor units of `currency`; 0 for remedies that cost no money. */
  value: number
  currency: string | null
  code: string | null
  expiresAt: string | null
  /** What the customer was given; `null` while pending or rejected. */
  recovery: Recovery | null
  /** The complaint whose remedy this one repeats (one incident, several complaints). */
  reusedFrom: string | null
  createdAt: string
  /** When a pending remedy was approved or rejected. */
  decidedAt: string | null
}

/** One event of a complaint's timeline. */
export interface TimelineEntry {
  /** `received`, `status_changed`, `recovery`, `replied`, `follow_up`, … */
  type: string
  data: Record<string, unknown>
  at: string
}

/** A follow-up answer as stored: what the customer sent, with `null` for what they left out. */
export interface FollowUpView {
  score: Score
  resolved: boolean
  comment: string | null
  fairness: NonNullable<FollowUp['fairness']> | null
  createdAt: string
}

/**
 * A service guarantee: a promise shown to customers and kept by the server.
 * When the owner has not replied within `firstReplyWithin`, the promised
 * remedy is issued automatically.
 *
 * @example
 * const guarantee: Guarantee = {
 *   text: 'A reply within 2 hours, or €5 off',
 *   firstReplyWithin: 'PT2H',
 *   remedy: { kind: 'coupon', value: 500 },
 * }
 */
export interface Guarantee {
  /** What customers are told, e.g. "A reply within 2 hours, or 10% off". */
  text: string
  /** ISO 8601 duration, e.g. `PT2H`. */
  firstReplyWithin: string
  /** What a broken promise gives: a coupon worth `value` minor units of the policy currency. */
  remedy: { kind: 'coupon'; value: number }
}

/** The guarantee as it stood when a complaint arrived, and how it went. */
export interface ComplaintGuarantee extends Guarantee {
  dueAt: string | null
  state: GuaranteeState | null
}

/**
 * `GET /v1/admin/complaints/{id}` (and what `PATCH` on it answers): what the
 * customer sent, its handling, remedies, answers and timeline.
 */
export interface ComplaintDetail {
  id: string
  reference: string
  status: Status
  assignee: string | null
  rootCause: RootCause | null
  recoveryAppropriate: boolean | null
  suspicion: Suspicion | null
  firstReplyAt: string | null
  guarantee: ComplaintGuarantee | null
  /**
   * What a valid customer token said: the customer and the vouched order the
   * complaint is about (`null` when it named none the token vouches for).
   * `null` for an unverified complaint, whose `complaint.customer` is only a claim.
   */
  verified: {
    customerId: string
    email: string | null
    name: string | null
    order: VouchedOrder | null
  } | null
  /** Everything the customer sent, as validated (without the customer token). */
  complaint: Complaint
  receivedAt: string
  updatedAt: string
  recoveries: RecoveryView[]
  followUps: FollowUpView[]
  timeline: TimelineEntry[]
}

/**
 * `POST /v1/admin/complaints/{id}/replies`: a message to the customer.
 *
 * @example
 * // → 201 { "id": "42", "message": "We found your parcel.", "author": "Ana", "at": "…" }
 */
export interface ReplyView {
  /** The `replied` event's id (the same `id` the live stream sends). */
  id: string
  message: string
  author: string | null
  at: string
}

// ---------------------------------------------------------------------------
// Requests

/**
 * A query parameter that may also be sent empty (`?status=`), which means
 * absent, as the server reads `c.req.query(name) || undefined`.
 */
/* @__NO_SIDE_EFFECTS__ */
function blankable<const TSchema extends v.GenericSchema<string>>(
  schema: TSchema,
  message: string,
) {
  return v.optional(
    v.pipe(
      v.string(message),
      v.transform((value) => (value === '' ? undefined : value)),
      v.optional(schema),
    ),
  )
}

/** A text filter: the protocol's text rules, NFC (not trimmed), at most `max` characters. */
/* @__NO_SIDE_EFFECTS__ */
function filterText(name: string, max?: number) {
  const checked = v.pipe(v.string(`${name} must be a string`), clean(name), nfc)
  return blankable(
    max === undefined
      ? checked
      : v.pipe(checked, v.maxLength(max, `${name} is at most ${max} characters`)),
    `${name} must be a string`,
  )
}

/** `true`, `false`, or empty/absent (no filter). */
/* @__NO_SIDE_EFFECTS__ */
function booleanQuery(name: string) {
  const message = `${name} is true or false`
  return v.pipe(
    blankable(v.picklist(['true', 'false'], message), message),
    v.transform((value) => (value === undefined ? undefined : value === 'true')),
  )
}

const STATUS_MESSAGE = /* @__PURE__ */ (() => `status must be one of ${STATUSES.join(', ')}`)()

const FILTERS = /* @__PURE__ */ (() => ({
  status: blankable(v.picklist(STATUSES, STATUS_MESSAGE), STATUS_MESSAGE),
  severity: blankable(
    v.picklist(SEVERITIES, `severity must be one of ${SEVERITIES.join(', ')}`),
    `severity must be one of ${SEVERITIES.join(', ')}`,
  ),
  failureType: blankable(
    v.picklist(FAILURE_TYPES, `failureType must be one of ${FAILURE_TYPES.join(', ')}`),
    `failureType must be one of ${FAILURE_TYPES.join(', ')}`,
  ),
  q: filterText('q', ADMIN_LIMITS.filterText),
  page: filterText('page', ADMIN_LIMITS.filterText),
  category: filterText('category'),
  hasRemedy: booleanQuery('hasRemedy'),
  pending: booleanQuery('pending'),
  suspected: booleanQuery('suspected'),
}))()

/**
 * The list's filters as query parameters (`c.req.query()`, the first value
 * of each): `GET /v1/admin/complaints.csv`, and part of
 * `ComplaintListQuerySchema`. Empty values are absent; text is NFC; other
 * parameters are ignored. The output is a `ListFilters`.
 *
 * @example
 * parseAdmin(ComplaintFiltersSchema, { status: 'received', pending: 'true' })
 * // { ok: true, value: { status: 'received', pending: true } }
 */
export const ComplaintFiltersSchema = /* @__PURE__ */ (() =>
  v.object(FILTERS, 'Send the query as an object'))()
/** What a client puts in the query string of the complaint list or its CSV. */
export type ComplaintFiltersQuery = v.InferInput<typeof ComplaintFiltersSchema>

const LIMIT_MESSAGE = /* @__PURE__ */ (() =>
  `limit is a whole number from 1 to ${ADMIN_LIMITS.listMax}`)()

/** `?limit=`: `Number()` of the text, a whole number from 1 to 100; 25 when absent (an empty value is 0, refused). */
const limit = /* @__PURE__ */ (() =>
  v.optional(
    v.pipe(
      v.string(LIMIT_MESSAGE),
      v.transform(Number),
      v.check(
        (value) => Number.isInteger(value) && value >= 1 && value <= ADMIN_LIMITS.listMax,
        LIMIT_MESSAGE,
      ),
    ),
    String(ADMIN_LIMITS.listDefault),
  ))()

/**
 * `?limit=` alone: `GET /v1/admin/site/changes`, `GET /v1/admin/webhooks/{id}/deliveries`.
 *
 * @example
 * parseAdmin(LimitQuerySchema, {}) // { ok: true, value: { limit: 25 } }
 */
export const LimitQuerySchema = /* @__PURE__ */ (() =>
  v.object({ limit }, 'Send the query as an object'))()
export type LimitQuery = v.InferInput<typeof LimitQuerySchema>

/** Where a page of the complaint list resumes: after this complaint. */
export interface ListCursor {
  /** As `Date.toISOString()` writes it. */
  receivedAt: string
  id: string
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * Bytes of base64 or base64url text, read as Node's `Buffer.from(text,
 * 'base64url')` reads it: characters outside both alphabets skipped (each
 * UTF-16 unit by its low byte), `=` ending the data, a lone last character dropped.
 */
function base64Bytes(input: string): Uint8Array {
  const bytes: number[] = []
  let bits = 0
  let count = 0
  for (let i = 0; i < input.length; i++) {
    const byte = input.charCodeAt(i) & 0xff
    if (byte === 0x3d) break
    const char = String.fromCharCode(byte)
    const digit = char === '+' ? 62 : char === '/' ? 63 : BASE64URL.indexOf(char)
    if (digit < 0) continue
    bits = (bits << 6) | digit
    count += 6
    if (count >= 8) {
      count -= 8
      bytes.push((bits >> count) & 0xff)
    }
  }
  return Uint8Array.from(bytes)
}

/**
 * A cursor as the server makes it (`nextCursor`): base64url JSON of
 * `[receivedAt, id]`, `receivedAt` exactly as `toISOString` writes it, `id`
 * free of control characters (then NFC). `undefined` for anything else.
 */
export function decodeCursor(cursor: string): ListCursor | undefined {
  try {
    const json = new TextDecoder('utf-8', { ignoreBOM: true }).decode(base64Bytes(cursor))
    const value = JSON.parse(json) as unknown
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      new Date(value[0]).toISOString() === value[0]
    ) {
      const id = value[1]
      // An id with a control character is none of ours (and PostgreSQL refuses U+0000).
      if (textProblem(id, 'cursor') === undefined)
        return { receivedAt: value[0], id: id.normalize('NFC') }
    }
  } catch {}
  return undefined
}

/**
 * `GET /v1/admin/complaints`: the filters, `limit` (1–100, default 25) and
 * `cursor` (a `nextCursor`; empty is none), from `c.req.query()`. Checked in
 * the server's order: filters, then limit, then cursor.
 *
 * @example
 * parseAdmin(ComplaintListQuerySchema, { limit: '10', cursor: page.nextCursor })
 * // { ok: true, value: { limit: 10, cursor: { receivedAt: '…', id: 'cmp_…' } } }
 */
export const ComplaintListQuerySchema = /* @__PURE__ */ (() =>
  v.object(
    {
      ...FILTERS,
      limit,
      cursor: v.optional(
        v.pipe(
          v.string('Not a cursor from this API'),
          v.rawTransform(({ dataset, addIssue, NEVER }) => {
            if (dataset.value === '') return undefined
            const cursor = decodeCursor(dataset.value)
            if (cursor) return cursor
            addIssue({ message: 'Not a cursor from this API' })
            return NEVER
          }),
        ),
      ),
    },
    'Send the query as an object',
  ))()
/** What a client puts in the list's query string. */
export type ComplaintListQuery = v.InferInput<typeof ComplaintListQuerySchema>
/** The list's query as the server uses it: `ListFilters`, a `limit` and maybe a cursor. */
export type ParsedComplaintListQuery = v.InferOutput<typeof ComplaintListQuerySchema>

/**
 * The route parameter `{id}` of a complaint, remedy, webhook endpoint or
 * delivery (`c.req.param()`): free of control characters, then NFC.
 *
 * @example
 * parseAdmin(IdParamsSchema, { id: 'cmp_\u0000' })
 * // { ok: false, message: 'id contains a control character (U+0000)', field: 'id' }
 */
export const IdParamsSchema = /* @__PURE__ */ (() =>
  v.object({
    id: v.pipe(v.string('id must be a string'), clean('id'), nfc),
  }))()
export type IdParams = v.InferInput<typeof IdParamsSchema>

const ASSIGNEE_MESSAGE = /* @__PURE__ */ (() =>
  `assignee is a name of 1–${ADMIN_LIMITS.assignee} characters, or null`)()

/**
 * `PATCH /v1/admin/complaints/{id}`: at least one of `status`, `assignee`,
 * `rootCause`, `recoveryAppropriate`; `null` clears the last three. `force`
 * takes a complaint someone else owns. `assignee` is trimmed and NFC.
 *
 * @example
 * parseAdmin(ComplaintPatchSchema, { status: 'in_progress', assignee: ' Ana ' })
 * // { ok: true, value: { status: 'in_progress', assignee: 'Ana' } }
 */
export const ComplaintPatchSchema = /* @__PURE__ */ (() =>
  v.pipe(
    body({
      status: v.optional(v.picklist(STATUSES, STATUS_MESSAGE)),
      assignee: v.optional(v.nullable(text('assignee', ADMIN_LIMITS.assignee, ASSIGNEE_MESSAGE))),
      rootCause: v.optional(
        v.nullable(
          v.picklist(ROOT_CAUSES, `rootCause must be one of ${ROOT_CAUSES.join(', ')}, or null`),
        ),
      ),
      recoveryAppropriate: v.optional(
        v.nullable(v.boolean('recoveryAppropriate is true, false or null')),
      ),
      force: v.optional(v.boolean('force is true or false')),
    }),
    v.check(
      (patch) =>
        patch.status !== undefined ||
        patch.assignee !== undefined ||
        patch.rootCause !== undefined ||
        patch.recoveryAppropriate !== undefined,
      'Send at least one of status, assignee, rootCause, recoveryAppropriate',
    ),
  ))()
/** What a client sends to change a complaint's handling. */
export type ComplaintPatch = v.InferInput<typeof ComplaintPatchSchema>
export type ParsedComplaintPatch = v.InferOutput<typeof ComplaintPatchSchema>

const AUTHOR_MESSAGE = /* @__PURE__ */ (() =>
  `author is a name of 1–${LIMITS.author} characters, or left out`)()

/**
 * `POST /v1/admin/complaints/{id}/replies`: `message` free text (line
 * breaks kept), `author` one line or `null` (no author); both trimmed and NFC.
 *
 * @example
 * parseAdmin(ReplyBodySchema, { message: 'We found your parcel.\n', author: 'Ana' })
 * // { ok: true, value: { message: 'We found your parcel.', author: 'Ana' } }
 */
export const ReplyBodySchema = /* @__PURE__ */ (() =>
  v.pipe(
    body({
      message: text(
        'message',
        LIMITS.reply,
        `message is text of 1–${LIMITS.reply} characters`,
        true,
      ),
      author: v.optional(v.nullable(text('author', LIMITS.author, AUTHOR_MESSAGE))),
    }),
    v.transform(({ message, author }) => ({ message, author: author ?? null })),
  ))()
/** What a client sends as a reply to the customer. */
export type ReplyBody = v.InferInput<typeof ReplyBodySchema>
export type ParsedReplyBody = v.InferOutput<typeof ReplyBodySchema>

const REPLY_KEY_MESSAGE = /* @__PURE__ */ (() =>
  `Idempotency-Key is 1–${LIMITS.idempotencyKey} characters, the same on every retry`)()

/**
 * The `Idempotency-Key` header of a reply, as `{ idempotencyKey:
 * c.req.header('idempotency-key') }`: checked, never normalised (a retry
 * must send the very same key); `null` when absent.
 *
 * @example
 * parseAdmin(ReplyHeadersSchema, { idempotencyKey: undefined }) // { ok: true, value: { idempotencyKey: null } }
 */
export const ReplyHeadersSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.object({
      idempotencyKey: v.optional(
        v.pipe(
          v.string(REPLY_KEY_MESSAGE),
          v.minLength(1, REPLY_KEY_MESSAGE),
          v.maxLength(LIMITS.idempotencyKey, REPLY_KEY_MESSAGE),
          clean('idempotencyKey'),
        ),
      ),
    }),
    v.transform(({ idempotencyKey }) => ({ idempotencyKey: idempotencyKey ?? null })),
  ))()
export type ReplyHeaders = v.InferInput<typeof ReplyHeadersSchema>
