/**
 * @module The insights' request in the admin API: `?days=` of
 * `GET /v1/admin/insights`. Throws `400 invalid_request` naming `days`.
 */
import type { Context } from 'hono'
import { invalid } from '../../http'
import { INSIGHT_DAYS, parseDays } from '../../insights'

/**
 * How many days the insights cover.
 *
 * @example
 * // GET /v1/admin/insights?days=7
 * parseDaysQuery(c) // 7
 */
export function parseDaysQuery(c: Context): number {
  const days = parseDays(c.req.query('days'))
  if (days === undefined)
    throw invalid(`days is a whole number from ${INSIGHT_DAYS.min} to ${INSIGHT_DAYS.max}`, 'days')
  return days
}
