/**
 * @module The site's mail settings (`PATCH /v1/admin/site` `{ mail }`): the
 * From address, the team's addresses and the language of their mails, and the
 * customer's acknowledgment. The server checks the addresses; its refusal is
 * shown beside the address it names.
 */
import { useSignal } from '@preact/signals'
import { fill, LOCALES as LANGUAGE_NAMES } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import type { MailSettings } from '../lib/types'
import { indexedField } from './_settings-data'
import { Field, runSave, SaveRow, type SaveSite, Section, useFormState } from './_settings-form'
import { LOCALES, type Locale } from './_texts-data'

/** The most team addresses the server keeps (`MailSettingsSchema`). */
const TEAM_MAX = 10

interface MailDraft {
  from: string
  team: Array<{ key: string; address: string }>
  teamLocale: Locale
  acknowledge: boolean
}

let rows = 0

function mailDraft(mail: MailSettings): MailDraft {
  return {
    from: mail.from ?? '',
    team: mail.team.map((address) => ({ key: `team-${++rows}`, address })),
    // A server from before the team's language sends none: its mails were English.
    teamLocale: mail.teamLocale ?? 'en',
    acknowledge: mail.acknowledge,
  }
}

export function MailForm({ mail, save }: { mail: MailSettings; save: SaveSite }) {
  const m = settingsMessages.value.mail
  const draft = useSignal<MailDraft>(mailDraft(mail))
  const state = useFormState()
  const current = draft.value
  const set = (change: Partial<MailDraft>) => {
    draft.value = { ...draft.value, ...change }
  }
  const setAddress = (key: string, address: string) =>
    set({ team: draft.value.team.map((row) => (row.key === key ? { ...row, address } : row)) })

  const submit = async (event: Event) => {
    event.preventDefault()
    // Empty rows are left out, so the server's `mail.team[i]` counts only these.
    const sentRows = draft.value.team.filter((row) => row.address.trim())
    const from = draft.value.from.trim()
    const saved = await runSave(
      state,
      () =>
        save({
          mail: {
            from: from || null,
            team: sentRows.map((row) => row.address.trim()),
            teamLocale: draft.value.teamLocale,
            acknowledge: draft.value.acknowledge,
          },
        }),
      (field, message) => {
        const indexed = indexedField(field, 'mail.team')
        const row = indexed ? sentRows[indexed.index] : undefined
        if (row) return { key: row.key, message }
        return ['mail.from', 'mail.team', 'mail.teamLocale', 'mail.acknowledge'].includes(field)
          ? { key: field, message }
          : null
      },
    )
    if (saved?.mail) draft.value = mailDraft(saved.mail)
  }

  const errors = state.errors.value
  const add = () => {
    const key = `team-${++rows}`
    set({ team: [...draft.value.team, { key, address: '' }] })
    requestAnimationFrame(() => document.getElementById(key)?.focus())
  }

  return (
    <Section name="mail" title={m.title} hint={m.hint}>
      <p class="hint" id="mail-smtp">
        {m.smtp}
      </p>
      <form onSubmit={submit} noValidate>
        <Field id="mail-from" label={m.from} hint={m.fromHint} error={errors['mail.from']}>
          {(a11y) => (
            <input
              {...a11y}
              type="email"
              autoComplete="off"
              spellcheck={false}
              placeholder="care@shop.example"
              value={current.from}
              onInput={(event) => set({ from: (event.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        <fieldset class="team" aria-describedby="mail-team-hint mail-team-error">
          <legend>{m.team}</legend>
          <p id="mail-team-hint" class="hint">
            {fill(m.teamHint, { max: TEAM_MAX })}
          </p>
          {current.team.length === 0 ? (
            <p class="hint">{m.noTeam}</p>
          ) : (
            <ul class="team-list">
              {current.team.map((row, index) => {
                const label = fill(m.teamAddress, { n: index + 1 })
                const error = errors[row.key]
                return (
                  <li key={row.key}>
                    <label class="visually-hidden" for={row.key}>
                      {label}
                    </label>
                    <input
                      id={row.key}
                      type="email"
                      autoComplete="off"
                      spellcheck={false}
                      placeholder="ops@shop.example"
                      aria-describedby={`${row.key}-error`}
                      aria-invalid={error ? 'true' : undefined}
                      value={row.address}
                      onInput={(event) =>
                        setAddress(row.key, (event.target as HTMLInputElement).value)
                      }
                    />
                    <button
                      type="button"
                      class="link danger"
                      onClick={() => {
                        set({ team: draft.value.team.filter((other) => other.key !== row.key) })
                        // The row and its button go: focus stays in the list's controls.
                        document.getElementById('mail-team-add')?.focus()
                      }}
                    >
                      {m.remove}
                      <span class="visually-hidden">: {row.address || label}</span>
                    </button>
                    <p id={`${row.key}-error`} class="error">
                      {error}
                    </p>
                  </li>
                )
              })}
            </ul>
          )}
          <p id="mail-team-error" class="error">
            {errors['mail.team']}
          </p>
          <button
            type="button"
            id="mail-team-add"
            class="secondary"
            disabled={current.team.length >= TEAM_MAX}
            onClick={add}
          >
            {m.add}
          </button>
        </fieldset>
        <Field
          id="mail-team-locale"
          label={m.teamLocale}
          hint={m.teamLocaleHint}
          error={errors['mail.teamLocale']}
        >
          {(a11y) => (
            <select
              {...a11y}
              value={current.teamLocale}
              onChange={(event) =>
                set({ teamLocale: (event.target as HTMLSelectElement).value as Locale })
              }
            >
              {LOCALES.map((locale) => (
                <option key={locale} value={locale} lang={locale}>
                  {LANGUAGE_NAMES[locale]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="check">
          <label>
            <input
              type="checkbox"
              aria-describedby="mail-acknowledge-hint mail-acknowledge-error"
              checked={current.acknowledge}
              onChange={(event) => set({ acknowledge: (event.target as HTMLInputElement).checked })}
            />{' '}
            {m.acknowledge}
          </label>
          <p id="mail-acknowledge-hint" class="hint">
            {m.acknowledgeHint}
          </p>
          <p id="mail-acknowledge-error" class="error">
            {errors['mail.acknowledge']}
          </p>
        </div>
        <SaveRow state={state} />
      </form>
    </Section>
  )
}
