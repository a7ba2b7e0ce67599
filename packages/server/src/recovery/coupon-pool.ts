/**
 * @module The site's coupon pool: codes the owner made in their own shop
 * system (which only accepts its own codes), uploaded as CSV. With the policy's
 * `coupon.source: "pool"` every coupon remedy takes the largest free code that
 * fits (`takePoolCode`, `FOR UPDATE SKIP LOCKED`); the rest fills, reads and
 * prunes the pool for the admin routes.
 */
import type { CouponPoolSummary } from '@redress/protocol/admin'
import { cleanText } from '@redress/protocol/schema'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Site, Tables } from '../db/schema'
import { ConflictError, InvalidInputError, NotFoundError } from '../errors'
import { DAY_MS, effectivePolicy, formatMoney } from './policy'

/** What one upload may hold. */
export const POOL_LIMITS = {
  /** Bytes of CSV. */
  body: 1024 * 1024,
  /** Codes per upload. */
  codes: 10_000,
  /** Characters per code. */
  code: 64,
  /** Bad lines named in a refusal. */
  linesShown: 10,
} as const

/** One code of an upload. */
export interface PoolCode {
  code: string
  /** Minor units of the policy's currency. */
  value: number
  expiresAt: Date | null
}

const CODE = new RegExp(`^\\S{1,${POOL_LIMITS.code}}$`)
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i
/** Rows per INSERT: well under PostgreSQL's 65 535 bind parameters. */
const INSERT_BATCH = 1000

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

/**
 * Read an upload: a header line `code,value,expires_at` (`expires_at` may be
 * left out), then one code per line. Every line is checked before anything is
 * stored; any bad one refuses the whole file with `400 invalid_request`
 * naming up to 10 of them (`InvalidInputError`). A code is 1–64 characters without whitespace,
 * `value` whole minor units above 0, `expires_at` optional (a date is valid
 * through that UTC day). A code twice in one file is a bad line; blank lines
 * are ignored.
 *
 * @example
 * parseCouponCsv('code,value,expires_at\nSAVE5-A1,500,2026-12-31\nSAVE5-A2,500,\n')
 * // [{ code: 'SAVE5-A1', value: 500, expiresAt: 2026-12-31T23:59:59.999Z }, { code: 'SAVE5-A2', value: 500, expiresAt: null }]
 */
export function parseCouponCsv(text: string, now: Date = new Date()): PoolCode[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const refuse = (message: string) => new InvalidInputError(message)
  const headerAt = lines.findIndex((line) => line.trim() !== '')
  const header = headerAt < 0 ? undefined : cellsOf(lines[headerAt]!)?.map((h) => h.toLowerCase())
  const columns = header?.join(',')
  if (columns !== 'code,value,expires_at' && columns !== 'code,value') {
    throw refuse(
      'The first line must be the header code,value,expires_at (expires_at may be left out)',
    )
  }
  const rows = lines.flatMap((line, index) =>
    index > headerAt && line.trim() !== '' ? [{ line, number: index + 1 }] : [],
  )
  if (rows.length === 0) throw refuse('No codes: send one code per line after the header')
  if (rows.length > POOL_LIMITS.codes) {
    throw refuse(
      `At most ${POOL_LIMITS.codes} codes per upload (this one has ${rows.length}): split the file`,
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
      bad(`code must be 1–${POOL_LIMITS.code} characters without spaces`)
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
    const more = problems.length - POOL_LIMITS.linesShown
    throw refuse(
      `${problems.length} bad line${problems.length === 1 ? '' : 's'}, nothing was stored: ` +
        problems.slice(0, POOL_LIMITS.linesShown).join('; ') +
        (more > 0 ? `; and ${more} more` : ''),
    )
  }
  return codes
}

/**
 * Store codes the site does not have yet, in one transaction; codes already
 * in the pool (free, used or expired) are left as they are and counted as
 * skipped.
 *
 * @example
 * await addPoolCodes(db, site.id, parseCouponCsv(text)) // { added: 2, skipped: 0 }
 */
export async function addPoolCodes(
  db: Kysely<Tables>,
  siteId: string,
  codes: PoolCode[],
): Promise<{ added: number; skipped: number }> {
  let added = 0
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < codes.length; start += INSERT_BATCH) {
      const inserted = await trx
        .insertInto('coupon_pool')
        .values(
          codes.slice(start, start + INSERT_BATCH).map((entry) => ({
            site_id: siteId,
            code: entry.code,
            value: entry.value,
            expires_at: entry.expiresAt,
          })),
        )
        .onConflict((conflict) => conflict.columns(['site_id', 'code']).doNothing())
        .returning('code')
        .execute()
      added += inserted.length
    }
  })
  return { added, skipped: codes.length - added }
}

