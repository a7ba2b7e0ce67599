/**
 * @module The outbox: a complaint's timeline, its signed webhooks and its mails
 * (`emit`), endpoints, and the webhook delivery worker (the mail worker is in `src/mail/`).
 */
export {
  ALLOW_HINT,
  explainRefusal,
  type OutboundLookup,
  type OutboundPolicy,
  outboundPolicy,
  resolveOutbound,
} from './_outbound'
export type { OutboundTransport } from './_outbound-request'
export {
  MAX_ATTEMPTS,
  RETRY_SCHEDULE_MS,
  replayDelivery,
  startWebhookWorker,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from './delivery'
export { emit, type OutboxEvent, type OutboxEvents } from './emit'
export type { Written } from './events'
export {
  CUSTOMER_MAIL_KINDS,
  enqueueMail,
  enqueuePersonMail,
  enqueueTeamMail,
  isCustomerMail,
  type MailIntent,
  mailLocale,
  mailSettings,
  type QueuedMail,
} from './mail'
export { signWebhook, webhookHeaders } from './signing'
export {
  createWebhookEndpoint,
  enqueueTestWebhook,
  enqueueWebhook,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_TYPE,
  type WebhookEventType,
  type WebhookPayload,
} from './webhooks'
