/**
 * @module The complaint list in the admin API: its rows, its filters (also
 * those of the CSV export), its pages and their cursors.
 */
import * as v from 'valibot'
import {
  FAILURE_TYPES,
  type FailureType,
  SEVERITIES,
  type Severity,
  STATUSES,
  type Status,
} from '../index'
import { blankable, booleanQuery, filterText, limit, STATUS_MESSAGE } from './_query'
import { textProblem } from './_valid'
import { ADMIN_LIMITS, type GuaranteeState, type RootCause, type Suspicion } from './words'

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
  /** Owned by the signed-in person. */
  mine?: boolean | undefined
  /** Owned by nobody. */
  unassigned?: boolean | undefined
  /** With a remedy waiting that the signed-in person may approve (their role and limit cover it). */
  awaitingMe?: boolean | undefined
  /** The complaints an early-warning alert counted (`alt_…`): its scope, from its window's start to its end. */
  alert?: string | undefined
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
  /** The person who owns it (`usr_…`), when a person does. */
  assigneeId: string | null
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
  alert: filterText('alert', ADMIN_LIMITS.filterText),
  mine: booleanQuery('mine'),
  unassigned: booleanQuery('unassigned'),
  awaitingMe: booleanQuery('awaitingMe'),
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
