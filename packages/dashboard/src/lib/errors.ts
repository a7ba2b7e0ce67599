/**
 * @module What to say when an admin API call fails: the server's message for
 * an error it answered, else "cannot reach the server".
 */
import { messages } from '../i18n'
import { AdminApiError } from './api'

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

/** The error's code, when the server sent one. */
export const errorCode = (error: unknown): string | undefined =>
  (error as AdminApiError)?.name === 'AdminApiError' ? (error as AdminApiError).code : undefined
