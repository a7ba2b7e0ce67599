/**
 * @module What every admin route group shares: who acts (a token or a
 * signed-in person) and whether they may, the site it puts on the context,
 * the options, and the few lookups more than one group makes. Route files import these from here, never from `index.ts`.
 */
import type { ActorRef, SiteChange } from '@redress/protocol/admin'
import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { Kysely } from 'kysely'
import type { BlobStore } from '../../blobs/types'
import type { ComplaintRow, Site, Tables } from '../../db/schema'
import { ApiError, bearer, type Logger, type RateLimitOptions } from '../../http'
import type { TrustProxy } from '../../http/client-address'
import type { OutboundPolicy } from '../../outbox'
import {
  type Actor,
  can,
  capabilityFor,
  checkCsrf,
  FIRST_ROLE,
  SESSION_COOKIE,
  sessionUser,
  tokenActor,
} from '../../people'

/** The admin API's Hono environment: the site, and who acts on it. */
export type AdminEnv = { Variables: { site: Site; actor: Actor } }

export interface AdminOptions {
  /** Where site changes are logged. @default none */
  log?: Logger | undefined
  /** Where customers' photos are stored, to serve them to the team. */
  blobs?: BlobStore | undefined
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
  /** The clock of insights ("today"), sessions and webhook test sends; tests fix it. @default () => new Date() */
  now?: (() => Date) | undefined
  /**
   * Where webhook endpoints may point: checked when one is saved (and again by
   * the worker at every delivery). @default outboundPolicy()
   */
  outbound?: OutboundPolicy | undefined
  /** The server secret: CSRF tokens are derived from it. */
  secret?: string | undefined
  /** How far `X-Forwarded-For` is trusted, for the sign-in limits per address. @default false */
  trustProxy?: TrustProxy | undefined
}

/**
 * The site whose admin token this is, or `undefined`. Looked up by the
 * token's SHA-256 (an index lookup on a hash reveals nothing about the
 * token), then compared with the stored hash in constant time.
 *
 * @example
 * const site = await siteByAdminToken(db, bearer(c))
 */
export async function siteByAdminToken(
  db: Kysely<Tables>,
  token: string | undefined,
): Promise<Site | undefined> {
  const found = token?.startsWith('rdt_') ? undefined : await tokenActor(db, token, new Date())
  return found?.site
}

/** Paths under `/v1/admin` anyone may reach: signing in, and accepting a link. */
const OPEN_PATHS = new Set(['/session', '/session/link', '/session/link/use', '/invites/accept'])

const unauthorized = () =>
  new ApiError(
    401,
    'unauthorized',
    'Sign in, or send an admin or API token as Authorization: Bearer …',
    { headers: { 'www-authenticate': 'Bearer' } },
  )

/** Whether a browser's `Origin` names this server's host (a malformed or opaque one does not). */
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

const describeActor = (actor: Actor) =>
  actor.kind === 'user'
    ? `${actor.name} (${actor.role})`
    : actor.kind === 'token'
      ? `The token "${actor.name}" (${actor.scopes.join(', ')})`
      : 'The admin token'

/**
 * The middleware in front of every admin route. Who acts: a bearer token
 * (the site's admin token, or an API token), else the session cookie of a
 * signed-in person, whose requests that change something must also come
 * from this server's pages and carry the session's CSRF token; none of them
 * is `401`. What they may: the route's capability (`capabilityFor`), else
 * `403 forbidden`. Puts the site and the actor on the context and marks the
 * answer `Cache-Control: no-store`.
 *
 * @example
 * admin.use('*', requireAdmin(db, { secret }))
 */
export function requireAdmin(
  db: Kysely<Tables>,
  options: Pick<AdminOptions, 'secret' | 'now'> = {},
): MiddlewareHandler<AdminEnv> {
  const now = options.now ?? (() => new Date())
  return async (c, next) => {
    c.header('cache-control', 'no-store')
    const path = c.req.path.replace(/^\/v1\/admin/, '') || '/'
    if (OPEN_PATHS.has(path)) return next()
    const at = now()
    let site: Site | undefined
    let actor: Actor | undefined
    const presented = bearer(c)
    if (presented) {
      const found = await tokenActor(db, presented, at)
      if (!found) throw unauthorized()
      ;({ site, actor } = found)
    } else {
      const cookie = getCookie(c, SESSION_COOKIE)
      const found = await sessionUser(db, cookie, at)
      if (!found) throw unauthorized()
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        const origin = c.req.header('origin')
        if (origin && !sameHost(origin, c.req.header('host')))
          throw new ApiError(403, 'forbidden', 'A change must come from this server’s own pages')
        if (!options.secret || !checkCsrf(options.secret, cookie!, c.req.header('x-csrf-token')))
          throw new ApiError(403, 'forbidden', 'Send the session’s CSRF token as X-CSRF-Token')
      }
      site = await db
        .selectFrom('sites')
        .selectAll()
        .where('id', '=', found.user.site_id)
        .executeTakeFirstOrThrow()
      const { user } = found
      actor = {
        kind: 'user',
        id: user.id,
        name: user.name,
        role: user.role,
        remedyLimit: user.remedy_limit === null ? null : Number(user.remedy_limit),
        dayLimit: user.day_limit === null ? null : Number(user.day_limit),
        session: found.hash,
      }
    }
    const capability = capabilityFor(c.req.method, path)
    if (!can(actor, capability))
      throw new ApiError(
        403,
        'forbidden',
        `${describeActor(actor)} may not do this: it needs ${FIRST_ROLE[capability]}`,
      )
    c.set('site', site)
    c.set('actor', actor)
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
 * await recordSiteChange(trx, site.id, { origins: { before: [], after: ['https://shop.example'] } }, c.get('actor'))
 */
export async function recordSiteChange(
  trx: Kysely<Tables>,
  siteId: string,
  changes: SiteChange['changes'],
  by?: Actor | undefined,
): Promise<void> {
  await trx
    .insertInto('site_changes')
    .values({
      site_id: siteId,
      changes: JSON.stringify(changes),
      by: by ? JSON.stringify(actorRef(by)) : null,
    })
    .execute()
}

/**
 * Who an actor is, as the audit trail and the timeline name them.
 *
 * @example
 * actorRef(c.get('actor')) // { kind: 'user', id: 'usr_…', name: 'Ana' }
 */
export const actorRef = (actor: Actor): ActorRef => ({
  kind: actor.kind,
  id: actor.id,
  name: actor.name,
})
