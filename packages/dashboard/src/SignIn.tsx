/**
 * @module Sign-in with the site's admin token. The token is checked against
 * the server before it is kept (in session storage: gone when the tab
 * closes, never in the URL).
 */
import { useSignal } from '@preact/signals'
import { messages } from './i18n'
import { createAdminApi } from './lib/api'
import { AdminApiError } from './lib/errors'
import { signIn } from './lib/state'

export function SignIn() {
  const m = messages.value.signIn
  const value = useSignal('')
  const error = useSignal<string | null>(null)
  const busy = useSignal(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    const candidate = value.value.trim()
    if (!candidate) {
      error.value = m.empty
      return
    }
    busy.value = true
    error.value = null
    try {
      await createAdminApi({ token: candidate }).site()
      signIn(candidate)
    } catch (caught) {
      error.value =
        caught instanceof AdminApiError && caught.status === 401
          ? m.wrong
          : messages.value.common.networkError
    } finally {
      busy.value = false
    }
  }
  return (
    <main class="sign-in">
      <form onSubmit={submit} noValidate>
        <h1>{m.title}</h1>
        <label for="token">{m.token}</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          value={value.value}
          onInput={(event) => {
            value.value = (event.target as HTMLInputElement).value
          }}
          aria-describedby="token-hint token-error"
          aria-invalid={error.value ? 'true' : undefined}
        />
        <p id="token-hint" class="hint">
          {m.tokenHint}
        </p>
        <p id="token-error" class="error" role="alert">
          {error.value}
        </p>
        <button type="submit" disabled={busy.value}>
          {m.submit}
        </button>
      </form>
    </main>
  )
}
