/**
 * @module The mail outbox (`mail_messages`): a change that mails someone
 * writes one row per recipient in its own transaction, so a mail exists
 * exactly when its change committed. Rows only name the kind, the recipient
 * and the template's data: the mail worker (`src/mail/`) writes the message
 * on its first attempt, and decides then whether the address may still get it.
 */
import { randomInt } from 'node:crypto'
import { type Complaint, type Locale, toLocale } from '@redress/protocol'
import type { MailKind, MailSettings } from '@redress/protocol/admin'
import type { Insertable, Transaction } from 'kysely'
import type { MailMessagesTable, Site, Tables } from '../db/schema'

/** The kinds of mail that go to the customer (the others go to the site's team). */
export const CUSTOMER_MAIL_KINDS: readonly MailKind[] = ['acknowledgment', 'reply', 'follow_up']

/**
 * Whether a kind of mail goes to the customer.
 *
 * @example
 * isCustomerMail('follow_up') // true
 * isCustomerMail('team_critical') // false
 */
export const isCustomerMail = (kind: MailKind): boolean => CUSTOMER_MAIL_KINDS.includes(kind)

/**
 * A site's mail settings with the defaults filled in: no From of its own,
 * no team (writing in English), no acknowledgment.
 *
 * @example
 * mailSettings(null) // { from: null, team: [], teamLocale: 'en', acknowledge: false }
 */
export function mailSettings(stored: Partial<MailSettings> | null | undefined): MailSettings {
  return {
    from: stored?.from ?? null,
    team: stored?.team ?? [],
    teamLocale: stored?.teamLocale ?? 'en',
    acknowledge: stored?.acknowledge ?? false,
  }
}

/**
 * The language a complaint's mails are written in, from its `client.locale`:
 * the protocol's `toLocale` (any Chinese is `zh-CN`, anything else English),
 * as for the complaint's remedies.
 *
 * @example
 * mailLocale('zh-TW') // 'zh-CN'
 * mailLocale('de')    // 'en'
 */
export const mailLocale = toLocale

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/** `mail_` + 24 base-36 characters (about 124 bits). */
function mailId(): string {
  let out = 'mail_'
  for (let i = 0; i < 24; i++) out += ID_ALPHABET[randomInt(ID_ALPHABET.length)]
  return out
}

/** A mail a change asks for: its kind, and what its template needs besides the complaint. */
export interface MailIntent {
  kind: MailKind
  data?: Record<string, unknown> | undefined
}

/** A row `enqueueMail` wrote, for the complaint's timeline. */
export interface QueuedMail {
  complaintId: string
  mailId: string
  kind: MailKind
  to: string
}

/**
 * The site a change belongs to: its id, or its row when the caller has it
 * (ingest does), so the mail settings need no second read of the site.
 */
export type SiteRef = string | Pick<Site, 'id' | 'mail'>

/** The site's mail settings, read once per transaction (ingest may ask for two mails). */
const settingsCache = new WeakMap<object, Map<string, Promise<MailSettings>>>()

function siteMail(trx: Transaction<Tables>, site: SiteRef): Promise<MailSettings> {
  if (typeof site !== 'string') return Promise.resolve(mailSettings(site.mail))
  const siteId = site
  let perSite = settingsCache.get(trx)
  if (!perSite) {
    perSite = new Map()
    settingsCache.set(trx, perSite)
  }
  let settings = perSite.get(siteId)
  if (!settings) {
    settings = trx
      .selectFrom('sites')
      .select('mail')
      .where('id', '=', siteId)
      .executeTakeFirstOrThrow()
      .then((row) => mailSettings(row.mail))
    perSite.set(siteId, settings)
  }
  return settings
}

/**
 * The addresses of the people who may approve a waiting remedy: owners and
 * managers who joined (set a password) and are not disabled, whose own limit
 * per remedy covers its value (a remedy still without a value: any of them).
 */
async function approvers(
  trx: Transaction<Tables>,
  siteId: string,
  recoveryId: string,
): Promise<string[]> {
  const remedy = await trx
    .selectFrom('recoveries')
    .select('value')
    .where('id', '=', recoveryId)
    .executeTakeFirst()
  const value = Number(remedy?.value ?? 0)
  const rows = await trx
    .selectFrom('users')
    .select('email')
    .where('site_id', '=', siteId)
    .where('role', 'in', ['owner', 'manager'])
    .where('disabled_at', 'is', null)
    .where('password_hash', 'is not', null)
    .where((eb) => eb.or([eb('remedy_limit', 'is', null), eb('remedy_limit', '>=', String(value))]))
    .orderBy('created_at')
    .execute()
  return rows.map((row) => row.email)
}

