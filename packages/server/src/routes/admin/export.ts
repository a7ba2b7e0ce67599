/**
 * @module The complaints as a CSV file: `GET /v1/admin/complaints.csv`, with
 * the list's filters, every matching complaint, newest first; its photos as
 * links to the admin API.
 */
import type { Complaint } from '@redress/protocol'
import { ComplaintFiltersSchema, type ListCursor } from '@redress/protocol/admin'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { iso } from '../../complaints'
import type { ComplaintRow, Tables } from '../../db/schema'
import { valid } from '../../http'
import { attachmentUrl } from './attachments'
import type { AdminEnv } from './context'
import { alertOf, cursorAfter, listQuery } from './list-query'

/** Rows read per query while writing the CSV export. */
const CSV_BATCH = 500

const CSV_COLUMNS = [
  'id',
  'reference',
  'receivedAt',
  'status',
  'category',
  'severity',
  'assignee',
  'rootCause',
  'recoveryAppropriate',
  'customerId',
  'orderRef',
  'orderValue',
  'currency',
  'description',
  'photos',
] as const

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF,
 * quotes doubled. A cell a spreadsheet would read as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`.
 *
 * @example
 * csvCell('a,b') // '"a,b"'
 * csvCell('=1+1') // "'=1+1"
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** `photos` holds the links to the complaint's photos (the admin API's, credentials needed), space-separated. */
function csvRow(row: ComplaintRow, photos: readonly string[] = []): string {
  const body = row.body as Complaint
  const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: row.id,
    reference: row.reference,
    receivedAt: iso(row.received_at),
    status: row.status,
    category: row.category,
    severity: row.severity,
    assignee: row.assignee,
    rootCause: row.root_cause,
    recoveryAppropriate: row.recovery_appropriate,
    customerId: row.customer_id,
    orderRef: row.order_ref,
    orderValue: body.orderValue?.value,
    currency: body.orderValue?.currency,
    description: body.description,
    photos: photos.join(' '),
  }
  return CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',')
}

/**
 * The export route, a sub-app for the admin API (which has authenticated the site).
 *
 * @example
 * admin.route('/', exportRoutes(db))
 * // GET /v1/admin/complaints.csv?status=resolved → 200 text/csv, one header line, then a row per complaint
 */
export function exportRoutes(db: Kysely<Tables>): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()

  routes.get('/complaints.csv', async (c) => {
    const filters = valid(ComplaintFiltersSchema, c.req.query())
    const site = c.get('site')
    const alert = await alertOf(db, site, filters.alert)
    const lines = [CSV_COLUMNS.join(',')]
    const origin = new URL(c.req.url).origin
    let after: ListCursor | undefined
    for (;;) {
      const rows = await listQuery(db, site, filters, after, alert).limit(CSV_BATCH).execute()
      const photos = new Map<string, string[]>()
      if (rows.length > 0)
        for (const photo of await db
          .selectFrom('attachments')
          .select(['id', 'complaint_id'])
          .where(
            'complaint_id',
            'in',
            rows.map((row) => row.id),
          )
          .orderBy('complaint_id')
          .orderBy('seq')
          .execute())
          photos.set(photo.complaint_id, [
            ...(photos.get(photo.complaint_id) ?? []),
            origin + attachmentUrl(photo),
          ])
      for (const row of rows) lines.push(csvRow(row, photos.get(row.id)))
      if (rows.length < CSV_BATCH) break
      after = cursorAfter(rows[rows.length - 1]!)
    }
    return c.body(`${lines.join('\r\n')}\r\n`, 200, {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': 'attachment; filename="complaints.csv"',
    })
  })

  return routes
}
