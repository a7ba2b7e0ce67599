/**
 * @module The app's shared state as signals: who is signed in (a person by
 * the session cookie, or an admin or API token kept in session storage
 * only, never the URL), what they may do, the route (the URL hash) and the
 * API client.
 */
import { batch, computed, signal } from '@preact/signals'
import { type AdminApi, createAdminApi } from './api'
import type { Role, SessionView, TeamMember } from './types'

const TOKEN_KEY = 'redress:admin-token'

const stored = () => {
  try {
    return sessionStorage.getItem(TOKEN_KEY)
  } catch {
    return null
  }
}

/**
 * Who the dashboard acts as: a token pasted at sign-in (`rdk_…`, the site's
 * admin token, or an API token `rdt_…`), or a person whose session cookie
 * the browser keeps (the cookie is HttpOnly: this holds what the server said
 * of it, the CSRF token included).
 */
export type Auth = { kind: 'token'; token: string } | { kind: 'session'; session: SessionView }

const initial = stored()

export const auth = signal<Auth | null>(initial ? { kind: 'token', token: initial } : null)

/** True while the first `GET /session` is out: neither the inbox nor the sign-in form yet. */
export const checkingSession = signal(false)

/** The admin or API token, while signed in with one. */
export const token = computed(() => (auth.value?.kind === 'token' ? auth.value.token : null))

/** The person signed in, while one is (not with a token). */
export const me = computed<TeamMember | null>(() =>
  auth.value?.kind === 'session' ? auth.value.session.user : null,
)

/**
 * True after the server refused who was signed in (the session expired or
 * was ended elsewhere, the token was revoked or rotated): the sign-in page
 * says so. Cleared by the next sign-in.
 */
export const signInEnded = signal(false)

/** Sign in with a token (checked against the server by the caller). */
export function signIn(value: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, value)
  } catch {}
  batch(() => {
    signInEnded.value = false
    auth.value = { kind: 'token', token: value }
  })
}

/** A person signed in: the server set the cookie and answered this. */
export function startSession(session: SessionView): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY)
  } catch {}
  batch(() => {
    signInEnded.value = false
    auth.value = { kind: 'session', session }
  })
}

/** The person's own account changed (role, limits, second factor): keep the session, with the new view. */
export function updateMe(user: TeamMember): void {
  const current = auth.peek()
  if (current?.kind === 'session' && current.session.user.id === user.id)
    auth.value = { kind: 'session', session: { ...current.session, user } }
}

/** Forget who is signed in, here only. */
function forget(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY)
  } catch {}
  auth.value = null
}

/**
 * What the API client and the live stream are made from: the token, or the
 * session's CSRF token. It changes only with a new sign-in, so a person's
 * view of themselves changing keeps the client, its caches and the stream.
 */
export const credential = computed(() => {
  const current = auth.value
  if (!current) return null
  return current.kind === 'token'
    ? `token:${current.token}`
    : `session:${current.session.csrfToken}`
})

/**
 * The server refused `signedIn` (a `credential`): sign out here, and say so
 * on the sign-in page. A late answer to an earlier sign-in changes nothing.
 */
export function refused(signedIn: string | null): void {
  if (signedIn === null || credential.peek() !== signedIn) return
  batch(() => {
    forget()
    signInEnded.value = true
  })
}

/**
 * Sign out. A person's session ends on the server too (`DELETE /session`,
 * which also clears the cookie); the screen does not wait for it.
 */
export function signOut(): void {
  const client = api.peek()
  if (auth.peek()?.kind === 'session') client?.signOut().catch(() => {})
  forget()
}

/** The client for whoever is signed in; `null` when nobody is. */
export const api = computed<AdminApi | null>(() => {
  const signedIn = credential.value
  const current = auth.peek()
  if (!signedIn || !current) return null
  const onUnauthorized = () => refused(signedIn)
  return current.kind === 'token'
    ? createAdminApi({ token: current.token, onUnauthorized })
    : createAdminApi({ csrfToken: current.session.csrfToken, onUnauthorized })
})

/**
 * On load: a person whose cookie is still good lands in the inbox without
 * signing in again. Never rejects; nobody signed in is the answer to any failure.
 */
