/**
 * @module The one error type handlers throw; `onError` turns it into the
 * protocol's `{ error: { code, message, field? } }` body.
 */
import type { ErrorCode } from '@redress/protocol'
import { type DomainErrorCode, isDomainError } from '../errors'

/**
 * The protocol's codes plus the admin API's own: `conflict` (409, e.g. the
 * complaint already has an owner, or the remedy was already decided the other
 * way) and `cap_exceeded` (409, a remedy issued by hand is worth more than the
 * caps leave).
 */
export type ServerErrorCode =
  | ErrorCode
  | 'conflict'
  | 'cap_exceeded'
  | 'forbidden'
  | 'totp_required'

/**
 * A refusal with an HTTP status and a stable code.
 *
 * @example
 * throw new ApiError(404, 'not_found', 'No complaint cmp_123')
 */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly status: number
  readonly code: ServerErrorCode
  readonly field: string | undefined
  readonly headers: Record<string, string> | undefined

  constructor(
    status: number,
    code: ServerErrorCode,
    message: string,
    options: { field?: string | undefined; headers?: Record<string, string> } = {},
  ) {
    super(message)
    this.status = status
    this.code = code
    this.field = options.field || undefined
    this.headers = options.headers
  }

  /** The JSON body sent to the client. */
  toJSON(): { error: { code: ServerErrorCode; message: string; field?: string } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field ? { field: this.field } : {}),
      },
    }
  }
}

/**
 * Whether a value is an `ApiError`, also across module copies.
 *
 * @example
 * app.onError((error, c) => (isApiError(error) ? c.json(error.toJSON(), error.status as 400) : c.text('', 500)))
 */
export const isApiError = (value: unknown): value is ApiError =>
  value instanceof ApiError || (value instanceof Error && value.name === 'ApiError')

/** `400 invalid_request` naming the field at fault. */
export const invalid = (message: string, field: string): ApiError =>
  new ApiError(400, 'invalid_request', message, { field })

const STATUS: Record<DomainErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  invalid_customer_token: 401,
  customer_token_expired: 401,
  not_found: 404,
  conflict: 409,
  cap_exceeded: 409,
  idempotency_conflict: 409,
  unsupported_media_type: 415,
  forbidden: 403,
  too_many_attachments: 422,
}

/**
 * The wire error for a thrown value: an `ApiError` as it is, a domain error
 * with the status its code carries, anything else `undefined` (a 500, logged
 * by the caller).
 *
 * @example
 * toApiError(new NotFoundError('No complaint cmp_1'))?.status // 404
 */
export function toApiError(error: unknown): ApiError | undefined {
  if (isApiError(error)) return error
  if (isDomainError(error)) {
    return new ApiError(STATUS[error.code], error.code, error.message, { field: error.field })
  }
  return undefined
}
