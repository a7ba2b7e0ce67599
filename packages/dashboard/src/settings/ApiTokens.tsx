/**
 * @module Tokens for scripts, for an owner: make one with a name and a scope
 * (its secret shown once, with a copy button), list them (made, last used,
 * revoked) and revoke one after saying yes; and make a new admin token
 * (shown once) after a warning that the old one stops at once. A browser
 * signed in with the admin token goes on with the new one.
 */
import { useSignal } from '@preact/signals'
import { fill, formatDateTime } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { failureText } from '../lib/errors'
import { api, signIn, token } from '../lib/state'
import { type ApiToken, type CreatedApiToken, TOKEN_SCOPES, type TokenScope } from '../lib/types'
import {
  ConfirmPair,
  Field,
  ItemsView,
  runSave,
  SaveRow,
  Section,
  ShownOnce,
  useFormState,
  useItems,
} from './_settings-form'

/** A secret shown this once: a new API token's, or the new admin token. */
interface Shown {
  title: string
  hint: string
  secret: string
  copy: string
  done: string
}

/** The scopes a token is made with: `write` comes with `read`. */
const scopesOf = (scope: TokenScope): TokenScope[] =>
  scope === 'write' ? [...TOKEN_SCOPES] : ['read']

export function ApiTokens({ onChange }: { onChange?: () => void }) {
  const m = settingsMessages.value.tokens
  const tokens = useItems((client) => client.tokens())
  const shown = useSignal<Shown | null>(null)

  return (
    <Section name="tokens" title={m.title} hint={m.hint}>
      {shown.value && (
        <ShownOnce
          {...shown.value}
          onDone={() => {
            shown.value = null
          }}
        />
      )}
      <ItemsView list={tokens} none={m.none}>
        {(items) => (
          <ul class="tokens">
            {items.map((item) => (
              <TokenItem
                key={item.id}
                item={item}
                onRevoked={(revoked) => {
                  tokens.replace(revoked)
                  onChange?.()
                }}
              />
            ))}
          </ul>
        )}
      </ItemsView>
      <CreateToken
        onCreated={(created) => {
          const { token: secret, ...listed } = created
          tokens.items.value = [...(tokens.items.value ?? []), listed]
          shown.value = {
            title: fill(m.secretTitle, { name: created.name }),
            hint: m.secretHint,
            secret,
            copy: m.copy,
            done: m.done,
          }
          onChange?.()
        }}
      />
      <AdminToken
        onMade={(adminToken, here) => {
          shown.value = {
            title: m.adminTitleMade,
            hint: here ? m.adminMadeHere : m.adminMadeHint,
            secret: adminToken,
            copy: m.copy,
            done: m.done,
          }
          onChange?.()
        }}
      />
    </Section>
  )
}

function TokenItem({ item, onRevoked }: { item: ApiToken; onRevoked: (item: ApiToken) => void }) {
  const m = settingsMessages.value.tokens
  const confirming = useSignal(false)
  const busy = useSignal(false)
  const note = useSignal<{ error: boolean; text: string } | null>(null)
  const revoke = async () => {
    const client = api.value
    if (!client) return
    confirming.value = false
    busy.value = true
    note.value = null
    try {
      onRevoked(await client.revokeToken(item.id))
      note.value = { error: false, text: m.revoked }
    } catch (error) {
      note.value = { error: true, text: failureText(error) }
    } finally {
      busy.value = false
    }
  }
  return (
    <li class={item.revokedAt ? 'token revoked' : 'token'}>
      <p>
        <strong>{item.name}</strong>{' '}
        <span class="chip">{m.scopes[item.scopes.includes('write') ? 'write' : 'read']}</span>
      </p>
      <p class="hint">
        {fill(m.made, { at: formatDateTime(item.createdAt) })} ·{' '}
        {item.lastUsedAt ? fill(m.lastUsed, { at: formatDateTime(item.lastUsedAt) }) : m.neverUsed}
      </p>
      {item.revokedAt ? (
        <p class="warn">{fill(m.revokedAt, { at: formatDateTime(item.revokedAt) })}</p>
      ) : confirming.value ? (
        <div class="actions row-actions">
          <ConfirmPair
            label={fill(m.confirmRevoke, { name: item.name })}
            busy={busy.value}
            onConfirm={revoke}
            onCancel={() => {
              confirming.value = false
            }}
          />
        </div>
      ) : (
        <button
          type="button"
          class="link danger"
          onClick={() => {
            confirming.value = true
          }}
        >
          {m.revoke}
          <span class="visually-hidden"> {item.name}</span>
        </button>
      )}
      <p role="status" class={note.value?.error ? 'error' : 'saved'}>
        {note.value?.text}
      </p>
    </li>
  )
}

