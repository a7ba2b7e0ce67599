/**
 * @module The texts the customer reads (`policy.texts`), one language at a
 * time: each text with its default, whether the site has its own, the
 * placeholders it may use and "Use the default"; and a preview of what a
 * customer reading that language sees, as plain text, updated as the owner
 * types. Only the site's own texts are sent.
 */
import { useSignal } from '@preact/signals'
import { formatMoney } from '@redress/protocol'
import { fill, LOCALES as LANGUAGE_NAMES } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import type { SiteView } from '../lib/types'
import { runSave, SaveRow, type SaveSite, Section, useFormState } from './_settings-form'
import {
  defaultText,
  fillText,
  joinTexts,
  LOCALES,
  type Locale,
  POLICY_TEXT_KEYS,
  policyWithTexts,
  SAMPLE_COUPON,
  SAMPLE_ORDER,
  SAMPLE_REFUND,
  storedTexts,
  TEXT_PLACEHOLDERS,
  type TextKey,
  type TextsDraft,
} from './_texts-data'

const DAY_MS = 86_400_000
/**
 * `ADMIN_LIMITS.policyText`, the longest text the server stores; written out,
 * since reading the protocol's object here would move it into the first load.
 */
const TEXT_MAX = 1000
const FIELD = /^policy\.texts\.([\w-]+)\.(\w+)$/

const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value)
const isKey = (value: string): value is TextKey =>
  (POLICY_TEXT_KEYS as readonly string[]).includes(value)

/** How many days a coupon lasts on this site (the effective `coupon.validDays`), for the sample expiry. */
function validDays(site: SiteView): number {
  const coupon = site.policy.effective.coupon as { validDays?: unknown } | undefined
  const days = coupon?.validDays
  return typeof days === 'number' && days >= 1 ? days : 90
}

export function CustomerTexts({
  site,
  save,
  initialLocale,
}: {
  site: SiteView
  save: SaveSite
  /** The language shown first: the dashboard's own. */
  initialLocale: Locale
}) {
  const m = settingsMessages.value.texts
  const shown = useSignal<Locale>(initialLocale)
  const draft = useSignal<TextsDraft>(storedTexts(site.policy.overrides))
  const state = useFormState()
  const lang = shown.value
  const fallback = (locale: Locale, key: TextKey) => defaultText(site, locale, key)
  /** What the field holds: the site's own text, else the default. */
  const current = (locale: Locale, key: TextKey) =>
    draft.value[locale][key] ?? fallback(locale, key)
  /** What the customer would read: a blank text counts as the default, as the server reads it. */
  const read = (key: TextKey) => {
    const text = draft.value[lang][key]
    return text?.trim() ? text : fallback(lang, key)
  }

  const set = (locale: Locale, key: TextKey, text: string | undefined) => {
    const own = { ...draft.value[locale] }
    if (text === undefined) delete own[key]
    else own[key] = text
    draft.value = { ...draft.value, [locale]: own }
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    const sent = draft.value
    const problems: Record<string, string> = {}
    for (const locale of LOCALES)
      for (const key of POLICY_TEXT_KEYS)
        if (sent[locale][key] !== undefined && !sent[locale][key]!.trim())
          problems[`policy.texts.${locale}.${key}`] = m.blank
    const saved = await runSave(
      state,
      () => save({ policy: policyWithTexts(site.policy.overrides, sent, fallback) }),
      (field, message) => {
        const match = FIELD.exec(field)
        if (!match || !isLocale(match[1]!) || !isKey(match[2]!)) return null
        // An error in the language not shown: show that language, so it is beside its field.
        shown.value = match[1]
        return { key: field, message }
      },
      problems,
    )
    const keys = Object.keys(problems)
    if (keys.length > 0 && !keys.some((key) => key.startsWith(`policy.texts.${lang}.`))) {
      const locale = FIELD.exec(keys[0]!)?.[1]
      if (locale && isLocale(locale)) shown.value = locale
    }
    if (saved) draft.value = storedTexts(saved.policy.overrides)
  }

  const errors = state.errors.value
  const currency = site.policy.effective.currency
  const money = (value: number) => formatMoney(value, currency, lang)
  const expires = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.now() + validDays(site) * DAY_MS),
  )
  const examples: Record<string, string> = {
    '{amount}': money(SAMPLE_COUPON),
    '{date}': expires,
    '{orderRef}': SAMPLE_ORDER[lang].trim(),
  }

  return (
    <Section name="texts" title={m.title} hint={m.hint}>
      <fieldset class="choice text-languages">
        <legend>{m.language}</legend>
        {LOCALES.map((locale) => (
          <label key={locale} lang={locale}>
            <input
              type="radio"
              name="texts-language"
              value={locale}
              checked={lang === locale}
              onChange={() => {
                shown.value = locale
              }}
            />{' '}
            {LANGUAGE_NAMES[locale]}
          </label>
        ))}
      </fieldset>
      <div class="texts-layout">
        <form onSubmit={submit} noValidate>
          {POLICY_TEXT_KEYS.map((key) => {
            const id = `text-${lang}-${key}`
            const words = m.keys[key]
            const fallbackText = fallback(lang, key)
            const own = draft.value[lang][key]
            const overridden = own !== undefined && own !== fallbackText
            const error = errors[`policy.texts.${lang}.${key}`]
            const placeholder = TEXT_PLACEHOLDERS[key]
            return (
              <div key={id} class="field text-field">
                <label for={id}>{words.label}</label>
                <textarea
                  id={id}
                  lang={lang}
                  rows={key === 'couponLabel' ? 1 : 2}
                  maxLength={TEXT_MAX}
                  aria-describedby={`${id}-hint ${id}-error`}
                  aria-invalid={error ? 'true' : undefined}
                  value={current(lang, key)}
                  onInput={(event) => set(lang, key, (event.target as HTMLTextAreaElement).value)}
                />
                <p id={`${id}-hint`} class="hint">
                  <strong class={overridden ? 'own-text' : undefined}>
                    {overridden ? m.own : m.usesDefault}
                  </strong>{' '}
                  {words.hint}{' '}
                  {placeholder
                    ? fill(m.placeholder, {
                        placeholder,
                        meaning: fill(m.meaning[placeholder], { example: examples[placeholder]! }),
                      })
                    : m.noPlaceholders}
                  {overridden && (
                    <>
                      {' '}
                      <span lang={lang}>{fill(m.defaultWas, { text: fallbackText })}</span>
                    </>
                  )}
                </p>
                {overridden && (
                  <button
                    type="button"
                    class="link use-default"
                    onClick={() => {
                      set(lang, key, undefined)
                      const { [`policy.texts.${lang}.${key}`]: _gone, ...rest } = errors
                      state.errors.value = rest
                      // The button goes once the text is the default: keep focus on the field.
                      document.getElementById(id)?.focus()
                    }}
                  >
                    {m.useDefault}
                    <span class="visually-hidden">: {words.label}</span>
                  </button>
                )}
                <p id={`${id}-error`} class="error">
                  {error}
                </p>
              </div>
            )
          })}
          <SaveRow state={state} />
        </form>
        <Preview
          lang={lang}
          read={read}
          money={money}
          expires={expires}
          title={m.previewTitle}
          hint={fill(m.previewHint, { language: LANGUAGE_NAMES[lang] })}
        />
      </div>
    </Section>
  )
}

