/**
 * @module The HTTP application: request ids, one JSON log line per request,
 * CORS for the public routes, the public and admin routes under `/v1`, (for
 * `redress serve`) the widget files and the demo page, and the one place
 * errors become answers.
 */
import { Hono } from 'hono'
import { except } from 'hono/combine'
import { type RequestIdVariables, requestId } from 'hono/request-id'
import type { Kysely } from 'kysely'
import type { BlobStore } from '../blobs/types'
import type { Tables } from '../db/schema'
import type { OutboundPolicy } from '../outbox'
import { type AdminOptions, adminApi } from '../routes/admin'
import { publicApi, type StaticOptions, staticRoutes } from '../routes/public'
import { checkTrustProxy, type TrustProxy } from './client-address'
import { publicCors } from './cors'
import { ApiError, toApiError } from './errors'
import { jsonLogger, type Logger, loggedPath } from './log'
import type { RateLimitOptions } from './rate-limit'

export { jsonLogger, type Logger, type LogLine } from './log'

/**
 * What `createApp` serves from: the database and the secret, and optionally
 * logs, static files, rate limits, proxies and where webhooks may point.
 *
 * @example
 * const options: AppOptions = {
 *   db: database.db,
 *   secret: await loadSecret(database.db),
 *   rateLimit: { perIp: { limit: 20, windowSeconds: 60 } },
 *   trustProxy: 1,
 * }
 * const app = createApp(options)
 */
export interface AppOptions {
  /** The database, from `openDatabase` (migrated). */
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
   * Called with the site's id after each new complaint committed (not on a
   * replay): `startServer` hands it to the early-warning worker.
   */
  onComplaint?: ((siteId: string) => void) | undefined
  /**
   * Where webhook endpoints may point (checked when one is saved).
   * @default outboundPolicy(): REDRESS_WEBHOOK_ALLOW and the system resolver
   */
  outbound?: OutboundPolicy | undefined
  /**
   * Where customers' photos are stored (`fsBlobStore`, `s3BlobStore`);
   * without one the server takes no photos. `startServer` always gives one.
   */
  blobs?: BlobStore | undefined
  /** The admin API's timing (the live stream's poll and heartbeat). @default its own */
  admin?: Pick<AdminOptions, 'liveIntervalMs' | 'liveHeartbeatMs' | 'liveMaxStreams'> | undefined
}

type Env = { Variables: RequestIdVariables }

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
  const { db } = options
  const log = options.log === false ? () => {} : (options.log ?? jsonLogger)
  const app = new Hono<Env>()
  // A bad proxy range fails here, at start, not on every complaint.
  checkTrustProxy(options.trustProxy)

  // A fresh id for every request. No header name: Hono's would adopt an
  // X-Request-Id the client sent, letting a caller choose the id our logs file
  // its request under; the logger below sends ours back instead.
  app.use(requestId({ headerName: '' }))

  // Ours, not hono/logger: that one prints text lines through a print function,
  // and ours is one JSON object per request with its id, status and duration.
  app.use(async (c, next) => {
    const start = performance.now()
    await next()
    const requestId = c.get('requestId')
    c.header('x-request-id', requestId)
    log({
      level: 'info',
      msg: 'request',
      requestId,
      method: c.req.method,
      path: loggedPath(c.req.path),
      status: c.res.status,
      durationMs: Math.round((performance.now() - start) * 10) / 10,
    })
  })

  // The admin API is not for pages of other origins: no CORS headers at all, so a
  // browser lets only same-origin pages (the dashboard) read it, and a preflight
  // (which PATCH and any Authorization header need) gets no allowance.
  app.use('/v1/*', except('/v1/admin/*', publicCors))

  app.route(
    '/v1',
    publicApi(db, {
      secret: options.secret,
      rateLimit: options.rateLimit,
      trustProxy: options.trustProxy,
      minFillMs: options.minFillMs,
      onComplaint: options.onComplaint,
      blobs: options.blobs,
    }),
  )

  app.route(
    '/v1/admin',
    adminApi(db, {
      ...options.admin,
      secret: options.secret,
      trustProxy: options.trustProxy,
      log,
      rateLimit: options.rateLimit,
      outbound: options.outbound,
      blobs: options.blobs,
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
      path: loggedPath(c.req.path),
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
    return c.json(
      new ApiError(500, 'internal_error', 'Something went wrong on our side; try again').toJSON(),
      500,
    )
  })

  return app
}
