/**
 * @module Goodwill coupons: a small coupon for a complaint nobody vouched
 * for, when the site allows them, within budgets of their own (anyone can
 * send such a complaint).
 */
import type { Locale } from '@redress/protocol'
import { sql, type Transaction } from 'kysely'
import type { Site, Tables } from '../db/schema'
import { chargeCaps, dayOf } from './caps'
import { type Draft, plain } from './ledger'
import type { Policy } from './policy'
import { makeRemedy } from './remedies'
import { upsertRow } from './rows'

/**
 * A goodwill coupon for a complaint nobody vouched for, when the site allows
 * them (`policy.goodwill`): a fixed value, within the goodwill budget of the
 * UTC day, at most `perIpDay` per client, and within the site's day. `null`
 * when goodwill is off, a budget is spent, the client is unknown or the pool
 * has no fitting code: the remedy then waits for a person. The goodwill rows
 * are read under row locks and counted only when the coupon is given.
 *
 * @example
 * const draft = await goodwillCoupon(trx, { site, policy, locale: 'en', clientKey: 'ip:203.0.113.7', now })
 * draft?.value // policy.goodwill.value (or a pooled code's, never more)
 */
export async function goodwillCoupon(
  trx: Transaction<Tables>,
  input: {
    site: Site
    policy: Policy
    /** The complaint's: the coupon's label and terms are worded in it. */
    locale: Locale
    clientKey: string | null
    now: Date
  },
): Promise<Draft | null> {
  const { site, policy, locale, clientKey, now } = input
  const { goodwill } = policy
  if (!goodwill.enabled || goodwill.value <= 0 || !clientKey) return null
  const day = dayOf(now)
  const today = await upsertRow(
    trx,
    'goodwill_days',
    { site_id: site.id, day },
    { init: { issued: 0 }, lock: true },
  )
  if (Number(today.issued) + goodwill.value > goodwill.perDay) return null
  const client = await upsertRow(
    trx,
    'goodwill_clients',
    { site_id: site.id, day, client_key: clientKey },
    { init: { given: 0 }, lock: true },
  )
  if (Number(client.given) >= goodwill.perIpDay) return null

  // A pooled code may be worth less than asked, never more: that is what is counted.
  const made = await makeRemedy(trx, {
    site,
    policy,
    locale,
    kind: 'coupon',
    value: goodwill.value,
    now,
    orderRef: null,
  })
  if (!made) return null
  const breach = await chargeCaps(trx, {
    site,
    policy,
    subject: { customerId: null, orderValue: undefined, given: 0 },
    value: made.value,
    now,
    caps: 'site-day',
  })
  if (breach) return null
  await trx
    .updateTable('goodwill_days')
    .set({ issued: sql`issued + ${made.value}` })
    .where('site_id', '=', site.id)
    .where('day', '=', day)
    .execute()
  await trx
    .updateTable('goodwill_clients')
    .set({ given: sql`given + 1` })
    .where('site_id', '=', site.id)
    .where('day', '=', day)
    .where('client_key', '=', clientKey)
    .execute()
  return { ...plain(made.recovery), currency: policy.currency, ...made, reusedFrom: null }
}
