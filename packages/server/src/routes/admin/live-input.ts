/**
 * @module The live stream's request in the admin API: where
 * `GET /v1/admin/stream` resumes. Throws `400 invalid_request` naming the
 * header or query field at fault.
 */
import type { Context } from 'hono'
import { invalid } from '../../http'

/**
 * Where to resume: `Last-Event-ID` (what a reconnecting client sends), else
 * `?after=`; `undefined` with neither.
 *
 * @example
 * // GET /v1/admin/stream with Last-Event-ID: 42
 * parseResumePoint(c) // 42n
 */
export function parseResumePoint(c: Context): bigint | undefined {
  const header = c.req.header('last-event-id')
  const query = c.req.query('after')
  const [field, text] =
    header !== undefined ? ['Last-Event-ID', header.trim()] : ['after', query?.trim()]
  if (text === undefined || text === '') return undefined
  // 18 digits stay inside bigint whatever they are.
  if (!/^\d{1,18}$/.test(text)) throw invalid(`${field} is an event id from this stream`, field)
  return BigInt(text)
}
