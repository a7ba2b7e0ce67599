/**
 * @module Wire protocol v1's complaint routes: `POST /complaints` (a new
 * complaint, idempotent per key), `GET /complaints/:id` (its status, for the
 * holder of its token), `POST /complaints/:id/follow-up` and
 * `POST /complaints/:id/attachments` (a photo, when the server has a blob store).
 */
import { LIMITS } from '@redress/protocol'
import { validateComplaint, validateFollowUp } from '@redress/protocol/schema'
import { type Context, Hono } from 'hono'
import type { Kysely } from 'kysely'
import { addAttachment, attachmentReceipt } from '../../attachments'
import type { BlobStore } from '../../blobs/types'
import {
  authorize,
  findComplaint,
  ingestComplaint,
  recordFollowUp,
  statusReport,
} from '../../complaints'
import type { ComplaintRow, Tables } from '../../db/schema'
import {
  ApiError,
  bearer,
  checkOrigin,
  clean,
  clientAddress,
  clientKey,
  type RateLimitOptions,
  rateLimiter,
  readBytes,
  readJson,
  type TrustProxy,
} from '../../http'
import { findSite } from '../../sites'

/** What the public routes take from `createApp`'s options. */
export interface PublicOptions {
  /** The secret status tokens are derived from (see `loadSecret`). */
  secret: string
  /** Rate limits on new complaints; `false` for none. @default DEFAULT_RATE_LIMITS */
  rateLimit?: RateLimitOptions | false | undefined
  /** How far `X-Forwarded-For` is trusted (see `clientAddress`). @default false */
  trustProxy?: TrustProxy | undefined
  /** A form sent sooner than this (ms) after it opened counts as a bot's. @default MIN_FILL_MS */
  minFillMs?: number | undefined
  /** Called with the site's id after each new complaint committed (not on a replay). */
  onComplaint?: ((siteId: string) => void) | undefined
  /** Where photos are stored; without one the server takes none (`404`). */
  blobs?: BlobStore | undefined
}

/** The `Idempotency-Key` header, or a `400` saying what it must be. */
function idempotencyKeyOf(c: Context): string {
  const key = c.req.header('idempotency-key')
  if (!key || key.length > LIMITS.idempotencyKey) {
    throw new ApiError(
      400,
      'invalid_request',
      `Send an Idempotency-Key header of 1–${LIMITS.idempotencyKey} characters, the same on every retry`,
      { field: 'idempotencyKey' },
    )
  }
  return key
}

/** The first issue of a failed protocol validation, as the `400` the client gets. */
const refusal = (issues: readonly { message: string; field?: string | undefined }[]) => {
  const issue = issues[0]!
  return new ApiError(400, 'invalid_request', issue.message, { field: issue.field })
}

/**
 * The complaint routes, to mount at `/v1`.
 *
 * @example
 * app.route('/v1', complaintRoutes(db, { secret }))
 * // POST /v1/complaints with an Idempotency-Key header
 */
export function complaintRoutes(db: Kysely<Tables>, options: PublicOptions): Hono {
  const { secret, trustProxy } = options
  const limit = options.rateLimit === false ? undefined : rateLimiter(db, options.rateLimit)
  const routes = new Hono()

  routes.post('/complaints', async (c) => {
    const result = validateComplaint(await readJson(c))
    if (!result.success) throw refusal(result.issues)
    const idempotencyKey = idempotencyKeyOf(c)
    const site = await findSite(db, result.output.site)
    if (!site) {
      throw new ApiError(400, 'unknown_site', `No site has the key ${result.output.site}`, {
        field: 'site',
      })
    }
    checkOrigin(c, site)
    // A category the site does not list (any more) is stored as sent and decided as the
    // policy's unknownCategory: a 400 is final for the SDK, so refusing it would lose a
    // complaint queued in a browser before the owner renamed or removed the category.
    await limit?.(c, { site, idempotencyKey, trustProxy })
    const ingested = await ingestComplaint(db, {
      site,
      complaint: result.output,
      idempotencyKey,
      secret,
      minFillMs: options.minFillMs,
      clientKey: clientKey(clientAddress(c, trustProxy)),
    })
    if (ingested.created) options.onComplaint?.(site.id)
    return c.body(ingested.body, ingested.created ? 201 : 200, {
      'content-type': 'application/json',
    })
  })

  /** The complaint, checked against the caller's origin and token. */
  const authorized = async (c: Context): Promise<ComplaintRow> => {
    const id = clean(c.req.param('id')!, 'id')
    const complaint = await findComplaint(db, id)
    if (!complaint) throw new ApiError(404, 'not_found', `No complaint ${id}`)
    const site = await db
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', complaint.site_id)
      .executeTakeFirstOrThrow()
    checkOrigin(c, site)
    authorize(complaint, bearer(c))
    return complaint
  }

  routes.get('/complaints/:id', async (c) => {
    const complaint = await authorized(c)
    c.header('cache-control', 'no-store')
    return c.json(await statusReport(db, complaint))
  })

  routes.post('/complaints/:id/follow-up', async (c) => {
    const complaint = await authorized(c)
    const result = validateFollowUp(await readJson(c))
    if (!result.success) throw refusal(result.issues)
    await recordFollowUp(db, complaint, result.output)
    return c.body(null, 204)
  })

  const { blobs } = options
  if (blobs) {
    routes.post('/complaints/:id/attachments', async (c) => {
      const complaint = await authorized(c)
      const idempotencyKey = idempotencyKeyOf(c)
      const name = c.req.query('name')
      if (name !== undefined && (name.length === 0 || name.length > LIMITS.attachmentName))
        throw new ApiError(
          400,
          'invalid_request',
          `name is the file's name, 1–${LIMITS.attachmentName} characters`,
          { field: 'name' },
        )
      const bytes = await readBytes(c, {
        max: LIMITS.attachmentBytes,
        tooLarge: `A photo is at most ${LIMITS.attachmentBytes / 1024 / 1024} MB`,
      })
      const declared = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()
      const { row, created } = await addAttachment(db, blobs, complaint, {
        bytes,
        declared,
        name: name === undefined ? null : clean(name, 'name'),
        idempotencyKey,
      })
      return c.json(attachmentReceipt(row), created ? 201 : 200)
    })
  }

  return routes
}
