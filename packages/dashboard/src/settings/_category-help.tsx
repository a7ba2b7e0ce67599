/**
 * @module One category's self-help in the categories form: per language, a
 * short answer and up to 5 links (text and address) that the widget shows
 * when a customer picks the category, before they send. Errors, the form's
 * own and the server's, show beside the field they are about.
 */
import { fill, LOCALES as LANGUAGE_NAMES } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { HELP_LIMITS, type HelpDraft, type HelpLinkDraft } from './_help-data'
import { Field } from './_settings-form'
import { LOCALES, type Locale } from './_texts-data'

export function CategoryHelp({
  id,
  help,
  errors,
  onChange,
}: {
  /** The category draft's key: its fields' ids start with it. */
  id: string
  help: HelpDraft
  /** The form's errors for this help, keyed `en.answer`, `en.links[1].url`, `en.links`. */
  errors: Record<string, string | undefined>
  onChange: (help: HelpDraft) => void
}) {
  const m = settingsMessages.value.help
  const set = (locale: Locale, change: Partial<HelpDraft[Locale]>) =>
    onChange({ ...help, [locale]: { ...help[locale], ...change } })
  const setLink = (locale: Locale, row: number, change: Partial<HelpLinkDraft>) =>
    set(locale, {
      links: help[locale].links.map((link, at) => (at === row ? { ...link, ...change } : link)),
    })
  return (
    <div class="category-help" id={`${id}-help`}>
      <p class="hint help-intro">{m.hint}</p>
      {LOCALES.map((locale) => {
        const language = LANGUAGE_NAMES[locale]
        const { answer, links } = help[locale]
        const full = links.length >= HELP_LIMITS.links
        return (
          <fieldset key={locale} class="help-language">
            <legend class="help-legend">{language}</legend>
            <Field
              id={`${id}-help-${locale}-answer`}
              label={fill(m.answer, { language })}
              hint={fill(m.answerHint, { max: HELP_LIMITS.answer })}
              error={errors[`${locale}.answer`]}
            >
              {(a11y) => (
                <textarea
                  {...a11y}
                  lang={locale}
                  rows={3}
                  maxLength={HELP_LIMITS.answer}
                  value={answer}
                  onInput={(event) =>
                    set(locale, { answer: (event.target as HTMLTextAreaElement).value })
                  }
                />
              )}
            </Field>
            <ol class="help-links">
              {links.map((link, row) => {
                const n = row + 1
                const at = `${locale}.links[${row}]`
                return (
                  <li key={row} class="help-link">
                    <Field
                      id={`${id}-help-${locale}-${row}-label`}
                      label={fill(m.linkLabel, { n, language })}
                      error={errors[`${at}.label`]}
                    >
                      {(a11y) => (
                        <input
                          {...a11y}
                          lang={locale}
                          value={link.label}
                          maxLength={HELP_LIMITS.label}
                          onInput={(event) =>
                            setLink(locale, row, {
                              label: (event.target as HTMLInputElement).value,
                            })
                          }
                        />
                      )}
                    </Field>
                    <Field
                      id={`${id}-help-${locale}-${row}-url`}
                      label={fill(m.linkUrl, { n, language })}
                      error={errors[`${at}.url`]}
                    >
                      {(a11y) => (
                        <input
                          {...a11y}
                          type="url"
                          inputMode="url"
                          spellcheck={false}
                          autoCapitalize="off"
                          placeholder="https://shop.example/help/returns"
                          value={link.url}
                          maxLength={HELP_LIMITS.url}
                          onInput={(event) =>
                            setLink(locale, row, { url: (event.target as HTMLInputElement).value })
                          }
                        />
                      )}
                    </Field>
                    <button
                      type="button"
                      class="link danger help-remove"
                      onClick={() =>
                        set(locale, { links: links.filter((_, other) => other !== row) })
                      }
                    >
                      {fill(m.removeLink, { n, language })}
                    </button>
                  </li>
                )
              })}
            </ol>
            <p class="error">{errors[`${locale}.links`]}</p>
            <button
              type="button"
              class="secondary"
              disabled={full}
              aria-describedby={full ? `${id}-help-${locale}-full` : undefined}
              onClick={() => set(locale, { links: [...links, { label: '', url: '' }] })}
            >
              {fill(m.addLink, { language })}
            </button>
            {full && (
              <p class="hint" id={`${id}-help-${locale}-full`}>
                {fill(m.linksMax, { max: HELP_LIMITS.links })}
              </p>
            )}
          </fieldset>
        )
      })}
    </div>
  )
}
