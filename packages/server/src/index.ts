/**
 * @module `@redress/server`: the reference collector for Redress wire
 * protocol v1. Run it with `redress serve`, or build your own server from
 * `createApp` and `openDatabase`.
 */

export {
  type OutboundAllow,
  type OutboundLookup,
  type OutboundPolicy,
  outboundPolicy,
  parseOutboundAllow,
} from './_outbound'
export { type AppOptions, createApp, jsonLogger, type Logger, type LogLine } from './app'
export { decideRecovery, type Ingested, ingestComplaint } from './complaints'
export {
  checkCustomerToken,
  rotateVerificationSecret,
  signCustomerToken,
  type VerifiedCustomer,
  verificationSecrets,
  verifyCustomerToken,
} from './customers'
export { type Database, type DatabaseOptions, openDatabase } from './db/index'
export { MIGRATIONS, type Migration, migrate } from './db/migrations'
export type { ComplaintRow, RecoveryRow, Site, SiteCategory, Tables } from './db/schema'
export { ApiError, isApiError } from './errors'
export {
  DEFAULT_POLICY,
  effectivePolicy,
  HARD_CAP_PERCENT,
  type Policy,
  type PolicyOverrides,
} from './policy'
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
} from './rate-limit'
export { applyPolicy, type Decision } from './recovery'
export { type RunningServer, type ServerOptions, startServer } from './server'
export { loadSecret } from './settings'
export {
  type CreateSiteOptions,
  createSite,
  DEFAULT_CATEGORIES,
  DEMO_SITE_KEY,
  ensureDemoSite,
  findSite,
  isOriginAllowed,
  normalizeOrigin,
} from './sites'
export type { StaticOptions } from './static'
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
} from './webhooks'
