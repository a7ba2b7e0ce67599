/**
 * @module The complaints' requests in the admin API: the list's filters and
 * cursor (also the CSV export's filters) and the body of
 * `PATCH /v1/admin/complaints/{id}`. Each parser throws `400 invalid_request`
 * naming the field at fault.
 */
import {
  FAILURE_TYPES,
  type FailureType,
  type Severity,
  STATUSES,
  type Status,
} from '@redress/protocol'
import { type ListFilters, ROOT_CAUSES, type RootCause } from '@redress/protocol/admin'
import type { Context } from 'hono'
import { iso } from '../../complaints'
import type { ComplaintRow } from '../../db/schema'
import { clean, invalid } from '../../http'

const SEVERITIES: readonly Severity[] = ['minor', 'major', 'critical']
const ASSIGNEE_MAX = 200

function booleanQuery(c: Context, name: string): boolean | undefined {
  const text = c.req.query(name)
  if (text === undefined || text === '') return undefined
  if (text === 'true') return true
  if (text === 'false') return false
  throw invalid(`${name} is true or false`, name)
}

/** Where a page of the list ends: the last complaint's time and id. */
export type Cursor = { receivedAt: string; id: string }

/**
 * The `nextCursor` after this complaint.
 *
 * @example
 * encodeCursor(rows[rows.length - 1]) // 'WyIyMDI1LTAxLTAxVDAwOjAwOjAwLjAwMFoiLCJjbXBfMSJd'
 */
export const encodeCursor = (row: Pick<ComplaintRow, 'received_at' | 'id'>): string =>
  Buffer.from(JSON.stringify([iso(row.received_at), row.id])).toString('base64url')

/**
 * `?cursor=`: only what `encodeCursor` makes, a date as `toISOString` writes
 * it (which PostgreSQL reads), and an id.
 *
 * @example
 * decodeCursor(encodeCursor(row)) // { receivedAt: iso(row.received_at), id: row.id }
 */
export function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      // `Date.parse` also takes text PostgreSQL cannot cast ("1", RFC 2822 with a zone name).
      new Date(value[0]).toISOString() === value[0]
    ) {
      // An id with a control character is none of ours (and PostgreSQL refuses U+0000).
      return { receivedAt: value[0], id: clean(value[1], 'cursor') }
    }
  } catch {}
  throw invalid('Not a cursor from this API', 'cursor')
}

/**
 * The list's (and the CSV export's) filters from the query string.
 *
 * @example
 * // GET /v1/admin/complaints?status=received&pending=true
 * parseFilters(c) // { status: 'received', pending: true, … the rest undefined }
 */
export function parseFilters(c: Context): ListFilters {
  // Free text of the query, by the protocol's rules: what it is compared with was stored by them.
  const text = (name: string) => {
    const value = c.req.query(name) || undefined
    return value === undefined ? undefined : clean(value, name)
  }
  const status = c.req.query('status') || undefined
  if (status !== undefined && !STATUSES.includes(status as Status)) {
    throw invalid(`status must be one of ${STATUSES.join(', ')}`, 'status')
  }
  const severity = c.req.query('severity') || undefined
  if (severity !== undefined && !SEVERITIES.includes(severity as Severity)) {
    throw invalid(`severity must be one of ${SEVERITIES.join(', ')}`, 'severity')
  }
  const failureType = c.req.query('failureType') || undefined
  if (failureType !== undefined && !FAILURE_TYPES.includes(failureType as FailureType)) {
    throw invalid(`failureType must be one of ${FAILURE_TYPES.join(', ')}`, 'failureType')
  }
  const q = text('q')
  if (q !== undefined && q.length > 200) throw invalid('q is at most 200 characters', 'q')
  const page = text('page')
  if (page !== undefined && page.length > 200)
    throw invalid('page is at most 200 characters', 'page')
  return {
    status: status as Status | undefined,
    category: text('category'),
    severity: severity as Severity | undefined,
    failureType: failureType as FailureType | undefined,
    page,
    hasRemedy: booleanQuery(c, 'hasRemedy'),
    pending: booleanQuery(c, 'pending'),
    suspected: booleanQuery(c, 'suspected'),
    q,
  }
}

/** The body of `PATCH /v1/admin/complaints/{id}`, checked. */
export interface Patch {
  status?: Status
  assignee?: string | null
  rootCause?: RootCause | null
  recoveryAppropriate?: boolean | null
  force?: boolean
}

const PATCH_FIELDS = ['status', 'assignee', 'rootCause', 'recoveryAppropriate', 'force']

/**
 * Check the body of `PATCH /v1/admin/complaints/{id}`.
 *
 * @example
 * parsePatch({ status: 'resolved', assignee: ' Ana ' }) // { status: 'resolved', assignee: 'Ana' }
 * parsePatch({ force: true }) // throws: send at least one of status, assignee, …
 */
export function parsePatch(body: unknown): Patch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object', '')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!PATCH_FIELDS.includes(key)) throw invalid(`Unknown field ${key}`, key)
  }
  const patch: Patch = {}
  if ('status' in input) {
    if (!STATUSES.includes(input.status as Status)) {
      throw invalid(`status must be one of ${STATUSES.join(', ')}`, 'status')
    }
    patch.status = input.status as Status
  }
  if ('assignee' in input) {
    // Normalised before the length check: the column's CHECK counts what is stored.
    const value =
      typeof input.assignee === 'string' ? clean(input.assignee, 'assignee').trim() : input.assignee
    if (value !== null && (typeof value !== 'string' || !value || value.length > ASSIGNEE_MAX)) {
      throw invalid(`assignee is a name of 1–${ASSIGNEE_MAX} characters, or null`, 'assignee')
    }
    patch.assignee = value
  }
  if ('rootCause' in input) {
    const value = input.rootCause
    if (value !== null && !ROOT_CAUSES.includes(value as RootCause)) {
      throw invalid(`rootCause must be one of ${ROOT_CAUSES.join(', ')}, or null`, 'rootCause')
    }
    patch.rootCause = value as RootCause | null
  }
  if ('recoveryAppropriate' in input) {
    const value = input.recoveryAppropriate
    if (value !== null && typeof value !== 'boolean') {
      throw invalid('recoveryAppropriate is true, false or null', 'recoveryAppropriate')
    }
    patch.recoveryAppropriate = value
  }
  if ('force' in input) {
    if (typeof input.force !== 'boolean') throw invalid('force is true or false', 'force')
    patch.force = input.force
  }
  if (
    patch.status === undefined &&
    patch.assignee === undefined &&
    patch.rootCause === undefined &&
    patch.recoveryAppropriate === undefined
  ) {
    throw invalid('Send at least one of status, assignee, rootCause, recoveryAppropriate', '')
  }
  return patch
}
