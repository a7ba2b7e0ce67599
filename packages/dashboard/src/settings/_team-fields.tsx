/**
 * @module The fields of a person of the team: their role and their limits
 * (typed in the site's currency, empty for none of their own), shared by the
 * invitation and each person's row, and the invitation form itself.
 */
import { useSignal } from '@preact/signals'
import { fill, messages } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { majorText, toMinor } from '../lib/money'
import { api } from '../lib/state'
import { type Invite, ROLES, type Role, type TeamMember } from '../lib/types'
import { Field, runSave, SaveRow, useFormState } from './_settings-form'

/**
 * A limit as typed: empty is no limit of their own (`null`), else minor
 * units of `currency`; `undefined` when it is not an amount.
 */
export const readLimit = (text: string, currency: string): number | null | undefined =>
  text.trim() === '' ? null : (toMinor(text, currency) ?? undefined)

export const limitText = (limit: number | null, currency: string) =>
  limit === null ? '' : majorText(limit, currency)

/**
 * The two limits as typed, read: minor units or `null` for none, and a
 * message per field that is not an amount.
 */
export function readLimits(
  remedy: string,
  day: string,
  currency: string,
): {
  remedyLimit: number | null | undefined
  dayLimit: number | null | undefined
  problems: Record<string, string>
} {
  const m = settingsMessages.value.team
  const remedyLimit = readLimit(remedy, currency)
  const dayLimit = readLimit(day, currency)
  const problems: Record<string, string> = {}
  const invalid = fill(m.limitInvalid, { example: majorText(1000, currency, { fixed: true }) })
  if (remedyLimit === undefined) problems.remedyLimit = invalid
  if (dayLimit === undefined) problems.dayLimit = invalid
  return { remedyLimit, dayLimit, problems }
}

/** Role and limit fields, shared by the invitation and each person's row. */
export function RoleAndLimits({
  id,
  currency,
  role,
  remedy,
  day,
  errors,
  hint,
  onRole,
  onRemedy,
  onDay,
}: {
  id: string
  /** Under each limit: said once, on the invitation, rather than on every person. */
  hint?: string
  currency: string
  role: Role
  remedy: string
  day: string
  errors: Record<string, string>
  onRole: (role: Role) => void
  onRemedy: (text: string) => void
  onDay: (text: string) => void
}) {
  const m = settingsMessages.value.team
  const roles = messages.value.common.roles
  const amount = (
    name: 'remedyLimit' | 'dayLimit',
    value: string,
    onInput: (text: string) => void,
  ) => (
    <Field
      id={`${id}-${name}`}
      label={fill(m[name], { currency })}
      hint={hint}
      error={errors[name]}
    >
      {(a11y) => (
        <input
          {...a11y}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onInput={(event) => onInput((event.target as HTMLInputElement).value)}
        />
      )}
    </Field>
  )
  return (
    <div class="row-fields">
      <Field id={`${id}-role`} label={m.role} error={errors.role}>
        {(a11y) => (
          <select
            {...a11y}
            value={role}
            onChange={(event) => onRole((event.target as HTMLSelectElement).value as Role)}
          >
            {ROLES.map((one) => (
              <option key={one} value={one}>
                {roles[one]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {amount('remedyLimit', remedy, onRemedy)}
      {amount('dayLimit', day, onDay)}
    </div>
  )
}

/** Where the server's refusal of a person's fields goes: beside the field it names. */
export const personField = (field: string, message: string) =>
  ['email', 'name', 'role', 'remedyLimit', 'dayLimit'].includes(field)
    ? { key: field, message }
    : field === 'disabled'
      ? { key: 'role', message }
      : null

export function InviteForm({
  currency,
  onInvited,
}: {
  currency: string
  onInvited: (person: TeamMember, inviteUrl: string | null) => void
}) {
  const m = settingsMessages.value.team
  const email = useSignal('')
  const name = useSignal('')
  const role = useSignal<Role>('agent')
  const remedy = useSignal('')
  const day = useSignal('')
  const state = useFormState()

  const submit = async (event: Event) => {
    event.preventDefault()
    const client = api.value
    if (!client) return
    const { remedyLimit, dayLimit, problems } = readLimits(remedy.value, day.value, currency)
    if (!email.value.trim()) problems.email = m.emailNeeded
    if (!name.value.trim()) problems.name = m.nameNeeded
    const body: Invite = { email: email.value.trim(), name: name.value.trim(), role: role.value }
    if (remedyLimit != null) body.remedyLimit = remedyLimit
    if (dayLimit != null) body.dayLimit = dayLimit
    const invited = await runSave(state, () => client.invite(body), personField, problems)
    if (invited) {
      email.value = ''
      name.value = ''
      remedy.value = ''
      day.value = ''
      role.value = 'agent'
      state.saved.value = false
      onInvited(invited.member, invited.inviteUrl)
    }
  }
  const errors = state.errors.value
  return (
    <form class="invite" onSubmit={submit} noValidate>
      <h3>{m.invite}</h3>
      <div class="row-fields">
        <Field id="invite-email" label={m.email} error={errors.email}>
          {(a11y) => (
            <input
              {...a11y}
              type="email"
              inputMode="email"
              autoComplete="off"
              maxLength={254}
              value={email.value}
              onInput={(event) => {
                email.value = (event.target as HTMLInputElement).value
              }}
            />
          )}
        </Field>
        <Field id="invite-name" label={m.name} error={errors.name}>
          {(a11y) => (
            <input
              {...a11y}
              autoComplete="off"
              maxLength={100}
              value={name.value}
              onInput={(event) => {
                name.value = (event.target as HTMLInputElement).value
              }}
            />
          )}
        </Field>
      </div>
      <RoleAndLimits
        id="invite"
        hint={m.limitHint}
        currency={currency}
        role={role.value}
        remedy={remedy.value}
        day={day.value}
        errors={errors}
        onRole={(value) => {
          role.value = value
        }}
        onRemedy={(text) => {
          remedy.value = text
        }}
        onDay={(text) => {
          day.value = text
        }}
      />
      <SaveRow state={state} label={m.inviteButton} />
    </form>
  )
}