export async function restoreSession(): Promise<void> {
  if (auth.peek()) return
  checkingSession.value = true
  try {
    const session = await createAdminApi({}).session()
    // A token typed meanwhile wins: it was the person's own choice.
    if (!auth.peek()) startSession(session)
  } catch {
  } finally {
    checkingSession.value = false
  }
}

/**
 * What a route may need, as the server's `permissions.ts` names it: `read`
 * every GET; `handle` answering complaints; `approve` deciding remedies that
 * wait and handing complaints on; `manage` notices, alerts and the coupon
 * pool; `configure` the site's settings and webhooks; `people` the team and
 * the tokens; `self` one's own account.
 */
export type Capability = 'read' | 'handle' | 'approve' | 'manage' | 'configure' | 'people' | 'self'

const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  viewer: ['read', 'self'],
  agent: ['read', 'handle', 'self'],
  manager: ['read', 'handle', 'approve', 'manage', 'self'],
  owner: ['read', 'handle', 'approve', 'manage', 'configure', 'people', 'self'],
}

/**
 * Whether `who` may do something, to hide what it may not. The site's admin
 * token may do all but have an account; an API token's scopes are not
 * known here, so it is taken as a `write` token (all but the team and the
 * tokens) and the server's `403` says the rest.
 *
 * @example
 * allows({ kind: 'session', session }, 'configure') // true for an owner only
 */
export function allows(who: Auth | null, capability: Capability): boolean {
  if (!who) return false
  if (who.kind === 'session') return ROLE_CAPABILITIES[who.session.user.role].includes(capability)
  if (capability === 'self') return false
  return who.token.startsWith('rdt_') ? capability !== 'people' : true
}

/** Whether whoever is signed in may do it (read inside a component). */
export const can = (capability: Capability): boolean => allows(auth.value, capability)

/**
 * Where the app is: `#/inbox`, `#/complaints/<id>`, `#/insights`,
 * `#/settings`, and `#/settings?notice-from=<alert id>` for Settings with a
 * known-issue notice drafted from that early warning; before signing in,
 * `#/invite/<token>` (an invitation: set a password) and `#/sign-in/<token>`
 * (a mailed one-time sign-in link). (The inbox reads its own filters from
 * the query, `#/inbox?status=received`.)
 */
export type Route =
  | { name: 'inbox' }
  | { name: 'complaint'; id: string }
  | { name: 'insights' }
  | { name: 'settings'; noticeFrom?: string }
  | { name: 'invite'; token: string }
  | { name: 'signInLink'; token: string }

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2)
  const [head, rest] = path.split('/', 2)
  if (head === 'complaints' && rest) return { name: 'complaint', id: decodeURIComponent(rest) }
  if (head === 'invite' && rest) return { name: 'invite', token: decodeURIComponent(rest) }
  if (head === 'sign-in' && rest) return { name: 'signInLink', token: decodeURIComponent(rest) }
  if (head === 'insights') return { name: 'insights' }
  if (head === 'settings') {
    const noticeFrom = new URLSearchParams(query).get('notice-from')?.trim()
    return noticeFrom ? { name: 'settings', noticeFrom } : { name: 'settings' }
  }
  return { name: 'inbox' }
}

export const routeHref = (route: Route): string =>
  route.name === 'complaint'
    ? `#/complaints/${encodeURIComponent(route.id)}`
    : route.name === 'invite'
      ? `#/invite/${encodeURIComponent(route.token)}`
      : route.name === 'signInLink'
        ? `#/sign-in/${encodeURIComponent(route.token)}`
        : route.name === 'settings' && route.noticeFrom
          ? `#/settings?${new URLSearchParams({ 'notice-from': route.noticeFrom })}`
          : `#/${route.name}`

export const route = signal<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash))

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    route.value = parseRoute(location.hash)
  })
}

export function navigate(to: Route): void {
  location.hash = routeHref(to)
  route.value = to
}

/**
 * Go to the inbox in place of a link's route: the invitation or sign-in
 * token leaves the address and the history, so Back cannot replay it.
 */
export function leaveLink(): void {
  history.replaceState(history.state, '', routeHref({ name: 'inbox' }))
  route.value = { name: 'inbox' }
}
