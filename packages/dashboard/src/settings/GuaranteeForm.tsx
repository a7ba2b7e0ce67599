/**
 * @module The service guarantee: its promise, the reply time typed in hours
 * or minutes and sent as an ISO 8601 duration, and the coupon it gives, typed
 * in major units of the policy currency and sent in minor units.
 */
import { useSignal } from '@preact/signals'
import { fill, locale } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { currencyDigits, formatMoney, majorText, toMinor } from '../lib/money'
import type { Guarantee, SiteView } from '../lib/types'
import { type DurationUnit, durationParts, GUARANTEE_WITHIN, isoDuration } from './_settings-data'
import { Field, runSave, SaveRow, type SaveSite, Section, useFormState } from './_settings-form'

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
    let guarantee: Guarantee | null = null
    if (draft.value.enabled) {
      const text = draft.value.text.trim()
      if (!text || text.length > 300) problems['guarantee.text'] = m.textInvalid
      const minutes = Math.round(
        Number(draft.value.amount) * (draft.value.unit === 'hours' ? 60 : 1),
      )
      if (!within || minutes < GUARANTEE_WITHIN.minMinutes || minutes > GUARANTEE_WITHIN.maxMinutes)
        problems['guarantee.firstReplyWithin'] = m.withinInvalid
      if (value === null || value <= 0) problems['guarantee.remedy.value'] = m.valueInvalid
      // Sent only without problems, so with both.
      if (within && value !== null)
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
