/**
 * @module The public routes: wire protocol v1 (`publicApi`, to mount at
 * `/v1`) and, for `redress serve`, the widget, dashboard and demo files.
 */
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import { complaintRoutes, type PublicOptions } from './complaints'
import { siteConfigRoutes } from './site'
import { statusPageRoutes } from './status-page'

export type { PublicOptions } from './complaints'
export { type StaticOptions, staticRoutes } from './static'

/**
 * Wire protocol v1's routes, to mount at `/v1`. CORS is not here: it goes in
 * front of `/v1/*` (see `publicCors`), where the app also leaves the admin
 * API out of it.
 *
 * @example
 * app.route('/v1', publicApi(db, { secret }))
 */
export function publicApi(db: Kysely<Tables>, options: PublicOptions): Hono {
  return new Hono()
    .route('/', complaintRoutes(db, options))
    .route('/', siteConfigRoutes(db, options))
    .route('/', statusPageRoutes(db, options))
}
