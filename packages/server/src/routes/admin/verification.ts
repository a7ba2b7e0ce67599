/**
 * @module The site's customer-verification secrets in the admin API: listed
 * without their value, made (and rotated) with the value shown once.
 */
import { type CreatedVerificationSecret, RotationBodySchema } from '@redress/protocol/admin'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { rotateVerificationSecret, verificationSecrets } from '../../complaints'
import type { Tables } from '../../db/schema'
import { readJson, valid } from '../../http'
import { type AdminEnv, recordSiteChange } from './context'

/**
 * `GET` and `POST /site/verification-secrets`, a sub-app for the admin API
 * (which has authenticated the site).
 *
 * @example
 * admin.route('/', verificationRoutes(db))
 * // POST /v1/admin/site/verification-secrets { "overlapHours": 0 } → 201 the new secret, its value shown once
 */
export function verificationRoutes(db: Kysely<Tables>): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()

  routes.get('/site/verification-secrets', async (c) => {
    c.header('cache-control', 'no-store')
    return c.json({ items: await verificationSecrets(db, c.get('site').id) })
  })

  routes.post('/site/verification-secrets', async (c) => {
    // No body at all is a rotation with the default overlap.
    const body = c.req.header('content-type') === undefined ? undefined : await readJson(c)
    const { overlapMs } = valid(RotationBodySchema, body)
    const site = c.get('site')
    const created: CreatedVerificationSecret = await db.transaction().execute(async (trx) => {
      const made = await rotateVerificationSecret(trx, site.id, { overlapMs })
      // The audit trail names the secret, never its value.
      await recordSiteChange(
        trx,
        site.id,
        {
          verificationSecrets: { before: null, after: { id: made.id, hint: made.hint } },
        },
        c.get('actor'),
      )
      return made
    })
    c.header('cache-control', 'no-store')
    return c.json(created, 201)
  })

  return routes
}
