/**
 * @module The query behind the complaint list and its CSV export: the site's
 * complaints matching the filters, newest first, read a page at a time, and
 * the cursor that says where the next page starts.
 */
import type { FailureType } from '@redress/protocol'
import type { ListCursor, ListFilters } from '@redress/protocol/admin'
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely'
import { OTHER_CATEGORIES } from '../../alerts'
import { iso } from '../../complaints'
import type { AlertRow, ComplaintRow, Site, Tables } from '../../db/schema'
import { ApiError } from '../../http'
import { type Actor, can } from '../../people'
import { effectivePolicy } from '../../recovery'

/**
 * Where the page after this complaint starts: the complaint's time and id.
 *
 * @example
 * cursorAfter(rows[rows.length - 1]) // { receivedAt: '2025-01-01T00:00:00.000Z', id: 'cmp_1' }
 */
export const cursorAfter = (row: Pick<ComplaintRow, 'received_at' | 'id'>): ListCursor => ({
  receivedAt: iso(row.received_at),
  id: row.id,
})

/**
 * The `nextCursor` after this complaint, which `ComplaintListQuerySchema`
 * reads back (`decodeCursor`).
 *
 * @example
 * encodeCursor(rows[rows.length - 1]) // 'WyIyMDI1LTAxLTAxVDAwOjAwOjAwLjAwMFoiLCJjbXBfMSJd'
 */
export const encodeCursor = (row: Pick<ComplaintRow, 'received_at' | 'id'>): string => {
  const { receivedAt, id } = cursorAfter(row)
  return Buffer.from(JSON.stringify([receivedAt, id])).toString('base64url')
}

/** `%`, `_` and `\` match themselves: the search is a plain substring. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`

/** Complaints whose category has this failure type under the site's policy. */
function ofFailureType(
  eb: ExpressionBuilder<Tables, 'complaints'>,
  site: Site,
  type: FailureType,
): Expression<SqlBool> {
  const policy = effectivePolicy(site)
  const known = Object.keys(policy.categories)
  const ids = known.filter((id) => policy.categories[id] === type)
  // Categories no one listed have the policy's `unknownCategory` type.
  return policy.unknownCategory === type
    ? eb.or([
        ...(ids.length > 0 ? [eb('category', 'in', ids)] : []),
        ...(known.length > 0 ? [eb('category', 'not in', known)] : [eb.lit(true)]),
      ])
    : ids.length > 0
      ? eb('category', 'in', ids)
      : eb.lit(false)
}

/**
 * The alert `?alert=` names, of this site; a `404` for any other id.
 *
 * @example
 * const alert = await alertOf(db, site, filters.alert) // undefined without the filter
 */
export async function alertOf(
  db: Kysely<Tables>,
  site: Site,
  id: string | undefined,
): Promise<AlertRow | undefined> {
  if (id === undefined) return undefined
  const alert = await db
    .selectFrom('alerts')
    .selectAll()
    .where('site_id', '=', site.id)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!alert) throw new ApiError(404, 'not_found', `No alert ${id}`, { field: 'alert' })
  return alert
}

/**
 * The site's complaints matching the filters, newest first, after the cursor;
 * with `?alert=`, only those the alert counted (its `alertOf` row): its
 * scope, from the first it counted to the episode's end.
 *
 * @example
 * const rows = await listQuery(db, site, { status: 'received' }, undefined).limit(25).execute()
 */
export function listQuery(
  db: Kysely<Tables>,
  site: Site,
  filters: ListFilters,
  after: ListCursor | undefined,
  alert?: AlertRow | undefined,
  actor?: Actor | undefined,
): SelectQueryBuilder<Tables, 'complaints', ComplaintRow> {
  let query = db.selectFrom('complaints').selectAll().where('site_id', '=', site.id)
  if (filters.status) query = query.where('status', '=', filters.status)
  if (filters.category) query = query.where('category', '=', filters.category)
  if (filters.severity) query = query.where('severity', '=', filters.severity)
  if (filters.failureType) {
    const type = filters.failureType
    query = query.where((eb) => ofFailureType(eb, site, type))
  }
  if (alert) {
    query = query.where('received_at', '>=', alert.window_from).where('suspicion', 'is', null)
    if (alert.ended_at !== null) query = query.where('received_at', '<=', alert.ended_at)
    const { by } = alert.rule
    const group = alert.group_key
    if (by === 'category')
      query =
        group === OTHER_CATEGORIES
          ? query.where('category', 'not in', Object.keys(effectivePolicy(site).categories))
          : query.where('category', '=', group)
    if (by === 'failureType')
      query = query.where((eb) => ofFailureType(eb, site, group as FailureType))
  }
  const person = actor?.kind === 'user' ? actor : undefined
  if ((filters.mine || filters.awaitingMe) && !person)
    throw new ApiError(400, 'invalid_request', 'mine and awaitingMe need a person signed in', {
      field: filters.mine ? 'mine' : 'awaitingMe',
    })
  if (filters.mine && person) query = query.where('assignee_id', '=', person.id)
  if (filters.unassigned) query = query.where('assignee', 'is', null)
  if (filters.awaitingMe && person) {
    // What they may approve: a manager's role, and the remedy within their own limit.
    if (!can(person, 'approve')) query = query.where(sql<boolean>`false`)
    else
      query = query.where(
        sql<boolean>`EXISTS (SELECT 1 FROM recoveries r WHERE r.complaint_id = complaints.id
          AND r.status = 'pending_approval'
          ${person.remedyLimit === null ? sql`` : sql`AND r.value <= ${person.remedyLimit}`})`,
      )
  }
  if (filters.page) {
    query = query.where(sql<boolean>`(body->'page'->>'url') ILIKE ${likePattern(filters.page)}`)
  }
  const remedies = (status: string[]) =>
    sql<boolean>`EXISTS (SELECT 1 FROM recoveries r WHERE r.complaint_id = complaints.id
      AND r.kind NOT IN ('apology', 'escalation') AND r.status IN (${sql.join(status)}))`
  if (filters.hasRemedy !== undefined) {
    const has = remedies(['issued', 'approved'])
    query = query.where(filters.hasRemedy ? has : sql<boolean>`NOT ${has}`)
  }
  if (filters.pending !== undefined) {
    const has = remedies(['pending_approval'])
    query = query.where(filters.pending ? has : sql<boolean>`NOT ${has}`)
  }
  if (filters.suspected !== undefined) {
    query = query.where('suspicion', filters.suspected ? 'is not' : 'is', null)
  }
  if (filters.q) {
    // A bound parameter, never spliced into the SQL.
    query = query.where(sql<boolean>`(body->>'description') ILIKE ${likePattern(filters.q)}`)
  }
  if (after) {
    query = query.where(
      sql<boolean>`(received_at, id) < (${after.receivedAt}::timestamptz, ${after.id})`,
    )
  }
  return query.orderBy('received_at', 'desc').orderBy('id', 'desc')
}