/**
 * Write the mails `intents` ask for about one complaint, in the caller's
 * transaction: customer mails to the complaint's `contact.email` (none
 * without one; an acknowledgment only when the site turned them on) in the
 * complaint's language, team mails to each of the site's team addresses in
 * the team's (a remedy waiting for approval also to the people whose limit
 * covers it). Returns the rows written, in
 * order. Whether an address unsubscribed or bounced is decided when the
 * worker takes the row, so a row is written for it all the same and the
 * complaint shows why nothing went out.
 *
 * @example
 * await enqueueMail(trx, site.id, complaintId, [{ kind: 'reply', data: { replyId, message, author } }])
 */
export async function enqueueMail(
  trx: Transaction<Tables>,
  site: SiteRef,
  complaintId: string,
  intents: readonly MailIntent[],
  now: Date = new Date(),
): Promise<QueuedMail[]> {
  if (intents.length === 0) return []
  const siteId = typeof site === 'string' ? site : site.id
  const settings = await siteMail(trx, site)
  let complaint: { body: Complaint } | undefined
  const read = async () =>
    (complaint ??= await trx
      .selectFrom('complaints')
      .select('body')
      .where('id', '=', complaintId)
      .executeTakeFirstOrThrow())
  const rows: ReturnType<typeof mailRow>[] = []
  for (const intent of intents) {
    if (isCustomerMail(intent.kind)) {
      if (intent.kind === 'acknowledgment' && !settings.acknowledge) continue
      const { body } = await read()
      if (!body.contact?.email) continue
      rows.push(
        mailRow(
          siteId,
          { complaint_id: complaintId },
          intent,
          body.contact.email,
          mailLocale(body.client?.locale),
          now,
        ),
      )
    } else {
      const people =
        intent.kind === 'team_approval'
          ? await approvers(trx, siteId, String(intent.data?.recoveryId ?? ''))
          : []
      // One mail per address, a person's account and a team address alike.
      const seen = new Set<string>()
      for (const recipient of [...settings.team, ...people]) {
        if (seen.has(recipient.toLowerCase())) continue
        seen.add(recipient.toLowerCase())
        rows.push(
          mailRow(
            siteId,
            { complaint_id: complaintId },
            intent,
            recipient,
            settings.teamLocale,
            now,
          ),
        )
      }
    }
  }
  if (rows.length === 0) return []
  await trx.insertInto('mail_messages').values(rows).execute()
  return rows.map((row) => ({ complaintId, mailId: row.id, kind: row.kind, to: row.recipient }))
}

/** One row of the mail outbox, due now. */
function mailRow(
  siteId: string,
  about: { complaint_id: string } | { alert_id: string } | { user_id: string },
  intent: MailIntent,
  recipient: string,
  locale: Locale,
  now: Date,
): Insertable<MailMessagesTable> & { id: string; kind: MailKind; recipient: string } {
  return {
    id: mailId(),
    site_id: siteId,
    complaint_id: null,
    ...about,
    kind: intent.kind,
    recipient,
    locale,
    data: JSON.stringify(intent.data ?? {}),
    next_attempt_at: now,
  }
}

/**
 * Write a mail to one person of the team (an invitation, a sign-in link), in
 * the caller's transaction, in the team's language. `intent.data.token` is
 * the link's token: the worker writes it into the message and nowhere else.
 *
 * @example
 * await enqueuePersonMail(trx, site.id, user, { kind: 'team_invite', data: { token, invitedBy: 'Ana' } })
 */
export async function enqueuePersonMail(
  trx: Transaction<Tables>,
  site: SiteRef,
  person: { id: string; email: string },
  intent: MailIntent,
  now: Date = new Date(),
): Promise<void> {
  const settings = await siteMail(trx, site)
  const siteId = typeof site === 'string' ? site : site.id
  await trx
    .insertInto('mail_messages')
    .values(mailRow(siteId, { user_id: person.id }, intent, person.email, settings.teamLocale, now))
    .execute()
}

/**
 * Write a team mail that belongs to no complaint (an early-warning alert),
 * in the caller's transaction: one row per team address, in the team's
 * language. Returns how many.
 *
 * @example
 * await enqueueTeamMail(trx, site, { alertId: alert.id }, { kind: 'team_alert' })
 */
export async function enqueueTeamMail(
  trx: Transaction<Tables>,
  site: SiteRef,
  about: { alertId: string },
  intent: MailIntent,
  now: Date = new Date(),
): Promise<number> {
  const settings = await siteMail(trx, site)
  if (settings.team.length === 0) return 0
  const siteId = typeof site === 'string' ? site : site.id
  await trx
    .insertInto('mail_messages')
    .values(
      settings.team.map((recipient) =>
        mailRow(siteId, { alert_id: about.alertId }, intent, recipient, settings.teamLocale, now),
      ),
    )
    .execute()
  return settings.team.length
}
