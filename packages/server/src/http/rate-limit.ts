/**
 * @module Rate limits for `POST /v1/complaints`, kept in the database so that
 * several stateless server processes on one PostgreSQL share them: fixed-window
 * counters per client IP (per site) and per site, in `rate_limit_counters`
 * (migration 3), each bumped with one atomic `INSERT … ON CONFLICT DO UPDATE
 * … RETURNING count`.
 */
import { parseAdmin, RateLimitsSchema } from '@redress/protocol/admin'
import type { Context } from 'hono'
import { type Kysely, sql } from 'kysely'
import { ipv6Groups } from '../_lib/ip'
import type { Site, Tables } from '../db/schema'
import { clientAddress, type TrustProxy } from './client-address'
import { ApiError } from './errors'

// The per-IP key's source, exported here too for anything else that counts by client.
export { clientAddress, parseTrustProxy, type TrustProxy } from './client-address'

/**
 * At most `limit` requests per window of `windowSeconds`.
 *
 * @example
 * const burst: RateLimit = { limit: 30, windowSeconds: 10 }
 */
export interface RateLimit {
  limit: number
  /** 1 to 86 400 (a day). @default 60 */
  windowSeconds?: number
}

/**
 * The limits of one site. `false` turns a scope off. The same shape is the
 * JSON in `sites.rate_limits`, merged scope by scope over the server's.
 *
 * @example
 * const limits: RateLimits = { perIp: { limit: 20 }, perSite: false }
 */
export interface RateLimits {
  /** New complaints per client IP (an IPv6 address counts by its /64) for one site. @default 10 a minute */
  perIp?: RateLimit | false
  /** New complaints per site, all clients together. @default 600 a minute */
  perSite?: RateLimit | false
}

/**
 * The server's rate limits on new complaints (`createApp`'s and
 * `startServer`'s `rateLimit`): the limits each site starts from, and the
 * counting's clock and housekeeping.
 *
 * @example
 * const app = createApp({ db, secret, rateLimit: { perIp: { limit: 5, windowSeconds: 60 }, pruneEvery: 500 } })
 */
export interface RateLimitOptions extends RateLimits {
  /** The clock, in epoch milliseconds (tests move it instead of sleeping). @default Date.now */
  now?: () => number
  /** Delete windows older than a day once every this many counted requests (per process). @default 1000 */
  pruneEvery?: number
}

/**
 * The limits when neither the server nor the site sets any: 10 new complaints
 * a minute per client IP (per site), 600 a minute per site.
 *
 * @example
 * const rateLimit: RateLimitOptions = { ...DEFAULT_RATE_LIMITS, perSite: { limit: 2000 } }
 */
export const DEFAULT_RATE_LIMITS: Required<RateLimits> = {
  perIp: { limit: 10, windowSeconds: 60 },
  perSite: { limit: 600, windowSeconds: 60 },
}

const DAY_MS = 86_400_000

/**
 * One scope's limit from stored or configured JSON, by the rule the admin API
 * stores it under (`RateLimitsSchema`): the limit with its window, `false`
 * (off; `null` too), or `undefined` when it is not one (the default holds then).
 */
function readLimit(
  scope: 'perIp' | 'perSite',
  value: unknown,
): Required<RateLimit> | false | undefined {
  if (value === null) return false
  if (value === undefined) return undefined
  const result = parseAdmin(RateLimitsSchema, { [scope]: value })
  return result.ok ? result.value[scope] : undefined
}

/** The server's limits with the site's `rate_limits` merged over them, scope by scope. */
export function effectiveRateLimits(
  defaults: RateLimits,
  site: Pick<Site, 'rate_limits'>,
): { perIp: Required<RateLimit> | false; perSite: Required<RateLimit> | false } {
  const own = (site.rate_limits ?? {}) as Record<string, unknown>
  const pick = (scope: 'perIp' | 'perSite') =>
    readLimit(scope, own[scope]) ??
    readLimit(scope, defaults[scope] ?? DEFAULT_RATE_LIMITS[scope]) ??
    (DEFAULT_RATE_LIMITS[scope] as Required<RateLimit>)
  return { perIp: pick('perIp'), perSite: pick('perSite') }
}

/**
 * The key a client is counted under: an IPv4 address as is (also when mapped
 * into IPv6, `::ffff:1.2.3.4`), an IPv6 address by its /64, since one
 * customer's network gets a whole /64 and could rotate addresses within it.
 *
 * @example
 * clientKey('::ffff:127.0.0.1')          // '127.0.0.1'
 * clientKey('2001:db8:1:2:aaaa::1')      // '2001:db8:1:2::/64'
 */
