/**
 * @module The rows the engine makes on first use and then reads under a lock:
 * an incident, a customer's lock row, a site's day, the goodwill budgets.
 */
import type { Insertable, Selectable, Transaction } from 'kysely'
import type { Tables } from '../db/schema'

/** The tables whose rows are made on demand, one per key. */
export type OnDemandTable =
  | 'incidents'
  | 'recovery_customer_locks'
  | 'recovery_site_days'
  | 'goodwill_days'
  | 'goodwill_clients'

/** Any table, for the one query below that works on several. */
type Loose = Transaction<Record<string, Record<string, unknown>>>

/**
 * The row with `key`, made first (from `key` and `init`) when there is none,
 * then read back. The insert is `ON CONFLICT DO NOTHING`, so of two
 * transactions making the same row the second waits for the first and then
 * reads its row. With `lock` the row is read `FOR UPDATE`: the check and the
 * change that follow it are atomic, and a second call in the same
 * transaction is a no-op.
 *
 * @example
 * const today = await upsertRow(trx, 'goodwill_days', { site_id: site.id, day }, { init: { issued: 0 }, lock: true })
 * Number(today.issued) // what goodwill gave today, read under the day's lock
 */
export async function upsertRow<T extends OnDemandTable>(
  trx: Transaction<Tables>,
  table: T,
  key: Partial<Record<keyof Tables[T] & string, string>>,
  options: { init?: Partial<Insertable<Tables[T]>>; lock: boolean },
): Promise<Selectable<Tables[T]>> {
  const db = trx as unknown as Loose
  await db
    .insertInto(table)
    .values({ ...key, ...options.init })
    .onConflict((conflict) => conflict.doNothing())
    .execute()
  let query = db.selectFrom(table).selectAll()
  for (const [column, value] of Object.entries(key)) query = query.where(column, '=', value)
  if (options.lock) query = query.forUpdate()
  return (await query.executeTakeFirstOrThrow()) as Selectable<Tables[T]>
}
