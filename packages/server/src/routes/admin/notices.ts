/**
 * @module Known-issue notices in the admin API: `GET`/`POST
 * /v1/admin/notices`, `PATCH`/`DELETE /v1/admin/notices/{id}`. Every change
 * goes to the site's audit trail in its transaction.
 */
import {
  IdParamsSchema,
  NoticeCreateSchema,
  type NoticePage,
  NoticePatchSchema,
} from '@redress/protocol/admin'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import { readJson, valid } from '../../http'
import { createNotice, deleteNotice, listNotices, patchNotice } from '../../notices'
import { type AdminEnv, recordSiteChange } from './context'

/**
 * The notice routes, a sub-app for the admin API (which has authenticated the site).
 *
 * @example
 * admin.route('/', noticeRoutes(db))
 * // POST /v1/admin/notices { "messages": { "en": "Card payments fail; we are on it." }, "page": "/checkout" } → 201
 */
export function noticeRoutes(
  db: Kysely<Tables>,
  now: () => Date = () => new Date(),
): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()

  routes.get('/notices', async (c) => {
    const page: NoticePage = { items: await listNotices(db, c.get('site').id, now()) }
    return c.json(page)
  })

  routes.post('/notices', async (c) => {
    const input = valid(NoticeCreateSchema, await readJson(c))
    const siteId = c.get('site').id
    const view = await db.transaction().execute(async (trx) => {
      const created = await createNotice(trx, siteId, input, now())
      await recordSiteChange(
        trx,
        siteId,
        { notices: { before: null, after: created } },
        c.get('actor'),
      )
      return created
    })
    return c.json(view, 201)
  })

  routes.patch('/notices/:id', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    const patch = valid(NoticePatchSchema, await readJson(c))
    const siteId = c.get('site').id
    const view = await db.transaction().execute(async (trx) => {
      const { before, after } = await patchNotice(trx, siteId, id, patch, now())
      await recordSiteChange(trx, siteId, { notices: { before, after } }, c.get('actor'))
      return after
    })
    return c.json(view)
  })

  routes.delete('/notices/:id', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    const siteId = c.get('site').id
    await db.transaction().execute(async (trx) => {
      const before = await deleteNotice(trx, siteId, id)
      await recordSiteChange(trx, siteId, { notices: { before, after: null } }, c.get('actor'))
    })
    return c.body(null, 204)
  })

  return routes
}
