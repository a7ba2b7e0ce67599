/**
 * @module What a mail's links do, behind the pages that show them: open a
 * link (one mail, one complaint), answer a follow-up once per mail through
 * the same follow-up the widget records, let the customer write back, and
 * unsubscribe an address from a site's mail.
 */
import type { FollowUp, StatusReport } from '@redress/protocol'
import { type Kysely, sql } from 'kysely'
import { findComplaint, recordFollowUp, statusReport } from '../complaints'
import type { ComplaintRow, MailRow, Tables } from '../db/schema'
import { emit } from '../outbox'
import { type LinkAnswer, type LinkPurpose, readLink } from './links'

/** An opened link: its mail, complaint and site, or why it opens nothing. */
export type OpenedLink =
  | { ok: false; reason: 'invalid' | 'expired' }
  | {
      ok: true
      answer: LinkAnswer
      mail: MailRow
      complaint: ComplaintRow
      siteName: string
    }

/**
 * Check a link's token (signature first: a bad one costs no database read),
 * then read its mail, complaint and site. A link whose mail is gone (its
 * complaint deleted) is `invalid`.
 *
 * @example
 * const opened = await openLink(db, key, c.req.param('token'), 'r', new Date())
 */
export async function openLink(
  db: Kysely<Tables>,
  key: Buffer,
  token: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<OpenedLink> {
  const link = readLink(key, token, purpose, now)
  if (!link.ok) return link
  const mail = await db
    .selectFrom('mail_messages')
    .selectAll()
    .where('id', '=', link.mailId)
    .executeTakeFirst()
  // Only customer mails carry links; a team mail's id is never a link's.
  const complaint = mail?.complaint_id && (await findComplaint(db, mail.complaint_id))
  if (!mail || !complaint) return { ok: false, reason: 'invalid' }
  const site = await db
    .selectFrom('sites')
    .select('name')
    .where('id', '=', mail.site_id)
    .executeTakeFirstOrThrow()
  return { ok: true, answer: link.answer, mail, complaint, siteName: site.name }
}

/**
 * Where the complaint stands, as its customer may see it: the same report
 * the widget reads with its status token.
 *
 * @example
 * const { status, recoveries, replies } = await linkStatus(db, opened.complaint)
 */
export const linkStatus = (db: Kysely<Tables>, complaint: ComplaintRow): Promise<StatusReport> =>
  statusReport(db, complaint)

/** Whether a follow-up mail's links can still record an answer. */
export const answerable = (mail: MailRow): boolean =>
  mail.kind === 'follow_up' && mail.answered_at === null

/**
 * Record the customer's answer from a follow-up mail, once per mail however
 * often and however concurrently its links are used: the mail is marked
 * answered first (one `UPDATE … WHERE answered_at IS NULL` wins), then the
 * answer goes through `recordFollowUp`, exactly as the widget's does (a "no"
 * reopens the complaint). If that fails, the mark is taken back so the
 * customer can try again.
 *
 * @example
 * await answerFollowUp(db, opened.mail, opened.complaint, { score: 2, resolved: false }) // 'recorded'
 */
export async function answerFollowUp(
  db: Kysely<Tables>,
  mail: MailRow,
  complaint: ComplaintRow,
  answer: FollowUp,
  now: Date = new Date(),
): Promise<'recorded' | 'already_answered' | 'not_a_follow_up'> {
  if (mail.kind !== 'follow_up') return 'not_a_follow_up'
  const claimed = await db
    .updateTable('mail_messages')
    .set({ answered_at: now })
    .where('id', '=', mail.id)
    .where('answered_at', 'is', null)
    .executeTakeFirst()
  if (claimed.numUpdatedRows === 0n) return 'already_answered'
  try {
    await recordFollowUp(db, complaint, answer)
  } catch (error) {
    await db
      .updateTable('mail_messages')
      .set({ answered_at: null })
      .where('id', '=', mail.id)
      .execute()
    throw error
  }
  return 'recorded'
}

/** The most messages one mail's link may write back: a stolen link cannot flood the inbox. */
export const MESSAGES_PER_LINK = 20

/**
 * What the customer wrote back from a mail's link, oldest first.
 *
 * @example
 * const mine = await customerMessages(db, opened.complaint.id) // [{ message: 'It came broken', at }]
 */
export async function customerMessages(
  db: Kysely<Tables>,
  complaintId: string,
): Promise<{ message: string; at: string }[]> {
  const rows = await db
    .selectFrom('events')
    .select(['data', 'created_at'])
    .where('complaint_id', '=', complaintId)
    .where('type', '=', 'customer_replied')
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    message: String((row.data as { message?: unknown }).message ?? ''),
    at: new Date(row.created_at as unknown as Date).toISOString(),
  }))
}

/**
 * Record the customer writing back from a mail's link: a `customer_replied`
 * event on the complaint (which mails the team their words), under the
 * complaint's row lock. The same words as their last message are taken as
 * the form sent twice (`duplicate`, nothing recorded); one link writes at
 * most `MESSAGES_PER_LINK` messages.
 *
 * @example
 * await writeBack(db, opened.mail, opened.complaint, 'It came broken again') // 'recorded'
 */
export async function writeBack(
  db: Kysely<Tables>,
  mail: MailRow,
  complaint: ComplaintRow,
  message: string,
): Promise<'recorded' | 'duplicate' | 'too_many'> {
  return db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('complaints')
      .select('id')
      .where('id', '=', complaint.id)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const last = await trx
      .selectFrom('events')
      .select('data')
      .where('complaint_id', '=', complaint.id)
      .where('type', '=', 'customer_replied')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    if ((last?.data as { message?: unknown } | undefined)?.message === message) return 'duplicate'
    const { count } = await trx
      .selectFrom('events')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('complaint_id', '=', complaint.id)
      .where('type', '=', 'customer_replied')
      .where(sql<string>`data->>'mailId'`, '=', mail.id)
      .executeTakeFirstOrThrow()
    if (Number(count) >= MESSAGES_PER_LINK) return 'too_many'
    await trx
      .updateTable('complaints')
      .set({ updated_at: new Date() })
      .where('id', '=', complaint.id)
      .execute()
    await emit(trx, mail.site_id, {
      type: 'customer_replied',
      complaintId: complaint.id,
      reference: complaint.reference,
      message,
      mailId: mail.id,
    })
    return 'recorded'
  })
}

/**
 * Whether the mail's recipient gets no more mail from its site (unsubscribed, or bounced).
 *
 * @example
 * if (await isSuppressed(db, opened.mail)) showDone()
 */
export async function isSuppressed(db: Kysely<Tables>, mail: MailRow): Promise<boolean> {
  const row = await db
    .selectFrom('mail_suppressions')
    .select('reason')
    .where('site_id', '=', mail.site_id)
    .where('address', '=', mail.recipient.toLowerCase())
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Send the mail's recipient nothing more from the mail's site (RFC 8058
 * one-click unsubscribe). Doing it twice changes nothing.
 *
 * @example
 * await unsubscribe(db, opened.mail)
 */
export async function unsubscribe(db: Kysely<Tables>, mail: MailRow): Promise<void> {
  await db
    .insertInto('mail_suppressions')
    .values({
      site_id: mail.site_id,
      address: mail.recipient.toLowerCase(),
      reason: 'unsubscribed',
      mail_id: mail.id,
      detail: null,
    })
    .onConflict((conflict) => conflict.columns(['site_id', 'address']).doNothing())
    .execute()
}
