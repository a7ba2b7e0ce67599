/**
 * @module Writing one row of the mail outbox into the message it sends: the
 * complaint's facts read now (after the change that queued it committed),
 * the signed links, the sender, and a `Message-ID` of its own. The worker
 * writes this once, on the first attempt, and every retry sends the same.
 */
import { type Complaint, formatMoney, type Locale } from '@redress/protocol'
import type { SiteCategory } from '@redress/protocol/admin'
import type { Kysely } from 'kysely'
import type { MailRow, Tables } from '../db/schema'
import { isCustomerMail, mailSettings } from '../outbox'
import { issuedRecoveries } from '../recovery'
import { LINK_LIFETIME_MS, type LinkAnswer, linkUrl, signLink } from './links'
import { type MailBase, renderMail, type TeamMail, templates } from './templates'

/** What rendering needs besides the row. */
export interface RenderContext {
  db: Kysely<Tables>
  /** The links' key (`linkKey`). */
  key: Buffer
  /** Where the links point: the server as customers reach it. */
  publicUrl: string
  /** The From address of sites that set none. */
  defaultFrom: string | null
}

/** The message as the worker stores and sends it. */
export interface RenderedMail {
  subject: string
  text: string
  html: string
  messageId: string
  /** The From address; `null` when neither the site nor the server has one. */
  sender: string | null
  /** The one-click unsubscribe URL (customer mails only). */
  unsubscribeUrl: string | null
}

const minute = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`

/**
 * The message a row sends, with the complaint as it stands now.
 *
 * @example
 * const mail = await renderRow({ db, key, publicUrl, defaultFrom: null }, row)
 */
export async function renderRow(context: RenderContext, row: MailRow): Promise<RenderedMail> {
  const { db, key } = context
  const base = context.publicUrl.replace(/\/+$/, '')
  const site = await db
    .selectFrom('sites')
    .select(['name', 'mail', 'categories'])
    .where('id', '=', row.site_id)
    .executeTakeFirstOrThrow()
  const envelope = {
    // The right side names this server, so the id is unique beyond it.
    messageId: `<${row.id}@${new URL(base).hostname || 'redress'}>`,
    sender: mailSettings(site.mail).from ?? context.defaultFrom,
  }
  if (row.user_id !== null) {
    const person = await db
      .selectFrom('users')
      .select(['name'])
      .where('id', '=', row.user_id)
      .executeTakeFirstOrThrow()
    const data = row.data as { token?: string; invitedBy?: string }
    const kind = row.kind === 'team_invite' ? 'team_invite' : 'sign_in_link'
    // In the fragment: the token never reaches a server's or a proxy's log.
    const path = kind === 'team_invite' ? 'invite' : 'sign-in'
    return {
      ...renderMail(kind, row.locale, {
        siteName: site.name,
        name: person.name,
        url: `${base}/admin/#/${path}/${encodeURIComponent(String(data.token ?? ''))}`,
        invitedBy: data.invitedBy,
      }),
      ...envelope,
      unsubscribeUrl: null,
    }
  }
  if (row.alert_id !== null) {
    const alert = await db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', row.alert_id)
      .executeTakeFirstOrThrow()
    const rule = alert.rule
    return {
      ...renderMail('team_alert', row.locale, {
        siteName: site.name,
        inboxUrl: `${base}/admin/#/inbox?alert=${encodeURIComponent(alert.id)}`,
        rule,
        group:
          alert.group_key === ''
            ? null
            : rule.by === 'category'
              ? categoryLabel(site.categories, alert.group_key, row.locale)
              : alert.group_key,
        count: Number((row.data as { count?: number }).count ?? alert.count),
        baseline: alert.baseline === null ? null : Number(alert.baseline),
        since: minute(new Date(alert.window_from)),
      }),
      ...envelope,
      unsubscribeUrl: null,
    }
  }
  const complaint = await db
    .selectFrom('complaints')
    .select(['id', 'reference', 'body', 'category', 'severity'])
    .where('id', '=', row.complaint_id ?? '')
    .executeTakeFirstOrThrow()
  const body = complaint.body as Complaint
  const data = row.data as Record<string, unknown>
  const common: MailBase = { siteName: site.name, reference: complaint.reference }
  const expiresAt = new Date(new Date(row.created_at).getTime() + LINK_LIFETIME_MS)
  const link = (answer: LinkAnswer) =>
    linkUrl(base, 'r', signLink(key, { purpose: 'r', mailId: row.id, expiresAt, answer }))
  const unsubscribeUrl = isCustomerMail(row.kind)
    ? linkUrl(
        base,
        'u',
        signLink(key, { purpose: 'u', mailId: row.id, expiresAt: null, answer: '-' }),
      )
    : null
  const customer = { ...common, statusUrl: link('-'), unsubscribeUrl: unsubscribeUrl ?? '' }
  const team: TeamMail = {
    ...common,
    inboxUrl: `${base}/admin/#/complaints/${encodeURIComponent(complaint.id)}`,
    category: categoryLabel(site.categories, complaint.category, row.locale),
    severity: complaint.severity,
  }

  let rendered: ReturnType<typeof renderMail>
  switch (row.kind) {
    case 'acknowledgment':
      rendered = renderMail(row.kind, row.locale, {
        ...customer,
        remedies: await issuedRecoveries(db, complaint.id),
      })
      break
    case 'reply':
      rendered = renderMail(row.kind, row.locale, {
        ...customer,
        message: String(data.message ?? ''),
        author: typeof data.author === 'string' ? data.author : null,
      })
      break
    case 'follow_up':
      rendered = renderMail(row.kind, row.locale, {
        ...customer,
        scores: (['1', '2', '3', '4', '5'] as const).map(link),
        yes: link('y'),
        no: link('n'),
      })
      break
    case 'team_critical':
      rendered = renderMail(row.kind, row.locale, { ...team, description: body.description })
      break
    case 'team_approval': {
      const remedy = await db
        .selectFrom('recoveries')
        .select(['kind', 'reason', 'value', 'currency'])
        .where('id', '=', String(data.recoveryId ?? ''))
        .executeTakeFirst()
      const value = Number(remedy?.value ?? 0)
      rendered = renderMail(row.kind, row.locale, {
        ...team,
        kind: remedy?.kind ?? 'remedy',
        reason: remedy?.reason ?? null,
        value:
          value > 0 && remedy?.currency ? formatMoney(value, remedy.currency, row.locale) : null,
      })
      break
    }
    case 'team_guarantee':
      rendered = renderMail(row.kind, row.locale, {
        ...team,
        promise: String(data.promise ?? ''),
        dueAt: minute(new Date(String(data.dueAt))),
      })
      break
    case 'team_reply':
      rendered = renderMail(row.kind, row.locale, { ...team, message: String(data.message ?? '') })
      break
    case 'team_alert':
    case 'team_invite':
    case 'sign_in_link':
      throw new Error(`${row.id}: a ${row.kind} mail names no alert or person`)
  }
  return { ...rendered, ...envelope, unsubscribeUrl }
}

/**
 * A category as the team reads it: its label in their language, else its
 * label, else the built-in category's words, else its id.
 */
function categoryLabel(categories: readonly SiteCategory[], id: string, locale: Locale): string {
  const category = categories.find((entry) => entry.id === id)
  return category?.labels?.[locale] ?? category?.label ?? templates(locale).categories[id] ?? id
}
