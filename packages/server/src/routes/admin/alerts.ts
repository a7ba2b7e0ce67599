/**
 * @module Early-warning alerts in the admin API: `GET /v1/admin/alerts`
 * (newest first; `?dismissed=false` for those nobody put away) and `POST
 * /v1/admin/alerts/{id}/dismiss`. The complaints an alert counted are the
 * complaint list's `?alert=`.
 */
import { type AlertPage, AlertQuerySchema, IdParamsSchema } from '@redress/protocol/admin'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { alertView } from '../../alerts'
import type { Tables } from '../../db/schema'
import { ApiError, valid } from '../../http'
import type { AdminEnv } from './context'

/**
 * The alert routes, a sub-app for the admin API (which has authenticated the site).
 *
 * @example
 * admin.route('/', alertRoutes(db))
 * // GET /v1/admin/alerts?dismissed=false → { items: [{ id: 'alt_…', rule, group: 'delivery', count: 6, … }] }
 */
export function alertRoutes(db: Kysely<Tables>): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()

  routes.get('/alerts', async (c) => {
    const { limit, dismissed } = valid(AlertQuerySchema, c.req.query())
    let query = db
      .selectFrom('alerts')
      .selectAll()
      .where('site_id', '=', c.get('site').id)
      .orderBy('raised_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
    if (dismissed !== undefined)
      query = query.where('dismissed_at', dismissed ? 'is not' : 'is', null)
    const page: AlertPage = { items: (await query.execute()).map(alertView) }
    return c.json(page)
  })

  routes.post('/alerts/:id/dismiss', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    // The first dismissal's time stands; dismissing again answers the same.
    const row = await db
      .updateTable('alerts')
      .set((eb) => ({ dismissed_at: eb.fn.coalesce('dismissed_at', eb.val(new Date())) }))
      .where('site_id', '=', c.get('site').id)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    if (!row) throw new ApiError(404, 'not_found', `No alert ${id}`)
    return c.json(alertView(row))
  })

  return routes
}
