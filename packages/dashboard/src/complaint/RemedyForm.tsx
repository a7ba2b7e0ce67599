/**
 * @module Giving a remedy by hand. The caps come first (what may be given now
 * without approval, and why), a value over them is refused here before any
 * request (the server checks again, under its locks), and one idempotency key
 * per remedy means a double click or a retry never gives it twice.
 */
import { type Signal, useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { fill, locale, messages } from '../i18n'
import { newKey } from '../lib/api'
import { errorCode, errorText } from '../lib/errors'
import { currencyDigits, formatMoney, toPositiveMinor } from '../lib/money'
import { siteOf } from '../lib/site'
import { api, me } from '../lib/state'
import type { Caps, RemedyRequest, RemedyResult } from '../lib/types'

export const REMEDY_KINDS = [
  'coupon',
  'refund',
  'replacement',
  'correction',
  'apology',
  'escalation',
] as const satisfies readonly RemedyRequest['kind'][]

/** Kinds that cost money: a value is needed (coupon, refund) or may be given (replacement). */
const PRICED: readonly string[] = ['coupon', 'refund']
const MAY_COST: readonly string[] = ['coupon', 'refund', 'replacement']

/**
 * The request for a remedy of `kind`, with only what that kind may carry:
 * `value` for the priced kinds, `text` as a coupon's label or the others'
 * message. `null` when a coupon or refund has no value.
 *
 * @example
 * remedyRequest('coupon', 500, '{amount} off') // { kind: 'coupon', value: 500, label: '{amount} off' }
 * remedyRequest('refund', undefined)            // null
 */
export function remedyRequest(
  kind: RemedyRequest['kind'],
  value: number | undefined,
  text?: string,
): RemedyRequest | null {
  if (kind === 'coupon' || kind === 'refund') {
    if (value === undefined) return null
    return kind === 'coupon' ? { kind, value, label: text } : { kind, value, message: text }
  }
  return kind === 'replacement' ? { kind, value, message: text } : { kind, message: text }
}

export function RemedyForm({
  id,
  version = 0,
  onIssued,
}: {
  /** The complaint's id. */
  id: string
  /** Bumped when the complaint changed, to read the caps again. */
  version?: number
  onIssued?: (result: RemedyResult) => void
}) {
  const m = messages.value.complaint
  const client = api.value!
  const site = siteOf(client).value
  const caps = useSignal<Caps | null>(null)
  const capsError = useSignal<string | null>(null)
  const kind = useSignal<RemedyRequest['kind']>('coupon')
  const value = useSignal('')
  const message = useSignal('')
  const label = useSignal('')
  const error = useSignal<string | null>(null)
  const errorOn = useSignal<'value' | 'form'>('form')
  const busy = useSignal(false)
  const done = useSignal<string | null>(null)
  // The last attempt: the same remedy sent again keeps its key, so it is given once.
  const attempt = useRef<{ key: string; body: string } | null>(null)

  const loadCaps = async () => {
    capsError.value = null
    try {
      caps.value = await client.caps(id)
    } catch (caught) {
      capsError.value = errorText(caught)
    }
  }
  useEffect(() => {
    void loadCaps()
  }, [id, version, client])

  const currency = caps.value?.currency ?? site?.policy.effective.currency ?? null
  const money = (minor: number) => (currency ? formatMoney(minor, currency) : String(minor))
  const priced = MAY_COST.includes(kind.value)

  const fail = (text: string, on: 'value' | 'form' = 'form') => {
    error.value = text
    errorOn.value = on
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    if (busy.value) return
    error.value = null
    done.value = null
    let minor: number | undefined
    const typed = value.value.trim()
    if (priced && typed) {
      if (!currency) return fail(fill(m.capsError, { error: capsError.value ?? '' }), 'value')
      const parsed = toPositiveMinor(typed, currency)
      if (parsed === null)
        return fail(fill(m.valueInvalid, { digits: currencyDigits(currency) }), 'value')
      const available = caps.value?.available
      if (available !== undefined && parsed > available) {
        return fail(
          fill(m.overCap, { value: formatMoney(parsed, currency), available: money(available) }),
          'value',
        )
      }
      minor = parsed
    }
    const body = remedyRequest(
      kind.value,
      minor,
      (kind.value === 'coupon' ? label : message).value.trim() || undefined,
    )
    if (!body) return fail(m.valueNeeded, 'value')

    const json = JSON.stringify(body)
    const key = attempt.current?.body === json ? attempt.current.key : newKey()
    attempt.current = { key, body: json }
    busy.value = true
    try {
      const result = await client.issue(id, body, key)
      attempt.current = null
      value.value = ''
      message.value = ''
      label.value = ''
      const what = m.kinds[result.kind]
      done.value =
        result.status === 'pending_approval'
          ? fill(m.issuedPending, { kind: what })
          : fill(result.code ? m.issuedCode : m.issued, { kind: what, code: result.code ?? '' })
      void loadCaps()
      onIssued?.(result)
    } catch (caught) {
      const code = errorCode(caught)
      if (code === 'cap_exceeded') {
        fail(fill(m.refused, { message: errorText(caught) }), 'value')
        void loadCaps()
      } else {
        const field = (caught as { field?: string }).field
        fail(errorText(caught), field === 'value' && priced ? 'value' : 'form')
      }
    } finally {
      busy.value = false
    }
  }

  const valueError = error.value && errorOn.value === 'value' ? error.value : null
  const formError = error.value && errorOn.value === 'form' ? error.value : null

  return (
    <section class="card remedy" aria-labelledby="remedy-title">
      <h2 id="remedy-title">{m.issue}</h2>
      <CapsView caps={caps.value} error={capsError.value} money={money} />
      <form class="stack" onSubmit={submit} noValidate>
        <div class="field">
          <label for="remedy-kind">{m.kind}</label>
          <select
            id="remedy-kind"
            name="kind"
            value={kind.value}
            onChange={(event) => {
              kind.value = (event.target as HTMLSelectElement).value as RemedyRequest['kind']
              error.value = null
            }}
          >
            {REMEDY_KINDS.map((name) => (
              <option key={name} value={name}>
                {m.kinds[name]}
              </option>
            ))}
          </select>
        </div>
        {priced && (
          <div class="field">
            <label for="remedy-value">
              {fill(PRICED.includes(kind.value) ? m.value : m.valueOptional, {
                currency: currency ?? '',
              })}
            </label>
            <input
              id="remedy-value"
              name="value"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={value.value}
              aria-invalid={valueError ? 'true' : undefined}
              aria-describedby="remedy-value-hint remedy-value-error"
              onInput={(event) => {
                value.value = (event.target as HTMLInputElement).value
                if (errorOn.value === 'value') error.value = null
              }}
            />
            <span id="remedy-value-hint" class="hint">
              {m.valueHint}
            </span>
            <span id="remedy-value-error" class="error" role="alert">
              {valueError}
            </span>
          </div>
        )}
        {kind.value === 'coupon' ? (
          <TextField
            key="remedy-label"
            id="remedy-label"
            name="label"
            label={m.label}
            hint={m.labelHint}
            text={label}
            maxLength={200}
          />
        ) : (
          <TextField
            key="remedy-message"
            id="remedy-message"
            name="message"
            label={m.message}
            hint={m.messageHint}
            text={message}
            maxLength={2000}
            rows={3}
          />
        )}
        <p class="error" role="alert">
          {formError}
        </p>
        <div class="actions">
          <button type="submit" disabled={busy.value}>
            {busy.value ? m.working : fill(m.give, { kind: m.kinds[kind.value] })}
          </button>
        </div>
        <p class="ok" role="status">
          {done.value}
        </p>
      </form>
    </section>
  )
}

/** A free-text field with its hint, kept in `text`; a textarea when it has `rows`. */
function TextField({
  id,
  name,
  label,
  hint,
  text,
  maxLength,
  rows,
}: {
  id: string
  name: string
  label: string
  hint: string
  text: Signal<string>
  maxLength: number
  rows?: number
}) {
  const onInput = (event: Event) => {
    text.value = (event.target as HTMLInputElement | HTMLTextAreaElement).value
  }
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {rows === undefined ? (
        <input
          id={id}
          name={name}
          aria-describedby={`${id}-hint`}
          type="text"
          maxLength={maxLength}
          value={text.value}
          onInput={onInput}
        />
      ) : (
        <textarea
          id={id}
          name={name}
          aria-describedby={`${id}-hint`}
          rows={rows}
          maxLength={maxLength}
          value={text.value}
          onInput={onInput}
        />
      )}
      <span id={`${id}-hint`} class="hint">
        {hint}
      </span>
    </div>
  )
}

