/**
 * @module For tests: sign in against a fake admin API (a fresh token, so
 * each test gets its own client and inbox state, or one of `TEAM` with the
 * session cookie the fake keeps) and clean up after; every message table is
 * loaded first (`./locales`).
 */
import { cleanup } from '@testing-library/preact'
import { afterEach, vi } from 'vitest'
import { setLocale } from '../i18n'
import { route, signIn, signOut, startSession } from '../lib/state'
import { fakeServer } from './_fake-server'
import { PASSWORDS, TEAM } from './fake-data'
import './locales'

let tokens = 0

afterEach(() => {
  cleanup()
  signOut()
  vi.unstubAllGlobals()
  vi.useRealTimers()
  setLocale('en')
  history.replaceState(null, '', '#/inbox')
  route.value = { name: 'inbox' }
})

/** A fake server as `fetch`, and a signed-in dashboard talking to it. */
export function signedIn(options: Parameters<typeof fakeServer>[0] = {}) {
  const server = fakeServer(options)
  vi.stubGlobal('fetch', server.fetch)
  setLocale('en')
  signIn(`rdk_test_${++tokens}`)
  return server
}

/**
 * A fake server holding `TEAM`, and a dashboard signed in as `role`'s person
 * with a session (no token: the cookie and its CSRF token, as in a browser).
 */
export function signedInAs(
  role: keyof typeof TEAM,
  options: Parameters<typeof fakeServer>[0] = {},
) {
  const server = fakeServer({ team: Object.values(TEAM), passwords: PASSWORDS, ...options })
  vi.stubGlobal('fetch', server.fetch)
  setLocale('en')
  startSession(server.people.signIn(TEAM[role].id))
  return server
}
