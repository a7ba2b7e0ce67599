/**
 * @module A complaint's mails, oldest first: what each is, to whom, its
 * subject, where it stands in words, when, and its plain-text body to open.
 * Without a mail server they are never sent, and this is where the owner
 * reads them. Bodies are shown as text, never HTML.
 */
import { fill, formatDateTime, messages } from '../i18n'
import type { ComplaintDetail } from '../lib/types'

type Mail = NonNullable<ComplaintDetail['mails']>[number]

/** Where a mail stands, in words (also for the timeline's `mail_delivery` events). */
export function mailState(mail: Pick<Mail, 'state' | 'attempts' | 'lastError'>): string {
  const states = messages.value.complaint.mailStates
  switch (mail.state) {
    case 'pending':
      // `attempts` counts the tries made; the one it waits for is the next.
      return mail.attempts > 0
        ? fill(states.retrying, { attempt: mail.attempts + 1 })
        : states.pending
    case 'suppressed':
      // The server also holds back mail to an address that bounced before, or
      // too many acknowledgments to one address: its reason is shown then.
      return !mail.lastError || /unsubscribed/i.test(mail.lastError)
        ? states.suppressed
        : states.suppressedOther
    default:
      return states[mail.state] ?? mail.state
  }
}

/** What a mail is, in words: `mail.kind` of a mail or of a timeline event. */
export const mailKind = (kind: unknown): string =>
  (messages.value.complaint.mailKinds as Record<string, string>)[String(kind)] ?? String(kind)

/** Whether the server's reason adds something to the state in words. */
const reasonShown = (mail: Mail) =>
  mail.lastError !== null &&
  mail.state !== 'sent' &&
  mail.state !== 'not_sent' &&
  mailState(mail) !== messages.value.complaint.mailStates.suppressed

export function Mails({ mails }: { mails: Mail[] }) {
  const m = messages.value.complaint
  return (
    <section class="card" aria-labelledby="mails-title">
      <h2 id="mails-title">{m.mails}</h2>
      {mails.length === 0 ? (
        <p class="hint">{m.noMails}</p>
      ) : (
        <ul class="mails">
          {mails.map((mail) => {
            const at = mail.sentAt ?? mail.createdAt
            return (
              <li key={mail.id} class="mail-row" data-id={mail.id}>
                <p class="remedy-head">
                  <strong>{mailKind(mail.kind)}</strong>
                  <span class={`chip mail-${mail.state}`}>{mailState(mail)}</span>
                  <time class="hint" dateTime={at}>
                    {formatDateTime(at)}
                  </time>
                </p>
                <p class="mail-to">{fill(m.mailTo, { to: mail.to })}</p>
                {mail.subject ? (
                  <p class="mail-subject">{mail.subject}</p>
                ) : (
                  <p class="hint">{m.noSubject}</p>
                )}
                {reasonShown(mail) && (
                  <p class="hint">{fill(m.mailError, { error: mail.lastError! })}</p>
                )}
                {mail.text === null ? (
                  <p class="hint">{m.mailNoText}</p>
                ) : (
                  <details>
                    <summary>{m.mailText}</summary>
                    <pre class="mail-text">{mail.text}</pre>
                  </details>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
