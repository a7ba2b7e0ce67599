/**
 * @module Wire protocol v1's `GET /sites/:key`: the categories, guarantee
 * and known-issue notices a page may show; the widget asks once as it loads.
 */
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import { ApiError, checkOrigin } from '../../http'
import { publicNotices } from '../../notices'
import { findSite, siteConfig } from '../../sites'

/**
 * The site-config route, to mount at `/v1`. Shared caches may keep an answer
 * a minute, one copy per origin: the CORS middleware in front of `/v1` adds
 * `Vary: Origin` to every answer, refusals included.
 *
 * @example
 * app.route('/v1', siteConfigRoutes(db))
 * // GET /v1/sites/pk_demo → { categories, guarantee, notices }
 */
export function siteConfigRoutes(db: Kysely<Tables>): Hono {
  const routes = new Hono()
  routes.get('/sites/:key', async (c) => {
    const key = c.req.param('key')
    const site = await findSite(db, key)
    if (!site) throw new ApiError(404, 'not_found', `No site has the key ${key}`)
    checkOrigin(c, site)
    c.header('cache-control', 'public, max-age=60')
    return c.json({ ...siteConfig(site), notices: await publicNotices(db, site.id, new Date()) })
  })
  return routes
}