/**
 * The texts as the widget puts them together, in `lang`: the apology and
 * explanation, a coupon (title, a sample code, small print), a refund and an
 * escalation. Text nodes only, whatever the owner typed.
 */
function Preview({
  lang,
  read,
  money,
  expires,
  title,
  hint,
}: {
  lang: Locale
  read: (key: TextKey) => string
  money: (value: number) => string
  expires: string
  title: string
  hint: string
}) {
  const m = settingsMessages.value.texts.preview
  return (
    <section class="texts-preview" aria-labelledby="texts-preview-title">
      <h3 id="texts-preview-title">{title}</h3>
      <p class="hint">{hint}</p>
      <ul class="preview-cards">
        <li>
          <p class="hint">{m.apology}</p>
          <div class="preview-card" lang={lang} data-preview="apology">
            <p>{joinTexts(lang, read('apology'), read('explanation'))}</p>
          </div>
        </li>
        <li>
          <p class="hint">{m.coupon}</p>
          <div class="preview-card" lang={lang} data-preview="coupon">
            <p class="preview-title">
              {fillText(read('couponLabel'), '{amount}', money(SAMPLE_COUPON))}
            </p>
            <code>SAMPLE-7K3Q</code>
            <p class="preview-small">{fillText(read('couponTerms'), '{date}', expires)}</p>
          </div>
        </li>
        <li>
          <p class="hint">{m.refund}</p>
          <div class="preview-card" lang={lang} data-preview="refund">
            <p>{fillText(read('refund'), '{amount}', money(SAMPLE_REFUND))}</p>
          </div>
        </li>
        <li>
          <p class="hint">{m.escalation}</p>
          <div class="preview-card" lang={lang} data-preview="escalation">
            <p>{joinTexts(lang, read('apology'), read('escalation'))}</p>
          </div>
        </li>
      </ul>
    </section>
  )
}
