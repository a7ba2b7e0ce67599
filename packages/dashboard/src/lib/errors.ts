/**
 * @module A failed admin API call (`AdminApiError`, its code one of the
 * contract's `AdminErrorCode`s or the client's own two), and what to say
 * about it: the server's message for an error it answered, else "cannot
 * reach the server".
 */
import type { AdminErrorCode } from '@redress/protocol/admin'
import { messages } from '../i18n'

/**
 * The two codes the client sets itself, never sent by the server: `network`
 * when no answer came (status 0: offline, refused, signed out), `http_error`
 * when one came without an admin error body (a proxy's 502 page).
 */
export type ClientErrorCode = 'network' | 'http_error'

/**
 * The code of a failed call: the server's, from the contract
 * (`invalid_request`, `not_found`, `conflict`, `cap_exceeded`, …), or the
 * client's own. A closed union: comparing with a code that does not exist
 * does not compile.
 */
export type ApiErrorCode = AdminErrorCode | ClientErrorCode

/**
 * A failed admin API call: the server's `AdminErrorBody`
 * (`{ error: { code, message, field? } }`) with the HTTP status, or a
 * `ClientErrorCode` with status 0 (no answer) or the answer's status.
 *
 * @example
 * if (caught instanceof AdminApiError && caught.code === 'cap_exceeded') showOn(caught.field)
 */
export class AdminApiError extends Error {
  override name = 'AdminApiError'
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** The offending field as the server names it (`policy.caps.perSiteDay`, `categories[2].id`). */
    readonly field?: string,
    /** Seconds to wait before trying again, from a `429`'s `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(message)
  }
}

/** What to show for a failed call: the server's message, or "cannot reach the server". */
export function errorText(error: unknown): string {
  if (error instanceof AdminApiError || (error as Error)?.name === 'AdminApiError') {
    const failure = error as AdminApiError
    return failure.status === 0 ? messages.value.common.networkError : failure.message
  }
  return (error as Error)?.message ?? String(error)
}

/**
 * What to show for a failed read or save: the server's message for an error
 * it answered, else "cannot reach the server" (unlike `errorText`, which
 * shows any other error's own message).
 */
export const failureText = (error: unknown): string =>
  error instanceof AdminApiError && error.code !== 'network'
    ? error.message
    : messages.value.common.networkError

/** The error's code, when it is an `AdminApiError`. */
export const errorCode = (error: unknown): ApiErrorCode | undefined =>
  (error as AdminApiError)?.name === 'AdminApiError' ? (error as AdminApiError).code : undefined
