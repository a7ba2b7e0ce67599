import type { ErrorCode } from '@redress/protocol'

/** One reason a value was refused, with the field as a dotted path. */
export interface Issue {
  field: string
  message: string
}

export interface RedressErrorOptions {
  /** A stable code: a wire-protocol code such as `"rate_limited"`, or an SDK code such as `"destroyed"`. */
  code?: ErrorCode | (string & {})
  /** Whether sending the same request again may succeed. @default false */
  retryable?: boolean
  cause?: unknown
}

/**
 * The base of every error the SDK throws or reports.
 *
 * @example
 * try { redress.submit(draft) } catch (error) {
 *   if (isRedressError(error)) console.warn(error.code, error.message)
 * }
 */
export class RedressError extends Error {
  override name = 'RedressError'
  // `declare`: assigned in the constructor, so no class field is emitted for them.
  /** A stable, machine-readable code. */
  declare readonly code: string
  /** Whether sending the same request again may succeed. */
  declare readonly retryable: boolean

  constructor(message: string, options: RedressErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.code = options.code ?? 'error'
    this.retryable = options.retryable ?? false
  }
}

/**
 * Input was refused before anything was queued or sent; `issues` says which
 * fields and why, so a form can point at them.
 *
 * @example
 * catch (error) { if (isValidationError(error)) showError(error.issues[0].field, error.issues[0].message) }
 */
export class ValidationError extends RedressError {
  override name = 'ValidationError'
  declare readonly issues: Issue[]

  constructor(issues: Issue[]) {
    super(issues[0]!.message, { code: 'invalid_request' })
    this.issues = issues
  }
}

export interface HttpErrorOptions extends RedressErrorOptions {
  status: number
  field?: string
  /** Milliseconds the backend asked us to wait (`Retry-After`). */
  retryAfter?: number
}

/**
 * The backend answered with an error status. Only 429 and 5xx are retryable.
 *
 * @example
 * if (isHttpError(error) && error.code === 'origin_not_allowed') console.error('Add this origin to the site')
 */
export class HttpError extends RedressError {
  override name = 'HttpError'
  declare readonly status: number
  declare readonly field: string | undefined
  declare readonly retryAfter: number | undefined

  constructor(message: string, options: HttpErrorOptions) {
    super(message, options)
    this.status = options.status
    this.field = options.field
    this.retryAfter = options.retryAfter
  }
}

/** The backend could not be reached; always retryable. */
export class NetworkError extends RedressError {
  override name = 'NetworkError'

  constructor(message = 'The network request failed', options: { cause?: unknown } = {}) {
    super(message, { code: 'network_error', retryable: true, cause: options.cause })
  }
}

/** The backend did not answer in time; always retryable. */
export class TimeoutError extends RedressError {
  override name = 'TimeoutError'

  constructor(message = 'The request timed out', options: { cause?: unknown } = {}) {
    super(message, { code: 'timeout', retryable: true, cause: options.cause })
  }
}

// Guards also compare `name`, so errors from another realm (an iframe, a
// second copy of the SDK) are recognised too.
const guard =
  <T extends RedressError>(type: abstract new (...args: never[]) => T, ...names: string[]) =>
  (error: unknown): error is T =>
    error instanceof type ||
    (error instanceof Object && names.includes((error as { name?: unknown }).name as string))

/** Whether `error` is any error of the SDK. */
export const isRedressError = guard(
  RedressError,
  'RedressError',
  'ValidationError',
  'HttpError',
  'NetworkError',
  'TimeoutError',
)
/** Whether `error` is a {@link ValidationError}. */
export const isValidationError = guard(ValidationError, 'ValidationError')
/** Whether `error` is an {@link HttpError}. */
export const isHttpError = guard(HttpError, 'HttpError')
/** Whether `error` is a {@link NetworkError}. */
export const isNetworkError = guard(NetworkError, 'NetworkError')
/** Whether `error` is a {@link TimeoutError}. */
export const isTimeoutError = guard(TimeoutError, 'TimeoutError')

/**
 * Whether a failed delivery should be tried again. SDK errors say so
 * themselves; anything else an adapter throws is treated as transient, so a
 * bug in a custom adapter delays a complaint instead of losing it.
 */
export function isRetryable(error: unknown): boolean {
  // Duck-typed rather than `isRedressError`, which keeps the error classes out
  // of the core bundle when no adapter is imported.
  const retryable = (error as { retryable?: unknown } | null)?.retryable
  return typeof retryable === 'boolean' ? retryable : true
}
