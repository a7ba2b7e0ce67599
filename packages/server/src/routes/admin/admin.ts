/**
 * @module The admin API under `/v1/admin`: the site's admin token as a bearer
 * token identifies the site, and every query is scoped to it. No CORS: only
 * same-origin pages (and servers, curl) may use it.
 */
import {
  type Complaint,
  canonicalJson,
  FAILURE_TYPES,
  type FailureType,
  LIMITS,
  type Severity,
  STATUSES,
  type Status,
} from '@redress/protocol'
import {
  type ComplaintDetail,
  type ComplaintPage,
  type ComplaintSummary,
  type CreatedWebhook,
  type Guarantee,
  type ListFilters,
  ROOT_CAUSES,
  type RootCause,
  type SiteCategory,
  type SiteChange,
  type SiteView,
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
} from '@redress/protocol/admin'
import { type Context, Hono } from 'hono'
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely'
import { matchesHash, sha256 } from '../../_lib/crypto'
import { iso } from '../../complaints/complaints'
import type {
  ComplaintRow,
  Site,
  Tables,
  WebhookDeliveryRow,
  WebhookEndpointRow,
} from '../../db/schema'
import type { Logger } from '../../http/app'
import { bearer, checkJson, clean, type JsonLimits, readJson } from '../../http/body'
import { ApiError, invalid } from '../../http/errors'
import {
  effectiveRateLimits,
  parseRateLimits,
  type RateLimitOptions,
  type RateLimits,
} from '../../http/rate-limit'
import {
  ALLOW_HINT,
  explainRefusal,
  type OutboundPolicy,
  outboundPolicy,
  resolveOutbound,
} from '../../outbox/_outbound'
import { recordEvents } from '../../outbox/events'
import { createWebhookEndpoint, enqueueWebhook, replayDelivery } from '../../outbox/webhooks'
import { parseGuarantee } from '../../recovery/guarantee'
import {
  CATEGORY_ID,
  effectivePolicy,
  failureTypeOf,
  type Policy,
  policyOverridesProblem,
} from '../../recovery/policy'
import { decidePending } from '../../recovery/recovery'
import { normalizeOrigin } from '../../sites/sites'
import { insightRoutes } from './insights'
import { liveRoutes } from './live'
import { remedyRoutes, remedyView } from './remedies'
import { replyRoutes } from './replies'
import { verificationRoutes } from './verification'

export type AdminEnv = { Variables: { site: Site } }

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

// Shared with the route groups in their own modules, which import them from here.
export { invalid, iso }

// ---------------------------------------------------------------------------
// Listing

function booleanQuery(c: Context, name: string): boolean | undefined {
  const text = c.req.query(name)
  if (text === undefined || text === '') return undefined
  if (text === 'true') return true
  if (text === 'false') return false
  throw invalid(`${name} is true or false`, name)
}

type Cursor = { receivedAt: string; id: string }

const encodeCursor = (row: Pick<ComplaintRow, 'received_at' | 'id'>) =>
  Buffer.from(JSON.stringify([iso(row.received_at), row.id])).toString('base64url')

