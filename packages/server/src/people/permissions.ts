/**
 * @module Who may do what in the admin API: the actor a request acts as (a
 * signed-in person, an API token, or the site's own admin token), the
 * capabilities of each, and the one table that says which capability each
 * route needs. A route missing from the table needs `configure`.
 */
import type { Role, TokenScope } from '@redress/protocol/admin'

/**
 * What a route may need. `read` every GET; `handle` answering complaints;
 * `approve` deciding remedies that wait; `manage` the inbox's shared things
 * (notices, alerts, the coupon pool); `configure` the site's settings and
 * webhooks; `people` the team and the tokens; `self` one's own account.
 */
export type Capability = 'read' | 'handle' | 'approve' | 'manage' | 'configure' | 'people' | 'self'

/** Who a request acts as. */
export type Actor =
  | {
      kind: 'user'
      id: string
      name: string
      role: Role
      remedyLimit: number | null
      dayLimit: number | null
      /** The session's id hash (to sign out this one). */
      session: string
    }
  | { kind: 'token'; id: string; name: string; scopes: TokenScope[] }
  /** The site's admin token (`rdk_…`): the owner's machine token. */
  | { kind: 'admin_token'; id: 'admin-token'; name: string }

const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  viewer: ['read', 'self'],
  agent: ['read', 'handle', 'self'],
  manager: ['read', 'handle', 'approve', 'manage', 'self'],
  owner: ['read', 'handle', 'approve', 'manage', 'configure', 'people', 'self'],
}

/**
 * Whether the actor has the capability. A `write` token does all a script
 * needs but the team and the tokens; the site's admin token all but an
 * account of its own.
 *
 * @example
 * can({ kind: 'user', role: 'agent', … }, 'approve') // false
 */
export function can(actor: Actor, capability: Capability): boolean {
  switch (actor.kind) {
    case 'user':
      return ROLE_CAPABILITIES[actor.role].includes(capability)
    case 'token':
      return capability === 'read'
        ? actor.scopes.includes('read') || actor.scopes.includes('write')
        : actor.scopes.includes('write') && capability !== 'people' && capability !== 'self'
    case 'admin_token':
      return capability !== 'self'
  }
}

/** Method and path (below `/v1/admin`, `:id` for any segment) → the capability it needs. */
const ROUTES: readonly [string, RegExp, Capability][] = [
  ['POST', /^\/complaints\/[^/]+\/replies$/, 'handle'],
  ['PATCH', /^\/complaints\/[^/]+$/, 'handle'],
  ['POST', /^\/complaints\/[^/]+\/recoveries$/, 'handle'],
  ['POST', /^\/recoveries\/[^/]+\/(approve|reject)$/, 'approve'],
  ['POST', /^\/alerts\/[^/]+\/dismiss$/, 'manage'],
  ['POST', /^\/notices$/, 'manage'],
  ['PATCH', /^\/notices\/[^/]+$/, 'manage'],
  ['DELETE', /^\/notices\/[^/]+$/, 'manage'],
  ['POST', /^\/coupon-pool$/, 'manage'],
  ['DELETE', /^\/coupon-pool\/[^/]+$/, 'manage'],
  ['GET', /^\/tokens$/, 'people'],
  ['POST', /^\/tokens$/, 'people'],
  ['DELETE', /^\/tokens\/[^/]+$/, 'people'],
  ['POST', /^\/team$/, 'people'],
  ['PATCH', /^\/team\/[^/]+$/, 'people'],
  ['POST', /^\/team\/[^/]+\/invite$/, 'people'],
  ['POST', /^\/site\/admin-token$/, 'people'],
  ['POST', /^\/me\/totp(\/confirm)?$/, 'self'],
  ['DELETE', /^\/me\/totp$/, 'self'],
]

/**
 * The capability a request needs: the table's, else `read` for a GET and
 * `configure` for anything else (the site's settings, webhooks, secrets).
 *
 * @example
 * capabilityFor('POST', '/recoveries/rcv_1/approve') // 'approve'
 * capabilityFor('PATCH', '/site')                    // 'configure'
 */
export function capabilityFor(method: string, path: string): Capability {
  const upper = method === 'HEAD' ? 'GET' : method
  for (const [m, pattern, capability] of ROUTES)
    if (m === upper && pattern.test(path)) return capability
  return upper === 'GET' ? 'read' : 'configure'
}

/** The role a capability first comes with, to say so in a refusal. */
export const FIRST_ROLE: Record<Capability, string> = {
  read: 'viewer',
  handle: 'agent',
  approve: 'manager',
  manage: 'manager',
  configure: 'owner',
  people: 'owner',
  self: 'a person signed in',
}
