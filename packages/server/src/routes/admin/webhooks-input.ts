/**
 * @module The webhook endpoints' requests in the admin API: the body of
 * `POST /v1/admin/webhooks`. Throws `400 invalid_request` naming the field at fault.
 */
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@redress/protocol/admin'
import { clean, invalid } from '../../http'

const WEBHOOK_URL_MAX = 2000

/**
 * Check the body of `POST /v1/admin/webhooks`: an http(s) URL without
 * credentials, and the event types (all of them when left out). Whether the
 * URL's host may be reached is checked apart, since it needs a lookup.
 *
 * @example
 * parseEndpoint({ url: 'https://hooks.example/redress' }) // { url: '…', types: [...WEBHOOK_EVENT_TYPES] }
 * parseEndpoint({ url: 'ftp://hooks.example' }) // throws: url must be http(s)
 */
export function parseEndpoint(body: unknown): { url: string; types: WebhookEventType[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object', '')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!['url', 'types'].includes(key)) throw invalid(`Unknown field ${key}`, key)
  }
  const { url, types } = input
  if (typeof url !== 'string' || url.length > WEBHOOK_URL_MAX)
    throw invalid(`url is an http(s) URL of at most ${WEBHOOK_URL_MAX} characters`, 'url')
  clean(url, 'url')
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalid('url is not a URL', 'url')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw invalid('url must be http(s)', 'url')
  if (parsed.username || parsed.password) throw invalid('url must not carry credentials', 'url')
  if (types === undefined) return { url, types: [...WEBHOOK_EVENT_TYPES] }
  if (
    !Array.isArray(types) ||
    types.length === 0 ||
    !types.every((type) => WEBHOOK_EVENT_TYPES.includes(type as WebhookEventType))
  )
    throw invalid(`types is a non-empty array of ${WEBHOOK_EVENT_TYPES.join(', ')}`, 'types')
  return { url, types: types as WebhookEventType[] }
}
