/**
 * @module The signed-in person's own account: who they are, their role and
 * limits, and their second factor (TOTP): turn it on (the secret and the
 * otpauth address shown as text to paste into an authenticator app, then
 * confirmed with a code it shows) or off (with a current code).
 */
import { useSignal } from '@preact/signals'
import { fill, messages } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { formatMoney } from '../lib/money'
import { api, updateMe } from '../lib/state'
import type { TeamMember } from '../lib/types'
import { CopyButton, Field, runSave, SaveRow, Section, useFormState } from './_settings-form'

export function MyAccount({ person, currency }: { person: TeamMember; currency: string }) {
  const m = settingsMessages.value.account
  const money = (limit: number | null) =>
    limit === null ? settingsMessages.value.team.noLimit : formatMoney(limit, currency)
  return (
    <Section name="account" title={m.title}>
      <p>
        {fill(m.who, {
          name: person.name,
          email: person.email,
          role: messages.value.common.roles[person.role],
        })}
      </p>
      {(person.remedyLimit !== null || person.dayLimit !== null) && (
        <p class="hint">
          {fill(m.limits, { remedy: money(person.remedyLimit), day: money(person.dayLimit) })}
        </p>
      )}
      <h3>{m.totpTitle}</h3>
      <SecondFactor person={person} />
    </Section>
  )
}

function SecondFactor({ person }: { person: TeamMember }) {
  const m = settingsMessages.value.account
  /** The secret while turning it on: shown until the first code confirms it. */
  const started = useSignal<{ secret: string; otpauthUrl: string } | null>(null)
  const code = useSignal('')
  const state = useFormState()
  const done = useSignal<string | null>(null)

  const start = async () => {
    const client = api.value
    if (!client) return
    done.value = null
    const answer = await runSave(
      state,
      () => client.startTotp(),
      () => null,
    )
    state.saved.value = false
    if (answer) started.value = answer
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    const client = api.value
    if (!client) return
    const typed = code.value.trim()
    const turningOn = !person.totp
    const next = await runSave(
      state,
      () => (turningOn ? client.confirmTotp(typed) : client.stopTotp(typed)),
      (field, message) => (field === 'code' ? { key: 'code', message } : null),
      /^\d{6}$/.test(typed) ? {} : { code: m.codeInvalid },
    )
    if (!next) return
    state.saved.value = false
    started.value = null
    code.value = ''
    done.value = turningOn ? m.turnedOn : m.turnedOff
    updateMe(next)
  }

  const codeField = (
    <Field id="totp-code" label={m.code} hint={m.codeHint} error={state.errors.value.code}>
      {(a11y) => (
        <input
          {...a11y}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code.value}
          onInput={(event) => {
            code.value = (event.target as HTMLInputElement).value
          }}
        />
      )}
    </Field>
  )

  return (
    <div class="second-factor">
      <p>{person.totp ? m.totpOn : m.totpOff}</p>
      <p class="saved" role="status">
        {done.value}
      </p>
      {person.totp ? (
        <form onSubmit={submit} noValidate>
          <p class="hint">{m.stopHint}</p>
          {codeField}
          <SaveRow state={state} label={m.stop} />
        </form>
      ) : started.value ? (
        <form onSubmit={submit} noValidate>
          <p class="hint">{m.steps}</p>
          <p class="label">{m.secret}</p>
          <pre class="code">
            <code>{started.value.secret}</code>
          </pre>
          <CopyButton text={started.value.secret} />
          <p class="label">{m.url}</p>
          <pre class="code">
            <code>{started.value.otpauthUrl}</code>
          </pre>
          <CopyButton text={started.value.otpauthUrl} />
          {codeField}
          <SaveRow state={state} label={m.confirm} />
        </form>
      ) : (
        <>
          <button type="button" disabled={state.busy.value} onClick={start}>
            {m.start}
          </button>
          <p class="error" role="alert">
            {state.formError.value}
          </p>
        </>
      )}
    </div>
  )
}
