/**
 * @module The mail worker: takes due rows of the mail outbox with `FOR
 * UPDATE SKIP LOCKED`, leases them, writes each message once, sends it
 * outside any transaction, and records the outcome on the row and, once it
 * is final, on the complaint's timeline. The webhook worker's rules: the same
 * retry schedule, the same fenced outcome.
 */
import { isMailAddress, type MailState } from '@redress/protocol/admin'
import { type Kysely, sql, type Transaction } from 'kysely'
import { reportTo, startPolling } from '../_lib/poller'
import type { MailRow, Tables } from '../db/schema'
import type { LogLine } from '../http'
import { emit, isCustomerMail, RETRY_SCHEDULE_MS } from '../outbox'
import { linkKey } from './links'
import { type RenderedMail, renderRow } from './render'
import type { MailTransport, SendOutcome } from './transport'

/** Acknowledgments one address may get from a site in 24 hours: a cap on mailing strangers. */
export const ACKNOWLEDGMENTS_PER_DAY = 3

/** A log line of the mail worker: the server's, with the mail's facts. */
export type MailLogLine = LogLine & {
  mailId?: string
  kind?: string
  to?: string
  state?: MailState
  subject?: string
  text?: string
}

/**
 * What `startMailWorker` takes.
 *
 * @example
 * const worker = startMailWorker({ db, secret, publicUrl: 'https://care.shop.example', transport: smtpTransport(url) })
 */
export interface MailWorkerOptions {
  db: Kysely<Tables>
  /** The server secret (`loadSecret`): the links' key is derived from it. */
  secret: string
  /** The server as customers reach it; links point there. */
  publicUrl: string
  /** Where mail goes; `null`: nowhere, each message is logged and marked `not_sent`. */
  transport: MailTransport | null
  /** The From address of sites that set none (`REDRESS_MAIL_FROM`). @default null */
  defaultFrom?: string | null | undefined
  /** The worker's clock: what is due, when to retry. @default () => new Date() */
  now?: () => Date
  /** Mails taken per round. @default 20 */
  batchSize?: number
  /** Milliseconds between rounds; `false` to run only through `runOnce`. @default 1000 */
  interval?: number | false
  /** How long a taken mail is leased for. @default 600000 (10 minutes) */
  leaseMs?: number
  /** For the jitter. @default Math.random */
  random?: () => number
  /** Where each outcome (and each mail not sent) is logged. @default none */
  log?: (line: MailLogLine) => void
  /** A round that failed as a whole. @default a line on stderr */
  onError?: (error: unknown) => void
}

/**
 * A running mail worker, from `startMailWorker`.
 *
 * @example
 * const worker = startMailWorker({ db, secret, publicUrl, transport: null, interval: false })
 * while ((await worker.runOnce()) > 0) {}
 * await worker.stop()
 */
export interface MailWorker {
  /** One round: take up to `batchSize` due mails, send them, record the outcomes. Returns how many. */
  runOnce(): Promise<number>
  /** Stop polling, wait for the round in progress, close the transport. Safe to call twice. */
  stop(): Promise<void>
}

/** What the worker decided for one mail. */
type Outcome = SendOutcome | { kind: 'not_sent' } | { kind: 'suppressed'; error: string }

const UNKNOWN_BEFORE =
  'an earlier attempt ended without an outcome (its process stopped); this one carried the same Message-ID'

const FINAL: Record<Exclude<Outcome['kind'], 'retry'>, Exclude<MailState, 'pending'>> = {
  sent: 'sent',
  bounced: 'bounced',
  failed: 'failed',
  not_sent: 'not_sent',
  suppressed: 'suppressed',
}

/**
 * Start sending. Every row is taken in a short transaction and leased (its
 * attempt counted, `next_attempt_at` moved past the lease), then sent after
 * the commit; the outcome is written only while the row is still this
 * attempt's. A 4xx or a network failure is tried again after 5 s, 30 s,
 * 2 min, … (`RETRY_SCHEDULE_MS`, ±20%), then `failed`; a 5xx to the
 * recipient is `bounced` and the address is not mailed again by the site.
 *
 * A process that dies between the SMTP server's acceptance and the record
 * leaves a row whose lease runs out: it is sent again with the same
 * `Message-ID` (and says so in `last_error`). Nothing else sends a row twice.
 *
 * @example
 * const worker = startMailWorker({ db, secret, publicUrl, transport: null, interval: false })
 * await worker.runOnce() // each due mail logged and marked not_sent
 */
