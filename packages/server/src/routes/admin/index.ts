/**
 * @module The admin API under `/v1/admin`: the site's admin token as a bearer
 * token identifies the site, and every query is scoped to it. No CORS: only
 * same-origin pages (and servers, curl) may use it.
 */
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import { alertRoutes } from './alerts'
import { attachmentRoutes } from './attachments'
import { complaintRoutes } from './complaints'
import { type AdminEnv, type AdminOptions, requireAdmin } from './context'
import { couponPoolRoutes } from './coupon-pool'
import { exportRoutes } from './export'
import { insightRoutes } from './insights'
import { liveRoutes } from './live'
import { noticeRoutes } from './notices'
import { remedyRoutes } from './remedies'
import { replyRoutes } from './replies'
import { sessionRoutes } from './session'
import { siteRoutes } from './site'
import { teamRoutes } from './team'
import { verificationRoutes } from './verification'
import { webhookRoutes } from './webhooks'

export type { AdminEnv, AdminOptions } from './context'
export { endLiveStreams } from './live'

/**
 * The admin routes, to mount at `/v1/admin`. The admin token is checked in
 * front of every route group, so a group only reads `c.get('site')`.
 *
 * @example
 * const app = new Hono()
 * app.route('/v1/admin', adminApi(db, { log: jsonLogger }))
 * // GET /v1/admin/complaints with Authorization: Bearer <the site's admin token>
 */
export function adminApi(db: Kysely<Tables>, options: AdminOptions = {}): Hono<AdminEnv> {
  const admin = new Hono<AdminEnv>()
  admin.use('*', requireAdmin(db, options))

  admin
    .route('/', sessionRoutes(db, options))
    .route('/', teamRoutes(db, options))
    .route('/', complaintRoutes(db, options.blobs))
    .route('/', exportRoutes(db))
    .route('/', siteRoutes(db, options))
    .route('/', webhookRoutes(db, options))
    .route('/', replyRoutes(db))
    .route('/', liveRoutes(db, options))
    .route('/', couponPoolRoutes(db))
    .route('/', remedyRoutes(db))
    .route('/', insightRoutes(db, options))
    .route('/', verificationRoutes(db))
    .route('/', alertRoutes(db))
    .route('/', noticeRoutes(db))
  if (options.blobs) admin.route('/', attachmentRoutes(db, options.blobs))
  return admin
}