function CreateToken({ onCreated }: { onCreated: (created: CreatedApiToken) => void }) {
  const m = settingsMessages.value.tokens
  const name = useSignal('')
  const scope = useSignal<TokenScope>('read')
  const state = useFormState()
  const submit = async (event: Event) => {
    event.preventDefault()
    const client = api.value
    if (!client) return
    const created = await runSave(
      state,
      () => client.createToken({ name: name.value.trim(), scopes: scopesOf(scope.value) }),
      (field, message) =>
        field === 'name' || field.startsWith('scopes')
          ? { key: field === 'name' ? 'name' : 'scopes', message }
          : null,
      name.value.trim() ? {} : { name: m.nameNeeded },
    )
    if (created) {
      name.value = ''
      scope.value = 'read'
      state.saved.value = false
      onCreated(created)
    }
  }
  return (
    <form class="create-token" onSubmit={submit} noValidate>
      <h3>{m.create}</h3>
      <Field id="token-name" label={m.name} hint={m.nameHint} error={state.errors.value.name}>
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
      <fieldset class="choice" aria-describedby="token-scopes-error">
        <legend>{m.scope}</legend>
        {TOKEN_SCOPES.map((one) => (
          <label key={one} class="radio">
            <input
              type="radio"
              name="token-scope"
              value={one}
              checked={scope.value === one}
              onChange={() => {
                scope.value = one
              }}
            />{' '}
            {m.scopes[one]}
          </label>
        ))}
        <p id="token-scopes-error" class="error">
          {state.errors.value.scopes}
        </p>
      </fieldset>
      <SaveRow state={state} label={m.create} />
    </form>
  )
}

function AdminToken({ onMade }: { onMade: (adminToken: string, here: boolean) => void }) {
  const m = settingsMessages.value.tokens
  const confirming = useSignal(false)
  const busy = useSignal(false)
  const error = useSignal<string | null>(null)
  const make = async () => {
    const client = api.value
    if (!client) return
    busy.value = true
    error.value = null
    try {
      const { adminToken } = await client.newAdminToken()
      confirming.value = false
      // Signed in with the old one, this browser would be signed out at its next request.
      const here = token.peek()?.startsWith('rdk_') === true
      if (here) signIn(adminToken)
      onMade(adminToken, here)
    } catch (caught) {
      error.value = failureText(caught)
    } finally {
      busy.value = false
    }
  }
  return (
    <div class="admin-token">
      <h3>{m.adminTitle}</h3>
      <p class="hint">{m.adminHint}</p>
      {confirming.value ? (
        <div class="confirm">
          <p class="warn">{m.adminWarning}</p>
          <div class="actions row-actions">
            <ConfirmPair
              label={m.adminConfirm}
              busy={busy.value}
              onConfirm={make}
              onCancel={() => {
                confirming.value = false
              }}
            />
          </div>
        </div>
      ) : (
        <button
          type="button"
          class="secondary"
          onClick={() => {
            confirming.value = true
          }}
        >
          {m.adminNew}
        </button>
      )}
      <p class="error" role="alert">
        {error.value}
      </p>
    </div>
  )
}
