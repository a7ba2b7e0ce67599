/**
 * @module The dashboard's insights (`GET /v1/admin/insights`, computed in
 * `insights.ts`) and the webhook test send (`POST /v1/admin/webhooks/{id}/test`).
 */
import type { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import { ApiError } from '../../http/errors'
import { computeInsights, INSIGHT_DAYS, parseDays } from '../../insights/insights'
import { enqueueTestWebhook } from '../../outbox/webhooks'
import { type AdminEnv, type AdminOptions, invalid } from './admin'

/** Register the routes on the admin API (`/v1/admin`). */
export function insightRoutes(
  admin: Hono<AdminEnv>,
  db: Kysely<Tables>,
  options: Pick<AdminOptions, 'now'> = {},
): void {
  const now = options.now ?? (() => new Date())

  admin.get('/insights', async (c) => {
    const days = parseDays(c.req.query('days'))
    if (days === undefined)
      throw invalid(
        `days is a whole number from ${INSIGHT_DAYS.min} to ${INSIGHT_DAYS.max}`,
        'days',
      )
    return c.json(await computeInsights(db, c.get('site'), { days, now: now() }))
  })

  admin.post('/webhooks/:id/test', async (c) => {
    const site = c.get('site')
    const id = c.req.param('id')
    const delivery = await db.transaction().execute(async (trx) => {
      // Shared lock: a concurrent DELETE (disable) waits, so no test is left pending on a disabled endpoint.
      const endpoint = await trx
        .selectFrom('webhook_endpoints')
        .select(['id', 'enabled'])
        .where('id', '=', id)
        .where('site_id', '=', site.id)
        .forShare()
        .executeTakeFirst()
      if (!endpoint) throw new ApiError(404, 'not_found', `No webhook endpoint ${id}`)
      if (!endpoint.enabled)
        throw new ApiError(409, 'conflict', 'The endpoint is disabled; create a new one to deliver')
      return enqueueTestWebhook(trx, site, endpoint.id, now())
    })
    return c.json({ id: delivery, status: 'pending' }, 202)
  })
}
