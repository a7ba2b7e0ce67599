/**
 * @module Reading request bodies: a size cap before any parsing, UTF-8 and
 * JSON checks, a bound on how deep and wide JSON may be, and the protocol's
 * text rules for the strings handlers take by hand.
 */
import { LIMITS } from '@redress/protocol'
import { cleanText } from '@redress/protocol/schema'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ApiError, invalid } from './errors'

/**
 * Read the body as UTF-8, refusing it with `413 payload_too_large` once it
 * passes `max` bytes (`LIMITS.body` unless said otherwise): by its declared
 * length at once, else while it streams in, before any parsing.
 *
 * The cap is Hono's `bodyLimit`, run here rather than in front of the route:
 * a refusal that needs no body (415, 401, 404, 403) comes first, as it always
 * has. `bodyLimit` stops reading a streamed body as soon as it passes `max`,
 * so no more than `max` bytes are ever held.
 *
 * @example
 * const csv = await readBody(c, { max: 1024 * 1024, tooLarge: 'An upload is at most 1 MB' })
 */
export async function readBody(
  c: Context,
  options: { max?: number; tooLarge?: string } = {},
): Promise<string> {
  const bytes = await readBytes(c, options)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new ApiError(400, 'invalid_request', 'The body is not valid UTF-8')
  }
}

/**
 * The body's bytes, capped as `readBody` caps them (`413 payload_too_large`
 * past `max`, before more is read).
 *
 * @example
 * const photo = await readBytes(c, { max: LIMITS.attachmentBytes })
 */
export async function readBytes(
  c: Context,
  options: { max?: number; tooLarge?: string } = {},
): Promise<Uint8Array> {
  const max = options.max ?? LIMITS.body
  const cap = bodyLimit({
    maxSize: max,
    onError: () => {
      throw new ApiError(
        413,
        'payload_too_large',
        options.tooLarge ?? `The body must be at most ${max} bytes`,
      )
    },
  })
  await cap(c, async () => {})
  // A streamed body was buffered by `bodyLimit` (and `c.req.raw` replaced); a declared one is read now.
  const stream = c.req.raw.body
  if (!stream) return new Uint8Array()
  // Read the stream ourselves: a Request's arrayBuffer() costs more per call.
  const chunks: Uint8Array[] = []
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

/**
 * How deep (objects and arrays, the value itself being level 1) and how wide
 * (object keys in all) JSON may be.
 *
 * @example
 * const policy: JsonLimits = { depth: 8, keys: 200 }
 */
export interface JsonLimits {
  depth: number
  keys: number
}

/**
 * Any JSON body: deeper and wider than any route takes (the site's settings
 * are the largest), and shallow enough that nothing recursive (`JSON.stringify`,
 * a validator) can run out of stack on it, whatever fits in `LIMITS.body`.
 *
 * @example
 * JSON_LIMITS.depth // 16: `{"a":[{}]}` is 3 levels deep
 */
export const JSON_LIMITS: JsonLimits = { depth: 16, keys: 1000 }

/**
 * Check a JSON value's shape: nested at most `limits.depth` levels, at most
 * `limits.keys` object keys in all, each key one line without control
 * characters or unpaired surrogates (a key names a field; none has them).
 * Throws `400 invalid_request` naming `field` (`""` is the whole body), or
 * for a bad key the object holding it.
 *
 * @example
 * checkJson({ a: { b: {} } }, 'policy', { depth: 2, keys: 200 })
 * // throws 400: "policy nests deeper than 2 levels", field "policy"
 */
export function checkJson(
  value: unknown,
  field: string,
  limits: JsonLimits = JSON_LIMITS,
): unknown {
  const name = field || 'The body'
  let keys = 0
  // Depth-first with the depth checked before going down, so the recursion never
  // goes deeper than `limits.depth`, whatever the value.
  const walk = (node: unknown, path: string, top: string, depth: number): void => {
    if (typeof node !== 'object' || node === null) return
    if (depth > limits.depth) throw invalid(`${name} nests deeper than ${limits.depth} levels`, top)
    const join = (key: string | number) => (path ? `${path}.${key}` : String(key))
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, join(index), top, depth + 1)
      return
    }
    for (const [key, inner] of Object.entries(node)) {
      if (++keys > limits.keys) throw invalid(`${name} has more than ${limits.keys} keys`, field)
      clean(key, path, { label: `A key of ${path || 'the body'}` })
      walk(inner, join(key), top || key, depth + 1)
    }
  }
  walk(value, field, field, 1)
  return value
}

/**
 * `value` by the protocol's text rules (`cleanText`): NFC-normalised, or `400
 * invalid_request` naming `field` when it holds a control character (tab and
 * line breaks pass with `multiline`) or an unpaired surrogate. `label` names
 * the value in the message when `field` is not its name.
 *
 * @example
 * clean('Cafe\u0301', 'label') // 'Café'
 * clean('Ana\u0000', 'author') // throws 400: "author contains a control character (U+0000)"
 */
export function clean(
  value: string,
  field: string,
  options: { multiline?: boolean; label?: string } = {},
): string {
  const result = cleanText(value, options.label ?? field, options)
  if (!result.success) throw invalid(result.issues[0]!.message, field)
  return result.output
}

/**
 * The body as JSON, within `JSON_LIMITS` (see `checkJson`): `415` unless sent
 * as `application/json`, `400 invalid_request` when it is not JSON or is too
 * deep or wide.
 *
 * @example
 * const result = validateFollowUp(await readJson(c))
 */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json')
  }
  const text = await readBody(c)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ApiError(400, 'invalid_request', 'The body is not valid JSON')
  }
  return checkJson(value, '')
}

/**
 * The `Authorization: Bearer …` token, if any.
 *
 * @example
 * bearer(c) // 'abc' for `Authorization: Bearer abc`, undefined without the header
 */
export function bearer(c: Context): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
}
