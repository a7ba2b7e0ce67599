import { formatDuration, formatMoney } from '@redress/protocol'
import { date, fill } from './_format'
import type { Offer, State } from './_state'

/** One remedy as a card; taking it (copying the code, or "OK") tells the SDK. */
export function Recovery({ s, offer }: { s: State; offer: Offer }) {
  const { m } = s
  const { locale } = s.options
  const recovery = offer.recovery
  const taken = s.taken.value.includes(recovery)

  if (recovery.kind === 'coupon') {
    const expires = date(recovery.expiresAt, locale)
    return (
      <div class="c">
        <p class="t">{recovery.label}</p>
        <code class="k">{recovery.code}</code>
        {expires && <p class="h">{fill(m.expires, { date: expires })}</p>}
        {recovery.terms && <p class="h">{recovery.terms}</p>}
        <button
          type="button"
          class="p"
          onClick={(event) =>
            s.copy(offer, event.currentTarget.parentElement!.querySelector('code'))
          }
        >
          {m.copy}
        </button>
      </div>
    )
  }
  const within = recovery.kind === 'escalation' && formatDuration(recovery.contactWithin, locale)
  return (
    <div class="c">
      {recovery.kind === 'refund' && (
        <p class="t">
          {fill(m.refund, {
            amount: formatMoney(recovery.amount.value, recovery.amount.currency, locale),
          })}
        </p>
      )}
      <p>{recovery.message}</p>
      {within && <p>{fill(m.within, { time: within })}</p>}
      {/* Stays in place once taken, so focus is not lost to the page. */}
      <button type="button" aria-disabled={taken} onClick={() => s.accept(offer)}>
        {taken ? `✓ ${m.ok}` : m.ok}
      </button>
    </div>
  )
}
