/**
 * @module For tests: the people half of the fake admin API, as the server's
 * README ("People and sign-in") documents it. Who a request acts as (the
 * session "cookie", kept here as state and sent unless a request says
 * `credentials: 'omit'`; an admin token; an API token), the CSRF check on
 * every change made with the session, what each role may do (a copy of the
 * server's `permissions.ts` table, with its `403` words), and the session,
 * team, token and second-factor routes, checked with the protocol's own
 * schemas so their refusals name their field as the server's do. Changes to
 * the team and the tokens go to the audit trail with who made them.
 */
import {
  AcceptInviteSchema,
  type ActorRef,
  type AdminErrorCode,
  type ApiToken,
  type CreatedApiToken,
  InviteSchema,
  MemberPatchSchema,
  parseAdmin,
  type Role,
  type SessionView,
  SignInLinkSchema,
  SignInSchema,
  type SiteChange,
  type TeamMember,
  TOTP_REQUIRED,
  TokenCreateSchema,
} from '@redress/protocol/admin'

/** The one code the fake's authenticator app ever shows. */
export const FAKE_TOTP = '123456'

export interface Recorded {
  method: string
  path: string
  query: URLSearchParams
  headers: Record<string, string>
  body: unknown
  /** As `fetch` was told; the session cookie goes with anything but `'omit'`. */
  credentials: RequestCredentials | undefined
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> }
export type Reply = Answer | Promise<Answer>

export const problem = (
  status: number,
  code: AdminErrorCode,
  message: string,
  field?: string,
): Answer => ({
  status,
  body: { error: { code, message, ...(field ? { field } : {}) } },
})

/** Who a request acts as. */
export type Actor =
  | { kind: 'user'; member: TeamMember }
  | { kind: 'token'; token: ApiToken }
  | { kind: 'admin_token' }

type Capability = 'read' | 'handle' | 'approve' | 'manage' | 'configure' | 'people' | 'self'

const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  viewer: ['read', 'self'],
  agent: ['read', 'handle', 'self'],
  manager: ['read', 'handle', 'approve', 'manage', 'self'],
  owner: ['read', 'handle', 'approve', 'manage', 'configure', 'people', 'self'],
}

/** The server's table: method and path below `/v1/admin` → what it needs. */
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

const FIRST_ROLE: Record<Capability, string> = {
  read: 'viewer',
  handle: 'agent',
  approve: 'manager',
  manage: 'manager',
  configure: 'owner',
  people: 'owner',
  self: 'a person signed in',
}

/** Paths anyone may reach: signing in, and the links a mail carries. */
const OPEN = new Set(['/session', '/session/link', '/session/link/use', '/invites/accept'])

function capabilityFor(method: string, path: string): Capability {
  for (const [m, pattern, capability] of ROUTES)
    if (m === method && pattern.test(path)) return capability
  return method === 'GET' ? 'read' : 'configure'
}

export function may(actor: Actor, capability: Capability): boolean {
  if (actor.kind === 'user') return ROLE_CAPABILITIES[actor.member.role].includes(capability)
  if (actor.kind === 'admin_token') return capability !== 'self'
  const { scopes } = actor.token
  return capability === 'read'
    ? scopes.length > 0
    : scopes.includes('write') && capability !== 'people' && capability !== 'self'
}

export const actorRef = (actor: Actor): ActorRef =>
  actor.kind === 'user'
    ? { kind: 'user', id: actor.member.id, name: actor.member.name }
    : actor.kind === 'token'
      ? { kind: 'token', id: actor.token.id, name: actor.token.name }
      : { kind: 'admin_token', id: 'admin-token', name: 'Admin token' }

const describe = (actor: Actor) =>
  actor.kind === 'user'
    ? `${actor.member.name} (${actor.member.role})`
    : actor.kind === 'token'
      ? `The token "${actor.token.name}" (${actor.token.scopes.join(', ')})`
      : 'The admin token'

/** A person of the team, with `changes` over an active agent without limits. */
export function member(changes: Partial<TeamMember> = {}): TeamMember {
  return {
    id: 'usr_agent',
    email: 'bo@shop.example',
    name: 'Bo',
    role: 'agent',
    remedyLimit: null,
    dayLimit: null,
    active: true,
    totp: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    disabledAt: null,
    ...changes,
  }
}

