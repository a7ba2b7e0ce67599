/**
 * @module Remedies in the admin API: the caps, a remedy issued by hand and
 * deciding a pending one.
 */
import * as v from 'valibot'
import { ISO_DURATION, LIMITS, RECOVERY_KINDS, type Recovery, type RecoveryKind } from '../index'
import { clean, fields, isRecord, knownKeys, ported, Refusal, refuse, text } from './_valid'
import type { RecoveryStatus } from './words'

/**
 * `GET /v1/admin/complaints/{id}/caps`: what a remedy may be worth without
 * approval, cap by cap.
 */
export interface Caps {
  currency: string
  perComplaint: {
    max: number
    percentOfOrder: number
    /** The complaint's order value in the policy's currency; `null` without one or in another currency (then `limit` is `max`). */
    orderValue: number | null
    limit: number
    /** Given to this complaint already (issued or approved). */
    given: number
    remaining: number
  }
  customer: { id: string; limit: number; spent: number; remaining: number } | null
  /** `day` is the UTC day, YYYY-MM-DD. */
  siteDay: { day: string; limit: number; spent: number; remaining: number }
  /** What one more remedy may be worth now without approval: the smallest `remaining`. */
  available: number
}

/**
 * What `POST /v1/admin/complaints/{id}/recoveries` takes: one remedy issued by
 * hand, outside the policy's rules but within its caps.
 *
 * @example
 * const remedy: RemedyInput = { kind: 'coupon', value: 1500, label: '{amount} off' }
 */
export interface RemedyInput {
  kind: RecoveryKind
  /**
   * Minor units of the policy's currency: required for `coupon` and `refund`,
   * optional for `replacement` (counted against the caps when given), not
   * allowed for the others (they cost nothing).
   */
  value?: number | undefined
  /** The text; the policy's when absent. Not for coupons. */
  message?: string | undefined
  /** A coupon's label (`{amount}` is replaced); the policy's when absent. */
  label?: string | undefined
  /** An escalation's ISO 8601 duration; the policy's when absent. */
  contactWithin?: string | undefined
}

/**
 * A remedy issued by hand or decided (`POST …/recoveries`,
 * `POST /v1/admin/recoveries/{id}/approve`, `…/reject`); `changed: false` when a
 * retry or a repeated decision did nothing.
 */
export interface RemedyResult {
  id: string
  complaintId: string
  policyKey: string
  kind: RecoveryKind
  status: RecoveryStatus
  value: number
  currency: string | null
  code: string | null
  expiresAt: string | null
  recovery: Recovery | null
  changed: boolean
}

const VALUE_MESSAGE = 'value is a whole number of minor units above 0'
const positive = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) > 0

/** One option of `RemedyRequestSchema`: the fields in the server's order, each allowed or refused for `kind`. */
/* @__NO_SIDE_EFFECTS__ */
function remedyOf<const K extends RecoveryKind>(kind: K) {
  const priced = kind === 'coupon' || kind === 'refund'
  const mayCost = priced || kind === 'replacement'
  const message = text('message', LIMITS.message, `message is 1–${LIMITS.message} characters`, true)
  const label = text('label', LIMITS.label, `label is 1–${LIMITS.label} characters`)
  return fields({
    kind: v.literal(kind),
    // Present: refused unless the kind may cost; absent: refused when it must.
    value: (priced
      ? v.custom<number>(positive, (issue) =>
          issue.input === undefined
            ? `A ${kind} needs a value (minor units of the policy's currency)`
            : VALUE_MESSAGE,
        )
      : v.optional(
          mayCost
            ? v.custom<number>(positive, VALUE_MESSAGE)
            : refuse(`A ${kind} costs nothing: send no value`),
        )) as unknown as K extends 'coupon' | 'refund'
      ? v.GenericSchema<number>
      : K extends 'replacement'
        ? v.OptionalSchema<v.GenericSchema<number>, undefined>
        : v.OptionalSchema<v.GenericSchema<never>, undefined>,
    // Text first, then whether this kind has it, as the server checks.
    message: v.optional(
      (kind === 'coupon'
        ? v.pipe(
            message,
            v.check(() => false, 'A coupon has a label, not a message'),
          )
        : message) as unknown as K extends 'coupon'
        ? v.GenericSchema<never>
        : v.GenericSchema<string>,
    ),
    label: v.optional(
      (kind === 'coupon'
        ? label
        : v.pipe(
            label,
            v.check(() => false, 'Only a coupon has a label'),
          )) as unknown as K extends 'coupon' ? v.GenericSchema<string> : v.GenericSchema<never>,
    ),
    // Refused for other kinds whatever it is.
    contactWithin: v.optional(
      (kind === 'escalation'
        ? v.pipe(
            v.string('contactWithin is an ISO 8601 duration such as PT2H'),
            v.regex(ISO_DURATION, 'contactWithin is an ISO 8601 duration such as PT2H'),
          )
        : refuse('Only an escalation has contactWithin')) as unknown as K extends 'escalation'
        ? v.GenericSchema<string>
        : v.GenericSchema<never>,
    ),
  })
}

