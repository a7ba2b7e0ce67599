/**
 * @module The goodwill coupon: a small coupon for complaints nobody vouched
 * for, with its own daily budget and a cap per client address. Anyone can
 * send such a complaint, so the form states what scripts could take with the
 * values typed, next to the switch.
 */
import { useSignal } from '@preact/signals'
import { fill, plural } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { currencyDigits, formatMoney, majorText, toMinor } from '../lib/money'
import type { SiteView } from '../lib/types'
import {
  couponsPerDay,
  GOODWILL_DEFAULTS,
  type GoodwillInput,
  policyWithGoodwill,
} from './_settings-data'
import { Field, runSave, SaveRow, type SaveSite, Section, useFormState } from './_settings-form'

interface GoodwillDraft {
  enabled: boolean
  /** The currency the amounts are written in: the site's when the draft was made. */
  currency: string
  value: string
  perDay: string
  perIpDay: string
}

const MONEY = ['value', 'perDay'] as const

function goodwillDraft(site: SiteView): GoodwillDraft {
  const { currency, goodwill } = site.policy.effective
  return {
    enabled: goodwill.enabled,
    currency,
    value: majorText(goodwill.value, currency),
    perDay: majorText(goodwill.perDay, currency),
    perIpDay: String(goodwill.perIpDay),
  }
}

/**
 * The draft in `currency`: the caps form may change the site's currency, and
 * the server keeps the stored minor units, so each amount keeps its number of
 * minor units (3.00 EUR → 300 JPY), as the caps form does.
 */
function inCurrency(draft: GoodwillDraft, currency: string): GoodwillDraft {
  if (draft.currency === currency) return draft
  const next = { ...draft, currency }
  if (currencyDigits(draft.currency) === currencyDigits(currency)) return next
  for (const name of MONEY) {
    const minor = toMinor(draft[name], draft.currency)
    if (minor !== null) next[name] = majorText(minor, currency)
  }
  return next
}

/** Whole numbers only: "2", not "2.5" or "2e1". */
const wholeNumber = (text: string): number | null =>
  /^\d+$/.test(text.trim()) ? Number(text.trim()) : null

export function GoodwillForm({ site, save }: { site: SiteView; save: SaveSite }) {
  const m = settingsMessages.value.goodwill
  const currency = site.policy.effective.currency
  const draft = useSignal<GoodwillDraft>(goodwillDraft(site))
  const state = useFormState()
  // Saving the caps may change the currency under this draft: relabel it before
  // anything is read from it, so an amount is never sent in the wrong unit.
  if (draft.peek().currency !== currency) draft.value = inCurrency(draft.peek(), currency)
  const current = draft.value
  const set = (change: Partial<GoodwillDraft>) => {
    draft.value = { ...draft.value, ...change }
  }

  const value = toMinor(current.value, currency)
  const perDay = toMinor(current.perDay, currency)
  const perIpDay = wholeNumber(current.perIpDay)

  // The risk in figures, from what is typed; a figure not (yet) valid reads as stored.
  const stored = site.policy.effective.goodwill
  const riskValue = value !== null && value > 0 ? value : stored.value
  const riskPerDay = perDay ?? stored.perDay
  const riskPerIp = perIpDay !== null && perIpDay > 0 ? perIpDay : stored.perIpDay
  const count = couponsPerDay(riskPerDay, riskValue)
  const risk = fill(m.risk, {
    perDay: formatMoney(riskPerDay, currency),
    coupons: plural(m.coupons, count, { count, value: formatMoney(riskValue, currency) }),
    perAddress: plural(m.perAddress, riskPerIp, { count: riskPerIp }),
  })

  const submit = async (event: Event) => {
    event.preventDefault()
    const problems: Record<string, string> = {}
    if (value === null || value <= 0)
      problems['policy.goodwill.value'] = fill(m.valueInvalid, {
        example: majorText(GOODWILL_DEFAULTS.value, currency),
      })
    if (perDay === null)
      problems['policy.goodwill.perDay'] = fill(m.perDayInvalid, {
        example: majorText(GOODWILL_DEFAULTS.perDay, currency),
      })
    else if (value !== null && value > 0 && perDay < value)
      problems['policy.goodwill.perDay'] = fill(m.perDayTooSmall, {
        value: formatMoney(value, currency),
      })
    if (perIpDay === null || perIpDay < 1) problems['policy.goodwill.perIpDay'] = m.perIpDayInvalid
    const input: GoodwillInput = {
      enabled: current.enabled,
      value: value ?? 0,
      perDay: perDay ?? 0,
      perIpDay: perIpDay ?? 0,
    }
    const saved = await runSave(
      state,
      () => save({ policy: policyWithGoodwill(site.policy.overrides, input) }),
      (field, message) =>
        /^policy\.goodwill\.(enabled|value|perDay|perIpDay)$/.test(field)
          ? { key: field, message }
          : null,
      problems,
    )
    if (saved) draft.value = goodwillDraft(saved)
  }

  const errors = state.errors.value
  const moneyField = (name: (typeof MONEY)[number]) => (
    <Field
      key={name}
      id={`goodwill-${name}`}
      label={fill(m[name], { currency })}
      hint={
        <>
          {name === 'perDay' && `${m.perDayHint} `}
          {fill(m.default, { value: formatMoney(GOODWILL_DEFAULTS[name], currency) })}
        </>
      }
      error={errors[`policy.goodwill.${name}`]}
    >
      {(a11y) => (
        <input
          {...a11y}
          class="short"
          inputMode={currencyDigits(currency) > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={current[name]}
          onInput={(event) => set({ [name]: (event.target as HTMLInputElement).value })}
        />
      )}
    </Field>
  )

  return (
    <Section name="goodwill" title={m.title} hint={m.hint}>
      <form onSubmit={submit} noValidate class="grid-form">
        <div class="wide check">
          <label>
            <input
              type="checkbox"
              aria-describedby="goodwill-risk goodwill-enabled-error"
              checked={current.enabled}
              onChange={(event) => set({ enabled: (event.target as HTMLInputElement).checked })}
            />{' '}
            {m.enabled}
          </label>
          {/* Beside the switch and read with it: what turning it on can cost. */}
          <p id="goodwill-risk" class="warn risk">
            {risk}
          </p>
          <p id="goodwill-enabled-error" class="error">
            {errors['policy.goodwill.enabled']}
          </p>
        </div>
        {moneyField('value')}
        {moneyField('perDay')}
        <Field
          id="goodwill-perIpDay"
          label={m.perIpDay}
          hint={
            <>
              {m.perIpDayHint} {fill(m.default, { value: GOODWILL_DEFAULTS.perIpDay })}
            </>
          }
          error={errors['policy.goodwill.perIpDay']}
        >
          {(a11y) => (
            <input
              {...a11y}
              class="short"
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={current.perIpDay}
              onInput={(event) => set({ perIpDay: (event.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        <SaveRow state={state} />
      </form>
    </Section>
  )
}
