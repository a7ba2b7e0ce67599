/**
 * @module The HTTP application: wire protocol v1 under `/v1`, CORS per site,
 * one JSON log line per request, and (for `redress serve`) the widget files
 * and the demo page.
 */
import { randomUUID } from 'node:crypto'
import { LIMITS } from '@redress/protocol'
import { validateComplaint, validateFollowUp } from '@redress/protocol/schema'
import { type Context, Hono } from 'hono'
import type { Kysely } from 'kysely'
import {
  authorize,
  findComplaint,
  ingestComplaint,
  recordFollowUp,
  statusReport,
} from '../complaints/complaints'
import type { Site, Tables } from '../db/schema'
import type { OutboundPolicy } from '../outbox/_outbound'
import { type AdminOptions, adminApi } from '../routes/admin/admin'
import { type StaticOptions, staticRoutes } from '../routes/public/static'
import { findSite, isOriginAllowed, siteConfig } from '../sites/sites'
import { bearer, clean, readJson } from './body'
import { checkTrustProxy, type TrustProxy } from './client-address'
import { ApiError, toApiError } from './errors'
import { clientAddress, clientKey, type RateLimitOptions, rateLimiter } from './rate-limit'

/** One line per request, and errors that were not the client's fault. */
export interface LogLine {
  level: 'info' | 'error'
  msg: string
  requestId?: string
  method?: string
  path?: string
  status?: number
  durationMs?: number
  error?: string
  /** The admin API's site changes. */
  siteId?: string
  changed?: string[]
}

export type Logger = (line: LogLine) => void

/** Writes each line as JSON to stdout (errors to stderr). */
export const jsonLogger: Logger = (line) => {
  const text = `${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`
  if (line.level === 'error') process.stderr.write(text)
  else process.stdout.write(text)
}

export interface AppOptions {
  db: Kysely<Tables>
  /** The secret status tokens are derived from (see `loadSecret`). */
  secret: string
  /** Where log lines go. `false` for none. @default jsonLogger */
  log?: Logger | false
  /** Serve the widget and the demo page too (what `redress serve` does). */
  static?: StaticOptions | undefined
  /**
   * Rate limits on new complaints, kept in the database (see `rate-limit.ts`);
   * `false` for none. @default 10 a minute per client IP and 600 per site
   */
  rateLimit?: RateLimitOptions | false | undefined
  /**
   * Take the client's IP from `X-Forwarded-For`, as far as the proxies in front
   * of the server are trusted: their number (`true` for one), or their IPs and
   * CIDR ranges (`['10.0.0.0/8', 'fd00::/8']`). Without it, the socket's peer
   * (see `clientAddress`). @default false
   */
  trustProxy?: TrustProxy | undefined
  /** A form sent sooner than this (ms) after it opened counts as a bot's. @default MIN_FILL_MS (1500) */
  minFillMs?: number | undefined
  /**
   * Where webhook endpoints may point (checked when one is saved).
   * @default outboundPolicy(): REDRESS_WEBHOOK_ALLOW and the system resolver
   */
  outbound?: OutboundPolicy | undefined
  /** The admin API's timing (the live stream's poll and heartbeat). @default its own */
  admin?: Pick<AdminOptions, 'liveIntervalMs' | 'liveHeartbeatMs' | 'liveMaxStreams'> | undefined
}

type Env = { Variables: { requestId: string } }

const ALLOWED_HEADERS = 'content-type, idempotency-key, authorization'
const ALLOWED_METHODS = 'GET, POST, OPTIONS'
/** Chromium caps preflight caching at 2 hours. */
const PREFLIGHT_MAX_AGE = '7200'

/** Browsers send `Origin`; servers and curl usually do not, and are not subject to CORS. */
function checkOrigin(c: Context, site: Site): void {
  const origin = c.req.header('origin')
  if (origin === undefined) return
  if (!isOriginAllowed(origin, site.origins as string[])) {
    throw new ApiError(403, 'origin_not_allowed', `${origin} is not an allowed origin of this site`)
  }
}

/**
 * The Hono app for wire protocol v1. Mount it in your own server or run it
 * with `startServer`.
 *
 * @example
 * const database = await openDatabase()
 * const app = createApp({ db: database.db, secret: await loadSecret(database.db) })
 * serve({ fetch: app.fetch, port: 8787 })
 */