const REMEDIES = /* @__PURE__ */ (() =>
  v.variant(
    'kind',
    [
      remedyOf('apology'),
      remedyOf('coupon'),
      remedyOf('refund'),
      remedyOf('replacement'),
      remedyOf('correction'),
      remedyOf('escalation'),
    ],
    `kind must be one of ${RECOVERY_KINDS.join(', ')}`,
  ))()

/**
 * `POST /v1/admin/complaints/{id}/recoveries`: one remedy issued by hand.
 * `value` (minor units above 0) is required for `coupon` and `refund`,
 * optional for `replacement`, refused for the others; `message` (free text)
 * for all but coupons; `label` (one line) for coupons only; `contactWithin`
 * for escalations only. Texts are trimmed and NFC. The output is a `RemedyInput`.
 *
 * @example
 * parseAdmin(RemedyRequestSchema, { kind: 'apology', value: 100 })
 * // { ok: false, message: 'A apology costs nothing: send no value', field: 'value' }
 */
export const RemedyRequestSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<v.InferInput<typeof REMEDIES>>(
      isRecord,
      'Send a JSON object { kind, value?, message?, label?, contactWithin? }',
    ),
    knownKeys<v.InferInput<typeof REMEDIES>>([
      'kind',
      'value',
      'message',
      'label',
      'contactWithin',
    ]),
    REMEDIES,
  ))()
/** What a client sends to issue a remedy by hand: by kind, what each kind may carry. */
export type RemedyRequest = v.InferInput<typeof RemedyRequestSchema>
/** The checked remedy; each is a `RemedyInput`. */
export type ParsedRemedyRequest = v.InferOutput<typeof RemedyRequestSchema>

const REMEDY_KEY_MESSAGE = /* @__PURE__ */ (() =>
  `Idempotency-Key is 1–${LIMITS.idempotencyKey} characters`)()

/**
 * The `Idempotency-Key` header of a remedy issued by hand, as `{
 * idempotencyKey: c.req.header('idempotency-key') }`: checked, never
 * normalised; absent means every call is a new remedy.
 */
export const RemedyHeadersSchema = /* @__PURE__ */ (() =>
  v.object({
    idempotencyKey: v.optional(
      v.pipe(
        v.string(REMEDY_KEY_MESSAGE),
        v.minLength(1, REMEDY_KEY_MESSAGE),
        v.maxLength(LIMITS.idempotencyKey, REMEDY_KEY_MESSAGE),
        clean('idempotencyKey'),
      ),
    ),
  }))()
export type RemedyHeaders = v.InferInput<typeof RemedyHeadersSchema>

/** What a client may send to `POST /v1/admin/recoveries/{id}/approve`: another value than the drafted one. */
export interface ApproveBody {
  /** Minor units above 0; the drafted value when absent. */
  value?: number | undefined
}

/**
 * The body of `POST /v1/admin/recoveries/{id}/approve` (read only when a
 * `Content-Type` is sent; `undefined` otherwise): any JSON, of which only
 * `value` counts. `…/reject` takes no body.
 *
 * @example
 * parseAdmin(ApproveBodySchema, { value: 0 })
 * // { ok: false, message: 'value is a positive whole number of minor units', field: 'value' }
 */
export const ApproveBodySchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<ApproveBody | null | undefined>(() => true),
    ported((input): { value?: number } => {
      const value = (input as { value?: unknown } | null | undefined)?.value
      if (value === undefined) return {}
      if (!positive(value))
        throw new Refusal('value is a positive whole number of minor units', ['value'])
      return { value }
    }),
  ))()
