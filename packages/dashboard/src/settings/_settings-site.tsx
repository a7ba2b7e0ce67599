/**
 * @module The site's settings outside the policy: the script tag to paste,
 * the allowed origins and the complaint categories with their failure types
 * and their self-help (`./_category-help`).
 */
import { useSignal } from '@preact/signals'
import { fill, LOCALES as LANGUAGE_NAMES, locale } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { FAILURE_TYPES } from '../insights/insights-data'
import type { SiteView } from '../lib/types'
import { CategoryHelp } from './_category-help'
import { helpDraft, helpErrorKey, helpLanguages, helpPayload, helpProblems } from './_help-data'
import {
  CATEGORY_ID,
  type CategoryDraft,
  categoriesPayload,
  categoryDrafts,
  indexedField,
  originLines,
  scriptTag,
  slugify,
} from './_settings-data'
import {
  CopyButton,
  Field,
  runSave,
  SaveRow,
  type SaveSite,
  Section,
  useFormState,
} from './_settings-form'
import { LOCALES } from './_texts-data'

export function ScriptTag({ site, origin }: { site: SiteView; origin: string }) {
  const m = settingsMessages.value.script
  const tag = scriptTag(origin, site.publicKey)
  return (
    <Section name="script" title={m.title} hint={m.hint}>
      <pre class="code">
        <code>{tag}</code>
      </pre>
      <CopyButton text={tag} label={m.copy} />
      <p class="hint">{fill(m.publicKey, { key: site.publicKey })}</p>
    </Section>
  )
}

export function OriginsForm({ site, save }: { site: SiteView; save: SaveSite }) {
  const m = settingsMessages.value.origins
  const text = useSignal(site.origins.join('\n'))
  const state = useFormState()
  const submit = async (event: Event) => {
    event.preventDefault()
    const origins = originLines(text.value)
    const saved = await runSave(
      state,
      () => save({ origins }),
      (field, message) => {
        const indexed = indexedField(field, 'origins')
        if (indexed)
          return {
            key: 'origins',
            message: fill(m.lineError, { line: indexed.index + 1, message }),
          }
        return field === 'origins' ? { key: 'origins', message } : null
      },
    )
    if (saved) text.value = saved.origins.join('\n')
  }
  return (
    <Section name="origins" title={m.title}>
      <form onSubmit={submit} noValidate>
        <Field id="origins" label={m.label} hint={m.hint} error={state.errors.value.origins}>
          {(a11y) => (
            <textarea
              {...a11y}
              rows={4}
              spellcheck={false}
              autoCapitalize="off"
              placeholder="https://shop.example"
              value={text.value}
              onInput={(event) => {
                text.value = (event.target as HTMLTextAreaElement).value
              }}
            />
          )}
        </Field>
        <SaveRow state={state} />
      </form>
    </Section>
  )
}

let newKeys = 0