export function createApp(options: AppOptions): Hono<Env> {
  const { db, secret } = options
  const log = options.log === false ? () => {} : (options.log ?? jsonLogger)
  const app = new Hono<Env>()
  const limit = options.rateLimit === false ? undefined : rateLimiter(db, options.rateLimit)
  // A bad proxy range fails here, at start, not on every complaint.
  checkTrustProxy(options.trustProxy)

  app.use(async (c, next) => {
    const start = performance.now()
    const requestId = randomUUID()
    c.set('requestId', requestId)
    await next()
    c.header('x-request-id', requestId)
    log({
      level: 'info',
      msg: 'request',
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - start) * 10) / 10,
    })
  })

  // CORS. Every response under /v1 names the caller's origin, errors included,
  // so a page can read why it was refused; what an origin may do is decided per
  // site in the handlers (403 origin_not_allowed) before anything is stored or shown.
  // The admin API is not for pages of other origins: no CORS headers at all, so a
  // browser lets only same-origin pages (the dashboard) read it, and a preflight
  // (which PATCH and any Authorization header need) gets no allowance.
  app.use('/v1/*', async (c, next) => {
    if (c.req.path === '/v1/admin' || c.req.path.startsWith('/v1/admin/')) return next()
    const origin = c.req.header('origin')
    if (origin !== undefined) {
      c.header('access-control-allow-origin', origin)
      c.header('access-control-expose-headers', 'retry-after, x-request-id')
      c.header('vary', 'Origin')
    }
    if (c.req.method === 'OPTIONS') {
      // A preflight carries no body, so the site is not known yet: the real request is checked.
      c.header('access-control-allow-methods', ALLOWED_METHODS)
      c.header('access-control-allow-headers', ALLOWED_HEADERS)
      c.header('access-control-max-age', PREFLIGHT_MAX_AGE)
      return c.body(null, 204)
    }
    await next()
  })

  app.post('/v1/complaints', async (c) => {
    const idempotencyKey = c.req.header('idempotency-key')
    const body = await readJson(c)
    const result = validateComplaint(body)
    if (!result.success) {
      const issue = result.issues[0]!
      throw new ApiError(400, 'invalid_request', issue.message, { field: issue.field })
    }
    if (!idempotencyKey || idempotencyKey.length > LIMITS.idempotencyKey) {
      throw new ApiError(
        400,
        'invalid_request',
        `Send an Idempotency-Key header of 1–${LIMITS.idempotencyKey} characters, the same on every retry`,
        { field: 'idempotencyKey' },
      )
    }
    const site = await findSite(db, result.output.site)
    if (!site) {
      throw new ApiError(400, 'unknown_site', `No site has the key ${result.output.site}`, {
        field: 'site',
      })
    }
    checkOrigin(c, site)
    // A category the site does not list (any more) is stored as sent and decided as the
    // policy's unknownCategory: a 400 is final for the SDK, so refusing it would lose a
    // complaint queued in a browser before the owner renamed or removed the category.
    await limit?.(c, { site, idempotencyKey, trustProxy: options.trustProxy })
    const ingested = await ingestComplaint(db, {
      site,
      complaint: result.output,
      idempotencyKey,
      secret,
      minFillMs: options.minFillMs,
      clientKey: clientKey(clientAddress(c, options.trustProxy)),
    })
    return c.body(ingested.body, ingested.created ? 201 : 200, {
      'content-type': 'application/json',
    })
  })

  /** The complaint, checked against the caller's origin and token. */
  const authorized = async (c: Context) => {
    const id = clean(c.req.param('id')!, 'id')
    const complaint = await findComplaint(db, id)
    if (!complaint) throw new ApiError(404, 'not_found', `No complaint ${id}`)
    const site = await db
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', complaint.site_id)
      .executeTakeFirstOrThrow()
    checkOrigin(c, site)
    authorize(complaint, bearer(c))
    return complaint
  }

  app.get('/v1/complaints/:id', async (c) => {
    const complaint = await authorized(c)
    c.header('cache-control', 'no-store')
    return c.json(await statusReport(db, complaint))
  })

  app.post('/v1/complaints/:id/follow-up', async (c) => {
    const complaint = await authorized(c)
    const result = validateFollowUp(await readJson(c))
    if (!result.success) {
      const issue = result.issues[0]!
      throw new ApiError(400, 'invalid_request', issue.message, { field: issue.field })
    }
    await recordFollowUp(db, complaint, result.output)
    return c.body(null, 204)
  })

  // The categories and guarantee a page may show; the widget asks once as it loads.
  // Shared caches may keep it a minute, one copy per Origin (the answer names it).
  app.get('/v1/sites/:key', async (c) => {
    c.header('vary', 'Origin')
    const key = c.req.param('key')
    const site = await findSite(db, key)
    if (!site) throw new ApiError(404, 'not_found', `No site has the key ${key}`)
    checkOrigin(c, site)
    c.header('cache-control', 'public, max-age=60')
    return c.json(siteConfig(site))
  })

  app.route(
    '/v1/admin',
    adminApi(db, {
      ...options.admin,
      log,
      rateLimit: options.rateLimit,
      outbound: options.outbound,
    }),
  )

  if (options.static) staticRoutes(app, options.static, db)

  app.notFound((c) =>
    c.json(new ApiError(404, 'not_found', `No route ${c.req.method} ${c.req.path}`).toJSON(), 404),
  )

  app.onError((error, c) => {
    const refusal = toApiError(error)
    if (refusal) return c.json(refusal.toJSON(), refusal.status as 400, refusal.headers)
    log({
      level: 'error',
      msg: 'unhandled error',
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
    return c.json(
      new ApiError(500, 'internal_error', 'Something went wrong on our side; try again').toJSON(),
      500,
    )
  })

  return app
}
