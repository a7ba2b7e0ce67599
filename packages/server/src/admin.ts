/**
 * @module The admin API under `/v1/admin`: the site's admin token as a bearer
 * token identifies the site, and every query is scoped to it. No CORS: only
 * same-origin pages (and servers, curl) may use it.
 */
import { type Complaint, type Severity, STATUSES, type Status } from '@redress/protocol'
import { type Context, Hono } from 'hono'
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely'
import { matchesHash, sha256 } from './_crypto'
import { type ComplaintRow, ROOT_CAUSES, type RootCause, type Site, type Tables } from './db/schema'
import { ApiError } from './errors'
import { bearer, readJson } from './http'
import { decidePending } from './recovery'
import { enqueueWebhook } from './webhooks'

type AdminEnv = { Variables: { site: Site } }

const SEVERITIES: readonly Severity[] = ['minor', 'major', 'critical']
export const LIST_LIMIT = { default: 25, max: 100 } as const
const ASSIGNEE_MAX = 200
/** Rows read per query while writing the CSV export. */
const CSV_BATCH = 500

/**
 * The site whose admin token this is, or `undefined`. Looked up by the
 * token's SHA-256 (an index lookup on a hash reveals nothing about the
 * token), then compared with the stored hash in constant time.
 */
export async function siteByAdminToken(
  db: Kysely<Tables>,
  token: string | undefined,
): Promise<Site | undefined> {
  if (!token) return undefined
  const site = await db
    .selectFrom('sites')
    .selectAll()
    .where('admin_token_hash', '=', sha256(token))
    .executeTakeFirst()
  return site && matchesHash(token, site.admin_token_hash) ? site : undefined
}

const invalid = (message: string, field: string) =>
  new ApiError(400, 'invalid_request', message, { field })

const iso = (value: Date | string) => new Date(value).toISOString()

// ---------------------------------------------------------------------------
// Listing

interface ListFilters {
  status?: Status | undefined
  category?: string | undefined
  severity?: Severity | undefined
  q?: string | undefined
}

type Cursor = { receivedAt: string; id: string }

const encodeCursor = (row: Pick<ComplaintRow, 'received_at' | 'id'>) =>
  Buffer.from(JSON.stringify([iso(row.received_at), row.id])).toString('base64url')

function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0]))
    ) {
      return { receivedAt: value[0], id: value[1] }
    }
  } catch {}
  throw invalid('Not a cursor from this API', 'cursor')
}

function parseFilters(c: Context): ListFilters {
  const status = c.req.query('status') || undefined
  if (status !== undefined && !STATUSES.includes(status as Status)) {
    throw invalid(`status must be one of ${STATUSES.join(', ')}`, 'status')
  }
  const severity = c.req.query('severity') || undefined
  if (severity !== undefined && !SEVERITIES.includes(severity as Severity)) {
    throw invalid(`severity must be one of ${SEVERITIES.join(', ')}`, 'severity')
  }
  const q = c.req.query('q') || undefined
  if (q !== undefined && q.length > 200) throw invalid('q is at most 200 characters', 'q')
  return {
    status: status as Status | undefined,
    category: c.req.query('category') || undefined,
    severity: severity as Severity | undefined,
    q,
  }
}

/** `%`, `_` and `\` match themselves: the search is a plain substring. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`

/** The site's complaints matching the filters, newest first, after the cursor. */
function listQuery(
  db: Kysely<Tables>,
  site: Site,
  filters: ListFilters,
  after: Cursor | undefined,
): SelectQueryBuilder<Tables, 'complaints', ComplaintRow> {
  let query = db.selectFrom('complaints').selectAll().where('site_id', '=', site.id)
  if (filters.status) query = query.where('status', '=', filters.status)
  if (filters.category) query = query.where('category', '=', filters.category)
  if (filters.severity) query = query.where('severity', '=', filters.severity)
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

/** A complaint as the list shows it. */
function summary(row: ComplaintRow) {
  const body = row.body as Complaint
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    category: row.category,
    severity: row.severity,
    assignee: row.assignee,
    rootCause: row.root_cause,
    customerId: row.customer_id,
    orderRef: row.order_ref,
    excerpt:
      body.description.length > 140 ? `${body.description.slice(0, 139)}…` : body.description,
    receivedAt: iso(row.received_at),
    updatedAt: iso(row.updated_at),
  }
}

// ---------------------------------------------------------------------------
// One complaint

