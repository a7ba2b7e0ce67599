import { afterEach, describe, expect, it } from 'vitest'
import { TEAM } from '../test/fake-data'
import {
  allows,
  api,
  auth,
  type Capability,
  credential,
  me,
  parseRoute,
  refused,
  routeHref,
  signIn,
  signInEnded,
  startSession,
  updateMe,
} from './state'
import type { SessionView } from './types'

describe('the route', () => {
  it('reads and writes Settings with a notice drafted from an alert', () => {
    expect(parseRoute('#/settings')).toEqual({ name: 'settings' })
    expect(parseRoute('#/settings?notice-from=alt_1')).toEqual({
      name: 'settings',
      noticeFrom: 'alt_1',
    })
    expect(parseRoute('#/settings?notice-from=')).toEqual({ name: 'settings' })
    expect(routeHref({ name: 'settings', noticeFrom: 'alt 1' })).toBe(
      '#/settings?notice-from=alt+1',
    )
    expect(parseRoute(routeHref({ name: 'settings', noticeFrom: 'alt 1' }))).toEqual({
      name: 'settings',
      noticeFrom: 'alt 1',
    })
    expect(routeHref({ name: 'settings' })).toBe('#/settings')
  })

  it('leaves the other routes as they were', () => {
    expect(parseRoute('#/inbox?status=received')).toEqual({ name: 'inbox' })
    expect(parseRoute('#/complaints/cmp_1')).toEqual({ name: 'complaint', id: 'cmp_1' })
    expect(parseRoute('#/insights')).toEqual({ name: 'insights' })
    expect(parseRoute('')).toEqual({ name: 'inbox' })
    expect(routeHref({ name: 'complaint', id: 'cmp 1' })).toBe('#/complaints/cmp%201')
  })
})

describe('the links a mail carries', () => {
  it('reads an invitation and a sign-in link, and writes them back', () => {
    expect(parseRoute('#/invite/inv_abc')).toEqual({ name: 'invite', token: 'inv_abc' })
    expect(parseRoute('#/sign-in/lnk%2Fx')).toEqual({ name: 'signInLink', token: 'lnk/x' })
    expect(routeHref({ name: 'invite', token: 'inv abc' })).toBe('#/invite/inv%20abc')
    expect(routeHref({ name: 'signInLink', token: 'lnk/x' })).toBe('#/sign-in/lnk%2Fx')
    // Without a token they are no links: the inbox (or sign-in).
    expect(parseRoute('#/invite/')).toEqual({ name: 'inbox' })
  })
})

describe('who may do what', () => {
  const CAPABILITIES: Capability[] = [
    'read',
    'handle',
    'approve',
    'manage',
    'configure',
    'people',
    'self',
  ]
  const allowed = (who: Parameters<typeof allows>[0]) =>
    CAPABILITIES.filter((capability) => allows(who, capability))
  const person = (role: keyof typeof TEAM) =>
    allowed({
      kind: 'session',
      session: {
        user: TEAM[role],
        site: { name: 'Demo', publicKey: 'pk_demo' },
        csrfToken: 'csrf',
        expiresAt: '2026-12-31T00:00:00.000Z',
      },
    })

  it('follows the server’s roles', () => {
    expect(person('viewer')).toEqual(['read', 'self'])
    expect(person('agent')).toEqual(['read', 'handle', 'self'])
    expect(person('manager')).toEqual(['read', 'handle', 'approve', 'manage', 'self'])
    expect(person('owner')).toEqual(CAPABILITIES)
  })

  it('lets the admin token do all but have an account, and an API token all but the team', () => {
    expect(allowed({ kind: 'token', token: 'rdk_x' })).toEqual(CAPABILITIES.slice(0, 6))
    expect(allowed({ kind: 'token', token: 'rdt_x' })).toEqual(CAPABILITIES.slice(0, 5))
    expect(allowed(null)).toEqual([])
  })
})

describe('a refusal from the server', () => {
  const session = (csrfToken: string): SessionView => ({
    user: TEAM.agent,
    site: { name: 'Demo', publicKey: 'pk_demo' },
    csrfToken,
    expiresAt: '2026-01-03T00:00:00.000Z',
  })
  // Forgotten here only: no server to tell.
  afterEach(() => {
    sessionStorage.clear()
    auth.value = null
  })

  it('signs out the sign-in it refused, and says so on the sign-in page', () => {
    startSession(session('csrf-1'))
    refused(credential.peek())
    expect(auth.peek()).toBeNull()
    expect(signInEnded.peek()).toBe(true)
    signIn('rdk_again')
    expect(signInEnded.peek()).toBe(false)
  })

  it('leaves a newer sign-in alone when an older one’s answer comes late', () => {
    startSession(session('csrf-1'))
    const old = credential.peek()
    signIn('rdk_new')
    refused(old)
    expect(auth.peek()).toEqual({ kind: 'token', token: 'rdk_new' })
    expect(signInEnded.peek()).toBe(false)
  })

  it('keeps the client and its caches when only the person’s own view changes', () => {
    startSession(session('csrf-1'))
    const client = api.peek()
    updateMe({ ...TEAM.agent, totp: true })
    expect(api.peek()).toBe(client)
    expect(me.peek()?.totp).toBe(true)
    // Somebody else's row is not "me".
    updateMe({ ...TEAM.manager, role: 'owner' })
    expect(me.peek()?.id).toBe(TEAM.agent.id)
  })
})
