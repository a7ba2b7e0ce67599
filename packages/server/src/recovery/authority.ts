/**
 * @module A person's authority: the most one remedy they give (or approve)
 * may be worth, and the most they may give in a UTC day. Charged in the
 * caller's transaction after the complaint's lock and before the customer's
 * and the site's, so every path takes its locks in one order.
 */
import { sql, type Transaction } from 'kysely'
import type { Tables } from '../db/schema'

/** Who gives a remedy by hand, and their limits (minor units; `null`: none of their own). */
export interface Authority {
  userId: string
  name: string
  remedyLimit: number | null
  dayLimit: number | null
}

/**
 * Charge `value` to the person: `'remedy'` when it is more than their limit
 * per remedy, `'day'` when it would take them past their limit for the day
 * (one conditional upsert, so two requests at once never both pass), else
 * `undefined`, counted.
 *
 * @example
 * const over = await chargeAuthority(trx, authority, 2500, new Date()) // undefined, 'remedy' or 'day'
 */
export async function chargeAuthority(
  trx: Transaction<Tables>,
  authority: Authority,
  value: number,
  now: Date,
): Promise<'remedy' | 'day' | undefined> {
  if (value <= 0) return undefined
  if (authority.remedyLimit !== null && value > authority.remedyLimit) return 'remedy'
  const day = now.toISOString().slice(0, 10)
  if (authority.dayLimit === null) {
    await sql`
      INSERT INTO authority_days (user_id, day, given) VALUES (${authority.userId}, ${day}, ${value})
      ON CONFLICT (user_id, day) DO UPDATE SET given = authority_days.given + ${value}`.execute(trx)
    return undefined
  }
  if (value > authority.dayLimit) return 'day'
  const charged = await sql<{ given: string }>`
    INSERT INTO authority_days (user_id, day, given) VALUES (${authority.userId}, ${day}, ${value})
    ON CONFLICT (user_id, day) DO UPDATE SET given = authority_days.given + ${value}
      WHERE authority_days.given + ${value} <= ${authority.dayLimit}
    RETURNING given`.execute(trx)
  return charged.rows.length === 0 ? 'day' : undefined
}
