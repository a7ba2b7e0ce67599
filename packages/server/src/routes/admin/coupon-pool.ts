/**
 * @module The coupon pool in the admin API: `POST /coupon-pool` (a CSV
 * upload), `GET /coupon-pool` and `DELETE /coupon-pool/:code`. An upload
 * is read by the protocol's `couponCsvSchema`; the pool's rules are the
 * recovery domain's (`addPoolCodes`, `removePoolCode`).
 */
import {
  CouponCodeParamsSchema,
  type CouponPoolSummary,
  couponCsvSchema,
} from '@redress/protocol/admin'
import { type Context, Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import { ApiError, readBody, valid } from '../../http'
import {
  addPoolCodes,
  effectivePolicy,
  POOL_LIMITS,
  poolSummary,
  removePoolCode,
} from '../../recovery'
import type { AdminEnv } from './context'

/** The upload as UTF-8 text: `text/csv`, at most `max` bytes. */
function readCsv(c: Context, max: number): Promise<string> {
  const type = c.req.header('content-type') ?? ''
  if (!/^text\/csv\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the codes as text/csv')
  }
  return readBody(c, {
    max,
    tooLarge: `An upload is at most ${max / 1024 / 1024} MB: split the file`,
  })
}

/**
 * The pool's routes, a sub-app for the admin API (which has authenticated the site):
 * `POST /coupon-pool` (CSV upload), `GET /coupon-pool`, `DELETE /coupon-pool/:code`.
 *
 * @example
 * admin.route('/', couponPoolRoutes(db))
 * // GET /v1/admin/coupon-pool → 200 { free, used, expired, byValue, currency, source }
 */
export function couponPoolRoutes(db: Kysely<Tables>): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()

  routes.post('/coupon-pool', async (c) => {
    const codes = valid(couponCsvSchema(), await readCsv(c, POOL_LIMITS.body))
    return c.json(await addPoolCodes(db, c.get('site').id, codes), 201)
  })

  routes.get('/coupon-pool', async (c) => {
    const site = c.get('site')
    const policy = effectivePolicy(site)
    return c.json({
      ...(await poolSummary(db, site.id)),
      currency: policy.currency,
      source: policy.coupon.source,
    } satisfies CouponPoolSummary)
  })

  routes.delete('/coupon-pool/:code', async (c) => {
    // Checked, not normalised: it must match the code as uploaded.
    const { code } = valid(CouponCodeParamsSchema, c.req.param())
    await removePoolCode(db, c.get('site'), code)
    return c.body(null, 204)
  })

  return routes
}
