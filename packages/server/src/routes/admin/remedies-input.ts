/**
 * @module The remedies' requests in the admin API: the body and
 * `Idempotency-Key` of `POST /v1/admin/complaints/{id}/recoveries`, and the
 * body of `POST /v1/admin/recoveries/{id}/approve`. Each parser throws
 * `400 invalid_request` naming the field at fault.
 */
import { LIMITS, RECOVERY_KINDS, type RecoveryKind } from '@redress/protocol'
import type { RemedyInput } from '@redress/protocol/admin'
import { ApiError, clean, invalid } from '../../http'
import { ISO_DURATION } from '../../recovery'

const FIELDS = ['kind', 'value', 'message', 'label', 'contactWithin']
/** Kinds that need a value, and the one that may have one. */
const PRICED: readonly RecoveryKind[] = ['coupon', 'refund']
const MAY_COST: readonly RecoveryKind[] = ['coupon', 'refund', 'replacement']

/**
 * Check the body of `POST /v1/admin/complaints/{id}/recoveries`; throws
 * `400 invalid_request` naming the field.
 *
 * @example
 * parseRemedyRequest({ kind: 'coupon', value: 1500 }) // { kind: 'coupon', value: 1500 }
 * parseRemedyRequest({ kind: 'apology', value: 100 }) // throws: an apology costs nothing
 */
export function parseRemedyRequest(body: unknown): RemedyInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object { kind, value?, message?, label?, contactWithin? }', '')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) throw invalid(`Unknown field ${key}`, key)
  }
  const kind = input.kind as RecoveryKind
  if (!RECOVERY_KINDS.includes(kind)) {
    throw invalid(`kind must be one of ${RECOVERY_KINDS.join(', ')}`, 'kind')
  }
  const remedy: RemedyInput = { kind }
  if (input.value !== undefined) {
    if (!MAY_COST.includes(kind)) throw invalid(`A ${kind} costs nothing: send no value`, 'value')
    if (!Number.isSafeInteger(input.value) || (input.value as number) <= 0)
      throw invalid('value is a whole number of minor units above 0', 'value')
    remedy.value = input.value as number
  } else if (PRICED.includes(kind)) {
    throw invalid(`A ${kind} needs a value (minor units of the policy's currency)`, 'value')
  }
  // A message is free text (line breaks kept); a coupon's label is one line.
  const text = (field: 'message' | 'label', max: number) => {
    const value = input[field]
    if (value === undefined) return undefined
    const cleaned =
      typeof value === 'string'
        ? clean(value, field, { multiline: field === 'message' }).trim()
        : undefined
    if (!cleaned || cleaned.length > max) throw invalid(`${field} is 1–${max} characters`, field)
    return cleaned
  }
  const message = text('message', LIMITS.message)
  if (message !== undefined) {
    if (kind === 'coupon') throw invalid('A coupon has a label, not a message', 'message')
    remedy.message = message
  }
  const label = text('label', LIMITS.label)
  if (label !== undefined) {
    if (kind !== 'coupon') throw invalid('Only a coupon has a label', 'label')
    remedy.label = label
  }
  if (input.contactWithin !== undefined) {
    if (kind !== 'escalation')
      throw invalid('Only an escalation has contactWithin', 'contactWithin')
    if (typeof input.contactWithin !== 'string' || !ISO_DURATION.test(input.contactWithin))
      throw invalid('contactWithin is an ISO 8601 duration such as PT2H', 'contactWithin')
    remedy.contactWithin = input.contactWithin
  }
  return remedy
}

/**
 * The `Idempotency-Key` of a remedy issued by hand, if sent: checked, not
 * normalised, since a retry must send the very same key.
 *
 * @example
 * parseRemedyKey(c.req.header('idempotency-key')) // 'retry-1', or undefined without the header
 */
export function parseRemedyKey(key: string | undefined): string | undefined {
  if (key !== undefined && (key.length === 0 || key.length > LIMITS.idempotencyKey)) {
    throw new ApiError(
      400,
      'invalid_request',
      `Idempotency-Key is 1–${LIMITS.idempotencyKey} characters`,
      { field: 'idempotencyKey' },
    )
  }
  if (key !== undefined) clean(key, 'idempotencyKey')
  return key
}

/**
 * The body of `POST /v1/admin/recoveries/{id}/approve`, if one was sent:
 * `{ value? }`, the remedy's value changed before approving it.
 *
 * @example
 * parseApproval({ value: 1200 }) // { value: 1200 }
 * parseApproval(null) // { value: undefined }
 */
export function parseApproval(body: unknown): { value: number | undefined } {
  const input = body as { value?: unknown } | null
  if (input?.value === undefined) return { value: undefined }
  if (!Number.isSafeInteger(input.value) || (input.value as number) <= 0) {
    throw invalid('value is a positive whole number of minor units', 'value')
  }
  return { value: input.value as number }
}
