/**
 * @module The team, for an owner: everyone who signs in, with their role,
 * their authority (the most one remedy and one day may be worth on their
 * own, in the site's currency), whether they are active or only invited,
 * and whether their second factor is on. Invite someone (their link shown
 * once, with a copy button), change a role or the limits, disable or enable
 * a person, and make a new invitation link for someone who has not come yet.
 */
import { useSignal } from '@preact/signals'
import { fill, messages } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { failureText } from '../lib/errors'
import { formatMoney } from '../lib/money'
import { api, me, updateMe } from '../lib/state'
import { ROLES, type Role, type SiteView, type TeamMember } from '../lib/types'
import {
  ConfirmPair,
  ItemsView,
  runSave,
  SaveRow,
  Section,
  ShownOnce,
  useFormState,
  useItems,
} from './_settings-form'
import { InviteForm, limitText, personField, RoleAndLimits, readLimits } from './_team-fields'

/** The invitation link of one person, shown this once. */
interface ShownLink {
  name: string
  email: string
  url: string
}

export function Team({ site, onChange }: { site: SiteView; onChange?: () => void }) {
  const m = settingsMessages.value.team
  const currency = site.policy.effective.currency
  const members = useItems((client) => client.team())
  const link = useSignal<ShownLink | null>(null)

  const changed = (person: TeamMember) => {
    members.replace(person)
    // One's own role or limits: what the inbox offers follows at once.
    updateMe(person)
    onChange?.()
  }

  return (
    <Section name="team" title={m.title} hint={m.hint}>
      <ul class="role-hints hint">
        {ROLES.map((role) => (
          <li key={role}>{m.roleHints[role]}</li>
        ))}
      </ul>
      {link.value && (
        <ShownOnce
          title={fill(m.linkTitle, { name: link.value.name })}
          hint={fill(m.linkHint, { email: link.value.email })}
          secret={link.value.url}
          copy={m.copyLink}
          done={m.done}
          onDone={() => {
            link.value = null
          }}
        />
      )}
      <ItemsView list={members} none={m.none}>
        {(items) => (
          <ul class="team">
            {items.map((person) => (
              <MemberItem
                key={person.id}
                person={person}
                currency={currency}
                onChanged={changed}
                onLink={(url) => {
                  link.value = { name: person.name, email: person.email, url }
                }}
              />
            ))}
          </ul>
        )}
      </ItemsView>
      <InviteForm
        currency={currency}
        onInvited={(invited, url) => {
          members.items.value = [...(members.items.value ?? []), invited]
          if (url) link.value = { name: invited.name, email: invited.email, url }
          onChange?.()
        }}
      />
    </Section>
  )
}

function MemberItem({
  person,
  currency,
  onChanged,
  onLink,
}: {
  person: TeamMember
  currency: string
  onChanged: (person: TeamMember) => void
  onLink: (url: string) => void
}) {
  const m = settingsMessages.value.team
  const roles = messages.value.common.roles
  const client = api.value
  const role = useSignal<Role>(person.role)
  const remedy = useSignal(limitText(person.remedyLimit, currency))
  const day = useSignal(limitText(person.dayLimit, currency))
  const state = useFormState()
  const busy = useSignal(false)
  const confirming = useSignal(false)
  const note = useSignal<{ error: boolean; text: string } | null>(null)
  const id = `member-${person.id}`
  const money = (limit: number | null) =>
    limit === null ? m.noLimit : formatMoney(limit, currency)
  const status = person.disabledAt ? 'disabled' : person.active ? 'active' : 'invited'

  const save = async (event: Event) => {
    event.preventDefault()
    if (!client) return
    const { remedyLimit, dayLimit, problems } = readLimits(remedy.value, day.value, currency)
    const saved = await runSave(
      state,
      () =>
        client.patchMember(person.id, {
          role: role.value,
          remedyLimit: remedyLimit ?? null,
          dayLimit: dayLimit ?? null,
        }),
      personField,
      problems,
    )
    if (saved) onChanged(saved)
  }

  const act = async (action: () => Promise<void>) => {
    busy.value = true
    note.value = null
    try {
      await action()
    } catch (error) {
      note.value = { error: true, text: failureText(error) }
    } finally {
      busy.value = false
    }
  }

  return (
    <li class={`member member-${status}`}>
      <p class="member-head">
        <strong>{person.name}</strong>
        {me.value?.id === person.id && <span class="hint"> {m.you}</span>}{' '}
        <span class="hint">{person.email}</span>
      </p>
      <p class="hint">
        {roles[person.role]} · {m.states[status]} · {person.totp ? m.totpOn : m.totpOff}
      </p>
      <p class="hint">
        {fill(m.limits, { remedy: money(person.remedyLimit), day: money(person.dayLimit) })}
      </p>
      <form onSubmit={save} noValidate aria-label={person.name}>
        <RoleAndLimits
          id={id}
          currency={currency}
          role={role.value}
          remedy={remedy.value}
          day={day.value}
          errors={state.errors.value}
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
        <SaveRow state={state} label={m.save} />
      </form>
      <div class="actions row-actions">
        {/* Disabling signs them out everywhere: asked twice. Never one's own account. */}
        {me.value?.id === person.id ? null : confirming.value ? (
          <ConfirmPair
            label={fill(m.confirmDisable, { name: person.name })}
            busy={busy.value || !client}
            onConfirm={() =>
              act(async () => {
                const next = await client!.patchMember(person.id, { disabled: true })
                confirming.value = false
                onChanged(next)
                note.value = { error: false, text: m.disabledNow }
              })
            }
            onCancel={() => {
              confirming.value = false
            }}
          />
        ) : (
          <button
            type="button"
            class={person.disabledAt ? 'secondary' : 'link danger'}
            disabled={busy.value || !client}
            onClick={() => {
              if (!person.disabledAt) {
                confirming.value = true
                return
              }
              void act(async () => {
                onChanged(await client!.patchMember(person.id, { disabled: false }))
                note.value = { error: false, text: m.enabledNow }
              })
            }}
          >
            {person.disabledAt ? m.enable : m.disable}
            <span class="visually-hidden"> {person.name}</span>
          </button>
        )}
        {status === 'invited' && (
          <button
            type="button"
            class="secondary"
            disabled={busy.value || !client}
            onClick={() =>
              act(async () => {
                onLink((await client!.reinvite(person.id)).inviteUrl)
              })
            }
          >
            {m.reinvite}
            <span class="visually-hidden"> {person.name}</span>
          </button>
        )}
      </div>
      <p role="status" class={note.value?.error ? 'error' : 'saved'}>
        {note.value?.text}
      </p>
    </li>
  )
}
