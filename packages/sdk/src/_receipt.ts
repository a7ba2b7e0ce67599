import {
  RECOVERY_KINDS,
  type Receipt,
  type Reply,
  STATUSES,
  type StatusReport,
} from '@redress/protocol'
import { RedressError } from './errors'

const isRecovery = (value: unknown) =>
  RECOVERY_KINDS.includes((value as { kind?: never } | null)?.kind as never)

// A reply's text is rendered: anything but a string there would break the page showing it.
const isReply = (value: unknown) =>
  typeof (value as Reply | null)?.message === 'string' && typeof (value as Reply).at === 'string'

// Enough of the shape to be sure the backend meant it; full validation of
// what backends send is the server's own job (and `testAdapter`'s).
const reply =
  <T>(fields: string[], extra: (value: Record<string, unknown>) => boolean, what: string) =>
  (value: unknown, adapter: string): T => {
    const record = value as Record<string, unknown> | null
    const ok =
      typeof record === 'object' &&
      record !== null &&
      fields.every((field) => typeof record[field] === 'string' && record[field]) &&
      STATUSES.includes(record.status as never) &&
      extra(record)
    if (ok) return value as T
    // Retryable: the backend may have stored the complaint, and sending it
    // again under the same idempotency key is safe, while giving up loses it.
    throw new RedressError(`The ${adapter} adapter got something that is not a ${what}`, {
      code: 'invalid_response',
      retryable: true,
    })
  }

/** Check what a backend sent back as a receipt. */
export const receiptFrom: (value: unknown, adapter: string) => Receipt = reply(
  ['id', 'reference', 'token', 'receivedAt'],
  (value) => value.recovery === null || isRecovery(value.recovery),
  'receipt',
)

/** Check what a backend sent back as a status report. */
export const statusReportFrom: (value: unknown, adapter: string) => StatusReport = reply(
  ['id', 'reference', 'updatedAt'],
  (value) =>
    Array.isArray(value.recoveries) &&
    value.recoveries.every(isRecovery) &&
    (value.replies === undefined || (Array.isArray(value.replies) && value.replies.every(isReply))),
  'status report',
)