function CapsView({
  caps,
  error,
  money,
}: {
  caps: Caps | null
  error: string | null
  money: (minor: number) => string
}) {
  const m = messages.value.complaint
  if (error) {
    return (
      <p class="error" role="alert">
        {fill(m.capsError, { error })}
      </p>
    )
  }
  if (!caps) return <p class="hint">{m.capsLoading}</p>
  const { perComplaint, customer, siteDay } = caps
  // A person's own authority sits under the caps: above it, what they give waits.
  const person = me.value
  const limits = [
    person?.remedyLimit != null
      ? fill(m.limitPerRemedy, { amount: money(person.remedyLimit) })
      : '',
    person?.dayLimit != null ? fill(m.limitPerDay, { amount: money(person.dayLimit) }) : '',
  ].filter(Boolean)
  return (
    <div class="caps">
      <p class="caps-available">{fill(m.available, { amount: money(caps.available) })}</p>
      {limits.length > 0 && (
        <p class="caps-own">
          {fill(m.yourLimit, {
            limits: new Intl.ListFormat(locale.value, { type: 'conjunction' }).format(limits),
          })}
        </p>
      )}
      <ul>
        <li>
          {fill(m.capComplaint, {
            remaining: money(perComplaint.remaining),
            limit: money(perComplaint.limit),
            given: money(perComplaint.given),
          })}
          {perComplaint.orderValue !== null && (
            <span class="hint">
              {' '}
              {fill(m.capComplaintOrder, {
                percent: perComplaint.percentOfOrder,
                order: money(perComplaint.orderValue),
                max: money(perComplaint.max),
              })}
            </span>
          )}
        </li>
        <li>
          {customer
            ? fill(m.capCustomer, {
                remaining: money(customer.remaining),
                limit: money(customer.limit),
              })
            : m.capNoCustomer}
        </li>
        <li>
          {fill(m.capSite, { remaining: money(siteDay.remaining), limit: money(siteDay.limit) })}
        </li>
      </ul>
      <p class="hint">{m.capsFree}</p>
    </div>
  )
}
