import { date, fill } from './_format'
import type { State } from './_state'
import { FollowUp } from './FollowUp'
import { Recovery } from './Recovery'

/** After sending: the apology at once, then progress, remedies, status and the follow-up. */
export function Done({ s }: { s: State }) {
  const { m, uid } = s
  const sent = s.sent.value
  const stage = sent?.stage
  const status = s.status.value
  const checking = s.checking.value

  return (
    <>
      <h2 id={`${uid}h`} tabIndex={-1} data-first>
        {m.thanks}
      </h2>
      <p>{m.apology}</p>
      {s.options.guarantee && <p class="h">{fill(m.promise, { text: s.options.guarantee })}</p>}
      <p class={stage === 'failed' ? 'er' : 'h'}>
        {stage === 'sent'
          ? fill(m.reference, { ref: sent!.receipt!.reference })
          : stage === 'failed'
            ? fill(m.failed, { error: sent!.error!.message })
            : stage && m[stage]}
      </p>
      {stage === 'failed' && (
        <button type="button" class="p" onClick={s.retry}>
          {m.retry}
        </button>
      )}
      {s.offers.value
        .filter((offer) => !offer.id || offer.id === sent?.id)
        .map((offer) => (
          <Recovery s={s} offer={offer} />
        ))}
      {sent?.receipt && (
        <button type="button" onClick={s.check} disabled={checking === 'busy'}>
          {m.check}
        </button>
      )}
      {status && <p>{fill(m.status, { status: m.statuses[status] })}</p>}
      {s.replies.value.map(({ message, author, at }) => (
        <div class="c">
          <p class="t">{author ? fill(m.replyFrom, { author }) : m.reply}</p>
          {/* Text, never HTML; its line breaks kept. */}
          <p class="w">{message}</p>
          <p class="h">{date(at, s.options.locale)}</p>
        </div>
      ))}
      {checking === 'error' && <p class="er">{m.statusError}</p>}
      {(status === 'resolved' || s.answered.value === 'done') && <FollowUp s={s} />}
      <button type="button" onClick={s.again}>
        {m.another}
      </button>
    </>
  )
}
