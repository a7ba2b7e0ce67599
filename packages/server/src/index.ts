/**
 * @module `@redress/server`: the reference collector for Redress wire
 * protocol v1. Run it with `redress serve`, or build your own server from
 * `createApp` and `openDatabase`.
 */

export { type RunningServer, type ServerOptions, startServer } from './cli/server'
export { decideRecovery, type Ingested, ingestComplaint } from './complaints/complaints'
export {
  checkCustomerToken,
  rotateVerificationSecret,
  signCustomerToken,
  type VerifiedCustomer,
  verificationSecrets,
  verifyCustomerToken,
} from './complaints/customers'
export { type Database, type DatabaseOptions, openDatabase } from './db'
export { MIGRATIONS, type Migration, migrate } from './db/migrations'
export type { ComplaintRow, RecoveryRow, Site, SiteCategory, Tables } from './db/schema'
export { type AppOptions, createApp, jsonLogger, type Logger, type LogLine } from './http/app'
export { ApiError, isApiError } from './http/errors'
export {
  clientAddress,
  clientKey,
  DEFAULT_RATE_LIMITS,
  effectiveRateLimits,
  parseTrustProxy,
  type RateLimit,
  type RateLimitOptions,
  type RateLimits,
  type TrustProxy,
} from './http/rate-limit'
export {
  type OutboundAllow,
  type OutboundLookup,
  type OutboundPolicy,
  outboundPolicy,
  parseOutboundAllow,
} from './outbox/_outbound'
export {
  createWebhookEndpoint,
  enqueueWebhook,
  MAX_ATTEMPTS,
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
} from './outbox/webhooks'
export {
  DEFAULT_POLICY,
  effectivePolicy,
  HARD_CAP_PERCENT,
  type Policy,
  type PolicyOverrides,
} from './recovery/policy'
export { applyPolicy, type Decision } from './recovery/recovery'
export type { StaticOptions } from './routes/public/static'
export { loadSecret } from './sites/settings'
export {
  type CreateSiteOptions,
  createSite,
  DEFAULT_CATEGORIES,
  DEMO_SITE_KEY,
  ensureDemoSite,
  findSite,
  isOriginAllowed,
  normalizeOrigin,
} from './sites/sites'
