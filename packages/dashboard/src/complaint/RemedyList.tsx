/**
 * @module A complaint's remedies, every ledger row: what was given, what was
 * refused, and those waiting for approval with why in words, to approve
 * (with a value when one is needed) or reject.
 */
import { useSignal } from '@preact/signals'
import { fill, formatDateTime, messages } from '../i18n'
import { errorText } from '../lib/errors'
import { currencyDigits, formatMoney, majorText, toPositiveMinor } from '../lib/money'
import { api, can } from '../lib/state'
import type { ComplaintDetail, RecoveryRow, RemedyResult } from '../lib/types'

export function RemedyList({
  detail,
  onDecided,
}: {
  detail: ComplaintDetail
  onDecided?: (result: RemedyResult) => void
}) {
  const m = messages.value.complaint
  return (
    <section class="card" aria-labelledby="remedies-title">
      <h2 id="remedies-title">{m.remedies}</h2>
      {detail.recoveries.length === 0 ? (
        <p class="hint">{m.noRemedies}</p>
      ) : (
        <ul class="remedies">
          {detail.recoveries.map((row) => (
            <Remedy key={row.id} row={row} onDecided={onDecided} />
          ))}
        </ul>
      )}
    </section>
  )
}

/** What the customer reads of a remedy, when it says something. */
function recoveryText(row: RecoveryRow): string | null {
  const recovery = row.recovery
  if (!recovery) return null
  if (recovery.kind === 'coupon') return recovery.label
  return recovery.message
}

/** One remedy, and what to call once the owner approved or rejected it. */
interface RowProps {
  row: RecoveryRow
  onDecided?: ((result: RemedyResult) => void) | undefined
}

function Remedy({ row, onDecided }: RowProps) {
  const m = messages.value.complaint
  const reasons = m.reasons as Record<string, string>
  const text = recoveryText(row)
  return (
    <li class={`remedy-row remedy-${row.status}`} data-id={row.id}>
      <p class="remedy-head">
        <strong>{m.kinds[row.kind]}</strong>
        <span class={`chip recovery-${row.status}`}>{m.recoveryStatuses[row.status]}</span>
        {row.value > 0 && row.currency && (
          <span class="amount">{formatMoney(row.value, row.currency)}</span>
        )}
        <time class="hint" dateTime={row.createdAt}>
          {formatDateTime(row.createdAt)}
        </time>
      </p>
      {row.code && (
        <p>
          {fill(m.code, { code: row.code })}
          {row.expiresAt && ` · ${fill(m.expires, { date: formatDateTime(row.expiresAt) })}`}
        </p>
      )}
      {/* The policy's or the owner's words, shown as text. */}
      {text && <p class="quote">{text}</p>}
      {row.reason && (
        <p class={row.status === 'pending_approval' ? 'warn' : 'hint'}>
          {fill(m.why, { reason: reasons[row.reason] ?? row.reason })}
        </p>
      )}
      {row.policyKey.startsWith('manual:') && <p class="hint">{m.byOwner}</p>}
      {row.policyKey === 'guarantee' && <p class="hint">{m.byGuarantee}</p>}
      {/* Approving is a manager's or an owner's; the server checks their limit too. */}
      {row.status === 'pending_approval' && can('approve') && (
        <Decide row={row} onDecided={onDecided} />
      )}
    </li>
  )
}

function Decide({ row, onDecided }: RowProps) {
  const m = messages.value.complaint
  const client = api.value!
  const currency = row.currency
  const priced = currency !== null && ['coupon', 'refund', 'replacement'].includes(row.kind)
  const value = useSignal(
    priced && row.value > 0 ? majorText(row.value, currency, { fixed: true }) : '',
  )
  const busy = useSignal<'approve' | 'reject' | null>(null)
  const error = useSignal<string | null>(null)
  const inputId = `approve-value-${row.id}`

  const decide = async (decision: 'approve' | 'reject') => {
    error.value = null
    let minor: number | undefined
    if (decision === 'approve' && priced && value.value.trim()) {
      const parsed = toPositiveMinor(value.value, currency)
      if (parsed === null) {
        error.value = fill(m.valueInvalid, { digits: currencyDigits(currency) })
        return
      }
      if (parsed !== row.value) minor = parsed
    } else if (decision === 'approve' && priced && row.value === 0 && row.kind !== 'replacement') {
      error.value = m.approveValueNeeded
      return
    }
    busy.value = decision
    try {
      const result = await client.decide(row.id, decision, minor)
      onDecided?.(result)
    } catch (caught) {
      error.value = errorText(caught)
    } finally {
      busy.value = null
    }
  }

  return (
    <fieldset class="decide">
      <legend class="visually-hidden">{m.decide}</legend>
      {priced && (
        <label class="field" for={inputId}>
          <span>{fill(m.approveValue, { currency })}</span>
          <input
            id={inputId}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={value.value}
            aria-invalid={error.value ? 'true' : undefined}
            onInput={(event) => {
              value.value = (event.target as HTMLInputElement).value
            }}
          />
        </label>
      )}
      <div class="actions">
        <button type="button" disabled={busy.value !== null} onClick={() => decide('approve')}>
          {busy.value === 'approve' ? m.working : m.approve}
        </button>
        <button
          type="button"
          class="secondary danger"
          disabled={busy.value !== null}
          onClick={() => decide('reject')}
        >
          {busy.value === 'reject' ? m.working : m.reject}
        </button>
      </div>
      <p class="error" role="alert">
        {error.value}
      </p>
    </fieldset>
  )
}
