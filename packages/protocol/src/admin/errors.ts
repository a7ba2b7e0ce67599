/**
 * @module The admin API's error codes and the one helper that turns a
 * schema's first issue into the server's `400 invalid_request` message and field.
 */
import * as v from 'valibot'
import { ERROR_CODES } from '../index'

/**
 * Every code an admin API error body may carry: the protocol's
 * (`ERROR_CODES`) and the admin API's own, `conflict` (409: the complaint
 * already has an owner, a remedy was already decided the other way, the
 * webhook endpoint is disabled, a pool code was given) and `cap_exceeded`
 * (409: a remedy issued by hand is worth more than the caps leave).
 *
 * @example
 * ADMIN_ERROR_CODES.includes(body.error.code as AdminErrorCode)
 */
export const ADMIN_ERROR_CODES = [
  ...ERROR_CODES,
  'conflict',
  'cap_exceeded',
  'forbidden',
  'totp_required',
] as const
/** One of `ADMIN_ERROR_CODES`. */
export type AdminErrorCode = (typeof ADMIN_ERROR_CODES)[number]

/**
 * Every 4xx/5xx answer of the admin API.
 *
 * @example
 * // 400 { "error": { "code": "invalid_request", "message": "status must be one of …", "field": "status" } }
 * // 409 { "error": { "code": "cap_exceeded", "message": "…", "field": "value" } }
 */
export interface AdminErrorBody {
  error: {
    code: AdminErrorCode
    message: string
    /**
     * The offending field: a dotted path with array items in brackets
     * (`policy.caps.perSiteDay`, `categories[2].id`), a query parameter
     * (`limit`) or a header (`idempotencyKey`, `Last-Event-ID`). Absent when
     * the whole body is at fault.
     */
    field?: string
  }
}

/**
 * An issue's field as the admin API names it: keys joined by dots, array
 * items in brackets (`categories[2].label`); `""` for the whole value.
 *
 * @example
 * issueField(issue) // 'origins[0]'
 */
export function issueField(issue: v.BaseIssue<unknown>): string {
  let field = ''
  for (const item of issue.path ?? []) {
    field +=
      item.type === 'array'
        ? `[${String(item.key)}]`
        : field
          ? `.${String(item.key)}`
          : String(item.key)
  }
  return field
}

/** What `parseAdmin` says: the checked value, or why it was refused. */
export type AdminParseResult<T> =
  | { ok: true; value: T }
  | {
      ok: false
      /** The server's message, e.g. `status must be one of received, …`. */
      message: string
      /** As `AdminErrorBody`'s `field`; `""` when the whole value is at fault (send no field). */
      field: string
    }

/**
 * Check a request body, query or header set against one of the admin
 * schemas, stopping at the first problem, as the server does: on success
 * the normalised value (trimmed, NFC, defaults filled in), else the message
 * and field of its `400 invalid_request`.
 *
 * @example
 * const result = parseAdmin(ComplaintPatchSchema, await readJson(c))
 * if (!result.ok) throw invalid(result.message, result.field)
 * result.value.status // Status | undefined
 */
export function parseAdmin<TSchema extends v.GenericSchema>(
  schema: TSchema,
  value: unknown,
): AdminParseResult<v.InferOutput<TSchema>> {
  const result = v.safeParse(schema, value, { abortEarly: true })
  if (result.success) return { ok: true, value: result.output }
  const issue = result.issues[0]
  return { ok: false, message: issue.message, field: issueField(issue) }
}