async function findOwn(
  db: Kysely<Tables>,
  site: Site,
  id: string,
  lock = false,
): Promise<ComplaintRow> {
  let query = db
    .selectFrom('complaints')
    .selectAll()
    .where('id', '=', id)
    .where('site_id', '=', site.id)
  if (lock) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (!row) throw new ApiError(404, 'not_found', `No complaint ${id}`)
  return row
}

/** Everything about one complaint: what the customer sent, its handling, remedies, answers, timeline. */
async function detail(db: Kysely<Tables>, row: ComplaintRow) {
  const [recoveries, followUps, events] = await Promise.all([
    db
      .selectFrom('recoveries')
      .selectAll()
      .where('complaint_id', '=', row.id)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('follow_ups')
      .selectAll()
      .where('complaint_id', '=', row.id)
      .orderBy('id')
      .execute(),
    db.selectFrom('events').selectAll().where('complaint_id', '=', row.id).orderBy('id').execute(),
  ])
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    assignee: row.assignee,
    rootCause: row.root_cause,
    recoveryAppropriate: row.recovery_appropriate,
    complaint: row.body,
    receivedAt: iso(row.received_at),
    updatedAt: iso(row.updated_at),
    recoveries: recoveries.map((r) => ({
      id: r.id,
      policyKey: r.policy_key,
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      value: Number(r.value),
      currency: r.currency,
      code: r.code,
      expiresAt: r.expires_at ? iso(r.expires_at) : null,
      recovery: r.recovery ? JSON.parse(r.recovery) : null,
      reusedFrom: r.reused_from,
      createdAt: iso(r.created_at),
      decidedAt: r.decided_at ? iso(r.decided_at) : null,
    })),
    followUps: followUps.map((f) => ({
      score: f.score,
      resolved: f.resolved,
      comment: f.comment,
      fairness: f.fairness,
      createdAt: iso(f.created_at as unknown as Date),
    })),
    timeline: events.map((e) => ({
      type: e.type,
      data: e.data,
      at: iso(e.created_at as unknown as Date),
    })),
  }
}

interface Patch {
  status?: Status
  assignee?: string | null
  rootCause?: RootCause | null
  recoveryAppropriate?: boolean | null
  force?: boolean
}

const PATCH_FIELDS = ['status', 'assignee', 'rootCause', 'recoveryAppropriate', 'force']

function parsePatch(body: unknown): Patch {
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
    const value = input.assignee
    if (
      value !== null &&
      (typeof value !== 'string' || !value.trim() || value.length > ASSIGNEE_MAX)
    ) {
      throw invalid(`assignee is a name of 1–${ASSIGNEE_MAX} characters, or null`, 'assignee')
    }
    patch.assignee = value === null ? null : value.trim()
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

/**
 * Apply a patch under the complaint's row lock, one event per change;
 * becoming `resolved` enqueues `complaint.resolved` in the same transaction.
 */
async function applyPatch(db: Kysely<Tables>, site: Site, id: string, patch: Patch): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findOwn(trx, site, id, true)
    const now = new Date()
    const set: {
      status?: Status
      assignee?: string | null
      root_cause?: RootCause | null
      recovery_appropriate?: boolean | null
    } = {}
    const events: {
      type: 'status_changed' | 'assigned' | 'root_cause' | 'recovery_assessed'
      data: object
    }[] = []
    if (patch.assignee !== undefined && patch.assignee !== row.assignee) {
      // Whoever first takes it owns it: changing an owner needs `force`.
      if (row.assignee !== null && !patch.force) {
        throw new ApiError(
          409,
          'conflict',
          `${row.assignee} already owns this complaint; send force: true to reassign it`,
          { field: 'assignee' },
        )
      }
      set.assignee = patch.assignee
      events.push({ type: 'assigned', data: { from: row.assignee, to: patch.assignee } })
    }
    if (patch.status !== undefined && patch.status !== row.status) {
      set.status = patch.status
      events.push({
        type: 'status_changed',
        data: { from: row.status, to: patch.status, by: 'admin' },
      })
    }
    if (patch.rootCause !== undefined && patch.rootCause !== row.root_cause) {
      set.root_cause = patch.rootCause
      events.push({ type: 'root_cause', data: { from: row.root_cause, to: patch.rootCause } })
    }
    if (
      patch.recoveryAppropriate !== undefined &&
      patch.recoveryAppropriate !== row.recovery_appropriate
    ) {
      set.recovery_appropriate = patch.recoveryAppropriate
      events.push({
        type: 'recovery_assessed',
        data: { from: row.recovery_appropriate, to: patch.recoveryAppropriate },
      })
    }
    if (events.length === 0) return
    await trx
      .updateTable('complaints')
      .set({ ...set, updated_at: now })
      .where('id', '=', row.id)
      .execute()
    await trx
      .insertInto('events')
      .values(
        events.map((event) => ({
          complaint_id: row.id,
          type: event.type,
          data: JSON.stringify(event.data),
        })),
      )
      .execute()
    if (set.status === 'resolved') {
      await enqueueWebhook(trx, site, 'complaint.resolved', {
        complaintId: row.id,
        reference: row.reference,
        resolvedAt: now.toISOString(),
      })
    }
  })
}

