/**
 * @module Webhook endpoints and the outbox they are fed from (Standard
 * Webhooks). Events are written to `webhook_deliveries` in the transaction of
 * the change that caused them (so an event exists exactly when its change
 * committed), one row per enabled endpoint of the site subscribed to the type;
 * the worker in `delivery.ts` sends them.
 */
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@redress/protocol/admin'
import type { Kysely, Transaction } from 'kysely'
import { webhookEndpointId, webhookMessageId, webhookSecret } from '../_lib/crypto'
import type { Site, Tables } from '../db/schema'

// The event types are the admin API's (the dashboard offers them); re-exported for the server's API.
export { WEBHOOK_EVENT_TYPES, type WebhookEventType }

/**
 * The body of every webhook (Standard Webhooks payload structure).
 *
 * @example
 * const payload = JSON.parse(body) as WebhookPayload
 * if (payload.type === 'complaint.created') console.log(payload.data.reference)
 */
export interface WebhookPayload {
  type: WebhookEventType
  /** When the event happened, ISO 8601. */
  timestamp: string
  data: Record<string, unknown>
}

// ---------------------------------------------------------------------------
// Endpoints

/**
 * Register an endpoint for a site. Returns the
 * endpoint's id and its secret, which the receiver needs to verify signatures.
 *
 * @example
 * const { id, secret } = await createWebhookEndpoint(db, site.id, 'https://shop.example/hooks/redress')
 */
export async function createWebhookEndpoint(
  db: Kysely<Tables>,
  siteId: string,
  url: string,
  types: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES,
): Promise<{ id: string; secret: string }> {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new TypeError(`A webhook URL must be http(s): ${url}`)
  if (parsed.username || parsed.password)
    throw new TypeError('A webhook URL must not carry credentials')
  for (const type of types) {
    if (!WEBHOOK_EVENT_TYPES.includes(type)) throw new TypeError(`Unknown webhook event: ${type}`)
  }
  const id = webhookEndpointId()
  const secret = webhookSecret()
  await db
    .insertInto('webhook_endpoints')
    .values({
      id,
      site_id: siteId,
      url: parsed.href,
      secret,
      event_types: JSON.stringify([...new Set(types)]),
    })
    .execute()
  return { id, secret }
}

// ---------------------------------------------------------------------------
// Enqueueing (inside the transaction of the change)

/** An endpoint that may get an event, with its site's public key for the payload. */
type Endpoint = { id: string; event_types: string[] }

/**
 * Enabled endpoints per site, read once per transaction: ingest enqueues up
 * to four events in one transaction, and most sites have no endpoint at all.
 */
const endpointCache = new WeakMap<object, Map<string, Promise<Endpoint[]>>>()

function enabledEndpoints(trx: Transaction<Tables>, siteId: string): Promise<Endpoint[]> {
  let perSite = endpointCache.get(trx)
  if (!perSite) {
    perSite = new Map()
    endpointCache.set(trx, perSite)
  }
  let endpoints = perSite.get(siteId)
  if (!endpoints) {
    endpoints = trx
      .selectFrom('webhook_endpoints')
      .select(['id', 'event_types'])
      .where('site_id', '=', siteId)
      .where('enabled', '=', true)
      .orderBy('id')
      .execute()
    perSite.set(siteId, endpoints)
  }
  return endpoints
}

/**
 * Write one delivery per endpoint of the site subscribed to `type`, in the
 * caller's transaction. `build` runs only when there is one; its
 * `complaintId` and `reference` come first in `data`, then `site` (the site's
 * public key: `publicKey`, else the endpoints' site's), then the rest, a
 * stable key order receivers may rely on. Returns the deliveries' ids.
 *
 * @example
 * await enqueue(trx, site.id, 'recovery.issued', () => ({ complaintId, reference, recoveryId }))
 */
export async function enqueue(
  trx: Transaction<Tables>,
  siteId: string,
  type: WebhookEventType,
  build: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  publicKey?: string,
): Promise<string[]> {
  const endpoints = (await enabledEndpoints(trx, siteId)).filter((endpoint) =>
    endpoint.event_types.includes(type),
  )
  if (endpoints.length === 0) return []
  const now = new Date()
  const data = await build()
  // Read only now: most sites have no endpoint, and ingest should not pay for it.
  const site =
    publicKey ??
    (
      await trx
        .selectFrom('sites')
        .select('public_key')
        .where('id', '=', siteId)
        .executeTakeFirstOrThrow()
    ).public_key
  const payload: WebhookPayload = {
    type,
    timestamp: now.toISOString(),
    data: { complaintId: data.complaintId, reference: data.reference, site, ...data },
  }
  const body = JSON.stringify(payload)
  const rows = endpoints.map((endpoint) => ({
    id: webhookMessageId(),
    endpoint_id: endpoint.id,
    event_type: type,
    payload: body,
    next_attempt_at: now,
  }))
  await trx.insertInto('webhook_deliveries').values(rows).execute()
  return rows.map((row) => row.id)
}

/**
 * Enqueue an event for every enabled endpoint of the site subscribed to
 * `type`, in the caller's transaction: it is sent if and only if that
 * transaction commits. `data` gets the site's public key as `site`. Returns
 * the deliveries' ids (`msg_…`). A change of a complaint goes through `emit`
 * instead, which records it on the timeline too.
 *
 * @example
 * await enqueueWebhook(trx, site, 'complaint.resolved', {
 *   complaintId: complaint.id, reference: complaint.reference, resolvedAt: now.toISOString(),
 * })
 */
export function enqueueWebhook(
  trx: Transaction<Tables>,
  site: Pick<Site, 'id' | 'public_key'>,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<string[]> {
  return enqueue(trx, site.id, type, () => data, site.public_key)
}

/** The event type of a test send: nobody subscribes to it; it goes to one endpoint on request. */
export const WEBHOOK_TEST_TYPE = 'webhook.test'

/**
 * Enqueue one `webhook.test` delivery to one endpoint, whatever types it
 * subscribes to (`POST /v1/admin/webhooks/{id}/test`). The caller has checked,
 * in `trx`, that the endpoint is the site's and enabled. Returns the
 * delivery's id (`msg_…`); the worker signs and sends it like any other.
 *
 * @example
 * const id = await enqueueTestWebhook(trx, site, endpoint.id) // 'msg_…'
 */
export async function enqueueTestWebhook(
  trx: Kysely<Tables>,
  site: Pick<Site, 'public_key'>,
  endpointId: string,
  now: Date = new Date(),
): Promise<string> {
  const id = webhookMessageId()
  const payload = {
    type: WEBHOOK_TEST_TYPE,
    timestamp: now.toISOString(),
    data: { message: 'A test from Redress', site: site.public_key },
  }
  await trx
    .insertInto('webhook_deliveries')
    .values({
      id,
      endpoint_id: endpointId,
      event_type: WEBHOOK_TEST_TYPE,
      payload: JSON.stringify(payload),
      next_attempt_at: now,
    })
    .execute()
  return id
}