export function CategoriesForm({ site, save }: { site: SiteView; save: SaveSite }) {
  const m = settingsMessages.value.categories
  const failure = settingsMessages.value.failure
  const drafts = useSignal<CategoryDraft[]>(categoryDrafts(site.categories))
  const state = useFormState()
  /** The categories whose self-help is open. */
  const helpOpen = useSignal<ReadonlySet<string>>(new Set())
  const openHelp = (keys: string[]) => {
    helpOpen.value = new Set([...helpOpen.value, ...keys])
  }
  const update = (key: string, change: Partial<CategoryDraft>) => {
    drafts.value = drafts.value.map((draft) =>
      draft.key === key ? { ...draft, ...change } : draft,
    )
  }
  const add = () => {
    const key = `new-${++newKeys}`
    drafts.value = [
      ...drafts.value,
      {
        key,
        id: '',
        labels: { en: '', 'zh-CN': '' },
        failureType: 'process',
        firmResponsible: true,
        help: helpDraft(undefined),
        saved: false,
        hadFirm: false,
      },
    ]
    // Focus the new row's label once it is drawn.
    requestAnimationFrame(() => document.getElementById(`${key}-label-en`)?.focus())
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    const sent = drafts.value
    const problems: Record<string, string> = {}
    const seen = new Set<string>()
    for (const draft of sent) {
      const id = draft.id.trim()
      if (!CATEGORY_ID.test(id)) problems[`${draft.key}.id`] = m.idInvalid
      else if (seen.has(id)) problems[`${draft.key}.id`] = fill(m.idDuplicate, { id })
      seen.add(id)
      const help = helpProblems(draft.help, settingsMessages.value.help)
      for (const [key, problem] of Object.entries(help))
        problems[`${draft.key}.help.${key}`] = problem
      if (Object.keys(help).length > 0) openHelp([draft.key])
    }
    const saved = await runSave(
      state,
      () => save({ categories: categoriesPayload(sent) }),
      (field, message) => {
        const indexed = indexedField(field, 'categories')
        const draft = indexed ? sent[indexed.index] : undefined
        if (draft) {
          const rest = indexed!.rest
          if (rest.startsWith('help')) {
            // Indices of the links sent, which skip the rows left blank.
            const key = helpErrorKey(rest, helpPayload(draft.help).sent)
            openHelp([draft.key])
            return { key: `${draft.key}.help.${key ?? 'en.answer'}`, message }
          }
          // `label` is sent as a copy of the English label, so its error belongs there,
          // as does one about `labels` as a whole.
          const part =
            rest === 'label' || rest === 'labels'
              ? 'labels.en'
              : ['id', 'failureType', 'firmResponsible', 'labels.en', 'labels.zh-CN'].includes(rest)
                ? rest
                : 'id'
          return { key: `${draft.key}.${part}`, message }
        }
        return field === 'categories' ? { key: 'categories', message } : null
      },
      problems,
    )
    if (saved) drafts.value = categoryDrafts(saved.categories)
  }
  const errors = state.errors.value
  return (
    <Section name="categories" title={m.title} hint={m.hint}>
      <form onSubmit={submit} noValidate>
        <p id="categories-error" class="error">
          {errors.categories}
        </p>
        <ul class="category-list">
          {drafts.value.map((draft) => (
            <li key={draft.key} class="category-row">
              <div class="grow labels">
                {LOCALES.map((locale) => (
                  <Field
                    key={locale}
                    id={`${draft.key}-label-${locale}`}
                    label={fill(m.labelIn, { language: LANGUAGE_NAMES[locale] })}
                    error={errors[`${draft.key}.labels.${locale}`]}
                  >
                    {(a11y) => (
                      <input
                        {...a11y}
                        aria-describedby={`${a11y['aria-describedby']} labels-hint`}
                        lang={locale}
                        value={draft.labels[locale]}
                        maxLength={100}
                        placeholder={
                          locale === 'en'
                            ? draft.saved
                              ? draft.id
                              : m.labelPlaceholder
                            : draft.labels.en
                        }
                        onInput={(event) => {
                          const label = (event.target as HTMLInputElement).value
                          const english = draft.labels.en
                          update(draft.key, {
                            labels: { ...draft.labels, [locale]: label },
                            // A new category's id follows its English label until edited.
                            ...(locale === 'en' &&
                            !draft.saved &&
                            (draft.id === '' || draft.id === slugify(english))
                              ? { id: slugify(label) }
                              : {}),
                          })
                        }}
                      />
                    )}
                  </Field>
                ))}
              </div>
              <Field id={`${draft.key}-id`} label={m.id} error={errors[`${draft.key}.id`]}>
                {(a11y) => (
                  <input
                    {...a11y}
                    class="mono"
                    value={draft.id}
                    readOnly={draft.saved}
                    maxLength={64}
                    spellcheck={false}
                    autoCapitalize="off"
                    onInput={(event) =>
                      update(draft.key, { id: (event.target as HTMLInputElement).value })
                    }
                  />
                )}
              </Field>
              <Field
                id={`${draft.key}-failureType`}
                label={m.failureType}
                error={errors[`${draft.key}.failureType`]}
              >
                {(a11y) => (
                  <select
                    {...a11y}
                    value={draft.failureType}
                    onChange={(event) =>
                      update(draft.key, {
                        failureType: (event.target as HTMLSelectElement)
                          .value as CategoryDraft['failureType'],
                      })
                    }
                  >
                    {FAILURE_TYPES.map((type) => (
                      <option key={type} value={type}>
                        {failure[type]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <div class="field check">
                <label>
                  <input
                    type="checkbox"
                    checked={draft.firmResponsible}
                    aria-describedby="firm-hint"
                    onChange={(event) =>
                      update(draft.key, {
                        firmResponsible: (event.target as HTMLInputElement).checked,
                      })
                    }
                  />{' '}
                  {m.firmResponsible}
                </label>
                <p class="error">{errors[`${draft.key}.firmResponsible`]}</p>
              </div>
              <button
                type="button"
                class="link danger"
                onClick={() => {
                  drafts.value = drafts.value.filter((other) => other.key !== draft.key)
                }}
              >
                {m.remove}
                <span class="visually-hidden">
                  {' '}
                  {draft.labels.en || draft.labels['zh-CN'] || draft.id}
                </span>
              </button>
              <HelpToggle
                draft={draft}
                open={helpOpen.value.has(draft.key)}
                onToggle={() => {
                  const next = new Set(helpOpen.value)
                  if (!next.delete(draft.key)) next.add(draft.key)
                  helpOpen.value = next
                }}
              />
              {helpOpen.value.has(draft.key) && (
                <CategoryHelp
                  id={draft.key}
                  help={draft.help}
                  errors={Object.fromEntries(
                    Object.entries(errors)
                      .filter(([key]) => key.startsWith(`${draft.key}.help.`))
                      .map(([key, message]) => [key.slice(`${draft.key}.help.`.length), message]),
                  )}
                  onChange={(help) => update(draft.key, { help })}
                />
              )}
            </li>
          ))}
        </ul>
        <p class="hint" id="labels-hint">
          {m.labelsHint}
        </p>
        <p class="hint" id="firm-hint">
          {m.firmHint}
        </p>
        <p class="hint">{m.typesHint}</p>
        <button type="button" class="secondary" onClick={add}>
          {m.add}
        </button>
        <SaveRow state={state} />
      </form>
    </Section>
  )
}

/** Opens and closes a category's self-help, saying which languages have some. */
function HelpToggle({
  draft,
  open,
  onToggle,
}: {
  draft: CategoryDraft
  open: boolean
  onToggle: () => void
}) {
  const m = settingsMessages.value.help
  const languages = helpLanguages(draft.help).map((locale) => LANGUAGE_NAMES[locale])
  const name = draft.labels[locale.value] || draft.labels.en || draft.id
  return (
    <button
      type="button"
      class="link help-toggle"
      aria-expanded={open}
      aria-controls={open ? `${draft.key}-help` : undefined}
      onClick={onToggle}
    >
      {fill(m.toggle, { category: name })}{' '}
      <span class="hint">
        {fill(m.summary, { languages: languages.length ? languages.join(', ') : m.none })}
      </span>
    </button>
  )
}
