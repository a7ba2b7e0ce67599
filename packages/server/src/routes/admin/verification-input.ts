/**
 * @module The verification secrets' request in the admin API: the body of
 * `POST /v1/admin/site/verification-secrets`. Throws `400 invalid_request`
 * naming the field at fault.
 */
import { MAX_OVERLAP_MS } from '../../complaints'
import { invalid } from '../../http'

const HOUR_MS = 3_600_000

/**
 * The body of `POST /v1/admin/site/verification-secrets`: `{ overlapHours? }`,
 * how long the secrets made before keep verifying (default 24, 0 to stop them
 * at once, at most 720). Throws `400 invalid_request` naming the field.
 *
 * @example
 * parseRotation({ overlapHours: 0 }) // { overlapMs: 0 }
 */
export function parseRotation(body: unknown): { overlapMs: number | undefined } {
  if (body === undefined || body === null) return { overlapMs: undefined }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('Send a JSON object { overlapHours? }', '')
  }
  const { overlapHours, ...rest } = body as Record<string, unknown>
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) throw invalid(`Unknown field ${unknown}`, unknown)
  if (overlapHours === undefined) return { overlapMs: undefined }
  const max = MAX_OVERLAP_MS / HOUR_MS
  if (
    typeof overlapHours !== 'number' ||
    !Number.isFinite(overlapHours) ||
    overlapHours < 0 ||
    overlapHours > max
  ) {
    throw invalid(`overlapHours is a number of hours from 0 to ${max}`, 'overlapHours')
  }
  return { overlapMs: Math.round(overlapHours * HOUR_MS) }
}
