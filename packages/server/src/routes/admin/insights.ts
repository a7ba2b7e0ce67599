/**
 * @module The dashboard's insights: `GET /v1/admin/insights`, computed by the
 * insights module over the site's complaints.
 */
import { InsightsQuerySchema } from '@redress/protocol/admin'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import { valid } from '../../http'
import { computeInsights } from '../../insights'
import type { AdminEnv, AdminOptions } from './context'

/**
 * The insights route, a sub-app for the admin API (which has authenticated the site).
 *
 * @example
 * admin.route('/', insightRoutes(db, { now: () => new Date('2025-06-01T12:00:00Z') }))
 * // GET /v1/admin/insights?days=30 → 200 the site's insights over the last 30 days
 */
export function insightRoutes(
  db: Kysely<Tables>,
  options: Pick<AdminOptions, 'now'> = {},
): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()
  const now = options.now ?? (() => new Date())

  routes.get('/insights', async (c) => {
    const { days } = valid(InsightsQuerySchema, c.req.query())
    return c.json(await computeInsights(db, c.get('site'), { days, now: now() }))
  })

  return routes
}
