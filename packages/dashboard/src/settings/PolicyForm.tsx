/**
 * @module The recovery policy's caps and currency. Money is typed in major
 * units of the policy currency and sent in minor units.
 */
import { useSignal } from '@preact/signals'
import { fill } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { currencyDigits, formatMoney, knownCurrency, majorText, toMinor } from '../lib/money'
import type { SiteView } from '../lib/types'
import { HARD_CAP_PERCENT, MONEY_CAPS, POLICY_DEFAULTS, policyWithCaps } from './_settings-data'
import { Field, runSave, SaveRow, type SaveSite, Section, useFormState } from './_settings-form'

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
