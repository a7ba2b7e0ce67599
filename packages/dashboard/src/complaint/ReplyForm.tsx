/**
 * @module Replying to the customer. The draft is kept per complaint (leaving
 * and coming back, or a failed send, loses nothing) and carries one
 * idempotency key, so a double click or a retry sends it once. A person
 * signed in sends no author: the server signs with their name.
 */
import { type Signal, signal } from '@preact/signals'
import { fill, messages } from '../i18n'
import { newKey } from '../lib/api'
import { errorText } from '../lib/errors'
import { api, credential, me } from '../lib/state'
import type { ReplyView } from '../lib/types'
import { myName } from './_my-name'

interface Draft {
  text: Signal<string>
  /** The key of the last attempt and what it sent: the same reply again reuses it. */
  attempt: { key: string; body: string } | null
  busy: Signal<boolean>
  error: Signal<string | null>
  done: Signal<string | null>
}

const drafts = new Map<string, Draft>()
/** Whose drafts `drafts` holds: the next person in this tab starts afresh. */
let draftsOf: string | null = null

function draftOf(id: string): Draft {
  if (credential.peek() !== draftsOf) {
    drafts.clear()
    draftsOf = credential.peek()
  }
  let draft = drafts.get(id)
  if (!draft) {
    draft = {
      text: signal(''),
      attempt: null,
      busy: signal(false),
      error: signal(null),
      done: signal(null),
    }
    drafts.set(id, draft)
  }
  return draft
}

export function ReplyForm({ id, onSent }: { id: string; onSent?: (reply: ReplyView) => void }) {
  const m = messages.value.complaint
  const client = api.value!
  const draft = draftOf(id)
  const person = me.value
  const author = person ? person.name : myName.value.trim()

  const submit = async (event: Event) => {
    event.preventDefault()
    if (draft.busy.value) return
    draft.done.value = null
    const message = draft.text.value.trim()
    if (!message) {
      draft.error.value = m.replyEmpty
      return
    }
    draft.error.value = null
    const reply = person ? { message } : { message, author: author || null }
    const body = JSON.stringify(reply)
    const key = draft.attempt?.body === body ? draft.attempt.key : newKey()
    draft.attempt = { key, body }
    draft.busy.value = true
    try {
      const sent = await client.reply(id, reply, key)
      draft.attempt = null
      draft.text.value = ''
      draft.done.value = m.replySent
      onSent?.(sent)
    } catch (caught) {
      draft.error.value = errorText(caught)
    } finally {
      draft.busy.value = false
    }
  }

  return (
    <section class="card" aria-labelledby="reply-title">
      <h2 id="reply-title">{m.reply}</h2>
      <form class="stack" onSubmit={submit} noValidate>
        <div class="field">
          <label for="reply-text">{m.replyLabel}</label>
          <textarea
            id="reply-text"
            name="reply"
            rows={4}
            maxLength={5000}
            value={draft.text.value}
            aria-invalid={draft.error.value ? 'true' : undefined}
            aria-describedby="reply-hint reply-error"
            onInput={(event) => {
              draft.text.value = (event.target as HTMLTextAreaElement).value
              draft.done.value = null
            }}
          />
          <span id="reply-hint" class="hint">
            {m.replyHint} {author ? fill(m.signedAs, { name: author }) : m.unsigned}
          </span>
        </div>
        <p id="reply-error" class="error" role="alert">
          {draft.error.value}
        </p>
        <div class="actions">
          <button type="submit" disabled={draft.busy.value}>
            {draft.busy.value ? m.working : m.send}
          </button>
        </div>
        <p class="ok" role="status">
          {draft.done.value}
        </p>
      </form>
    </section>
  )
}
