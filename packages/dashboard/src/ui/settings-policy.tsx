/**
 * @module The recovery policy's caps and currency, and the service
 * guarantee. Money is typed in major units of the policy currency and sent in
 * minor units; the guarantee's reply time is typed in hours or minutes and
 * sent as an ISO 8601 duration.
 */
import { useSignal } from '@preact/signals'
import { currencyDigits, fill, formatMoney, locale } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import type { SiteView } from '../types'
import {
  type DurationUnit,
  durationParts,
  GUARANTEE_WITHIN,
  HARD_CAP_PERCENT,
  isoDuration,
  MONEY_CAPS,
  majorText,
  POLICY_DEFAULTS,
  policyWithCaps,
  toMinor,
} from './settings-data'
import { Field, runSave, SaveRow, type SaveSite, Section, useFormState } from './settings-form'

const CURRENCIES = [
  'EUR',
  'USD',
  'GBP',
  'CNY',
  'JPY',
  'HKD',
  'TWD',
  'SGD',
  'AUD',
  'CAD',
  'CHF',
  'SEK',
  'KRW',
  'INR',
]

/** An ISO 4217 code the browser knows (so amounts can be shown in it). */
function knownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code })
    return true
  } catch {
    return false
  }
}

interface CapsDraft {
  currency: string
  /** The last valid currency typed: the one the amounts are written in. */
  moneyCurrency: string
  percent: string
  money: Record<(typeof MONEY_CAPS)[number], string>
}

function rewriteMoney(money: CapsDraft['money'], from: string, to: string): CapsDraft['money'] {
  if (currencyDigits(from) === currencyDigits(to)) return money
  const out = { ...money }
  for (const name of MONEY_CAPS) {
    const minor = toMinor(money[name], from)
    if (minor !== null) out[name] = majorText(minor, to)
  }
  return out
}

function capsDraft(site: SiteView): CapsDraft {
  const { currency, caps } = site.policy.effective
  return {
    currency,
    moneyCurrency: currency,
    percent: String(caps.perComplaintPercent),
    money: {
      perComplaintMax: majorText(caps.perComplaintMax, currency),
      perCustomer30Days: majorText(caps.perCustomer30Days, currency),
      perSiteDay: majorText(caps.perSiteDay, currency),
    },
  }
}

