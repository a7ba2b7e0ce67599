/**
 * @module The admin API's contract (`/v1/admin`), shared by the server and
 * the dashboard: its answers (types), its requests (valibot schemas that say
 * what the server accepts, with the message and field of each refusal), its
 * error codes, and `parseAdmin`, which checks a request against a schema.
 *
 * Types and constant lists cost a bundle next to nothing; a schema is kept
 * only where it is used. Browser SDKs never import this. Money is in whole
 * minor units, times are ISO 8601 text.
 *
 * @example
 * import { type ComplaintPage, ComplaintPatchSchema, parseAdmin } from '@redress/protocol/admin'
 *
 * const response = await fetch('/v1/admin/complaints?status=received', {
 *   headers: { authorization: `Bearer ${adminToken}` },
 * })
 * const page = (await response.json()) as ComplaintPage
 * for (const item of page.items) console.log(item.reference, item.excerpt)
 *
 * // The server, and a form before it sends:
 * const result = parseAdmin(ComplaintPatchSchema, { status: 'done' })
 * // { ok: false, message: 'status must be one of received, …', field: 'status' }
 */
export * from './alerts'
export * from './complaint-list'
export * from './complaints'
export * from './coupon-pool'
export * from './errors'
export * from './live'
export * from './mail'
export * from './notices'
export * from './people'
export * from './policy'
export * from './policy-texts'
export * from './remedies'
export * from './site'
export * from './site-settings'
export * from './webhooks'
export * from './words'
