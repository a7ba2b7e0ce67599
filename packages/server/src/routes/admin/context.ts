/**
 * @module What every admin route group shares: the admin token check, the
 * site it puts on the context, the options, and the few lookups more than one
 * group makes. Route files import these from here, never from `index.ts`.
 */
import type { SiteChange } from '@redress/protocol/admin'
import type { MiddlewareHandler } from 'hono'
import type { Kysely } from 'kysely'
import { matchesHash, sha256 } from '../../_lib/crypto'
import type { ComplaintRow, Site, Tables } from '../../db/schema'
import { ApiError, bearer, type Logger, type RateLimitOptions } from '../../http'
import type { OutboundPolicy } from '../../outbox'

/** The admin API's Hono environment: the site the admin token belongs to. */
export type AdminEnv = { Variables: { site: Site } }

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

/**
 * The site whose admin token this is, or `undefined`. Looked up by the
 * token's SHA-256 (an index lookup on a hash reveals nothing about the
 * token), then compared with the stored hash in constant time.
 *
 * @example
 * const site = await siteByAdminToken(db, bearer(c))
 * if (!site) throw new ApiError(401, 'unauthorized', '…')
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

/**
 * The middleware in front of every admin route: `401` without the site's
 * admin token, else the site on the context and `Cache-Control: no-store`
 * (admin answers are never for shared caches).
 *
 * @example
 * const admin = new Hono<AdminEnv>()
 * admin.use('*', requireAdminToken(db))
 */
export function requireAdminToken(db: Kysely<Tables>): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
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
  }
}

/**
 * The site's complaint `id` (as `IdParamsSchema` checked it), or `404
 * not_found` (also for another site's). With `lock`, the row is locked for
 * the rest of the caller's transaction.
 *
 * @example
 * const row = await db.transaction().execute((trx) => findOwn(trx, site, id, true))
 */
export async function findOwn(
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

/**
 * Append to the site's audit trail (`GET /v1/admin/site/changes`), in the caller's transaction.
 *
 * @example
 * await recordSiteChange(trx, site.id, { origins: { before: [], after: ['https://shop.example'] } })
 */
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
