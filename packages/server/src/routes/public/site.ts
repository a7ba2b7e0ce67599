/**
 * @module Wire protocol v1's `GET /sites/:key`: the categories, guarantee
 * and known-issue notices a page may show; the widget asks once as it loads.
 * And `POST /sites/:key/deflections`: a form closed after a help link, which
 * the inbox counts as a complaint avoided.
 */
import { ATTACHMENT_TYPES, LIMITS } from '@redress/protocol'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import {
  ApiError,
  checkOrigin,
  clientAddress,
  clientKey,
  readBody,
  type TrustProxy,
} from '../../http'
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
export function siteConfigRoutes(
  db: Kysely<Tables>,
  options: { trustProxy?: TrustProxy | undefined; blobs?: unknown } = {},
): Hono {
  // Said only by a server that stores photos: a page then offers "Add a photo".
  const attachments = options.blobs
    ? {
        attachments: {
          max: LIMITS.attachments,
          maxBytes: LIMITS.attachmentBytes,
          types: [...ATTACHMENT_TYPES],
        },
      }
    : {}
  const routes = new Hono()
  routes.get('/sites/:key', async (c) => {
    const key = c.req.param('key')
    const site = await findSite(db, key)
    if (!site) throw new ApiError(404, 'not_found', `No site has the key ${key}`)
    checkOrigin(c, site)
    c.header('cache-control', 'public, max-age=60')
    return c.json({
      ...siteConfig(site),
      notices: await publicNotices(db, site.id, new Date()),
      ...attachments,
    })
  })

  // `{ category }` as JSON, sent as text/plain so that a closing page's
  // keepalive request needs no preflight. Counted once per client, category
  // and day whatever is sent, so nobody can inflate the figure past that; it
  // decides no money.
  routes.post('/sites/:key/deflections', async (c) => {
    const key = c.req.param('key')
    const site = await findSite(db, key)
    if (!site) throw new ApiError(404, 'not_found', `No site has the key ${key}`)
    checkOrigin(c, site)
    let category: unknown
    try {
      category = (JSON.parse(await readBody(c, { max: 1024 })) as { category?: unknown })?.category
    } catch (error) {
      if (error instanceof ApiError) throw error
    }
    const helped = (site.categories ?? []).find(
      (entry) => entry.id === category && entry.help && Object.keys(entry.help).length > 0,
    )
    if (!helped)
      throw new ApiError(
        400,
        'invalid_request',
        'category is one of the site’s categories with help',
        {
          field: 'category',
        },
      )
    await db
      .insertInto('help_deflections')
      .values({
        site_id: site.id,
        day: new Date().toISOString().slice(0, 10),
        category: helped.id,
        client_key: clientKey(clientAddress(c, options.trustProxy)),
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    return c.body(null, 204)
  })
  return routes
}
