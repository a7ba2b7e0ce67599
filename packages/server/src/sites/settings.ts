/** @module Server-wide settings kept in the database. */
import type { Kysely } from 'kysely'
import { secret } from '../_lib/crypto'
import type { Tables } from '../db/schema'

/**
 * The secret status tokens are derived from: `REDRESS_SECRET` when given,
 * otherwise one generated on first start and kept in the `settings` table,
 * so every process on the database agrees. Set `REDRESS_SECRET` to keep
 * tokens underivable from a copy of the database alone; never change it once
 * complaints exist, or replays of older complaints return different tokens.
 *
 * @example
 * const secret = await loadSecret(db, process.env.REDRESS_SECRET)
 */
export async function loadSecret(db: Kysely<Tables>, fromEnv?: string): Promise<string> {
  if (fromEnv) return fromEnv
  await db
    .insertInto('settings')
    .values({ key: 'token_secret', value: secret() })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute()
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'token_secret')
    .executeTakeFirstOrThrow()
  return row.value
}