export function startMailWorker(options: MailWorkerOptions): MailWorker {
  const { db, transport } = options
  const now = options.now ?? (() => new Date())
  const batchSize = options.batchSize ?? 20
  const leaseMs = options.leaseMs ?? 600_000
  const random = options.random ?? Math.random
  const log = options.log ?? (() => {})
  const context = {
    db,
    key: linkKey(options.secret),
    publicUrl: options.publicUrl,
    defaultFrom: options.defaultFrom ?? null,
  }

  async function claim(at: Date): Promise<MailRow[]> {
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('mail_messages')
        .selectAll()
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', at)
        .orderBy('next_attempt_at')
        .orderBy('seq')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute()
      if (due.length === 0) return []
      await trx
        .updateTable('mail_messages')
        .set({
          attempts: sql`attempts + 1`,
          next_attempt_at: new Date(at.getTime() + leaseMs),
          sending_since: at,
        })
        .where(
          'id',
          'in',
          due.map((row) => row.id),
        )
        .execute()
      return due.map((row) => ({ ...row, attempts: Number(row.attempts) + 1 }))
    })
  }

  /** The message, written on the first attempt and read back as stored on the others. */
  async function message(row: MailRow): Promise<RenderedMail> {
    if (row.text_body !== null && row.html_body !== null && row.subject && row.message_id)
      return {
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        messageId: row.message_id,
        sender: row.sender,
        unsubscribeUrl: row.unsubscribe_url,
      }
    const rendered = await renderRow(context, row)
    await db
      .updateTable('mail_messages')
      .set({
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        message_id: rendered.messageId,
        sender: rendered.sender,
        unsubscribe_url: rendered.unsubscribeUrl,
      })
      .where('id', '=', row.id)
      .where('text_body', 'is', null)
      .execute()
    return rendered
  }

  /** Why this mail must not go to its address, if it must not. */
  async function refusal(row: MailRow): Promise<string | undefined> {
    const address = row.recipient.toLowerCase()
    const suppressed = await db
      .selectFrom('mail_suppressions')
      .select('reason')
      .where('site_id', '=', row.site_id)
      .where('address', '=', address)
      .executeTakeFirst()
    if (suppressed)
      return suppressed.reason === 'unsubscribed'
        ? 'the address unsubscribed from this site'
        : 'the address bounced before'
    if (row.kind === 'acknowledgment') {
      const { count } = await db
        .selectFrom('mail_messages')
        .select(({ fn }) => fn.countAll<string>().as('count'))
        .where('site_id', '=', row.site_id)
        .where('kind', '=', 'acknowledgment')
        .where(sql<string>`lower(recipient)`, '=', address)
        .where('state', 'in', ['pending', 'sent', 'not_sent'])
        .where('seq', '<', row.seq)
        .where('created_at', '>', new Date(new Date(row.created_at).getTime() - 86_400_000))
        .executeTakeFirstOrThrow()
      if (Number(count) >= ACKNOWLEDGMENTS_PER_DAY)
        return `more than ${ACKNOWLEDGMENTS_PER_DAY} acknowledgments to this address in 24 hours`
    }
    return undefined
  }

  async function deliver(row: MailRow): Promise<Outcome> {
    // Written first, whatever happens next: the owner can read even a mail that never went.
    const mail = await message(row)
    const why = await refusal(row)
    if (why) return { kind: 'suppressed', error: why }
    if (!isMailAddress(row.recipient))
      return { kind: 'failed', error: 'not an address this server sends to' }
    if (!transport) {
      log({
        level: 'info',
        msg: 'mail not sent: no SMTP server configured (REDRESS_SMTP_URL)',
        mailId: row.id,
        kind: row.kind,
        to: row.recipient,
        subject: mail.subject,
        text: mail.text,
      })
      return { kind: 'not_sent' }
    }
    if (!mail.sender)
      return {
        kind: 'failed',
        error: "no From address: set the site's mail.from or REDRESS_MAIL_FROM",
      }
    const headers: Record<string, string> = {}
    if (row.kind !== 'reply') headers['Auto-Submitted'] = 'auto-generated'
    if (isCustomerMail(row.kind) && mail.unsubscribeUrl) {
      headers['List-Unsubscribe'] = `<${mail.unsubscribeUrl}>`
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
    }
    const site = await db
      .selectFrom('sites')
      .select('name')
      .where('id', '=', row.site_id)
      .executeTakeFirstOrThrow()
    return transport.send({
      messageId: mail.messageId,
      from: { name: site.name, address: mail.sender },
      to: row.recipient,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers,
    })
  }

  async function record(row: MailRow, outcome: Outcome, at: Date): Promise<void> {
    // Taken again while the attempt before was still marked under way: that
    // process stopped mid-attempt, and the SMTP server may have had the message
    // already. This attempt carried the same Message-ID; the row says so.
    const said = 'error' in outcome ? outcome.error : null
    const error =
      row.sending_since !== null && outcome.kind !== 'suppressed'
        ? `${said ? `${said}; ` : ''}${UNKNOWN_BEFORE}`
        : said
    await db.transaction().execute(async (trx) => {
      // `attempts` fences the update: after a lease ran out and another worker
      // took the row, only the newer attempt's outcome is written.
      const mine = trx
        .updateTable('mail_messages')
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .where('state', '=', 'pending')
      if (outcome.kind === 'retry') {
        const delay = RETRY_SCHEDULE_MS[row.attempts - 1]
        const updated = await mine
          .set(
            delay === undefined
              ? { state: 'failed', last_error: error, sending_since: null }
              : {
                  next_attempt_at: new Date(
                    at.getTime() + Math.round(delay * (0.8 + 0.4 * random())),
                  ),
                  last_error: error,
                  sending_since: null,
                },
          )
          .executeTakeFirst()
        if (delay !== undefined || updated.numUpdatedRows === 0n) return
        await final(trx, row, 'failed', error)
        return
      }
      const state = FINAL[outcome.kind]
      const updated = await mine
        .set({
          state,
          last_error: error,
          sending_since: null,
          ...(outcome.kind === 'sent' ? { sent_at: at } : {}),
        })
        .executeTakeFirst()
      if (updated.numUpdatedRows === 0n) return
      if (outcome.kind === 'bounced') {
        await trx
          .insertInto('mail_suppressions')
          .values({
            site_id: row.site_id,
            address: row.recipient.toLowerCase(),
            reason: 'bounced',
            mail_id: row.id,
            detail: said,
          })
          .onConflict((conflict) => conflict.columns(['site_id', 'address']).doNothing())
          .execute()
      }
      await final(trx, row, state, error)
    })
  }

  /** The mail's last state on the complaint's timeline (an alert's mail has none), and in the log. */
  async function final(
    trx: Transaction<Tables>,
    row: MailRow,
    state: Exclude<MailState, 'pending'>,
    error: string | null,
  ): Promise<void> {
    if (row.complaint_id !== null)
      await emit(trx, row.site_id, {
        type: 'mail_delivery',
        complaintId: row.complaint_id,
        mailId: row.id,
        kind: row.kind,
        to: row.recipient,
        state,
        attempts: row.attempts,
        error,
      })
    if (state !== 'not_sent')
      log({
        level: state === 'sent' || state === 'suppressed' ? 'info' : 'error',
        msg: `mail ${state}`,
        mailId: row.id,
        kind: row.kind,
        to: row.recipient,
        state,
        ...(error ? { error } : {}),
      })
  }

  async function runOnce(): Promise<number> {
    const taken = await claim(now())
    await Promise.all(
      taken.map(async (row) => {
        let outcome: Outcome
        try {
          outcome = await deliver(row)
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          outcome = { kind: 'retry', error: `could not prepare the mail: ${message}`.slice(0, 500) }
        }
        await record(row, outcome, now())
      }),
    )
    return taken.length
  }

  const poller = startPolling(runOnce, {
    interval: options.interval ?? 1000,
    batchSize,
    onError: options.onError ?? reportTo('mail round'),
  })
  let stopped: Promise<void> | undefined
  return {
    runOnce,
    stop: () => {
      stopped ??= poller.stop().then(() => transport?.close())
      return stopped
    },
  }
}
