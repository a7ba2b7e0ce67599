/**
 * @module A complaint's timeline in words: each event the server recorded
 * (received, remedies offered, approved or rejected, replies both ways,
 * status changes, owners, root cause, follow-ups, broken guarantees, mails),
 * oldest first.
 */
import { fill, formatDateTime, messages } from '../i18n'
import { formatMoney } from '../lib/money'
import type { ComplaintDetail, TimelineEntry } from '../lib/types'
import { mailKind, mailState } from './Mails'

const str = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null

/** Who did it, when the server named them (a person, a token). */
const actorName = (entry: TimelineEntry): string | null => {
  const actor = (entry.data as { actor?: { name?: unknown } } | undefined)?.actor
  return str(actor?.name)
}

/** One timeline entry as a sentence in the current language. */
export function describe(
  entry: TimelineEntry,
  detail: Pick<ComplaintDetail, 'recoveries'>,
): string {
  const m = messages.value.complaint
  const e = m.events
  const statuses = messages.value.inbox.statuses as Record<string, string>
  const reasons = m.reasons as Record<string, string>
  const data = entry.data ?? {}
  const kind = (value: unknown) =>
    (m.kinds as Record<string, string>)[String(value)] ?? String(value)
  const status = (value: unknown) => statuses[String(value)] ?? String(value)
  const amount = (text: string) => {
    const value = data.value
    const row = detail.recoveries.find((recovery) => recovery.id === data.recoveryId)
    const currency = row?.currency
    return typeof value === 'number' && value > 0 && currency
      ? fill(e.withValue, { text, amount: formatMoney(value, currency) })
      : text
  }
  const reason = () => reasons[String(data.reason)] ?? String(data.reason ?? '')

  switch (entry.type) {
    case 'received': {
      let text = data.recovery ? fill(e.receivedWith, { kind: kind(data.recovery) }) : e.received
      if (data.suspicion) text = fill(e.suspected, { text })
      return text
    }
    case 'recovery': {
      const what = kind(data.kind)
      if (data.status === 'pending_approval')
        return fill(e.pending, { kind: what, reason: reason() })
      if (data.kind === 'apology') return e.apology
      return amount(fill(data.by === 'admin' ? e.givenByOwner : e.given, { kind: what }))
    }
    case 'recovery_approved':
      return amount(fill(e.approved, { kind: kind(data.kind) }))
    case 'recovery_rejected':
      return fill(e.rejected, { kind: kind(data.kind) })
    case 'replied': {
      const author = str(data.author)
      return author ? fill(e.repliedBy, { author }) : e.replied
    }
    case 'customer_replied':
      return e.customerReplied
    case 'attachment_added':
      return fill(e.photoAdded, { width: Number(data.width), height: Number(data.height) })
    case 'status_changed': {
      const text = fill(e.status, { from: status(data.from), to: status(data.to) })
      const by = (e.statusBy as Record<string, string>)[String(data.by)]
      return by ? fill(e.statusWith, { text, by }) : text
    }
    case 'assigned': {
      const from = str(data.from)
      const to = str(data.to)
      if (!to) return fill(e.unassigned, { from: from ?? '' })
      return from ? fill(e.reassigned, { from, to }) : fill(e.assigned, { to })
    }
    case 'root_cause': {
      const to = str(data.to)
      return to
        ? fill(e.rootCause, { cause: (m.rootCauses as Record<string, string>)[to] ?? to })
        : e.rootCauseCleared
    }
    case 'recovery_assessed':
      return data.to === true ? e.appropriate : data.to === false ? e.inappropriate : e.unassessed
    case 'follow_up':
      return fill(e.followUp, {
        score: String(data.score ?? '?'),
        resolved: data.resolved ? m.yes : m.no,
      })
    case 'guarantee_broken':
      return fill(e.guaranteeBroken, {
        promise: str(data.promise) ?? '',
        due: str(data.dueAt) ? formatDateTime(String(data.dueAt)) : '',
      })
    case 'mail_queued':
      return fill(e.mailQueued, { kind: mailKind(data.kind), to: str(data.to) ?? '' })
    case 'mail_delivery':
      return fill(e.mailDelivery, {
        kind: mailKind(data.kind),
        to: str(data.to) ?? '',
        state: mailState({
          state: data.state as Parameters<typeof mailState>[0]['state'],
          attempts: typeof data.attempts === 'number' ? data.attempts : 0,
          lastError: str(data.error),
        }),
      })
    default:
      return fill(e.other, { type: entry.type })
  }
}

export function Timeline({ detail }: { detail: ComplaintDetail }) {
  const m = messages.value.complaint
  return (
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{m.timeline}</h2>
      <ol class="timeline">
        {detail.timeline.map((entry, index) => (
          <li key={index} class={`event event-${entry.type}`}>
            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            <span class="event-text">{describe(entry, detail)}</span>
            {actorName(entry) && (
              <span class="event-by"> · {fill(m.events.actor, { name: actorName(entry)! })}</span>
            )}
            {(entry.type === 'replied' || entry.type === 'customer_replied') &&
              str(entry.data.message) && <p class="quote">{String(entry.data.message)}</p>}
          </li>
        ))}
      </ol>
    </section>
  )
}
