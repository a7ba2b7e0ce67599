/**
 * @module Signing in: with an e-mail address and a password (and the code of
 * an authenticator app when the person turned it on), with a one-time link
 * mailed on request, or with a token as before (the site's admin token, or an
 * API token; checked against the server before it is kept, in session
 * storage only). Also the two links a mail carries: an invitation
 * (`#/invite/{token}`: set a password, then signed in) and a sign-in link
 * (`#/sign-in/{token}`: used at once). Part of the first load, so kept small.
 * (Not a chunk of their own: a third lazy chunk makes the build split the
 * code every chunk shares into one more script to load first.)
 */
import { batch, useSignal } from '@preact/signals'
import type { ComponentChildren, InputHTMLAttributes } from 'preact'
import { fill, messages } from './i18n'
import { createAdminApi } from './lib/api'
import { AdminApiError, errorCode, failureText } from './lib/errors'
import { leaveLink, signIn, signInEnded, startSession } from './lib/state'
import { TOTP_REQUIRED } from './lib/types'

const typed = (event: Event) => (event.target as HTMLInputElement).value

/**
 * A labelled input with its error under it, tied to it for screen readers
 * (read when the field gets focus: a refused form focuses its first wrong
 * field, so one message is announced, not one per field).
 */
function Input({
  id,
  label,
  hint,
  error,
  alert,
  ...input
}: {
  id: string
  label: string
  hint?: string
  error?: string | null | undefined
  /** The form's only field: its error is the form's, announced as it appears. */
  alert?: boolean
} & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        {...input}
        aria-describedby={hint ? `${id}-hint ${id}-error` : `${id}-error`}
        aria-invalid={error ? 'true' : undefined}
      />
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <p id={`${id}-error`} class="error" role={alert ? 'alert' : undefined}>
        {error}
      </p>
    </>
  )
}

