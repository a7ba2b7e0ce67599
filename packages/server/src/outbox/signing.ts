/**
 * @module Standard Webhooks signatures: what a receiver checks to know a
 * delivery came from this server and was not replayed later.
 */
import { createHmac } from 'node:crypto'

/**
 * The `webhook-signature` value: `v1,` + base64 HMAC-SHA256 of
 * `id.timestamp.body`, keyed with the base64-decoded part of `whsec_…`.
 *
 * @example
 * signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1614265330, '{}') // 'v1,…'
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64')
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return `v1,${mac}`
}

/**
 * The three Standard Webhooks headers for one attempt, signed at `now`, with
 * the content type and the user agent.
 *
 * @example
 * webhookHeaders(secret, 'msg_1', body, new Date())['webhook-signature'] // 'v1,…'
 */
export function webhookHeaders(
  secret: string,
  id: string,
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000)
  return {
    'content-type': 'application/json',
    'user-agent': 'Redress-Webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  }
}
