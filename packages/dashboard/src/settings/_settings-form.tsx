/**
 * @module What every Settings form shares: the save state (busy, saved, the
 * server's field errors placed next to their field, the rest under the form),
 * a section with its heading, a labelled field with its hint and error, the
 * save row, a copy button, a secret shown once, and a list the server keeps.
 */
import { type Signal, useSignal } from '@preact/signals'
import type { ComponentChildren, JSX } from 'preact'
import { useEffect } from 'preact/hooks'
import { messages } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import type { AdminApi } from '../lib/api'
import { AdminApiError, failureText } from '../lib/errors'
import { api } from '../lib/state'
import type { SitePatch, SiteView } from '../lib/types'

/** `PATCH /v1/admin/site` with some of `{ origins, categories, policy, rateLimits, guarantee, mail, alerts }`. */
export type SaveSite = (patch: SitePatch) => Promise<SiteView>

export interface FormState {
  busy: Signal<boolean>
  saved: Signal<boolean>
  /** Field key → message, shown next to that field. */
  errors: Signal<Record<string, string>>
  /** A message for the form as a whole (a field this form does not show, the network). */
  formError: Signal<string | null>
}

export function useFormState(): FormState {
  return {
    busy: useSignal(false),
    saved: useSignal(false),
    errors: useSignal<Record<string, string>>({}),
    formError: useSignal<string | null>(null),
  }
}

/**
 * Where a server error goes: the form's key for a field it shows (and the
 * message to show there), or `null` to show it under the form.
 */
export type ErrorRoute = (field: string, message: string) => { key: string; message: string } | null

/**
 * Run one save. Local problems (`problems`, keyed like `errors`) stop it before
 * anything is sent. Nothing typed is touched here: on an error the form keeps
 * every value, and only the caller resets its draft after a success.
 */
export async function runSave<T>(
  state: FormState,
  action: () => Promise<T>,
  route: ErrorRoute,
  problems: Record<string, string> = {},
): Promise<T | undefined> {
  state.saved.value = false
  state.formError.value = null
  state.errors.value = problems
  if (Object.keys(problems).length > 0) return undefined
  state.busy.value = true
  try {
    const result = await action()
    state.saved.value = true
    return result
  } catch (error) {
    if (error instanceof AdminApiError && error.code !== 'network') {
      const placed = error.field ? route(error.field, error.message) : null
      if (placed) state.errors.value = { [placed.key]: placed.message }
      else state.formError.value = error.message
    } else {
      state.formError.value = messages.value.common.networkError
    }
    return undefined
  } finally {
    state.busy.value = false
  }
}

/**
 * One part of Settings: a panel `#settings-{name}` that the page's jump
 * buttons scroll to, its heading focusable so that focus follows.
 */
export function Section({
  name,
  title,
  hint,
  children,
}: {
  name: string
  title: string
  hint?: string
  children: ComponentChildren
}) {
  return (
    <section class="panel" id={`settings-${name}`} aria-labelledby={`${name}-title`}>
      <h2 id={`${name}-title`} tabIndex={-1}>
        {title}
      </h2>
      {hint !== undefined && <p class="hint">{hint}</p>}
      {children}
    </section>
  )
}

/** The attributes that tie an input to its hint and its error. */
export interface FieldA11y {
  id: string
  'aria-describedby': string
  'aria-invalid'?: 'true'
}