// ---------------------------------------------------------------------------
// CSV

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
] as const

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF,
 * quotes doubled. A cell a spreadsheet would read as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function csvRow(row: ComplaintRow): string {
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
  }
  return CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',')
}

// ---------------------------------------------------------------------------
// Routes

/** The admin routes, to mount at `/v1/admin`. */
export function adminApi(db: Kysely<Tables>): Hono<AdminEnv> {
  const admin = new Hono<AdminEnv>()

  admin.use('*', async (c, next) => {
    const site = await siteByAdminToken(db, bearer(c))
    if (!site) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the site’s admin token as Authorization: Bearer …',
        {
          headers: { 'www-authenticate': 'Bearer' },
        },
      )
    }
    c.set('site', site)
    c.header('cache-control', 'no-store')
    await next()
  })

  admin.get('/complaints', async (c) => {
    const filters = parseFilters(c)
    const limitText = c.req.query('limit')
    const limit = limitText === undefined ? LIST_LIMIT.default : Number(limitText)
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT.max) {
      throw invalid(`limit is a whole number from 1 to ${LIST_LIMIT.max}`, 'limit')
    }
    const cursorText = c.req.query('cursor')
    const after = cursorText ? decodeCursor(cursorText) : undefined
    const rows = await listQuery(db, c.get('site'), filters, after)
      .limit(limit + 1)
      .execute()
    const page = rows.slice(0, limit)
    return c.json({
      items: page.map(summary),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    })
  })

  admin.get('/complaints.csv', async (c) => {
    const filters = parseFilters(c)
    const site = c.get('site')
    const lines = [CSV_COLUMNS.join(',')]
    let after: Cursor | undefined
    for (;;) {
      const rows = await listQuery(db, site, filters, after).limit(CSV_BATCH).execute()
      for (const row of rows) lines.push(csvRow(row))
      if (rows.length < CSV_BATCH) break
      const last = rows[rows.length - 1]!
      after = { receivedAt: iso(last.received_at), id: last.id }
    }
    return c.body(`${lines.join('\r\n')}\r\n`, 200, {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': 'attachment; filename="complaints.csv"',
    })
  })

  admin.get('/complaints/:id', async (c) => {
    const row = await findOwn(db, c.get('site'), c.req.param('id'))
    return c.json(await detail(db, row))
  })

  admin.patch('/complaints/:id', async (c) => {
    const patch = parsePatch(await readJson(c))
    const site = c.get('site')
    await applyPatch(db, site, c.req.param('id'), patch)
    return c.json(await detail(db, await findOwn(db, site, c.req.param('id'))))
  })

  const decide = (decision: 'approve' | 'reject') => async (c: Context<AdminEnv>) => {
    let value: number | undefined
    if (decision === 'approve' && c.req.header('content-type')) {
      const body = (await readJson(c)) as { value?: unknown } | null
      if (body?.value !== undefined) {
        if (!Number.isSafeInteger(body.value) || (body.value as number) <= 0) {
          throw invalid('value is a positive whole number of minor units', 'value')
        }
        value = body.value as number
      }
    }
    const id = c.req.param('id')!
    const result = await db
      .transaction()
      .execute((trx) =>
        decidePending(trx, { site: c.get('site'), recoveryId: id, decision, value }),
      )
    if (!result) throw new ApiError(404, 'not_found', `No remedy ${id}`)
    const { row, changed } = result
    return c.json({
      id: row.id,
      complaintId: row.complaint_id,
      kind: row.kind,
      status: row.status,
      value: Number(row.value),
      currency: row.currency,
      code: row.code,
      expiresAt: row.expires_at ? iso(row.expires_at) : null,
      recovery: row.recovery ? JSON.parse(row.recovery) : null,
      changed,
    })
  }
  admin.post('/recoveries/:id/approve', decide('approve'))
  admin.post('/recoveries/:id/reject', decide('reject'))

  return admin
}
