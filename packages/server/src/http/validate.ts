/**
 * @module Checking a request against the protocol's admin schemas: the one
 * place a schema's refusal becomes `400 invalid_request`.
 */
import { parseAdmin } from '@redress/protocol/admin'
import { invalid } from './errors'

/** Any schema `parseAdmin` takes (named through it: valibot is the protocol's dependency, not ours). */
type AdminSchema = Parameters<typeof parseAdmin>[0]
/** What a schema gives back when the value passes. */
type Checked<S extends AdminSchema> = Extract<
  ReturnType<typeof parseAdmin<S>>,
  { ok: true }
>['value']

/**
 * `value` checked (and normalised: trimmed, NFC, defaults filled in) by one
 * of `@redress/protocol/admin`'s request schemas, or `400 invalid_request`
 * with the schema's message and field (none when the whole value is at fault).
 *
 * @example
 * const patch = valid(ComplaintPatchSchema, await readJson(c))
 * const { id } = valid(IdParamsSchema, c.req.param())
 * // { status: 'done' } → 400 { error: { code: 'invalid_request', message: 'status must be one of …', field: 'status' } }
 */
export function valid<S extends AdminSchema>(schema: S, value: unknown): Checked<S> {
  const result = parseAdmin(schema, value)
  if (!result.ok) throw invalid(result.message, result.field)
  return result.value
}