export function Field({
  id,
  label,
  hint,
  error,
  children,
  class: className,
}: {
  id: string
  label: ComponentChildren
  hint?: ComponentChildren
  error?: string | undefined
  children: (a11y: FieldA11y) => JSX.Element
  class?: string
}) {
  const a11y: FieldA11y = {
    id,
    'aria-describedby': [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '),
    ...(error ? { 'aria-invalid': 'true' as const } : {}),
  }
  return (
    <div class={className ? `field ${className}` : 'field'}>
      <label for={id}>{label}</label>
      {children(a11y)}
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <p id={`${id}-error`} class="error">
        {error}
      </p>
    </div>
  )
}

/** The save button with the form's outcome beside it. */
export function SaveRow({ state, label }: { state: FormState; label?: string }) {
  const common = messages.value.common
  return (
    <div class="save-row">
      <button type="submit" disabled={state.busy.value}>
        {label ?? common.save}
      </button>
      <span class="saved" role="status">
        {state.saved.value ? common.saved : ''}
      </span>
      <p class="error" role="alert">
        {state.formError.value}
      </p>
    </div>
  )
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // No clipboard API (plain http, an old browser): select and copy.
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.className = 'visually-hidden'
    document.body.append(area)
    area.select()
    let done = false
    try {
      done = document.execCommand('copy')
    } catch {}
    area.remove()
    return done
  }
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const m = settingsMessages.value
  const outcome = useSignal<'idle' | 'copied' | 'failed'>('idle')
  return (
    <span class="copy">
      <button
        type="button"
        class="secondary"
        onClick={async () => {
          outcome.value = (await copyText(text)) ? 'copied' : 'failed'
        }}
      >
        {label ?? m.copy}
      </button>
      <span role="status" class={outcome.value === 'failed' ? 'error' : 'saved'}>
        {outcome.value === 'copied' ? m.copied : outcome.value === 'failed' ? m.copyFailed : ''}
      </span>
    </span>
  )
}

/**
 * A secret (or a link that works as one) shown this once, to copy before
 * "Done" takes it off the page.
 */
export function ShownOnce({
  title,
  hint,
  secret,
  copy,
  done,
  onDone,
}: {
  title: string
  hint: string
  secret: string
  /** The copy button's words. @default "Copy" */
  copy?: string
  done: string
  onDone: () => void
}) {
  return (
    <div class="banner secret" role="status">
      <p>
        <strong>{title}</strong> {hint}
      </p>
      <pre class="code">
        <code>{secret}</code>
      </pre>
      <CopyButton text={secret} {...(copy === undefined ? {} : { label: copy })} />{' '}
      <button type="button" class="link" onClick={onDone}>
        {done}
      </button>
    </div>
  )
}

/** A list the server keeps (`{ items }`), loaded with the signed-in client. */
export interface Items<T> {
  /** `null` until it came. */
  items: Signal<T[] | null>
  /** Why it did not come. */
  error: Signal<string | null>
  /** Put `item` in place of the one with its id. */
  replace: (item: T) => void
}

/**
 * Load a list with the signed-in client (again when the client changes).
 *
 * @example
 * const tokens = useItems((client) => client.tokens())
 */
export function useItems<T extends { id: string }>(
  load: (client: AdminApi) => Promise<{ items: T[] }>,
): Items<T> {
  const client = api.value
  const items = useSignal<T[] | null>(null)
  const error = useSignal<string | null>(null)
  useEffect(() => {
    if (!client) return
    load(client).then(
      (answer) => {
        items.value = answer.items
      },
      (caught: unknown) => {
        error.value = failureText(caught)
      },
    )
  }, [client])
  const replace = (item: T) => {
    items.value = (items.value ?? []).map((other) => (other.id === item.id ? item : other))
  }
  return { items, error, replace }
}

/** A loaded list: "Loading…" or why it failed, `none` when empty, else what `children` draws. */
export function ItemsView<T>({
  list,
  none,
  children,
}: {
  list: Items<T>
  none: string
  children: (items: T[]) => ComponentChildren
}) {
  const items = list.items.value
  if (items === null)
    return (
      <p class={list.error.value ? 'error' : 'hint'}>
        {list.error.value ?? messages.value.common.loading}
      </p>
    )
  if (items.length === 0) return <p class="hint">{none}</p>
  return <>{children(items)}</>
}

/**
 * The second step of a change asked twice (disable, revoke, remove, replace):
 * the danger button that does it, and Cancel.
 */
export function ConfirmPair({
  label,
  busy,
  describedBy,
  onConfirm,
  onCancel,
}: {
  label: string
  busy: boolean
  /** What the change is about, read with the button. */
  describedBy?: string
  onConfirm: () => unknown
  onCancel: () => void
}) {
  return (
    <>
      <button
        type="button"
        class="danger"
        aria-describedby={describedBy}
        disabled={busy}
        onClick={() => void onConfirm()}
      >
        {label}
      </button>
      <button type="button" class="link" onClick={onCancel}>
        {messages.value.common.cancel}
      </button>
    </>
  )
}
