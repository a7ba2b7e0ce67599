/**
 * @module The HTTP building blocks routes share: `ApiError` and the mapping of
 * domain errors, body reading and checks, `valid` (a request against the
 * protocol's admin schemas), CORS, rate limits, the client's address, and log
 * lines. `createApp` is in `./app`, not here: it mounts the
 * routes, which import these blocks, so exporting it here would close a cycle.
 */
export {
  bearer,
  checkJson,
  clean,
  JSON_LIMITS,
  type JsonLimits,
  readBody,
  readBytes,
  readJson,
} from './body'
export {
  checkTrustProxy,
  clientAddress,
  forwardedClient,
  parseTrustProxy,
  type TrustProxy,
} from './client-address'
export { checkOrigin, publicCors } from './cors'
export { ApiError, invalid, isApiError, type ServerErrorCode, toApiError } from './errors'
export { jsonLogger, type Logger, type LogLine } from './log'
export {
  clientKey,
  countHit,
  DEFAULT_RATE_LIMITS,
  effectiveRateLimits,
  type RateLimit,
  type RateLimitOptions,
  type RateLimits,
  rateLimiter,
  windowOf,
} from './rate-limit'
export { valid } from './validate'
