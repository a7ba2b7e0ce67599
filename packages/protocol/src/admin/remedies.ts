/**
 * @module Remedies in the admin API: the caps, a remedy issued by hand,
 * deciding a pending one, and the coupon pool.
 */
import * as v from 'valibot'
import { ISO_DURATION, LIMITS, RECOVERY_KINDS, type Recovery, type RecoveryKind } from '../index'
import { cleanText } from '../schema/index'
import { clean, fields, isRecord, knownKeys, ported, Refusal, refuse, text } from './_valid'
import { ADMIN_LIMITS, type RecoveryStatus } from './words'

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

/**
 * `GET /v1/admin/coupon-pool`: what is left of the uploaded codes.
 *
 * @example
 * // → { "free": 12, "used": 3, "expired": 0, "byValue": [{ "value": 500, "free": 12 }],
 * //     "currency": "EUR", "source": "pool" }
 */
export interface CouponPoolSummary {
  free: number
  used: number
  expired: number
  /** Free codes per value (minor units), smallest first. */
  byValue: Array<{ value: number; free: number }>
  currency: string
  /** The policy's `coupon.source`: codes come from the pool only with `pool`. */
  source: 'generated' | 'pool'
}

// ---------------------------------------------------------------------------
// Requests

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

/**
 * The route parameter `{code}` of `DELETE /v1/admin/coupon-pool/{code}`
 * (`c.req.param()`): checked, never normalised (it must match the code as uploaded).
 */
export const CouponCodeParamsSchema = /* @__PURE__ */ (() =>
  v.object({
    code: v.pipe(v.string('code must be a string'), clean('code')),
  }))()

/** One code of a coupon pool upload. */
export interface PoolCode {
  code: string
  /** Minor units of the policy's currency. */
  value: number
  expiresAt: Date | null
}

const CODE = /* @__PURE__ */ (() => new RegExp(`^\\S{1,${ADMIN_LIMITS.poolCode}}$`))()
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i

/**
 * The cells of one CSV line (RFC 4180 quoting: `"a,b"`, `""` for a quote),
 * trimmed; `undefined` when a quote is left open.
 */
function cellsOf(line: string): string[] | undefined {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i]
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (char === '"') quoted = false
      else cell += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      cells.push(cell.trim())
      cell = ''
    } else cell += char
  }
  if (quoted) return undefined
  cells.push(cell.trim())
  return cells
}

/** A real calendar date (no 31 February), as `Date.UTC` would roll it over otherwise. */
function realDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day)
  )
}

/**
 * `expires_at` as uploaded: empty (never), a date (valid through that UTC
 * day) or a date and time with a zone. A problem is returned as text.
 */
function parseExpiry(text: string, now: Date): Date | null | string {
  if (text === '') return null
  let at: Date
  const date = DATE.exec(text)
  const dateTime = DATE_TIME.exec(text)
  if (date) {
    if (!realDate(date[1]!, date[2]!, date[3]!)) return `expires_at ${text} is not a date`
    at = new Date(`${text}T23:59:59.999Z`)
  } else if (dateTime) {
    at = new Date(text)
    if (Number.isNaN(at.getTime()) || !realDate(dateTime[1]!, dateTime[2]!, dateTime[3]!))
      return `expires_at ${text} is not a date and time`
  } else {
    return 'expires_at must be an ISO 8601 date (2026-12-31) or date and time with a zone (2026-12-31T18:00:00Z), or empty'
  }
  if (at <= now) return `expires_at ${text} is in the past`
  return at
}

/** The codes of an upload, or a `Refusal` for the whole file (no field). */
function readCouponCsv(text: string, now: Date): PoolCode[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const headerAt = lines.findIndex((line) => line.trim() !== '')
  const header = headerAt < 0 ? undefined : cellsOf(lines[headerAt]!)?.map((h) => h.toLowerCase())
  const columns = header?.join(',')
  if (columns !== 'code,value,expires_at' && columns !== 'code,value') {
    throw new Refusal(
      'The first line must be the header code,value,expires_at (expires_at may be left out)',
    )
  }
  const rows = lines.flatMap((line, index) =>
    index > headerAt && line.trim() !== '' ? [{ line, number: index + 1 }] : [],
  )
  if (rows.length === 0) throw new Refusal('No codes: send one code per line after the header')
  if (rows.length > ADMIN_LIMITS.poolCodes) {
    throw new Refusal(
      `At most ${ADMIN_LIMITS.poolCodes} codes per upload (this one has ${rows.length}): split the file`,
    )
  }

  const codes: PoolCode[] = []
  const problems: string[] = []
  const seen = new Map<string, number>()
  for (const { line, number } of rows) {
    const bad = (message: string) => problems.push(`line ${number}: ${message}`)
    const cells = cellsOf(line)
    if (!cells) {
      bad('a quote is not closed')
      continue
    }
    if (cells.length < 2 || cells.length > header!.length) {
      bad(`expected ${columns}, found ${cells.length} cells`)
      continue
    }
    // Before any cell is quoted in a message. Codes are kept as uploaded, not
    // normalised: the shop's checkout compares them byte for byte.
    const dirty = cells
      .map((cell, index) => cleanText(cell, header![index]!))
      .find((result) => !result.success)
    if (dirty) {
      bad(dirty.issues![0]!.message)
      continue
    }
    const [code = '', valueText = '', expiryText = ''] = cells
    if (!CODE.test(code)) {
      bad(`code must be 1–${ADMIN_LIMITS.poolCode} characters without spaces`)
      continue
    }
    const value = Number(valueText)
    if (!/^\d+$/.test(valueText) || !Number.isSafeInteger(value) || value <= 0) {
      bad(`value must be a whole number of minor units above 0 (e.g. 500), not "${valueText}"`)
      continue
    }
    const expiresAt = parseExpiry(expiryText, now)
    if (typeof expiresAt === 'string') {
      bad(expiresAt)
      continue
    }
    const first = seen.get(code)
    if (first !== undefined) {
      bad(`code ${code} is also on line ${first}`)
      continue
    }
    seen.set(code, number)
    codes.push({ code, value, expiresAt })
  }
  if (problems.length > 0) {
    const more = problems.length - ADMIN_LIMITS.poolLinesShown
    throw new Refusal(
      `${problems.length} bad line${problems.length === 1 ? '' : 's'}, nothing was stored: ` +
        problems.slice(0, ADMIN_LIMITS.poolLinesShown).join('; ') +
        (more > 0 ? `; and ${more} more` : ''),
    )
  }
  return codes
}

/**
 * `POST /v1/admin/coupon-pool` (`text/csv`, the body as text): a header line
 * `code,value,expires_at` (`expires_at` may be left out), then one code per
 * line. Any bad line refuses the whole file, naming up to 10 of them (no
 * field). A code is 1–64 characters without whitespace, `value` whole minor
 * units above 0, `expires_at` empty, a date (valid through that UTC day) or
 * a date and time with a zone, after `now()`. A code twice is a bad line;
 * blank lines are ignored.
 *
 * @example
 * parseAdmin(couponCsvSchema(), 'code,value\nSAVE5-A1,500\n')
 * // { ok: true, value: [{ code: 'SAVE5-A1', value: 500, expiresAt: null }] }
 */
/* @__NO_SIDE_EFFECTS__ */
export function couponCsvSchema(now: () => Date = () => new Date()) {
  return v.pipe(
    v.string('Send the codes as text/csv'),
    ported((csv: string) => readCouponCsv(csv, now())),
  )
}
