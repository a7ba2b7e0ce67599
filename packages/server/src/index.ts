/**
 * @module `@redress/server`: the reference collector for Redress wire
 * protocol v1. Run it with `redress serve`, start it from your own process
 * with `startServer`, or mount `createApp` in your own server on a database
 * from `openDatabase`. What the README documents as API, nothing more: the
 * database's tables and rows are not part of it.
 */

export {
  type AlertWorker,
  type AlertWorkerOptions,
  checkAlerts,
  startAlertWorker,
} from './alerts'
export { type RunningServer, type ServerOptions, startServer } from './cli'
export { type Database, type DatabaseOptions, openDatabase } from './db'
export { MIGRATIONS, type Migration, migrate } from './db/migrations'
export { type AppOptions, createApp, jsonLogger, type Logger, type LogLine } from './http/app'
export { ApiError, isApiError } from './http/errors'
export {
  DEFAULT_RATE_LIMITS,
  parseTrustProxy,
  type RateLimit,
  type RateLimitOptions,
  type RateLimits,
  type TrustProxy,
} from './http/rate-limit'
export {
  createWebhookEndpoint,
  MAX_ATTEMPTS,
  type OutboundLookup,
  type OutboundPolicy,
  outboundPolicy,
  RETRY_SCHEDULE_MS,
  replayDelivery,
  signWebhook,
  startWebhookWorker,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  type WebhookPayload,
  type WebhookWorker,
  type WebhookWorkerOptions,
  webhookHeaders,
} from './outbox'
export {
  DEFAULT_POLICY,
  type GuaranteeWorker,
  type GuaranteeWorkerOptions,
  HARD_CAP_PERCENT,
  type Policy,
  type PolicyOverrides,
  startGuaranteeWorker,
} from './recovery'
export type { StaticOptions } from './routes/public'
export { type CreateSiteOptions, createSite, DEFAULT_CATEGORIES, loadSecret } from './sites'
