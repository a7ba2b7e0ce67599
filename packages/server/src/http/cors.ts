/**
 * @module CORS for the public routes under `/v1`: Hono's `cors` names the
 * caller's origin on every answer, and `checkOrigin` refuses, per site, an
 * origin the site does not list.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { Site } from '../db/schema'
import { isOriginAllowed } from '../sites'
import { ApiError } from './errors'

// Each list is one pre-joined value: Hono joins list items with a bare ",",
// and clients have always seen these headers spelt with ", ".
const ALLOWED_HEADERS = ['content-type, idempotency-key, authorization']
const ALLOWED_METHODS = ['GET, POST, OPTIONS']
const EXPOSED_HEADERS = ['retry-after, x-request-id']
/** Chromium caps preflight caching at 2 hours. */
const PREFLIGHT_MAX_AGE = 7200

/**
 * The public routes' CORS: any origin is named back, errors included, so a
 * page can read why it was refused. Which origins may actually do something
 * is decided per site by `checkOrigin`, in the handlers: the site of a new
 * complaint is in its body, and a preflight carries no body at all, so no
 * middleware in front of the route can know it. A preflight gets its 204 here,
 * with the allowed methods and headers, and `Vary: Origin` goes on every
 * answer (so a shared cache keeps one copy per origin).
 *
 * @example
 * app.use('/v1/*', except('/v1/admin/*', publicCors))
 */
export const publicCors: MiddlewareHandler = cors({
  // `null` when the request has no Origin (servers, curl): no Allow-Origin then.
  origin: (origin) => origin || null,
  allowMethods: ALLOWED_METHODS,
  allowHeaders: ALLOWED_HEADERS,
  exposeHeaders: EXPOSED_HEADERS,
  maxAge: PREFLIGHT_MAX_AGE,
})

/**
 * Refuse the request with `403 origin_not_allowed` when it comes from a page
 * whose origin `site` does not list. Hono's `cors` cannot do this: the site
 * is known only inside the handler (from the body or the complaint), and the
 * refusal must be an error body the page can read, not a missing header.
 * Browsers send `Origin`; servers and curl usually do not, and are not
 * subject to CORS.
 *
 * @example
 * const site = await findSite(db, key)
 * checkOrigin(c, site) // throws 403 for https://evil.example
 */
export function checkOrigin(c: Context, site: Site): void {
  const origin = c.req.header('origin')
  if (origin === undefined) return
  if (!isOriginAllowed(origin, site.origins as string[])) {
    throw new ApiError(403, 'origin_not_allowed', `${origin} is not an allowed origin of this site`)
  }
}
