/**
 * @module The site's webhook endpoints in the admin API: listing, creating
 * and disabling them (`/v1/admin/webhooks`), their deliveries, replaying one
 * (`POST /v1/admin/deliveries/{id}/replay`) and a test send
 * (`POST /v1/admin/webhooks/{id}/test`).
 */
import {
  type CreatedWebhook,
  IdParamsSchema,
  LimitQuerySchema,
  WebhookCreateSchema,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '@redress/protocol/admin'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { iso } from '../../complaints'
import type { Site, Tables, WebhookDeliveryRow, WebhookEndpointRow } from '../../db/schema'
import { ApiError, invalid, readJson, valid } from '../../http'
import {
  ALLOW_HINT,
  createWebhookEndpoint,
  enqueueTestWebhook,
  explainRefusal,
  type OutboundPolicy,
  outboundPolicy,
  replayDelivery,
  resolveOutbound,
} from '../../outbox'
import { type AdminEnv, type AdminOptions, recordSiteChange } from './context'

const endpointView = (row: WebhookEndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  types: row.event_types,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  createdAt: iso(row.created_at as unknown as Date),
})

const deliveryView = (row: WebhookDeliveryRow): WebhookDelivery => ({
  id: row.id,
  type: row.event_type,
  status: row.status,
  attempts: row.attempts,
  lastStatus: row.last_status,
  lastError: row.last_error,
  nextAttemptAt: iso(row.next_attempt_at),
  createdAt: iso(row.created_at as unknown as Date),
  deliveredAt: row.delivered_at ? iso(row.delivered_at) : null,
})

/** How long saving an endpoint waits for its host's addresses before taking it unchecked. */
const SAVE_LOOKUP_MS = 5000

/**
 * Refuse an endpoint whose host is, or resolves to, an address webhooks may
 * not reach. This is early feedback for the admin; the guard that holds is
 * the worker's, which checks again at every delivery and connects only to
 * what it checked. So a name that does not resolve (yet) is saved: its
 * deliveries fail until it does.
 */
async function checkEndpointUrl(url: string, outbound: OutboundPolicy): Promise<void> {
  const target = await resolveOutbound(new URL(url), outbound, AbortSignal.timeout(SAVE_LOOKUP_MS))
  if (target.outcome !== 'refused') return
  const { refusal } = target
  const subject = refusal.literal ? 'url' : "url's host"
  throw invalid(`${subject} ${explainRefusal(refusal)}; ${ALLOW_HINT}`, 'url')
}

async function ownEndpoint(db: Kysely<Tables>, site: Site, id: string) {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', id)
    .where('site_id', '=', site.id)
    .executeTakeFirst()
  if (!row) throw new ApiError(404, 'not_found', `No webhook endpoint ${id}`)
  return row
}

/**
 * The webhook routes, a sub-app for the admin API (which has authenticated the site).
 *
 * @example
 * admin.route('/', webhookRoutes(db, { outbound: outboundPolicy() }))
 * // POST /v1/admin/webhooks { "url": "https://hooks.example/redress" } → 201 the endpoint and its secret, shown once
 */
export function webhookRoutes(
  db: Kysely<Tables>,
  options: Pick<AdminOptions, 'log' | 'outbound' | 'now'> = {},
): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()
  const log = options.log ?? (() => {})
  const outbound = options.outbound ?? outboundPolicy()
  const now = options.now ?? (() => new Date())

  routes.get('/webhooks', async (c) => {
    const rows = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('site_id', '=', c.get('site').id)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return c.json({ items: rows.map(endpointView) })
  })

  routes.post('/webhooks', async (c) => {
    const { url, types } = valid(WebhookCreateSchema, await readJson(c))
    await checkEndpointUrl(url, outbound)
    const site = c.get('site')
    const { id, secret } = await db.transaction().execute(async (trx) => {
      const created = await createWebhookEndpoint(trx, site.id, url, types)
      await recordSiteChange(
        trx,
        site.id,
        {
          webhooks: { before: null, after: { id: created.id, url, types } },
        },
        c.get('actor'),
      )
      return created
    })
    log({ level: 'info', msg: 'webhook endpoint created', siteId: site.id, changed: [id] })
    // The secret is shown here once; nothing else ever returns it.
    return c.json(
      { ...endpointView(await ownEndpoint(db, site, id)), secret } satisfies CreatedWebhook,
      201,
    )
  })

  routes.delete('/webhooks/:id', async (c) => {
    const site = c.get('site')
    const endpoint = await ownEndpoint(db, site, valid(IdParamsSchema, c.req.param()).id)
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('webhook_endpoints')
        .set({
          enabled: false,
          disabled_reason: endpoint.enabled
            ? `disabled by the site admin at ${new Date().toISOString()}`
            : endpoint.disabled_reason,
        })
        .where('id', '=', endpoint.id)
        .execute()
      // What was still waiting will not be sent (replay is refused while disabled).
      await trx
        .updateTable('webhook_deliveries')
        .set({ status: 'disabled', last_error: 'endpoint disabled by the site admin' })
        .where('endpoint_id', '=', endpoint.id)
        .where('status', '=', 'pending')
        .execute()
      if (endpoint.enabled)
        await recordSiteChange(
          trx,
          site.id,
          {
            webhooks: { before: { id: endpoint.id, url: endpoint.url }, after: null },
          },
          c.get('actor'),
        )
    })
    log({
      level: 'info',
      msg: 'webhook endpoint disabled',
      siteId: site.id,
      changed: [endpoint.id],
    })
    return c.json(endpointView(await ownEndpoint(db, site, endpoint.id)))
  })

  routes.get('/webhooks/:id/deliveries', async (c) => {
    const { limit } = valid(LimitQuerySchema, c.req.query())
    const endpoint = await ownEndpoint(db, c.get('site'), valid(IdParamsSchema, c.req.param()).id)
    const rows = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpoint.id)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute()
    return c.json({ items: rows.map(deliveryView) })
  })

  routes.post('/deliveries/:id/replay', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    const site = c.get('site')
    const own = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.id', 'e.enabled'])
      .where('d.id', '=', id)
      .where('e.site_id', '=', site.id)
      .executeTakeFirst()
    if (!own) throw new ApiError(404, 'not_found', `No delivery ${id}`)
    if (!own.enabled || !(await replayDelivery(db, id))) {
      throw new ApiError(409, 'conflict', 'The endpoint is disabled; create a new one to deliver')
    }
    return c.json({ id, status: 'pending' }, 202)
  })

  routes.post('/webhooks/:id/test', async (c) => {
    const site = c.get('site')
    const { id } = valid(IdParamsSchema, c.req.param())
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

  return routes
}