export function clientKey(address: string): string {
  const trimmed = address
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '')
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(trimmed)) return trimmed
  const groups = ipv6Groups(trimmed)
  if (!groups) return trimmed.toLowerCase().slice(0, 100)
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`
}

/**
 * Count one request in a counter's window and return the count so far: one
 * atomic bump, so concurrent requests each get a distinct count, never a
 * stale read.
 *
 * @example
 * const attempts = await countHit(db, 'sign_in_ip', clientKey(address), windowStart)
 */
export async function countHit(
  db: Kysely<Tables>,
  scope: 'ip' | 'site' | 'sign_in_ip' | 'sign_in_account',
  key: string,
  windowStart: Date,
): Promise<number> {
  const result = await sql<{ count: number }>`
    INSERT INTO rate_limit_counters (scope, key, window_start, count)
    VALUES (${scope}, ${key}, ${windowStart}, 1)
    ON CONFLICT (scope, key, window_start)
    DO UPDATE SET count = rate_limit_counters.count + 1
    RETURNING count`.execute(db)
  return Number(result.rows[0]!.count)
}

/** One counter's window, relative to `now`. */
export function windowOf(now: number, limit: Required<RateLimit>) {
  const size = limit.windowSeconds * 1000
  const start = Math.floor(now / size) * size
  return { start: new Date(start), retryAfter: Math.max(1, Math.ceil((start + size - now) / 1000)) }
}

/**
 * Counts `POST /v1/complaints` against the limits and throws
 * `429 rate_limited` (with `Retry-After`) when one is exceeded. Call it after
 * the request is validated and its site and origin checked, before the
 * complaint's transaction.
 */
export function rateLimiter(db: Kysely<Tables>, options: RateLimitOptions = {}) {
  const now = options.now ?? Date.now
  const pruneEvery = Math.max(1, options.pruneEvery ?? 1000)
  let counted = 0

  const bump = (scope: 'ip' | 'site', key: string, windowStart: Date) =>
    countHit(db, scope, key, windowStart)

  const alreadyStored = async (site: Site, idempotencyKey: string) =>
    (await db
      .selectFrom('complaints')
      .select('id')
      .where('site_id', '=', site.id)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst()) !== undefined

  const prune = async (at: number) => {
    try {
      await db
        .deleteFrom('rate_limit_counters')
        .where('window_start', '<', new Date(at - DAY_MS))
        .execute()
    } catch {
      // Pruning is housekeeping: the next attempt will catch up.
    }
  }

  return async function check(
    c: Context,
    input: { site: Site; idempotencyKey: string; trustProxy?: TrustProxy | undefined },
  ): Promise<void> {
    const { site, idempotencyKey } = input
    const limits = effectiveRateLimits(options, site)
    if (!limits.perIp && !limits.perSite) return
    const at = now()
    if (++counted % pruneEvery === 0) await prune(at)

    // Every request is counted, replays included (a replay is work too, and
    // looking the key up first would cost every request a read). Only when a
    // limit says no is the key looked up: a complaint that is already stored
    // always gets its receipt (200, or 409 for another body), so a client that
    // retries after losing our reply is never kept from it by a limit.
    const refuse = async (scope: string, limit: Required<RateLimit>, retryAfter: number) => {
      if (await alreadyStored(site, idempotencyKey)) return
      throw new ApiError(
        429,
        'rate_limited',
        `Too many complaints ${scope} (at most ${limit.limit} in ${limit.windowSeconds} s); try again in ${retryAfter} s`,
        { headers: { 'retry-after': String(retryAfter) } },
      )
    }

    // The IP first: a request refused for its IP does not use up the site's
    // allowance, so one noisy client cannot lock everyone else out.
    if (limits.perIp) {
      const window = windowOf(at, limits.perIp)
      const key = `${site.id} ${clientKey(clientAddress(c, input.trustProxy))}`
      if ((await bump('ip', key, window.start)) > limits.perIp.limit) {
        return refuse('from your network', limits.perIp, window.retryAfter)
      }
    }
    if (limits.perSite) {
      const window = windowOf(at, limits.perSite)
      if ((await bump('site', site.id, window.start)) > limits.perSite.limit) {
        return refuse('for this site', limits.perSite, window.retryAfter)
      }
    }
  }
}
