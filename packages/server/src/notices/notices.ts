/**
 * @module Known-issue notices: what the owner publishes, kept per site, and
 * the running ones pages get with the site's public settings.
 */
import type { SiteNotice } from '@redress/protocol'
import type { NoticeView, ParsedNoticeCreate, ParsedNoticePatch } from '@redress/protocol/admin'
import { NOTICES_MAX } from '@redress/protocol/admin'
import type { Kysely, Transaction } from 'kysely'
import { noticeId } from '../_lib/crypto'
import { iso } from '../complaints'
import type { NoticeRow, Tables } from '../db/schema'
import { ConflictError, InvalidInputError, NotFoundError } from '../errors'

/** The most notices pages get at once (running, or starting within a day). */
const PUBLIC_MAX = 20
const DAY_MS = 86_400_000

/** A notice as pages see it. */
const siteNotice = (row: NoticeRow): SiteNotice => ({
  id: row.id,
  messages: row.messages,
  level: row.level,
  page: row.page,
  startsAt: iso(row.starts_at),
  endsAt: row.ends_at === null ? null : iso(row.ends_at),
})

/**
 * A notice as the admin API shows it.
 *
 * @example
 * noticeView(row) // { id: 'ntc_…', messages: { en: '…' }, page: '/checkout', alertId: null, … }
 */
export const noticeView = (row: NoticeRow): NoticeView => ({
  ...siteNotice(row),
  alertId: row.alert_id,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
})

/**
 * The site's notices that have not ended and start within a day, soonest
 * first, as pages get them: a page caches its site settings for a minute,
 * and the widget shows each only on its pages and within its times.
 *
 * @example
 * const notices = await publicNotices(db, site.id, new Date())
 */
export async function publicNotices(
  db: Kysely<Tables>,
  siteId: string,
  now: Date,
): Promise<SiteNotice[]> {
  const rows = await db
    .selectFrom('notices')
    .selectAll()
    .where('site_id', '=', siteId)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .where('starts_at', '<=', new Date(now.getTime() + DAY_MS))
    .orderBy('starts_at')
    .orderBy('id')
    .limit(PUBLIC_MAX)
    .execute()
  return rows.map(siteNotice)
}

/**
 * The site's notices for the admin API: those not ended first (soonest
 * start first), then ended ones, the latest ended first.
 *
 * @example
 * const items = await listNotices(db, site.id, new Date())
 */
export async function listNotices(
  db: Kysely<Tables>,
  siteId: string,
  now: Date,
): Promise<NoticeView[]> {
  const rows = await db.selectFrom('notices').selectAll().where('site_id', '=', siteId).execute()
  const ended = (row: NoticeRow) => row.ends_at !== null && new Date(row.ends_at) <= now
  const time = (value: Date | string | null) => (value === null ? 0 : new Date(value).getTime())
  return rows
    .sort((a, b) =>
      ended(a) !== ended(b)
        ? ended(a)
          ? 1
          : -1
        : ended(a)
          ? time(b.ends_at) - time(a.ends_at)
          : time(a.starts_at) - time(b.starts_at),
    )
    .map(noticeView)
}

/**
 * Publish a notice. At most `NOTICES_MAX` of a site's notices may not have
 * ended (`ConflictError` beyond), counted under the site's row lock; an
 * `alertId` must be one of the site's alerts.
 *
 * @example
 * const view = await createNotice(trx, site.id, { messages: { en: 'Card payments fail' }, page: '/checkout' }, new Date())
 */
export async function createNotice(
  trx: Transaction<Tables>,
  siteId: string,
  input: ParsedNoticeCreate,
  now: Date,
): Promise<NoticeView> {
  await trx.selectFrom('sites').select('id').where('id', '=', siteId).forUpdate().execute()
  const { count } = await trx
    .selectFrom('notices')
    .select(({ fn }) => fn.countAll<string>().as('count'))
    .where('site_id', '=', siteId)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .executeTakeFirstOrThrow()
  if (Number(count) >= NOTICES_MAX)
    throw new ConflictError(
      `The site has ${NOTICES_MAX} notices that have not ended; end or delete one first`,
    )
  if (input.alertId) {
    const alert = await trx
      .selectFrom('alerts')
      .select('id')
      .where('site_id', '=', siteId)
      .where('id', '=', input.alertId)
      .executeTakeFirst()
    if (!alert) throw new InvalidInputError(`No alert ${input.alertId}`, 'alertId')
  }
  const startsAt = input.startsAt ? new Date(input.startsAt) : now
  const endsAt = input.endsAt ? new Date(input.endsAt) : null
  if (endsAt && endsAt <= startsAt)
    throw new InvalidInputError('endsAt must be after startsAt', 'endsAt')
  const row = await trx
    .insertInto('notices')
    .values({
      id: noticeId(),
      site_id: siteId,
      messages: JSON.stringify(input.messages),
      level: input.level ?? 'info',
      page: input.page ?? null,
      starts_at: startsAt,
      ends_at: endsAt,
      alert_id: input.alertId ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return noticeView(row)
}

/**
 * Change a notice (each field sent replaces what is stored), under its row
 * lock. Returns the notice before and after, or `NotFoundError`.
 *
 * @example
 * const { after } = await patchNotice(trx, site.id, id, { endsAt: new Date().toISOString() }, new Date())
 */
export async function patchNotice(
  trx: Transaction<Tables>,
  siteId: string,
  id: string,
  patch: ParsedNoticePatch,
  now: Date,
): Promise<{ before: NoticeView; after: NoticeView }> {
  const current = await trx
    .selectFrom('notices')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  if (!current) throw new NotFoundError(`No notice ${id}`)
  const startsAt = patch.startsAt ? new Date(patch.startsAt) : new Date(current.starts_at)
  const endsAt =
    patch.endsAt === undefined
      ? current.ends_at && new Date(current.ends_at)
      : patch.endsAt && new Date(patch.endsAt)
  if (endsAt && endsAt <= startsAt)
    throw new InvalidInputError(
      'endsAt must be after startsAt',
      patch.endsAt ? 'endsAt' : 'startsAt',
    )
  const row = await trx
    .updateTable('notices')
    .set({
      ...(patch.messages ? { messages: JSON.stringify(patch.messages) } : {}),
      ...(patch.level ? { level: patch.level } : {}),
      ...(patch.page !== undefined ? { page: patch.page } : {}),
      starts_at: startsAt,
      ends_at: endsAt,
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return { before: noticeView(current), after: noticeView(row) }
}

/**
 * Delete a notice; pages stop showing it with their next settings. Returns
 * it as it was, or `NotFoundError`.
 *
 * @example
 * await deleteNotice(trx, site.id, id)
 */
export async function deleteNotice(
  trx: Transaction<Tables>,
  siteId: string,
  id: string,
): Promise<NoticeView> {
  const row = await trx
    .deleteFrom('notices')
    .where('site_id', '=', siteId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw new NotFoundError(`No notice ${id}`)
  return noticeView(row)
}
