/**
 * @module Early warning (`PATCH /v1/admin/site` `{ alerts }`): the rules in
 * force, each a burst or a spike counting the whole site, each category or
 * each failure type (or only one of them), its numbers within the protocol's
 * bounds and the rule read back in a sentence. Save sends every rule; turning
 * early warning off sends `[]`, restoring the defaults `null`.
 */
import { useSignal } from '@preact/signals'
import { fill, locale, messages } from '../i18n'
import { type SettingsMessages, settingsMessages } from '../i18n/settings'
import { FAILURE_TYPES } from '../insights/insights-data'
import { categoryLabel } from '../lib/site'
import type { AlertRule, AlertScope, FailureType, SiteView } from '../lib/types'
import {
  ALERT_LIMITS,
  isWhole,
  MAX_RULES,
  type NumberKey,
  newRuleDraft,
  placeRuleError,
  RULE_NUMBERS,
  type RuleDraft,
  type RuleKind,
  ruleDrafts,
  rulesOf,
} from './_alert-rules-data'
import { Field, runSave, SaveRow, type SaveSite, Section, useFormState } from './_settings-form'

type AlertMessages = SettingsMessages['alerts']

const SCOPES: readonly AlertScope[] = ['site', 'category', 'failureType']

const formatNumber = (value: number) => new Intl.NumberFormat(locale.value).format(value)

/** "60 minutes", "7 days" in the current language. */
const formatUnit = (value: number, unit: 'minute' | 'day') =>
  new Intl.NumberFormat(locale.value, { style: 'unit', unit, unitDisplay: 'long' }).format(value)

/** The rule in words: "Warn when 5 complaints of one category arrive within 60 minutes." */
export function readBack(draft: RuleDraft, site: SiteView | null, m: AlertMessages): string {
  // A number being typed reads as "…" until it is one.
  const typed = (key: NumberKey) => {
    const value = Number(draft.numbers[key])
    return draft.numbers[key].trim() !== '' && Number.isFinite(value) && value > 0 ? value : null
  }
  const shown = (key: NumberKey, unit?: 'minute' | 'day') => {
    const value = typed(key)
    if (value === null) return '…'
    return unit ? formatUnit(value, unit) : formatNumber(value)
  }
  const failureWords = messages.value.inbox.failureTypes as Record<string, string>
  const scope =
    draft.by === 'site'
      ? m.scope.site
      : fill(m.scope[draft.only ? (`${draft.by}Only` as const) : draft.by], {
          label:
            draft.by === 'failureType'
              ? (failureWords[draft.only] ?? draft.only)
              : categoryLabel(site, draft.only),
        })
  return draft.kind === 'burst'
    ? fill(m.readBurst, { count: shown('count'), scope, window: shown('withinMinutes', 'minute') })
    : fill(m.readSpike, {
        factor: shown('factor'),
        scope,
        days: shown('baselineDays', 'day'),
        minimum: shown('minimum'),
      })
}

export function AlertRules({ site, save }: { site: SiteView; save: SaveSite }) {
  const m = settingsMessages.value.alerts
  const drafts = useSignal<RuleDraft[]>(ruleDrafts(site.alerts.effective))
  const state = useFormState()
  const update = (key: string, change: Partial<RuleDraft>) => {
    drafts.value = drafts.value.map((draft) =>
      draft.key === key ? { ...draft, ...change } : draft,
    )
  }

  /** Send `alerts`; the drafts follow the answer, and stay as typed after a refusal. */
  const send = async (alerts: AlertRule[] | null, problems: Record<string, string> = {}) => {
    const sent = drafts.value
    const saved = await runSave(
      state,
      () => save({ alerts }),
      (field, message) => placeRuleError(sent, field, message),
      problems,
    )
    if (saved) drafts.value = ruleDrafts(saved.alerts.effective)
  }
  const submit = (event: Event) => {
    event.preventDefault()
    const { rules, problems } = rulesOf(drafts.value, (key) => {
      const [min, max] = ALERT_LIMITS[key]
      return fill(isWhole(key) ? m.wholeInvalid : m.numberInvalid, {
        min: formatNumber(min),
        max: formatNumber(max),
      })
    })
    void send(rules, problems)
  }
  const add = () => {
    const draft = newRuleDraft(drafts.value)
    drafts.value = [...drafts.value, draft]
    requestAnimationFrame(() => document.getElementById(`${draft.key}-kind`)?.focus())
  }

  const errors = state.errors.value
  const current = drafts.value
  const stored = site.alerts
  return (
    <Section name="alerts" title={m.title} hint={m.hint}>
      <p class="hint">{m.delivery}</p>
      <p class="rules-state">
        {stored.overrides === null ? m.defaults : stored.effective.length === 0 ? m.off : m.own}
      </p>
      <form onSubmit={submit} noValidate>
        <p id="alerts-error" class="error">
          {errors.alerts}
        </p>
        {current.length > 0 && (
          <ol class="alert-rules">
            {current.map((draft, index) => (
              <li key={draft.key}>
                <RuleFields
                  draft={draft}
                  n={index + 1}
                  site={site}
                  errors={errors}
                  onChange={(change) => update(draft.key, change)}
                  onRemove={() => {
                    drafts.value = drafts.value.filter((other) => other.key !== draft.key)
                    // The rule and its button go: focus stays with the rules' controls.
                    document.getElementById('alert-rule-add')?.focus()
                  }}
                />
              </li>
            ))}
          </ol>
        )}
        <div class="rule-actions">
          <button
            type="button"
            id="alert-rule-add"
            class="secondary"
            aria-describedby="alert-rules-max"
            disabled={current.length >= MAX_RULES}
            onClick={add}
          >
            {m.add}
          </button>
          <span id="alert-rules-max" class="hint">
            {fill(m.max, { max: MAX_RULES })}
          </span>
        </div>
        <SaveRow state={state} />
        <div class="rule-actions">
          <button
            type="button"
            class="secondary"
            disabled={state.busy.value}
            onClick={() => void send(null)}
          >
            {m.restore}
          </button>
          <button
            type="button"
            class="secondary"
            disabled={state.busy.value}
            onClick={() => void send([])}
          >
            {m.turnOff}
          </button>
        </div>
      </form>
    </Section>
  )
}

