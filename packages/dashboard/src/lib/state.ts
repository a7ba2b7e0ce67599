/**
 * @module The app's shared state as signals: the admin token (session
 * storage only, never the URL), the route (the URL hash) and the API client.
 */
import { computed, signal } from '@preact/signals'
import { type AdminApi, createAdminApi } from './api'

const TOKEN_KEY = 'redress:admin-token'

const stored = () => {
  try {
    return sessionStorage.getItem(TOKEN_KEY)
  } catch {
    return null
  }
}

/** The admin token, while signed in. */
export const token = signal<string | null>(stored())

export function signIn(value: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, value)
  } catch {}
  token.value = value
}

export function signOut(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY)
  } catch {}
  token.value = null
}

/** The client for the current token; `null` when signed out. */
export const api = computed<AdminApi | null>(() =>
  token.value ? createAdminApi({ token: token.value, onUnauthorized: signOut }) : null,
)

/**
 * Where the app is: `#/inbox`, `#/complaints/<id>`, `#/insights`,
 * `#/settings`, and `#/settings?notice-from=<alert id>` for Settings with a
 * known-issue notice drafted from that early warning. (The inbox reads its
 * own filters from the query, `#/inbox?status=received`.)
 */
export type Route =
  | { name: 'inbox' }
  | { name: 'complaint'; id: string }
  | { name: 'insights' }
  | { name: 'settings'; noticeFrom?: string }

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2)
  const [head, rest] = path.split('/', 2)
  if (head === 'complaints' && rest) return { name: 'complaint', id: decodeURIComponent(rest) }
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
