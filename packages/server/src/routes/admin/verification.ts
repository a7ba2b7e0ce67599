/**
 * @module The site's customer-verification secrets in the admin API: listed
 * without their value, made (and rotated) with the value shown once.
 */
import type { CreatedVerificationSecret } from '@redress/protocol/admin'
import type { Hono } from 'hono'
import type { Kysely } from 'kysely'
import {
  MAX_OVERLAP_MS,
  rotateVerificationSecret,
  verificationSecrets,
} from '../../complaints/customers'
import type { Tables } from '../../db/schema'
import { readJson } from '../../http/body'
import { type AdminEnv, invalid, recordSiteChange } from './admin'

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

/** `GET` and `POST /site/verification-secrets`. */
export function verificationRoutes(admin: Hono<AdminEnv>, db: Kysely<Tables>): void {
  admin.get('/site/verification-secrets', async (c) => {
    c.header('cache-control', 'no-store')
    return c.json({ items: await verificationSecrets(db, c.get('site').id) })
  })

  admin.post('/site/verification-secrets', async (c) => {
    // No body at all is a rotation with the default overlap.
    const body = c.req.header('content-type') === undefined ? undefined : await readJson(c)
    const { overlapMs } = parseRotation(body)
    const site = c.get('site')
    const created: CreatedVerificationSecret = await db.transaction().execute(async (trx) => {
      const made = await rotateVerificationSecret(trx, site.id, { overlapMs })
      // The audit trail names the secret, never its value.
      await recordSiteChange(trx, site.id, {
        verificationSecrets: { before: null, after: { id: made.id, hint: made.hint } },
      })
      return made
    })
    c.header('cache-control', 'no-store')
    return c.json(created, 201)
  })
}
