/**
 * @module The replies' request in the admin API: the body and
 * `Idempotency-Key` of `POST /v1/admin/complaints/{id}/replies`. Each parser
 * throws `400 invalid_request` naming the field at fault.
 */
import { LIMITS } from '@redress/protocol'
import { clean, invalid } from '../../http'

const FIELDS = ['message', 'author']

/**
 * Check the body of `POST /v1/admin/complaints/{id}/replies`.
 *
 * @example
 * parseReply({ message: ' We found your parcel. ', author: null }) // { message: 'We found your parcel.', author: null }
 */
export function parseReply(body: unknown): { message: string; author: string | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object', '')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) throw invalid(`Unknown field ${key}`, key)
  }
  // Trimmed like every other text the admin API stores; inner line breaks are kept
  // in the message, the author's name is one line.
  const message =
    typeof input.message === 'string'
      ? clean(input.message, 'message', { multiline: true }).trim()
      : undefined
  if (!message || message.length > LIMITS.reply) {
    throw invalid(`message is text of 1–${LIMITS.reply} characters`, 'message')
  }
  // `null` is what a form with an empty "signed by" field tends to send: no author.
  const author =
    typeof input.author === 'string' ? clean(input.author, 'author').trim() : input.author
  if (
    author !== undefined &&
    author !== null &&
    (typeof author !== 'string' || !author || author.length > LIMITS.author)
  ) {
    throw invalid(`author is a name of 1–${LIMITS.author} characters, or left out`, 'author')
  }
  return { message, author: typeof author === 'string' ? author : null }
}

/**
 * A reply's `Idempotency-Key`, or `null` without one.
 *
 * @example
 * parseReplyKey(c.req.header('idempotency-key')) // 'reply-1', or null
 */
export function parseReplyKey(header: string | undefined): string | null {
  if (header === undefined) return null
  if (!header || header.length > LIMITS.idempotencyKey) {
    throw invalid(
      `Idempotency-Key is 1–${LIMITS.idempotencyKey} characters, the same on every retry`,
      'idempotencyKey',
    )
  }
  // Checked, not normalised: a retry must send the very same key.
  clean(header, 'idempotencyKey')
  return header
}
