/**
 * @module Handing one message to the operator's SMTP server (nodemailer),
 * and what its answer means for the message: sent, refused for good for
 * this address (bounced), refused for good for another reason (failed), or
 * worth another try later.
 */
import { createTransport } from 'nodemailer'

/** One message, as the worker hands it over. */
export interface OutgoingMail {
  /** `<mail_…@host>`: the same on every attempt, so a repeat is recognisable. */
  messageId: string
  from: { name: string; address: string }
  to: string
  subject: string
  text: string
  html: string
  /** Extra headers (`List-Unsubscribe`, `Auto-Submitted`). */
  headers: Record<string, string>
}

/** What became of one attempt. */
export type SendOutcome =
  | { kind: 'sent'; response: string }
  /** A 5xx to the recipient: the address does not take mail. */
  | { kind: 'bounced'; error: string }
  /** Refused for good, but not because of the address (the sender, the content). */
  | { kind: 'failed'; error: string }
  /** A 4xx, a timeout, a connection that failed or broke: try again later. */
  | { kind: 'retry'; error: string }

/**
 * Sends one message and says what became of it; never throws for an SMTP
 * answer. Tests and embedders may pass their own.
 *
 * @example
 * const transport: MailTransport = { send: async () => ({ kind: 'sent', response: '250 OK' }), close() {} }
 */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<SendOutcome>
  close(): void
}

/** What nodemailer's errors carry. */
interface SmtpError extends Error {
  code?: string
  command?: string
  responseCode?: number
  response?: string
}

const cut = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 500)

/**
 * What an SMTP error means for the message. A 5xx to `RCPT TO` is the
 * address's; a 5xx to `MAIL FROM` or to the message is the sender's or the
 * content's, so the address is not blamed. Authentication and everything
 * without a 5xx (4xx, timeouts, lost connections) is worth retrying: the
 * operator may fix the first, the rest usually passes.
 *
 * @example
 * classify(Object.assign(new Error('550 No such user'), { responseCode: 550, command: 'RCPT TO' })).kind // 'bounced'
 */
export function classify(error: unknown): Exclude<SendOutcome, { kind: 'sent' }> {
  const smtp = error as SmtpError
  const what = cut(
    smtp.response ? `${smtp.command ?? 'SMTP'}: ${smtp.response}` : String(smtp?.message ?? error),
  )
  const permanent =
    typeof smtp?.responseCode === 'number' && smtp.responseCode >= 500 && smtp.code !== 'EAUTH'
  if (permanent && smtp.command === 'RCPT TO') return { kind: 'bounced', error: what }
  if (permanent) return { kind: 'failed', error: what }
  // No answer after the message went out may mean it arrived: the retry
  // carries the same Message-ID, so the recipient's mail system can tell.
  return { kind: 'retry', error: what }
}

/**
 * A transport to the SMTP server at `url` (`smtp://user:pass@host:587`,
 * `smtps://…:465`; nodemailer's URL options such as `?requireTLS=true` work).
 * One connection per message, each with short timeouts so one slow server
 * never holds the worker's round (and its lease) for long.
 *
 * @example
 * const transport = smtpTransport(process.env.REDRESS_SMTP_URL!)
 */
export function smtpTransport(url: string, options: { timeoutMs?: number } = {}): MailTransport {
  const timeout = options.timeoutMs ?? 30_000
  const mailer = createTransport({
    url,
    connectionTimeout: Math.min(timeout, 10_000),
    greetingTimeout: Math.min(timeout, 10_000),
    socketTimeout: timeout,
    dnsTimeout: Math.min(timeout, 10_000),
  } as Parameters<typeof createTransport>[0])
  return {
    async send(mail) {
      try {
        const info = await mailer.sendMail({
          messageId: mail.messageId,
          from: mail.from,
          to: mail.to,
          // The envelope is set, not derived from the headers: exactly one recipient.
          envelope: { from: mail.from.address, to: [mail.to] },
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
        })
        if (info.rejected.length > 0)
          return { kind: 'bounced', error: cut(`RCPT TO: ${String(info.rejected[0])}`) }
        return { kind: 'sent', response: cut(String(info.response ?? '')) }
      } catch (error) {
        return classify(error)
      }
    },
    close: () => mailer.close(),
  }
}

/**
 * Check an SMTP URL before the server starts: `smtp:` or `smtps:` with a host.
 * Throws with a message naming the variable.
 *
 * @example
 * checkSmtpUrl('smtp://127.0.0.1:2525') // ok
 * checkSmtpUrl('http://mail')           // throws
 */
export function checkSmtpUrl(url: string, name = 'REDRESS_SMTP_URL'): void {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`${name} is not a URL (expected e.g. smtp://user:pass@mail.example:587)`)
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new Error(`${name} must start with smtp:// or smtps://, not ${parsed.protocol}//`)
  if (!parsed.hostname) throw new Error(`${name} names no host`)
}
