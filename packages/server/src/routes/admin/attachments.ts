/**
 * @module A complaint's photos in the admin API: served only to the site's
 * people and tokens (never a public URL), as the type their bytes were
 * checked to be, under a name of the server's, with nothing a browser could
 * run: `nosniff` and a CSP that forbids everything but showing the image.
 */
import type { AttachmentView } from '@redress/protocol/admin'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { attachmentReceipt, servedName } from '../../attachments'
import type { BlobStore } from '../../blobs/types'
import type { AttachmentRow, Tables } from '../../db/schema'
import { ApiError, clean } from '../../http'
import { type AdminEnv, findOwn } from './context'

/** Where the admin API serves a photo's bytes. */
export const attachmentUrl = (row: Pick<AttachmentRow, 'id' | 'complaint_id'>) =>
  `/v1/admin/complaints/${encodeURIComponent(row.complaint_id)}/attachments/${encodeURIComponent(row.id)}`

/**
 * A photo as `ComplaintDetail.attachments` lists it.
 *
 * @example
 * attachments.map(attachmentView)
 */
export const attachmentView = (row: AttachmentRow): AttachmentView => ({
  ...attachmentReceipt(row),
  name: row.name,
  url: attachmentUrl(row),
})

/**
 * The photo route, a sub-app for the admin API (which has authenticated the
 * site): `GET /complaints/:id/attachments/:attachmentId`.
 *
 * @example
 * admin.route('/', attachmentRoutes(db, blobs))
 */
export function attachmentRoutes(db: Kysely<Tables>, blobs: BlobStore): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()
  routes.get('/complaints/:id/attachments/:attachmentId', async (c) => {
    const complaint = await findOwn(db, c.get('site'), clean(c.req.param('id'), 'id'))
    const id = clean(c.req.param('attachmentId'), 'attachmentId')
    const row = await db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', id)
      .where('complaint_id', '=', complaint.id)
      .executeTakeFirst()
    const bytes = row && (await blobs.get(row.blob_key))
    if (!row || !bytes) throw new ApiError(404, 'not_found', `No photo ${id} on this complaint`)
    return c.body(Buffer.from(bytes), 200, {
      'content-type': row.type,
      'content-length': String(bytes.length),
      'x-content-type-options': 'nosniff',
      'content-disposition': `inline; filename="${servedName(row.seq, row.type)}"`,
      'content-security-policy': "default-src 'none'; sandbox",
      // The same id is always the same bytes; only this browser keeps them.
      'cache-control': 'private, max-age=86400, immutable',
    })
  })
  return routes
}
