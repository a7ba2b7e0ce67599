/** @module Reading request bodies: a size cap before any parsing, UTF-8 and JSON checks. */
import { LIMITS } from '@redress/protocol'
import type { Context } from 'hono'
import { ApiError } from './errors'

/**
 * Read the body as UTF-8, refusing it with `413 payload_too_large` once it
 * passes `max` bytes (`LIMITS.body` unless said otherwise): by its declared
 * length at once, else while it streams in, before any parsing.
 */
export async function readBody(
  c: Context,
  options: { max?: number; tooLarge?: string } = {},
): Promise<string> {
  const max = options.max ?? LIMITS.body
  const tooLarge = () =>
    new ApiError(
      413,
      'payload_too_large',
      options.tooLarge ?? `The body must be at most ${max} bytes`,
    )
  const declared = Number(c.req.header('content-length'))
  if (Number.isFinite(declared) && declared > max) throw tooLarge()
  const stream = c.req.raw.body
  if (!stream) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      // Stop reading at once: the rest is never buffered.
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    throw new ApiError(400, 'invalid_request', 'The body is not valid UTF-8')
  }
}

export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json')
  }
  const text = await readBody(c)
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError(400, 'invalid_request', 'The body is not valid JSON')
  }
}

/** The `Authorization: Bearer …` token, if any. */
export function bearer(c: Context): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
}