/** Only what `encodeCursor` makes: a date as `toISOString` writes it (which PostgreSQL reads), and an id. */
function decodeCursor(text: string): Cursor {
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

function parseFilters(c: Context): ListFilters {
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
  if (filters.failureType) {
    const policy = effectivePolicy(site)
    const known = Object.keys(policy.categories)
    const ids = known.filter((id) => policy.categories[id] === filters.failureType)
    // Categories no one listed have the policy's `unknownCategory` type.
    query = query.where((eb) =>
      policy.unknownCategory === filters.failureType
        ? eb.or([
            ...(ids.length > 0 ? [eb('category', 'in', ids)] : []),
            ...(known.length > 0 ? [eb('category', 'not in', known)] : [eb.lit(true)]),
          ])
        : ids.length > 0
          ? eb('category', 'in', ids)
          : eb.lit(false),
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

/** Per complaint: whether a remedy waits for approval, and whether one was given. */
type RemedyFlags = Map<string, { pending: boolean; given: boolean }>

async function remedyFlags(db: Kysely<Tables>, ids: string[]): Promise<RemedyFlags> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('recoveries')
    .select([
      'complaint_id',
      sql<boolean>`bool_or(status = 'pending_approval')`.as('pending'),
      sql<boolean>`bool_or(status IN ('issued', 'approved') AND kind NOT IN ('apology', 'escalation'))`.as(
        'given',
      ),
    ])
    .where('complaint_id', 'in', ids)
    .groupBy('complaint_id')
    .execute()
  return new Map(rows.map((row) => [row.complaint_id, { pending: row.pending, given: row.given }]))
}

/** A complaint as the list shows it. */
function summary(row: ComplaintRow, policy: Policy, flags: RemedyFlags): ComplaintSummary {
  const body = row.body as Complaint
  return {
    pendingApproval: flags.get(row.id)?.pending ?? false,
    remedyGiven: flags.get(row.id)?.given ?? false,
    id: row.id,
    reference: row.reference,
    status: row.status,
    category: row.category,
    failureType: failureTypeOf(policy, row.category),
    severity: row.severity,
    suspicion: row.suspicion,
    firstReplyAt: row.first_reply_at ? iso(row.first_reply_at) : null,
    guarantee: row.guarantee_state,
    pageUrl: body.page?.url ?? null,
    assignee: row.assignee,
    rootCause: row.root_cause,
    customerId: row.customer_id,
    verified: row.verified !== null,
    orderRef: row.order_ref,
    excerpt:
      body.description.length > 140 ? `${body.description.slice(0, 139)}…` : body.description,
    receivedAt: iso(row.received_at),
    updatedAt: iso(row.updated_at),
  }
}

// ---------------------------------------------------------------------------
// One complaint

export async function findOwn(
  db: Kysely<Tables>,
  site: Site,
  id: string,
  lock = false,
): Promise<ComplaintRow> {
  clean(id, 'id')
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
async function detail(db: Kysely<Tables>, row: ComplaintRow): Promise<ComplaintDetail> {
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
    suspicion: row.suspicion,
    firstReplyAt: row.first_reply_at ? iso(row.first_reply_at) : null,
    guarantee: row.guarantee
      ? {
          ...row.guarantee,
          dueAt: row.guarantee_due_at ? iso(row.guarantee_due_at) : null,
          state: row.guarantee_state,
        }
      : null,
    verified: row.verified,
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
      data: Record<string, unknown>
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
    await recordEvents(trx, row.id, ...events)
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
// The site's settings

export const ORIGINS_MAX = 50
export const CATEGORIES_MAX = 100
const LABEL_MAX = LIMITS.categoryLabel
const FAILURE_TYPE_NAMES = ['outcome', 'process', 'interaction'] as const

export interface AdminOptions {
  /** Where site changes are logged. @default none */
  log?: Logger | undefined
  /** The server's rate limits, to show the effective ones. */
  rateLimit?: RateLimitOptions | false | undefined
  /** How often each live stream (`GET /v1/admin/stream`) reads new events, in ms. @default 1000 */
  liveIntervalMs?: number | undefined
  /** A live stream's keep-alive comment after this long without a write, in ms. @default 15000 */
  liveHeartbeatMs?: number | undefined
  /**
   * The most live streams one site may have open at once on this server; one
   * more is `429 rate_limited` until one ends. @default 5
   */
  liveMaxStreams?: number | undefined
  /** The clock of insights ("today") and webhook test sends; tests fix it. @default () => new Date() */
  now?: (() => Date) | undefined
  /**
   * Where webhook endpoints may point: checked when one is saved (and again by
   * the worker at every delivery). @default outboundPolicy()
   */
  outbound?: OutboundPolicy | undefined
}

/** The site as `GET /v1/admin/site` shows it. */
function siteView(site: Site, rateLimit: RateLimitOptions | false | undefined): SiteView {
  return {
    name: site.name,
    publicKey: site.public_key,
    origins: site.origins,
    categories: site.categories,
    rateLimits: {
      effective: rateLimit === false ? false : effectiveRateLimits(rateLimit ?? {}, site),
      overrides: site.rate_limits,
    },
    // Spread into a plain object type: an interface such as `Policy` has no
    // implicit index signature, and `SitePolicy` keeps the other keys loose.
    policy: { effective: { ...effectivePolicy(site) }, overrides: site.policy },
    guarantee: site.guarantee,
    createdAt: iso(site.created_at as unknown as Date),
  }
}

interface SitePatch {
  origins?: string[]
  categories?: SiteCategory[]
  policy?: Record<string, unknown> | null
  rateLimits?: RateLimits | null
  guarantee?: Guarantee | null
}

const SITE_FIELDS = ['origins', 'categories', 'policy', 'rateLimits', 'guarantee'] as const

/**
 * Policy overrides: nested JSON, bounded well above what `Policy` can hold
 * (4 levels, about 60 keys and a category map); every text in it is free text.
 */
const POLICY_JSON: JsonLimits & { text: true } = { depth: 8, keys: 200, text: true }

/** `SitePatch` field → `sites` column. */
const SITE_COLUMNS = {
  origins: 'origins',
  categories: 'categories',
  policy: 'policy',
  rateLimits: 'rate_limits',
  guarantee: 'guarantee',
} as const satisfies Record<(typeof SITE_FIELDS)[number], keyof Site>

function parseOrigins(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid('origins is an array of origins', 'origins')
  if (value.length > ORIGINS_MAX)
    throw invalid(`origins holds at most ${ORIGINS_MAX} entries`, 'origins')
  const out: string[] = []
  value.forEach((entry, index) => {
    const field = `origins[${index}]`
    if (typeof entry !== 'string' || entry.length > 300)
      throw invalid('An origin is a text such as https://shop.example', field)
    // Before the message below quotes it.
    clean(entry, field)
    // Checked before normalising: `new URL` would quietly drop a trailing path dot or empty port.
    if (!/^https?:\/\/[^/?#@\s]+\/?$/i.test(entry.trim()))
      throw invalid(`Not an origin: ${entry} (expected https?://host[:port], no path)`, field)
    try {
      out.push(normalizeOrigin(entry))
    } catch (error) {
      throw invalid((error as Error).message, field)
    }
  })
  return [...new Set(out)]
}

function parseCategories(value: unknown): SiteCategory[] {
  if (!Array.isArray(value)) throw invalid('categories is an array', 'categories')
  if (value.length > CATEGORIES_MAX)
    throw invalid(`categories holds at most ${CATEGORIES_MAX} entries`, 'categories')
  const seen = new Set<string>()
  return value.map((entry, index) => {
    const field = `categories[${index}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw invalid('A category is { id, failureType, label?, firmResponsible? }', field)
    const input = entry as Record<string, unknown>
    for (const key of Object.keys(input)) {
      if (!['id', 'failureType', 'label', 'firmResponsible'].includes(key))
        throw invalid(`Unknown field ${key}`, `${field}.${key}`)
    }
    if (typeof input.id !== 'string' || !CATEGORY_ID.test(input.id))
      throw invalid('id is 1–64 of a-z, 0-9, _ and -', `${field}.id`)
    if (seen.has(input.id)) throw invalid(`Duplicate category id ${input.id}`, `${field}.id`)
    seen.add(input.id)
    if (!FAILURE_TYPE_NAMES.includes(input.failureType as SiteCategory['failureType']))
      throw invalid(
        `failureType must be one of ${FAILURE_TYPE_NAMES.join(', ')}`,
        `${field}.failureType`,
      )
    const category: SiteCategory = {
      id: input.id,
      failureType: input.failureType as SiteCategory['failureType'],
    }
    if (input.label !== undefined) {
      const label =
        typeof input.label === 'string' ? clean(input.label, `${field}.label`).trim() : undefined
      if (!label || label.length > LABEL_MAX)
        throw invalid(`label is 1–${LABEL_MAX} characters`, `${field}.label`)
      category.label = label
    }
    if (input.firmResponsible !== undefined) {
      if (typeof input.firmResponsible !== 'boolean')
        throw invalid('firmResponsible is true or false', `${field}.firmResponsible`)
      category.firmResponsible = input.firmResponsible
    }
    return category
  })
}

function parseSitePatch(body: unknown): SitePatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object', '')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!(SITE_FIELDS as readonly string[]).includes(key))
      throw invalid(`Unknown field ${key}`, key)
  }
  const patch: SitePatch = {}
  if (input.origins !== undefined) patch.origins = parseOrigins(input.origins)
  if (input.categories !== undefined) patch.categories = parseCategories(input.categories)
  if (input.policy !== undefined) {
    // Bounded and its texts cleaned before the policy's own checks walk it.
    const policy = input.policy === null ? null : checkJson(input.policy, 'policy', POLICY_JSON)
    if (policy !== null) {
      const problem = policyOverridesProblem(policy)
      if (problem) throw invalid(problem.message, problem.field)
    }
    patch.policy = policy as Record<string, unknown> | null
  }
  if (input.rateLimits !== undefined) {
    const parsed = input.rateLimits === null ? null : parseRateLimits(input.rateLimits)
    if (parsed && 'problem' in parsed)
      throw invalid(parsed.problem as string, parsed.field as string)
    patch.rateLimits = parsed as RateLimits | null
  }
  if (input.guarantee !== undefined)
    patch.guarantee = input.guarantee === null ? null : parseGuarantee(input.guarantee)
  if (Object.keys(patch).length === 0) {
    throw invalid(`Send at least one of ${SITE_FIELDS.join(', ')}`, '')
  }
  return patch
}

/** Append to the site's audit trail (`GET /v1/admin/site/changes`), in the caller's transaction. */
export async function recordSiteChange(
  trx: Kysely<Tables>,
  siteId: string,
  changes: SiteChange['changes'],
): Promise<void> {
  await trx
    .insertInto('site_changes')
    .values({ site_id: siteId, changes: JSON.stringify(changes) })
    .execute()
}

// ---------------------------------------------------------------------------
// Webhook endpoints and deliveries

const WEBHOOK_URL_MAX = 2000

const endpointView = (row: WebhookEndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  types: row.event_types,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  createdAt: iso(row.created_at as unknown as Date),
})

const deliveryView = (row: WebhookDeliveryRow): WebhookDelivery => ({
  id: row.id,
  type: row.event_type,
  status: row.status,
  attempts: row.attempts,
  lastStatus: row.last_status,
  lastError: row.last_error,
  nextAttemptAt: iso(row.next_attempt_at),
  createdAt: iso(row.created_at as unknown as Date),
  deliveredAt: row.delivered_at ? iso(row.delivered_at) : null,
})

function parseEndpoint(body: unknown): { url: string; types: WebhookEventType[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object', '')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!['url', 'types'].includes(key)) throw invalid(`Unknown field ${key}`, key)
  }
  const { url, types } = input
  if (typeof url !== 'string' || url.length > WEBHOOK_URL_MAX)
    throw invalid(`url is an http(s) URL of at most ${WEBHOOK_URL_MAX} characters`, 'url')
  clean(url, 'url')
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalid('url is not a URL', 'url')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw invalid('url must be http(s)', 'url')
  if (parsed.username || parsed.password) throw invalid('url must not carry credentials', 'url')
  if (types === undefined) return { url, types: [...WEBHOOK_EVENT_TYPES] }
  if (
    !Array.isArray(types) ||
    types.length === 0 ||
    !types.every((type) => WEBHOOK_EVENT_TYPES.includes(type as WebhookEventType))
  )
    throw invalid(`types is a non-empty array of ${WEBHOOK_EVENT_TYPES.join(', ')}`, 'types')
  return { url, types: types as WebhookEventType[] }
}

/** How long saving an endpoint waits for its host's addresses before taking it unchecked. */
const SAVE_LOOKUP_MS = 5000

/**
 * Refuse an endpoint whose host is, or resolves to, an address webhooks may
 * not reach. This is early feedback for the admin; the guard that holds is
 * the worker's, which checks again at every delivery and connects only to
 * what it checked. So a name that does not resolve (yet) is saved: its
 * deliveries fail until it does.
 */
async function checkEndpointUrl(url: string, outbound: OutboundPolicy): Promise<void> {
  const target = await resolveOutbound(new URL(url), outbound, AbortSignal.timeout(SAVE_LOOKUP_MS))
  if (target.outcome !== 'refused') return
  const { refusal } = target
  const subject = refusal.literal ? 'url' : "url's host"
  throw invalid(`${subject} ${explainRefusal(refusal)}; ${ALLOW_HINT}`, 'url')
}

async function ownEndpoint(db: Kysely<Tables>, site: Site, id: string) {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', id)
    .where('site_id', '=', site.id)
    .executeTakeFirst()
  if (!row) throw new ApiError(404, 'not_found', `No webhook endpoint ${id}`)
  return row
}

function readLimit(c: Context): number {
  const limitText = c.req.query('limit')
  const limit = limitText === undefined ? LIST_LIMIT.default : Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT.max) {
    throw invalid(`limit is a whole number from 1 to ${LIST_LIMIT.max}`, 'limit')
  }
  return limit
}

// ---------------------------------------------------------------------------
// Routes

/** The admin routes, to mount at `/v1/admin`. */
export function adminApi(db: Kysely<Tables>, options: AdminOptions = {}): Hono<AdminEnv> {
  const admin = new Hono<AdminEnv>()
  const log = options.log ?? (() => {})
  const outbound = options.outbound ?? outboundPolicy()

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
    const policy = effectivePolicy(c.get('site'))
    const flags = await remedyFlags(
      db,
      page.map((row) => row.id),
    )
    return c.json({
      items: page.map((row) => summary(row, policy, flags)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    } satisfies ComplaintPage)
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
    const id = clean(c.req.param('id')!, 'id')
    const result = await db
      .transaction()
      .execute((trx) =>
        decidePending(trx, { site: c.get('site'), recoveryId: id, decision, value }),
      )
    if (!result) throw new ApiError(404, 'not_found', `No remedy ${id}`)
    return c.json(remedyView(result.row, result.changed))
  }
  admin.post('/recoveries/:id/approve', decide('approve'))
  admin.post('/recoveries/:id/reject', decide('reject'))

  admin.get('/site', (c) => c.json(siteView(c.get('site'), options.rateLimit)))

  admin.patch('/site', async (c) => {
    const patch = parseSitePatch(await readJson(c))
    const site = c.get('site')
    const { updated, changed } = await db.transaction().execute(async (trx) => {
      // Under the row lock, so the audit's "before" is what this change replaced.
      const current = await trx
        .selectFrom('sites')
        .selectAll()
        .where('id', '=', site.id)
        .forUpdate()
        .executeTakeFirstOrThrow()
      const changes: SiteChange['changes'] = {}
      for (const field of SITE_FIELDS) {
        if (patch[field] === undefined) continue
        const before = current[SITE_COLUMNS[field]] ?? null
        if (canonicalJson(before) !== canonicalJson(patch[field]))
          changes[field] = { before, after: patch[field] }
      }
      if (Object.keys(changes).length === 0) return { updated: current, changed: [] }
      const values = Object.fromEntries(
        Object.keys(changes).map((field) => [
          SITE_COLUMNS[field as keyof typeof SITE_COLUMNS],
          JSON.stringify(patch[field as keyof SitePatch]),
        ]),
      )
      const row = await trx
        .updateTable('sites')
        .set(values)
        .where('id', '=', site.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      await recordSiteChange(trx, site.id, changes)
      return { updated: row, changed: Object.keys(changes) }
    })
    if (changed.length > 0) log({ level: 'info', msg: 'site updated', siteId: site.id, changed })
    return c.json(siteView(updated, options.rateLimit))
  })

  admin.get('/site/changes', async (c) => {
    const limit = readLimit(c)
    const rows = await db
      .selectFrom('site_changes')
      .selectAll()
      .where('site_id', '=', c.get('site').id)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return c.json({
      items: rows.map(
        (row): SiteChange => ({
          id: Number(row.id),
          at: iso(row.created_at as unknown as Date),
          changes: row.changes,
        }),
      ),
    })
  })

  admin.get('/webhooks', async (c) => {
    const rows = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('site_id', '=', c.get('site').id)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return c.json({ items: rows.map(endpointView) })
  })

  admin.post('/webhooks', async (c) => {
    const { url, types } = parseEndpoint(await readJson(c))
    await checkEndpointUrl(url, outbound)
    const site = c.get('site')
    const { id, secret } = await db.transaction().execute(async (trx) => {
      const created = await createWebhookEndpoint(trx, site.id, url, types)
      await recordSiteChange(trx, site.id, {
        webhooks: { before: null, after: { id: created.id, url, types } },
      })
      return created
    })
    log({ level: 'info', msg: 'webhook endpoint created', siteId: site.id, changed: [id] })
    // The secret is shown here once; nothing else ever returns it.
    return c.json(
      { ...endpointView(await ownEndpoint(db, site, id)), secret } satisfies CreatedWebhook,
      201,
    )
  })

  admin.delete('/webhooks/:id', async (c) => {
    const site = c.get('site')
    const endpoint = await ownEndpoint(db, site, clean(c.req.param('id')!, 'id'))
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('webhook_endpoints')
        .set({
          enabled: false,
          disabled_reason: endpoint.enabled
            ? `disabled by the site admin at ${new Date().toISOString()}`
            : endpoint.disabled_reason,
        })
        .where('id', '=', endpoint.id)
        .execute()
      // What was still waiting will not be sent (replay is refused while disabled).
      await trx
        .updateTable('webhook_deliveries')
        .set({ status: 'disabled', last_error: 'endpoint disabled by the site admin' })
        .where('endpoint_id', '=', endpoint.id)
        .where('status', '=', 'pending')
        .execute()
      if (endpoint.enabled)
        await recordSiteChange(trx, site.id, {
          webhooks: { before: { id: endpoint.id, url: endpoint.url }, after: null },
        })
    })
    log({
      level: 'info',
      msg: 'webhook endpoint disabled',
      siteId: site.id,
      changed: [endpoint.id],
    })
    return c.json(endpointView(await ownEndpoint(db, site, endpoint.id)))
  })

  admin.get('/webhooks/:id/deliveries', async (c) => {
    const limit = readLimit(c)
    const endpoint = await ownEndpoint(db, c.get('site'), clean(c.req.param('id')!, 'id'))
    const rows = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpoint.id)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute()
    return c.json({ items: rows.map(deliveryView) })
  })

  admin.post('/deliveries/:id/replay', async (c) => {
    const id = clean(c.req.param('id')!, 'id')
    const site = c.get('site')
    const own = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.id', 'e.enabled'])
      .where('d.id', '=', id)
      .where('e.site_id', '=', site.id)
      .executeTakeFirst()
    if (!own) throw new ApiError(404, 'not_found', `No delivery ${id}`)
    if (!own.enabled || !(await replayDelivery(db, id))) {
      throw new ApiError(409, 'conflict', 'The endpoint is disabled; create a new one to deliver')
    }
    return c.json({ id, status: 'pending' }, 202)
  })

  // Route groups kept in their own modules (one line each):
  replyRoutes(admin, db)
  liveRoutes(admin, db, options)
  remedyRoutes(admin, db)
  insightRoutes(admin, db, options)
  verificationRoutes(admin, db)

  return admin
}
