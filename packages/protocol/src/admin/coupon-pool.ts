/**
 * @module The coupon pool in the admin API: what is left of it, removing a
 * code, and reading an upload of codes (CSV).
 */
import * as v from 'valibot'
import { cleanText } from '../schema/index'
import { clean, ported, Refusal } from './_valid'
import { ADMIN_LIMITS } from './words'

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