/**
 * How the pool stands: free codes (by value), used and expired ones.
 *
 * @example
 * await poolSummary(db, site.id) // { free: 2, used: 1, expired: 0, byValue: [{ value: 500, free: 2 }] }
 */
export async function poolSummary(
  db: Kysely<Tables>,
  siteId: string,
  now: Date = new Date(),
): Promise<Omit<CouponPoolSummary, 'currency' | 'source'>> {
  const free = sql<boolean>`recovery_id IS NULL AND (expires_at IS NULL OR expires_at > ${now})`
  const [counts, byValue] = await Promise.all([
    db
      .selectFrom('coupon_pool')
      .select([
        sql<string>`count(*) FILTER (WHERE ${free})`.as('free'),
        sql<string>`count(*) FILTER (WHERE recovery_id IS NOT NULL)`.as('used'),
        sql<string>`count(*) FILTER (WHERE recovery_id IS NULL AND expires_at <= ${now})`.as(
          'expired',
        ),
      ])
      .where('site_id', '=', siteId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('coupon_pool')
      .select(['value', sql<string>`count(*)`.as('free')])
      .where('site_id', '=', siteId)
      .where(free)
      .groupBy('value')
      .orderBy('value')
      .execute(),
  ])
  return {
    free: Number(counts.free),
    used: Number(counts.used),
    expired: Number(counts.expired),
    byValue: byValue.map((row) => ({ value: Number(row.value), free: Number(row.free) })),
  }
}

/**
 * Remove a free code from the pool, under its row lock (a complaint taking
 * this very code finishes first). A code given to a customer stays for the
 * record: `ConflictError`; none such: `NotFoundError`.
 *
 * @example
 * await removePoolCode(db, site, 'SAVE5-A1')
 */
export async function removePoolCode(
  db: Kysely<Tables>,
  site: Pick<Site, 'id' | 'categories' | 'policy'>,
  code: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('coupon_pool')
      .select(['recovery_id', 'value'])
      .where('site_id', '=', site.id)
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new NotFoundError(`No code ${code} in the coupon pool`)
    if (row.recovery_id) {
      throw new ConflictError(
        `Code ${code} (${formatMoney(Number(row.value), effectivePolicy(site).currency)}) was ` +
          `given to a customer (remedy ${row.recovery_id}); it stays for the record`,
      )
    }
    await trx
      .deleteFrom('coupon_pool')
      .where('site_id', '=', site.id)
      .where('code', '=', code)
      .execute()
  })
}

/**
 * The largest free code of the site's pool worth at most `maxValue` (with
 * `exact`, exactly `maxValue`), not expiring within a day (a customer needs
 * time to use it), locked with `FOR UPDATE SKIP LOCKED`: concurrent
 * complaints each take a different code and never wait on each other.
 * Claimed by `claimPoolCode` once the ledger row exists.
 *
 * @example
 * const pooled = await takePoolCode(trx, site.id, 500, now, false) // { code: 'SAVE5-A1', value: 500, expiresAt: null }
 */
export async function takePoolCode(
  trx: Transaction<Tables>,
  siteId: string,
  maxValue: number,
  now: Date,
  exact: boolean,
): Promise<{ code: string; value: number; expiresAt: Date | null } | undefined> {
  const row = await trx
    .selectFrom('coupon_pool')
    .select(['code', 'value', 'expires_at'])
    .where('site_id', '=', siteId)
    .where('recovery_id', 'is', null)
    .where(exact ? sql<boolean>`value = ${maxValue}` : sql<boolean>`value <= ${maxValue}`)
    .where((eb) =>
      eb.or([
        eb('expires_at', 'is', null),
        eb('expires_at', '>', new Date(now.getTime() + DAY_MS)),
      ]),
    )
    .orderBy('value', 'desc')
    .orderBy('code')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst()
  return row
    ? {
        code: row.code,
        value: Number(row.value),
        expiresAt: row.expires_at ? new Date(row.expires_at) : null,
      }
    : undefined
}

/**
 * Mark a pool code as taken by a ledger row (which must exist: `recovery_id`
 * is a foreign key).
 *
 * @example
 * await claimPoolCode(trx, site.id, 'SAVE5-A1', row.id)
 */
export async function claimPoolCode(
  trx: Transaction<Tables>,
  siteId: string,
  code: string,
  recoveryRowId: string,
): Promise<void> {
  await trx
    .updateTable('coupon_pool')
    .set({ recovery_id: recoveryRowId })
    .where('site_id', '=', siteId)
    .where('code', '=', code)
    .execute()
}
