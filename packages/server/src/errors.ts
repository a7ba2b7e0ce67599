/**
 * @module The domain's refusals. Domain code (recovery, complaints, the
 * coupon pool, customer tokens) throws these and knows nothing of HTTP; the
 * app's one `onError` turns each into the wire error body and its status
 * (`toApiError` in `http/errors.ts`).
 */

/**
 * What went wrong, as the wire error codes name it.
 *
 * @example
 * const code: DomainErrorCode = 'cap_exceeded'
 */
export type DomainErrorCode =
  | 'invalid_request'
  | 'not_found'
  | 'conflict'
  | 'cap_exceeded'
  | 'unauthorized'
  | 'invalid_customer_token'
  | 'customer_token_expired'
  | 'idempotency_conflict'
  | 'unsupported_media_type'
  | 'forbidden'
  | 'too_many_attachments'

/**
 * The base of every domain refusal: a stable code, a message meant for the
 * person who sent the request, and the field at fault when there is one.
 *
 * @example
 * throw new DomainError('conflict', 'Remedy rem_1 is already approved')
 */
export class DomainError extends Error {
  override name = 'DomainError'
  readonly code: DomainErrorCode
  readonly field: string | undefined

  constructor(
    code: DomainErrorCode,
    message: string,
    options: { field?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.field = options.field || undefined
  }
}

/**
 * Input that breaks a rule of the domain, naming the field.
 *
 * @example
 * throw new InvalidInputError('value is a whole number of minor units above 0', 'value')
 */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError'
  constructor(message: string, field?: string) {
    super('invalid_request', message, { field })
  }
}

/**
 * The thing asked for does not exist (or is not the caller's to see).
 *
 * @example
 * throw new NotFoundError('No complaint cmp_123')
 */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError'
  constructor(message: string) {
    super('not_found', message)
  }
}

/**
 * The request contradicts the current state: a remedy already decided the
 * other way, a complaint someone else owns.
 *
 * @example
 * throw new ConflictError('Remedy rem_1 is already declined')
 * throw new ConflictError('The coupon pool has no free code worth at most €5.00', 'value')
 */
export class ConflictError extends DomainError {
  override name = 'ConflictError'
  constructor(message: string, field?: string) {
    super('conflict', message, { field })
  }
}

/**
 * An idempotency key sent again with a different request than the one it
 * was first used for: the first request's result stands.
 *
 * @example
 * throw new IdempotencyConflictError('This Idempotency-Key was already used for a different complaint')
 */
export class IdempotencyConflictError extends DomainError {
  override name = 'IdempotencyConflictError'
  constructor(message: string) {
    super('idempotency_conflict', message)
  }
}

/**
 * A remedy worth more than the caps leave.
 *
 * @example
 * throw new CapExceededError('€80.00 is over the site's daily budget: €20.00 is left', 'value')
 */
export class CapExceededError extends DomainError {
  override name = 'CapExceededError'
  constructor(message: string, field?: string) {
    super('cap_exceeded', message, { field })
  }
}

/**
 * The caller's credentials (a complaint's status token, a customer token) do
 * not prove what they claim.
 *
 * @example
 * throw new UnauthorizedError('unauthorized', 'The token does not match this complaint')
 */
export class UnauthorizedError extends DomainError {
  override name = 'UnauthorizedError'
  constructor(
    code: Extract<
      DomainErrorCode,
      'unauthorized' | 'invalid_customer_token' | 'customer_token_expired'
    >,
    message: string,
    options: { field?: string | undefined } = {},
  ) {
    super(code, message, options)
  }
}

const NAMES = new Set([
  'DomainError',
  'InvalidInputError',
  'NotFoundError',
  'ConflictError',
  'IdempotencyConflictError',
  'CapExceededError',
  'UnauthorizedError',
])

/**
 * Whether a value is a `DomainError`, also across module copies.
 *
 * @example
 * isDomainError(new NotFoundError('No complaint cmp_1')) // true
 */
export const isDomainError = (value: unknown): value is DomainError =>
  value instanceof DomainError || (value instanceof Error && NAMES.has(value.name))

/**
 * The actor may not do this (a person beyond their authority): `403 forbidden`.
 *
 * @example
 * throw new ForbiddenError('Approving €80.00 is beyond your limit of €50.00')
 */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError'
  constructor(message: string) {
    super('forbidden', message)
  }
}

/**
 * A file that is not what may be sent: an upload whose bytes are not a JPEG,
 * PNG or WebP image, or whose declared type or name says otherwise.
 *
 * @example
 * throw new UnsupportedMediaError('A photo is a JPEG, PNG or WebP image')
 */
export class UnsupportedMediaError extends DomainError {
  override name = 'UnsupportedMediaError'
  constructor(message: string, field?: string) {
    super('unsupported_media_type', message, { field })
  }
}

/**
 * A complaint that already carries as many photos as it may.
 *
 * @example
 * throw new TooManyAttachmentsError('A complaint carries at most 3 photos')
 */
export class TooManyAttachmentsError extends DomainError {
  override name = 'TooManyAttachmentsError'
  constructor(message: string) {
    super('too_many_attachments', message)
  }
}
