/**
 * @module A complaint's photos: checked by their bytes, stored once per
 * `Idempotency-Key` under a random key in the blob store, their metadata in
 * the database under the complaint's row lock (so concurrent uploads count
 * right), each announced by an `attachment_added` event and its webhook.
 */
import { createHash } from 'node:crypto'
import { type AttachmentReceipt, type AttachmentType, LIMITS } from '@redress/protocol'
import { ATTACHMENT_RETENTION } from '@redress/protocol/admin'
import { type Kysely, sql } from 'kysely'
import { attachmentId, blobKey } from '../_lib/crypto'
import type { BlobStore } from '../blobs/types'
import type { AttachmentRow, ComplaintRow, Tables } from '../db/schema'
import { IdempotencyConflictError, TooManyAttachmentsError, UnsupportedMediaError } from '../errors'
import { emit } from '../outbox'
import { nameFits, sniffImage } from './sniff'

/** Days a site keeps photos unless it says otherwise. */
export const ATTACHMENT_DAYS = ATTACHMENT_RETENTION.days

/**
 * A photo as the protocol answers about it.
 *
 * @example
 * c.json(attachmentReceipt(row), 201)
 */
export const attachmentReceipt = (row: AttachmentRow): AttachmentReceipt => ({
  id: row.id,
  type: row.type,
  size: row.size,
  width: row.width,
  height: row.height,
  createdAt: new Date(row.created_at).toISOString(),
})

/** What a client sent: the bytes, and what it says of them. */
export interface Upload {
  bytes: Uint8Array
  /** The `Content-Type` it declared (without parameters). */
  declared: string | undefined
  /** The file's name on the customer's device, if it sent one. */
  name: string | null
  idempotencyKey: string
}

/**
 * Check an upload by its bytes: a JPEG, PNG or WebP image whose declared
 * type and name (if any) agree with what it is. Throws
 * `UnsupportedMediaError` otherwise.
 *
 * @example
 * checkUpload({ bytes, declared: 'image/png', name: 'mug.png', idempotencyKey })
 */
export function checkUpload(upload: Upload) {
  const found = sniffImage(upload.bytes)
  if (!found)
    throw new UnsupportedMediaError(
      'A photo is a JPEG, PNG or WebP image; these bytes are none of them',
    )
  if (upload.declared !== found.type)
    throw new UnsupportedMediaError(
      `The photo was sent as ${upload.declared || 'no type'}, but its bytes are ${found.type}`,
    )
  if (!nameFits(upload.name, found.type))
    throw new UnsupportedMediaError(
      `The name ${JSON.stringify(upload.name)} does not end as a ${found.type} file does`,
      'name',
    )
  return found
}

/**
 * Add a photo to a complaint: once per `Idempotency-Key` (a retry after a
 * lost answer gets the first photo back, `created: false`; the same key with
 * other bytes is `IdempotencyConflictError`), at most `LIMITS.attachments`
 * per complaint (`TooManyAttachmentsError`). The bytes are stored before the
 * row is committed; if the transaction fails they are removed again.
 *
 * @example
 * const { row, created } = await addAttachment(db, blobs, complaint, upload)
 */
export async function addAttachment(
  db: Kysely<Tables>,
  blobs: BlobStore,
  complaint: Pick<ComplaintRow, 'id' | 'site_id' | 'reference'>,
  upload: Upload,
): Promise<{ row: AttachmentRow; created: boolean }> {
  const found = checkUpload(upload)
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex')
  let stored: string | undefined
  try {
    return await db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('complaints')
        .select('id')
        .where('id', '=', complaint.id)
        .forUpdate()
        .executeTakeFirstOrThrow()
      const earlier = await trx
        .selectFrom('attachments')
        .selectAll()
        .where('complaint_id', '=', complaint.id)
        .orderBy('seq')
        .execute()
      const replay = earlier.find((row) => row.idempotency_key === upload.idempotencyKey)
      if (replay) {
        if (replay.sha256 !== sha256)
          throw new IdempotencyConflictError(
            'This Idempotency-Key was already used for another photo of this complaint',
          )
        return { row: replay, created: false }
      }
      if (earlier.length >= LIMITS.attachments)
        throw new TooManyAttachmentsError(
          `A complaint carries at most ${LIMITS.attachments} photos; this one has them`,
        )
      const key = blobKey()
      await blobs.put(key, upload.bytes, { type: found.type })
      stored = key
      const row = await trx
        .insertInto('attachments')
        .values({
          id: attachmentId(),
          complaint_id: complaint.id,
          site_id: complaint.site_id,
          idempotency_key: upload.idempotencyKey,
          seq: (earlier.at(-1)?.seq ?? 0) + 1,
          blob_key: key,
          type: found.type as AttachmentType,
          size: upload.bytes.length,
          width: found.width,
          height: found.height,
          sha256,
          name: upload.name,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await emit(trx, complaint.site_id, {
        type: 'attachment_added',
        complaintId: complaint.id,
        reference: complaint.reference,
        attachment: row,
      })
      return { row, created: true }
    })
  } catch (error) {
    // Nothing refers to bytes whose row was not committed.
    if (stored) await blobs.delete(stored).catch(() => {})
    throw error
  }
}

/**
 * Delete the photos older than each site's days (`attachments.retentionDays`,
 * else `ATTACHMENT_DAYS`), at most `limit` a round: the rows first, then
 * their bytes, so a photo is never listed without them. Returns how many.
 *
 * @example
 * const removed = await pruneAttachments(db, blobs, { now: new Date(), limit: 100 })
 */
export async function pruneAttachments(
  db: Kysely<Tables>,
  blobs: BlobStore,
  options: { now?: Date; limit?: number } = {},
): Promise<number> {
  const now = options.now ?? new Date()
  const removed = await db
    .deleteFrom('attachments')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('attachments as a')
        .innerJoin('sites as s', 's.id', 'a.site_id')
        .select('a.id')
        .where(
          sql<boolean>`a.created_at < ${now}::timestamptz
            - make_interval(days => coalesce((s.attachments->>'retentionDays')::int, ${ATTACHMENT_DAYS}))`,
        )
        .limit(options.limit ?? 100),
    )
    .returning('blob_key')
    .execute()
  for (const { blob_key } of removed) await blobs.delete(blob_key)
  return removed.length
}