export function PolicyForm({ site, save }: { site: SiteView; save: SaveSite }) {
  const m = settingsMessages.value.policy
  const draft = useSignal<CapsDraft>(capsDraft(site))
  const state = useFormState()
  const typed = draft.value.currency.trim().toUpperCase()
  // Amounts are read in the currency being typed, once it is a real one.
  const currency = draft.value.moneyCurrency
  const set = (change: Partial<CapsDraft>) => {
    draft.value = { ...draft.value, ...change }
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    const problems: Record<string, string> = {}
    if (!knownCurrency(typed)) problems['policy.currency'] = m.currencyInvalid
    const percentText = draft.value.percent.trim()
    const percent = Number(percentText)
    if (!percentText || !Number.isFinite(percent) || percent < 0)
      problems['policy.caps.perComplaintPercent'] = m.percentInvalid
    else if (percent > HARD_CAP_PERCENT)
      problems['policy.caps.perComplaintPercent'] = fill(m.percentOverCap, {
        max: HARD_CAP_PERCENT,
      })
    const amounts = {} as Record<(typeof MONEY_CAPS)[number], number>
    for (const name of MONEY_CAPS) {
      const minor = toMinor(draft.value.money[name], currency)
      if (minor === null)
        problems[`policy.caps.${name}`] = fill(m.moneyInvalid, {
          example: majorText(POLICY_DEFAULTS.caps[name], currency),
        })
      else amounts[name] = minor
    }
    const saved = await runSave(
      state,
      () =>
        save({
          policy: policyWithCaps(site.policy.overrides, {
            currency: typed,
            perComplaintPercent: percent,
            ...amounts,
          }),
        }),
      (field, message) =>
        field === 'policy.currency' || /^policy\.caps\.\w+$/.test(field)
          ? { key: field, message }
          : null,
      problems,
    )
    if (saved) draft.value = capsDraft(saved)
  }
  const errors = state.errors.value
  const moneyField = (name: (typeof MONEY_CAPS)[number]) => (
    <Field
      key={name}
      id={`policy-${name}`}
      label={fill(m[name], { currency })}
      hint={
        <>
          {m[`${name}Hint` as const]}{' '}
          {fill(m.default, { value: formatMoney(POLICY_DEFAULTS.caps[name], currency) })}
        </>
      }
      error={errors[`policy.caps.${name}`]}
    >
      {(a11y) => (
        <input
          {...a11y}
          inputMode={currencyDigits(currency) > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={draft.value.money[name]}
          onInput={(event) =>
            set({
              money: { ...draft.value.money, [name]: (event.target as HTMLInputElement).value },
            })
          }
        />
      )}
    </Field>
  )
  return (
    <Section name="policy" title={m.title} hint={m.hint}>
      <form onSubmit={submit} noValidate class="grid-form">
        <Field
          id="policy-currency"
          label={m.currency}
          hint={
            <>
              {m.currencyHint} {fill(m.default, { value: POLICY_DEFAULTS.currency })}
            </>
          }
          error={errors['policy.currency']}
        >
          {(a11y) => (
            <>
              <input
                {...a11y}
                class="short mono"
                list="policy-currencies"
                maxLength={3}
                autoCapitalize="characters"
                autoComplete="off"
                spellcheck={false}
                value={draft.value.currency}
                onInput={(event) => {
                  const next = (event.target as HTMLInputElement).value
                  const code = next.trim().toUpperCase()
                  // The server stores minor units; a new currency relabels them, so
                  // each amount keeps its stored number ("50" EUR → "5000" JPY).
                  if (knownCurrency(code))
                    set({
                      currency: next,
                      moneyCurrency: code,
                      money: rewriteMoney(draft.value.money, currency, code),
                    })
                  else set({ currency: next })
                }}
              />
              <datalist id="policy-currencies">
                {CURRENCIES.map((code) => (
                  <option key={code} value={code} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          id="policy-perComplaintPercent"
          label={m.perComplaintPercent}
          hint={
            <>
              {fill(m.perComplaintPercentHint, { max: HARD_CAP_PERCENT })}{' '}
              {fill(m.default, { value: `${POLICY_DEFAULTS.caps.perComplaintPercent}%` })}
            </>
          }
          error={errors['policy.caps.perComplaintPercent']}
        >
          {(a11y) => (
            <input
              {...a11y}
              class="short"
              type="number"
              min={0}
              max={HARD_CAP_PERCENT}
              step={1}
              inputMode="numeric"
              value={draft.value.percent}
              onInput={(event) => set({ percent: (event.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        {MONEY_CAPS.map(moneyField)}
        <SaveRow state={state} />
      </form>
    </Section>
  )
}

interface GuaranteeDraft {
  enabled: boolean
  text: string
  amount: string
  unit: DurationUnit
  value: string
}

function guaranteeDraft(site: SiteView): GuaranteeDraft {
  const currency = site.policy.effective.currency
  const guarantee = site.guarantee
  const within = guarantee ? durationParts(guarantee.firstReplyWithin) : null
  return {
    enabled: guarantee !== null,
    text: guarantee?.text ?? '',
    amount: String(within?.amount ?? 2),
    unit: within?.unit ?? 'hours',
    value: majorText(guarantee?.remedy.value ?? 500, currency),
  }
}

export function GuaranteeForm({ site, save }: { site: SiteView; save: SaveSite }) {
  const m = settingsMessages.value.guarantee
  const draft = useSignal<GuaranteeDraft>(guaranteeDraft(site))
  const state = useFormState()
  const currency = site.policy.effective.currency
  const set = (change: Partial<GuaranteeDraft>) => {
    draft.value = { ...draft.value, ...change }
  }
  const within = isoDuration(Number(draft.value.amount), draft.value.unit)
  const value = toMinor(draft.value.value, currency)
  const suggestion = () => {
    const amount = Number(draft.value.amount)
    const duration = new Intl.NumberFormat(locale.value, {
      style: 'unit',
      unit: draft.value.unit === 'hours' ? 'hour' : 'minute',
      unitDisplay: 'long',
    }).format(amount)
    return fill(m.suggestion, { within: duration, value: formatMoney(value ?? 0, currency) })
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    const problems: Record<string, string> = {}
    let guarantee: Record<string, unknown> | null = null
    if (draft.value.enabled) {
      const text = draft.value.text.trim()
      if (!text || text.length > 300) problems['guarantee.text'] = m.textInvalid
      const minutes = Math.round(
        Number(draft.value.amount) * (draft.value.unit === 'hours' ? 60 : 1),
      )
      if (!within || minutes < GUARANTEE_WITHIN.minMinutes || minutes > GUARANTEE_WITHIN.maxMinutes)
        problems['guarantee.firstReplyWithin'] = m.withinInvalid
      if (value === null || value <= 0) problems['guarantee.remedy.value'] = m.valueInvalid
      guarantee = { text, firstReplyWithin: within, remedy: { kind: 'coupon', value } }
    }
    const saved = await runSave(
      state,
      () => save({ guarantee }),
      (field, message) => {
        if (field === 'guarantee.text' || field === 'guarantee.firstReplyWithin')
          return { key: field, message }
        if (field.startsWith('guarantee.remedy')) return { key: 'guarantee.remedy.value', message }
        return null
      },
      problems,
    )
    if (saved) draft.value = guaranteeDraft(saved)
  }
  const errors = state.errors.value
  return (
    <Section name="guarantee" title={m.title} hint={m.hint}>
      <form onSubmit={submit} noValidate>
        <fieldset class="choice">
          <legend class="visually-hidden">{m.title}</legend>
          <label>
            <input
              type="radio"
              name="guarantee-enabled"
              checked={!draft.value.enabled}
              onChange={() => set({ enabled: false })}
            />{' '}
            {m.none}
          </label>
          <label>
            <input
              type="radio"
              name="guarantee-enabled"
              checked={draft.value.enabled}
              onChange={() => set({ enabled: true })}
            />{' '}
            {m.offer}
          </label>
        </fieldset>
        {/* Hidden, not dropped: switching back brings the typed values back. */}
        <div class="grid-form" hidden={!draft.value.enabled}>
          <Field
            id="guarantee-within"
            label={m.within}
            hint={m.withinHint}
            error={errors['guarantee.firstReplyWithin']}
          >
            {(a11y) => (
              <span class="inline">
                <input
                  {...a11y}
                  class="short"
                  type="number"
                  min={1}
                  step={1}
                  inputMode="numeric"
                  value={draft.value.amount}
                  onInput={(event) => set({ amount: (event.target as HTMLInputElement).value })}
                />
                <select
                  aria-label={m.unit}
                  value={draft.value.unit}
                  onChange={(event) =>
                    set({ unit: (event.target as HTMLSelectElement).value as DurationUnit })
                  }
                >
                  <option value="hours">{m.hours}</option>
                  <option value="minutes">{m.minutes}</option>
                </select>
              </span>
            )}
          </Field>
          <Field
            id="guarantee-value"
            label={fill(m.value, { currency })}
            hint={m.valueHint}
            error={errors['guarantee.remedy.value']}
          >
            {(a11y) => (
              <input
                {...a11y}
                class="short"
                inputMode={currencyDigits(currency) > 0 ? 'decimal' : 'numeric'}
                autoComplete="off"
                value={draft.value.value}
                onInput={(event) => set({ value: (event.target as HTMLInputElement).value })}
              />
            )}
          </Field>
          <Field
            id="guarantee-text"
            class="wide"
            label={m.text}
            hint={m.textHint}
            error={errors['guarantee.text']}
          >
            {(a11y) => (
              <textarea
                {...a11y}
                rows={2}
                maxLength={300}
                placeholder={suggestion()}
                value={draft.value.text}
                onInput={(event) => set({ text: (event.target as HTMLTextAreaElement).value })}
              />
            )}
          </Field>
          <div class="wide">
            <button type="button" class="secondary" onClick={() => set({ text: suggestion() })}>
              {m.suggest}
            </button>
          </div>
        </div>
        <SaveRow state={state} />
      </form>
    </Section>
  )
}
