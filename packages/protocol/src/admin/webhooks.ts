/**
 * @module Webhook endpoints and their deliveries in the admin API.
 */
import * as v from 'valibot'
import { body, clean } from './_valid'
import { ADMIN_LIMITS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './words'

/** An endpoint of `GET /v1/admin/webhooks`; its secret is never shown again. */
export interface WebhookEndpoint {
  /** `whe_…` */
  id: string
  url: string
  types: string[]
  enabled: boolean
  disabledReason: string | null
  createdAt: string
}

/** `POST /v1/admin/webhooks`: the endpoint and its secret, shown this once. */
export interface CreatedWebhook extends WebhookEndpoint {
  /** `whsec_…`, to check the `webhook-signature` header (Standard Webhooks). */
  secret: string
}

/** Where one delivery stands; `failed` after its last attempt, `disabled` with its endpoint. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'disabled'

/** One delivery of `GET /v1/admin/webhooks/{id}/deliveries`. */
export interface WebhookDelivery {
  /** `msg_…`, the `webhook-id` header. */
  id: string
  /** A `WebhookEventType`, or `webhook.test`. */
  type: string
  status: WebhookDeliveryStatus
  attempts: number
  lastStatus: number | null
  lastError: string | null
  nextAttemptAt: string
  createdAt: string
  deliveredAt: string | null
}

// ---------------------------------------------------------------------------
// Requests

const URL_MESSAGE = /* @__PURE__ */ (() =>
  `url is an http(s) URL of at most ${ADMIN_LIMITS.webhookUrl} characters`)()
const TYPES_MESSAGE = /* @__PURE__ */ (() =>
  `types is a non-empty array of ${WEBHOOK_EVENT_TYPES.join(', ')}`)()

const parseUrl = (text: string): URL | undefined => {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/**
 * `POST /v1/admin/webhooks`: `url` an http(s) URL of at most 2000
 * characters without credentials (kept as sent), `types` a non-empty array
 * of `WEBHOOK_EVENT_TYPES` (all of them when absent). Whether the URL's host
 * may be reached is the server's own check, after this one.
 *
 * @example
 * parseAdmin(WebhookCreateSchema, { url: 'https://hooks.example/redress' })
 * // { ok: true, value: { url: 'https://hooks.example/redress', types: [...WEBHOOK_EVENT_TYPES] } }
 */
export const WebhookCreateSchema = /* @__PURE__ */ (() =>
  body({
    url: v.pipe(
      v.string(URL_MESSAGE),
      v.maxLength(ADMIN_LIMITS.webhookUrl, URL_MESSAGE),
      clean('url'),
      v.check((url) => parseUrl(url) !== undefined, 'url is not a URL'),
      v.check((url) => /^https?:$/.test(parseUrl(url)!.protocol), 'url must be http(s)'),
      v.check((url) => {
        const { username, password } = parseUrl(url)!
        return !username && !password
      }, 'url must not carry credentials'),
    ),
    types: v.optional(
      v.custom<WebhookEventType[]>(
        (types) =>
          Array.isArray(types) &&
          types.length > 0 &&
          types.every((type) => (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(type)),
        TYPES_MESSAGE,
      ),
      () => [...WEBHOOK_EVENT_TYPES],
    ),
  }))()
/** What a client sends to create a webhook endpoint. */
export type WebhookCreate = v.InferInput<typeof WebhookCreateSchema>
export type ParsedWebhookCreate = v.InferOutput<typeof WebhookCreateSchema>