/** A page of its own before signing in: one narrow column under a heading. */
function Page({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main class="sign-in">
      <div class="sign-in-card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  )
}

/** Focus the first field of `ids` with a problem, once this turn's render drew it. */
function focusFirst(ids: readonly string[], problems: Partial<Record<string, string>>): void {
  const first = ids.find((id) => problems[id])
  if (first) requestAnimationFrame(() => document.getElementById(first)?.focus())
}

export function SignIn() {
  const m = messages.value.signIn
  const withToken = useSignal(false)
  return (
    <Page title={m.title}>
      {signInEnded.value && (
        <p class="notice" role="status">
          {m.ended}
        </p>
      )}
      {withToken.value ? <TokenForm /> : <PasswordForm />}
      <button
        type="button"
        class="link"
        onClick={() => {
          withToken.value = !withToken.value
        }}
      >
        {withToken.value ? m.usePassword : m.useToken}
      </button>
    </Page>
  )
}

type PasswordField = 'email' | 'password' | 'totp' | 'form'

function PasswordForm() {
  const m = messages.value.signIn
  const email = useSignal('')
  const password = useSignal('')
  const totp = useSignal('')
  // Shown once the server says this person's second factor is on.
  const needTotp = useSignal(false)
  const errors = useSignal<Partial<Record<PasswordField, string>>>({})
  const note = useSignal<string | null>(null)
  const busy = useSignal(false)

  /** What a refusal means here, at the field it is about. */
  const refusal = (caught: unknown): Partial<Record<PasswordField, string>> => {
    if (!(caught instanceof AdminApiError)) return { form: messages.value.common.networkError }
    if (caught.code === 'rate_limited')
      return {
        form: fill(m.rateLimited, { minutes: Math.ceil((caught.retryAfter ?? 60) / 60) }),
      }
    if (caught.status === 401)
      return caught.field === 'totp' ? { totp: m.wrongTotp } : { form: m.wrongPassword }
    if (caught.field === 'email' || caught.field === 'totp')
      return { [caught.field]: caught.message }
    return { form: failureText(caught) }
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    const problems: Partial<Record<PasswordField, string>> = {}
    if (!email.value.trim()) problems.email = m.emailNeeded
    if (!password.value) problems.password = m.passwordNeeded
    if (needTotp.value && !/^\d{6}$/.test(totp.value.trim())) problems.totp = m.totpNeeded
    batch(() => {
      errors.value = problems
      note.value = null
    })
    focusFirst(['email', 'password', 'totp'], problems)
    if (Object.keys(problems).length > 0) return
    busy.value = true
    try {
      startSession(
        await createAdminApi({}).signIn({
          email: email.value.trim(),
          password: password.value,
          ...(needTotp.value ? { totp: totp.value.trim() } : {}),
        }),
      )
    } catch (caught) {
      if (errorCode(caught) === TOTP_REQUIRED) {
        needTotp.value = true
        // Drawn in this turn's render: focus it once it is there.
        requestAnimationFrame(() => document.getElementById('totp')?.focus())
      } else {
        errors.value = refusal(caught)
        focusFirst(['email', 'totp'], errors.value)
      }
    } finally {
      busy.value = false
    }
  }

  const sendLink = async () => {
    batch(() => {
      errors.value = email.value.trim() ? {} : { email: m.emailNeeded }
      note.value = null
    })
    if (!email.value.trim()) return
    busy.value = true
    try {
      await createAdminApi({}).requestLink(email.value.trim())
      // The same words whoever asks: the answer tells nobody who has an account.
      note.value = m.linkSent
    } catch (caught) {
      errors.value = refusal(caught)
    } finally {
      busy.value = false
    }
  }

  const error = errors.value
  return (
    <form onSubmit={submit} noValidate>
      <Input
        id="email"
        label={m.email}
        type="email"
        inputMode="email"
        autoComplete="username"
        maxLength={254}
        value={email.value}
        error={error.email}
        onInput={(event) => {
          email.value = typed(event)
        }}
      />
      <Input
        id="password"
        label={m.password}
        type="password"
        autoComplete="current-password"
        maxLength={200}
        value={password.value}
        error={error.password}
        onInput={(event) => {
          password.value = typed(event)
        }}
      />
      {needTotp.value && (
        <Input
          id="totp"
          label={m.totp}
          hint={m.totpHint}
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={totp.value}
          error={error.totp}
          onInput={(event) => {
            totp.value = typed(event)
          }}
        />
      )}
      <p class="error" role="alert">
        {error.form}
      </p>
      <button type="submit" disabled={busy.value}>
        {m.submit}
      </button>
      <button type="button" class="secondary" disabled={busy.value} onClick={sendLink}>
        {m.link}
      </button>
      <p class="ok" role="status">
        {note.value}
      </p>
    </form>
  )
}

function TokenForm() {
  const m = messages.value.signIn
  const value = useSignal('')
  const error = useSignal<string | null>(null)
  const busy = useSignal(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    const candidate = value.value.trim()
    if (!candidate) {
      error.value = m.empty
      focusFirst(['token'], { token: m.empty })
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
      focusFirst(['token'], { token: error.value })
    } finally {
      busy.value = false
    }
  }
  return (
    <form onSubmit={submit} noValidate>
      <Input
        id="token"
        alert
        label={m.token}
        hint={m.tokenHint}
        type="password"
        // Not a password: a password manager must not save it as this site's, nor fill it in.
        autoComplete="off"
        value={value.value}
        error={error.value}
        onInput={(event) => {
          value.value = typed(event)
        }}
      />
      <button type="submit" disabled={busy.value}>
        {m.submit}
      </button>
    </form>
  )
}

/** `#/invite/{token}`: the invited person sets a password (twice), then is signed in. */
export function AcceptInvite({ token }: { token: string }) {
  const m = messages.value.invite
  const password = useSignal('')
  const again = useSignal('')
  const errors = useSignal<{ password?: string; again?: string; form?: string }>({})
  const busy = useSignal(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    // The server's bounds (`AcceptInviteSchema`), said before anything is sent.
    const length = password.value.length
    const problem = length < 12 ? m.tooShort : length > 200 ? m.tooLong : undefined
    errors.value = problem
      ? { password: problem }
      : again.value !== password.value
        ? { again: m.mismatch }
        : {}
    focusFirst(['new-password', 'new-password-again'], {
      'new-password': errors.value.password,
      'new-password-again': errors.value.again,
    })
    if (problem || again.value !== password.value) return
    busy.value = true
    try {
      const session = await createAdminApi({}).acceptInvite(token, password.value)
      batch(() => {
        startSession(session)
        leaveLink()
      })
    } catch (caught) {
      errors.value =
        caught instanceof AdminApiError && caught.field === 'password'
          ? { password: caught.message }
          : {
              form:
                caught instanceof AdminApiError && caught.field === 'token'
                  ? m.failed
                  : failureText(caught),
            }
    } finally {
      busy.value = false
    }
  }
  const error = errors.value
  return (
    <Page title={m.title}>
      <p class="hint">{m.hint}</p>
      <form onSubmit={submit} noValidate>
        <Input
          id="new-password"
          label={m.password}
          hint={m.passwordHint}
          type="password"
          autoComplete="new-password"
          value={password.value}
          error={error.password}
          onInput={(event) => {
            password.value = typed(event)
          }}
        />
        <Input
          id="new-password-again"
          label={m.again}
          type="password"
          autoComplete="new-password"
          value={again.value}
          error={error.again}
          onInput={(event) => {
            again.value = typed(event)
          }}
        />
        <p class="error" role="alert">
          {error.form}
        </p>
        <button type="submit" disabled={busy.value}>
          {m.submit}
        </button>
      </form>
    </Page>
  )
}

/**
 * `#/sign-in/{token}`: a mailed one-time link. Used when the person presses
 * the button, not on load: a mail scanner that opens links would spend it.
 * The token leaves the address once used (or given up).
 */
export function LinkSignIn({ token }: { token: string }) {
  const m = messages.value.signIn
  // The refusal itself, worded at render: the language may change meanwhile.
  const failed = useSignal<{ error: unknown } | null>(null)
  const busy = useSignal(false)
  const use = () => {
    busy.value = true
    createAdminApi({})
      .useLink(token)
      .then(
        (session) =>
          batch(() => {
            startSession(session)
            leaveLink()
          }),
        (error: unknown) => {
          batch(() => {
            failed.value = { error }
            busy.value = false
          })
        },
      )
  }
  return (
    <Page title={m.title}>
      {failed.value ? (
        <>
          <p class="error" role="alert">
            {errorCode(failed.value.error) === 'invalid_request'
              ? m.linkFailed
              : failureText(failed.value.error)}
          </p>
          <button type="button" onClick={leaveLink}>
            {m.toSignIn}
          </button>
        </>
      ) : (
        <>
          <p class="hint">{m.linkHint}</p>
          <button type="button" disabled={busy.value} onClick={use}>
            {m.linkUse}
          </button>
          <p role="status">{busy.value ? m.linkWorking : null}</p>
        </>
      )}
    </Page>
  )
}