export interface PeopleOptions {
  /** The site's people (none by default). */
  team?: TeamMember[]
  /** Their passwords by e-mail address. */
  passwords?: Record<string, string>
  /** The id of the person whose session cookie the browser holds from the start. */
  session?: string
}

/** The people's state and routes, for `fakeServer`. */
export function createPeople(
  options: PeopleOptions,
  site: () => { name: string; publicKey: string },
  changes: SiteChange[],
) {
  const members = new Map<string, TeamMember>()
  for (const person of options.team ?? []) members.set(person.id, person)
  const passwords = new Map(Object.entries(options.passwords ?? {}))
  const invites = new Map<string, string>()
  const links = new Map<string, string>()
  const tokens = new Map<string, CreatedApiToken>()
  const totpStarted = new Set<string>()
  /** The addresses `POST /session/link` was asked for, in order. */
  const linksAsked: string[] = []
  let made = 0
  let session: { userId: string; csrf: string } | null = null
  /** The site's admin token once rotated; before that any `rdk_…` stands for it. */
  let adminToken: string | null = null

  const open = (userId: string) => {
    session = { userId, csrf: `csrf_${++made}` }
    return view()
  }
  const view = (): SessionView => ({
    user: members.get(session!.userId)!,
    site: site(),
    csrfToken: session!.csrf,
    expiresAt: '2026-12-31T00:00:00.000Z',
  })
  const record = (actor: Actor, change: SiteChange['changes']) =>
    changes.push({
      id: changes.length + 1,
      at: new Date().toISOString(),
      by: actorRef(actor),
      changes: change,
    })
  const inviteUrl = (token: string) => `http://dashboard.test/admin/#/invite/${token}`
  const newInvite = (id: string) => {
    const token = `inv_${++made}`
    invites.set(token, id)
    return token
  }

  /**
   * Who `request` acts as, or the refusal: a bearer token first, else the
   * session cookie (with its CSRF token on a change), else `401`.
   */
  function authenticate(request: Recorded, path: string): Actor | Answer | null {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    if (bearer) {
      if (bearer.startsWith('rdt_')) {
        const found = [...tokens.values()].find((token) => token.token === bearer)
        if (!found || found.revokedAt) return problem(401, 'unauthorized', 'Unknown token')
        const { token: _secret, ...listed } = found
        return { kind: 'token', token: listed }
      }
      if (adminToken !== null && bearer !== adminToken)
        return problem(401, 'unauthorized', 'Unknown token')
      return { kind: 'admin_token' }
    }
    if (OPEN.has(path)) return null
    const cookie = request.credentials === 'omit' ? null : session
    const person = cookie && members.get(cookie.userId)
    if (!cookie || !person || person.disabledAt)
      return problem(401, 'unauthorized', 'Sign in, or send an admin or API token')
    if (request.method !== 'GET' && request.headers['x-csrf-token'] !== cookie.csrf)
      return problem(403, 'forbidden', 'Send the session’s CSRF token as X-CSRF-Token')
    return { kind: 'user', member: person }
  }

  /** The actor of `request` with what its route needs checked, or the refusal (`null` on an open path). */
  function check(request: Recorded, path: string): Actor | Answer | null {
    const actor = authenticate(request, path)
    if (actor === null || 'status' in actor) return actor
    const capability = capabilityFor(request.method, path)
    if (!may(actor, capability))
      return problem(
        403,
        'forbidden',
        `${describe(actor)} may not do this: it needs ${FIRST_ROLE[capability]}`,
      )
    return actor
  }

  const parsed = <T>(
    result: { ok: true; value: T } | { ok: false; message: string; field: string },
  ) =>
    result.ok
      ? result.value
      : problem(400, 'invalid_request', result.message, result.field || undefined)
  const isAnswer = (value: unknown): value is Answer =>
    typeof value === 'object' && value !== null && 'status' in value && 'body' in value

  /** The session routes, open to anyone. */
  function sessionRoute(request: Recorded, path: string): Answer | undefined {
    const { method } = request
    const cookie = request.credentials === 'omit' ? null : session
    if (path === '/session' && method === 'GET')
      return cookie ? { status: 200, body: view() } : problem(401, 'unauthorized', 'Not signed in')
    if (path === '/session' && method === 'DELETE') {
      session = null
      return { status: 204 }
    }
    if (path === '/session' && method === 'POST') {
      const body = parsed(parseAdmin(SignInSchema, request.body))
      if (isAnswer(body)) return body
      const person = [...members.values()].find((one) => one.email === body.email)
      if (!person || passwords.get(person.email) !== body.password || person.disabledAt)
        return problem(401, 'unauthorized', 'The e-mail address or the password is wrong')
      if (person.totp && !body.totp)
        return problem(
          401,
          TOTP_REQUIRED,
          'Enter the six-digit code from your authenticator app',
          'totp',
        )
      if (person.totp && body.totp !== FAKE_TOTP)
        return problem(401, 'unauthorized', 'That code is not right; enter the current one', 'totp')
      return { status: 200, body: open(person.id) }
    }
    if (path === '/session/link' && method === 'POST') {
      const body = parsed(parseAdmin(SignInLinkSchema, request.body))
      if (isAnswer(body)) return body
      linksAsked.push(body.email)
      const person = [...members.values()].find((one) => one.email === body.email && one.active)
      if (person) links.set(`lnk_${++made}`, person.id)
      return { status: 202 }
    }
    const refused = problem(
      400,
      'invalid_request',
      'This link does not work: it was used, it expired, or it is not ours',
      'token',
    )
    if (path === '/session/link/use' && method === 'POST') {
      const token = (request.body as { token?: unknown })?.token
      const id = typeof token === 'string' ? links.get(token) : undefined
      if (!id) return refused
      links.delete(token as string)
      return { status: 200, body: open(id) }
    }
    if (path === '/invites/accept' && method === 'POST') {
      const body = parsed(parseAdmin(AcceptInviteSchema, request.body))
      if (isAnswer(body)) return body
      const id = invites.get(body.token)
      if (!id) return refused
      invites.delete(body.token)
      const person = { ...members.get(id)!, active: true }
      members.set(id, person)
      passwords.set(person.email, body.password)
      return { status: 200, body: open(id) }
    }
    return undefined
  }

  /** The team, token and second-factor routes, for an actor `check` let through. */
  function peopleRoute(request: Recorded, path: string, actor: Actor): Answer | undefined {
    const { method } = request
    const [, head, id, tail] = path.split('/')
    if (head === 'team') {
      if (method === 'GET' && !id) return { status: 200, body: { items: [...members.values()] } }
      if (method === 'POST' && !id) {
        const body = parsed(parseAdmin(InviteSchema, request.body))
        if (isAnswer(body)) return body
        if ([...members.values()].some((one) => one.email === body.email))
          return problem(409, 'conflict', `${body.email} has an account already`, 'email')
        const person = member({
          id: `usr_${++made}`,
          email: body.email,
          name: body.name,
          role: body.role,
          remedyLimit: body.remedyLimit ?? null,
          dayLimit: body.dayLimit ?? null,
          active: false,
          createdAt: new Date().toISOString(),
        })
        members.set(person.id, person)
        record(actor, { team: { before: null, after: person } })
        return { status: 201, body: { member: person, inviteUrl: inviteUrl(newInvite(person.id)) } }
      }
      const found = id ? members.get(id) : undefined
      if (!found) return problem(404, 'not_found', `No team member ${id}`)
      if (method === 'POST' && tail === 'invite') {
        if (found.active)
          return problem(409, 'conflict', `${found.email} has set a password already`)
        return { status: 200, body: { inviteUrl: inviteUrl(newInvite(found.id)) } }
      }
      if (method === 'PATCH' && !tail) {
        const patch = parsed(parseAdmin(MemberPatchSchema, request.body))
        if (isAnswer(patch)) return patch
        const next: TeamMember = {
          ...found,
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.remedyLimit !== undefined ? { remedyLimit: patch.remedyLimit } : {}),
          ...(patch.dayLimit !== undefined ? { dayLimit: patch.dayLimit } : {}),
          ...(patch.disabled !== undefined
            ? { disabledAt: patch.disabled ? new Date().toISOString() : null }
            : {}),
        }
        const owners = (list: TeamMember[]) =>
          list.filter((one) => one.role === 'owner' && one.active && !one.disabledAt).length
        const after = [...members.values()].map((one) => (one.id === id ? next : one))
        if (owners([...members.values()]) > 0 && owners(after) === 0)
          return problem(
            409,
            'conflict',
            'The site’s last active owner can be neither demoted nor disabled',
            patch.role !== undefined ? 'role' : 'disabled',
          )
        members.set(found.id, next)
        // Disabled: signed out everywhere at once.
        if (next.disabledAt && session?.userId === found.id) session = null
        record(actor, { team: { before: found, after: next } })
        return { status: 200, body: next }
      }
    }
    if (head === 'tokens') {
      if (method === 'GET' && !id)
        return {
          status: 200,
          body: { items: [...tokens.values()].map(({ token: _secret, ...listed }) => listed) },
        }
      if (method === 'POST' && !id) {
        const body = parsed(parseAdmin(TokenCreateSchema, request.body))
        if (isAnswer(body)) return body
        made++
        const created: CreatedApiToken = {
          id: `tok_${made}`,
          name: body.name,
          scopes: body.scopes,
          createdAt: new Date().toISOString(),
          lastUsedAt: null,
          revokedAt: null,
          token: `rdt_fake${made}${'s'.repeat(30)}`,
        }
        tokens.set(created.id, created)
        const { token: _secret, ...listed } = created
        record(actor, { tokens: { before: null, after: listed } })
        return { status: 201, body: created }
      }
      const found = id ? tokens.get(id) : undefined
      if (method === 'DELETE' && found) {
        const revoked = { ...found, revokedAt: found.revokedAt ?? new Date().toISOString() }
        tokens.set(found.id, revoked)
        const { token: _secret, ...listed } = revoked
        record(actor, { tokens: { before: null, after: listed } })
        return { status: 200, body: listed }
      }
      if (method === 'DELETE') return problem(404, 'not_found', `No token ${id}`)
    }
    if (method === 'POST' && path === '/site/admin-token') {
      adminToken = `rdk_new${++made}`
      record(actor, { adminToken: { before: 'rotated', after: 'rotated' } })
      return { status: 201, body: { adminToken } }
    }
    if (head === 'me' && id === 'totp' && actor.kind === 'user') {
      const person = actor.member
      const code = (request.body as { code?: unknown } | undefined)?.code
      if (method === 'POST' && !tail) {
        if (person.totp) return problem(409, 'conflict', 'The second factor is on already')
        totpStarted.add(person.id)
        return {
          status: 201,
          body: {
            secret: 'JBSWY3DPEHPK3PXP',
            otpauthUrl: `otpauth://totp/Demo:${person.email}?secret=JBSWY3DPEHPK3PXP&issuer=Demo`,
          },
        }
      }
      if (typeof code !== 'string' || !/^\d{6}$/.test(code))
        return problem(400, 'invalid_request', 'code is six digits', 'code')
      const started = method === 'POST' ? totpStarted.has(person.id) : person.totp
      if (!started || code !== FAKE_TOTP)
        return problem(
          400,
          'invalid_request',
          'That code is not right; enter the current one',
          'code',
        )
      const next = { ...person, totp: method === 'POST' }
      members.set(person.id, next)
      totpStarted.delete(person.id)
      return { status: 200, body: next }
    }
    return undefined
  }

  if (options.session) open(options.session)

  return {
    members,
    tokens,
    linksAsked,
    check,
    sessionRoute,
    peopleRoute,
    /** The person whose session the browser holds, and its CSRF token; `null` when signed out. */
    get session() {
      return session
    },
    /** The admin token since it was rotated (`null`: never). */
    get adminToken() {
      return adminToken
    },
    /** Sign `userId` in as the server would (the cookie set), and say what it answered. */
    signIn: open,
    /** The invitation tokens not used yet, by the person they are for. */
    invitesFor: (userId: string) =>
      [...invites.entries()].filter(([, id]) => id === userId).map(([token]) => token),
    /** The sign-in links mailed and not used yet, by the person they are for. */
    linksFor: (userId: string) =>
      [...links.entries()].filter(([, id]) => id === userId).map(([token]) => token),
  }
}

export type People = ReturnType<typeof createPeople>
