/**
 * @module The site's coupon pool: codes the owner made in their own shop
 * system (which only accepts its own codes), uploaded as CSV (read by the
 * protocol's `couponCsvSchema`). With the policy's
 * `coupon.source: "pool"` every coupon remedy takes the largest free code that
 * fits (`takePoolCode`, `FOR UPDATE SKIP LOCKED`); the rest fills, reads and
 * prunes the pool for the admin routes.
 */
import { formatMoney } from '@redress/protocol'
import { ADMIN_LIMITS, type CouponPoolSummary, type PoolCode } from '@redress/protocol/admin'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Site, Tables } from '../db/schema'
import { ConflictError, NotFoundError } from '../errors'
import { DAY_MS, effectivePolicy } from './policy'

/**
 * What one upload may hold: its bytes, read before the protocol's
 * `couponCsvSchema` counts its codes (`ADMIN_LIMITS.poolCodes`).
 */
export const POOL_LIMITS = {
  /** Bytes of CSV. */
  body: 1024 * 1024,
  /** Codes per upload. */
  codes: ADMIN_LIMITS.poolCodes,
} as const

/** Rows per INSERT: well under PostgreSQL's 65 535 bind parameters. */
const INSERT_BATCH = 1000

/**
 * Store codes the site does not have yet, in one transaction; codes already
 * in the pool (free, used or expired) are left as they are and counted as
 * skipped.
 *
 * @example
 * await addPoolCodes(db, site.id, valid(couponCsvSchema(), text)) // { added: 2, skipped: 0 }
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