function RuleFields({
  draft,
  n,
  site,
  errors,
  onChange,
  onRemove,
}: {
  draft: RuleDraft
  n: number
  site: SiteView
  errors: Record<string, string>
  onChange: (change: Partial<RuleDraft>) => void
  onRemove: () => void
}) {
  const m = settingsMessages.value.alerts
  const failure = settingsMessages.value.failure
  const id = (part: string) => `${draft.key}-${part}`
  const error = (part: string) => errors[`${draft.key}.${part}`]
  const value = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement).value
  const name = fill(m.rule, { n })
  // The site's categories, plus one the rule names that the site no longer lists.
  const categories = site.categories.map((category) => category.id)
  if (draft.by === 'category' && draft.only && !categories.includes(draft.only))
    categories.push(draft.only)
  const onlyOptions: Array<readonly [string, string]> =
    draft.by === 'category'
      ? categories.map((category) => [category, categoryLabel(site, category)])
      : FAILURE_TYPES.map((type) => [type, failure[type as FailureType]])
  return (
    <fieldset class="alert-rule" aria-describedby={`${id('reads')} ${id('error')}`}>
      <legend>{name}</legend>
      <div class="grid-form">
        <Field id={id('kind')} label={m.kind} error={error('kind')}>
          {(a11y) => (
            <select
              {...a11y}
              value={draft.kind}
              onChange={(event) => onChange({ kind: value(event) as RuleKind })}
            >
              <option value="burst">{m.kinds.burst}</option>
              <option value="spike">{m.kinds.spike}</option>
            </select>
          )}
        </Field>
        <Field id={id('by')} label={m.by} error={error('by')}>
          {(a11y) => (
            <select
              {...a11y}
              value={draft.by}
              // A category id is no failure type: choosing what to count starts from each one.
              onChange={(event) => onChange({ by: value(event) as AlertScope, only: '' })}
            >
              {SCOPES.map((scope) => (
                <option key={scope} value={scope}>
                  {m.bys[scope]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.by !== 'site' && (
          <Field id={id('only')} label={m.only[draft.by]} error={error('only')}>
            {(a11y) => (
              <select
                {...a11y}
                value={draft.only}
                onChange={(event) => onChange({ only: value(event) })}
              >
                <option value="">{m.onlyAny[draft.by as 'category' | 'failureType']}</option>
                {onlyOptions.map(([option, text]) => (
                  <option key={option} value={option}>
                    {text}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {RULE_NUMBERS[draft.kind].map((key) => {
          const [min, max] = ALERT_LIMITS[key]
          return (
            <Field
              key={key}
              id={id(key)}
              label={m[key]}
              hint={fill(m.range, { min: formatNumber(min), max: formatNumber(max) })}
              error={error(key)}
            >
              {(a11y) => (
                <input
                  {...a11y}
                  class="short"
                  type="number"
                  min={min}
                  max={max}
                  step={isWhole(key) ? 1 : 'any'}
                  inputMode={isWhole(key) ? 'numeric' : 'decimal'}
                  value={draft.numbers[key]}
                  onInput={(event) =>
                    onChange({ numbers: { ...draft.numbers, [key]: value(event) } })
                  }
                />
              )}
            </Field>
          )
        })}
      </div>
      <p id={id('reads')} class="rule-reads">
        {readBack(draft, site, m)}
      </p>
      <p id={id('error')} class="error">
        {errors[draft.key]}
      </p>
      <button type="button" class="link danger" onClick={onRemove}>
        {m.remove}
        <span class="visually-hidden">: {name}</span>
      </button>
    </fieldset>
  )
}
