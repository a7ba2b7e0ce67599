import type {
  ApiToken,
  CreatedApiToken,
  Invited,
  SessionView,
  SiteChange,
  TeamMember,
} from '@redress/protocol/admin'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
} from '../../_test-harness'
import { totpCode } from '../../people'
import { createSite } from '../../sites'
import { SIGN_IN_LIMITS } from './session'

const OWNER_TOKEN = 'test-admin-token'
const PASSWORD = 'correct horse battery staple'

/** A signed-in browser: its cookie and CSRF token, and a fetch that sends them as the dashboard does. */
interface Browser {
  cookie: string
  csrf: string
  view: SessionView
  fetch(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>
}

describeEachDatabase('people, sessions and tokens', (database) => {
  // One proxy in front, so each test can be a client of its own (the sign-in limits count per address).
  const get = useServer(database, { trustProxy: 1 })
  let addresses = 0
  const address = () => `198.51.${Math.floor(++addresses / 250)}.${addresses % 250}`
  const url = (path: string) => `${get().url}/v1/admin${path}`
  const owner = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
    adminFetch(get().url, OWNER_TOKEN, path, init)
  let people = 0

  /** Invite someone with the site's admin token, and accept it with a password: their browser. */
  async function person(
    role: TeamMember['role'],
    extra: Record<string, unknown> = {},
  ): Promise<Browser> {
    const email = `person${++people}@shop.example`
    const invited = (await expectJson(
      await owner('/team', {
        method: 'POST',
        body: { email, name: `Person ${people}`, role, ...extra },
      }),
      201,
    )) as Invited
    const token = decodeURIComponent(invited.inviteUrl!.split('#/invite/')[1]!)
    const accepted = await fetch(url('/invites/accept'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address() },
      body: JSON.stringify({ token, password: PASSWORD }),
    })
    return browserOf(accepted)
  }

  async function browserOf(response: Response): Promise<Browser> {
    const view = (await expectJson(response)) as SessionView
    const setCookie = response.headers.get('set-cookie')!
    const cookie = setCookie.split(';')[0]!
    return {
      cookie,
      csrf: view.csrfToken,
      view,
      fetch: (path, init = {}) =>
        fetch(url(path), {
          method: init.method ?? 'GET',
          headers: {
            cookie,
            ...(init.method && init.method !== 'GET' ? { 'x-csrf-token': view.csrfToken } : {}),
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...init.headers,
          },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        }),
    }
  }

  const signIn = (
    email: string,
    password: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) =>
    fetch(url('/session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address(), ...headers },
      body: JSON.stringify({ email, password, ...extra }),
    })

  let complaintId: string
  beforeAll(async () => {
    complaintId = (await submitComplaint(get().url)).id
  })
  const statusOf = async () =>
    ((await expectJson(await owner(`/complaints/${complaintId}`))) as { status: string }).status

  it('signs an invited person in with an HttpOnly, SameSite=Strict cookie, and out again for good', async () => {
    const agent = await person('agent')
    expect(agent.view.user).toMatchObject({ role: 'agent', active: true, totp: false })
    expect(agent.view.site.publicKey).toBe('pk_demo')

    const again = await signIn(agent.view.user.email, PASSWORD)
    const cookie = again.headers.get('set-cookie')!
    expect(cookie).toMatch(/^redress_session=[\w-]{43}; /)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toContain('Path=/')

    expect((await agent.fetch('/complaints')).status).toBe(200)
    expect((await agent.fetch('/session')).status).toBe(200)
    expect((await agent.fetch('/session', { method: 'DELETE' })).status).toBe(204)
    // The same cookie after signing out: nothing.
    expect((await agent.fetch('/complaints')).status).toBe(401)
    expect((await agent.fetch('/session')).status).toBe(401)
  })

  it('refuses a signed-out request, a wrong password and an unknown address alike', async () => {
    expect((await fetch(url('/complaints'))).status).toBe(401)
    const agent = await person('agent')
    const wrong = await expectJson(
      await signIn(agent.view.user.email, 'not the password at all'),
      401,
    )
    const unknown = await expectJson(await signIn('nobody@shop.example', PASSWORD), 401)
    expect(wrong).toEqual(unknown)
    expect(wrong).toEqual({
      error: { code: 'unauthorized', message: 'The e-mail address or the password is wrong' },
    })
  })

  it('lets each role do what it may, and nothing else, changing nothing on a refusal', async () => {
    const viewer = await person('viewer')
    const agent = await person('agent')
    const manager = await person('manager')
    expect((await viewer.fetch('/complaints')).status).toBe(200)
    const refused = await expectJson(
      await viewer.fetch(`/complaints/${complaintId}`, {
        method: 'PATCH',
        body: { status: 'in_progress' },
      }),
      403,
    )
    expect(refused.error.code).toBe('forbidden')
    expect(refused.error.message).toContain('needs agent')
    expect(await statusOf()).toBe('received')

    expect(
      (
        await agent.fetch(`/complaints/${complaintId}`, {
          method: 'PATCH',
          body: { status: 'in_progress' },
        })
      ).status,
    ).toBe(200)
    expect(await statusOf()).toBe('in_progress')
    // An agent neither publishes notices, nor changes the settings, nor the team.
    for (const [method, path, body] of [
      ['POST', '/notices', { messages: { en: 'x' } }],
      ['PATCH', '/site', { origins: ['https://evil.example'] }],
      ['POST', '/team', { email: 'x@shop.example', name: 'X', role: 'owner' }],
      ['POST', '/tokens', { name: 'mine', scopes: ['write'] }],
      ['POST', '/recoveries/rcv_nope/approve', {}],
    ] as const)
      expect((await agent.fetch(path, { method, body })).status, `${method} ${path}`).toBe(403)
    // A manager publishes a notice, but touches neither the settings nor the team.
    const notice = await manager.fetch('/notices', {
      method: 'POST',
      body: { messages: { en: 'Known issue' } },
    })
    expect(notice.status).toBe(201)
    expect((await manager.fetch('/site', { method: 'PATCH', body: { origins: [] } })).status).toBe(
      403,
    )
    expect((await manager.fetch('/tokens')).status).toBe(403)
    const site = (await expectJson(await owner('/site'))) as { origins: string[] }
    expect(site.origins).not.toContain('https://evil.example')
  })

  it('refuses a change without the CSRF token, or from another origin', async () => {
    const agent = await person('agent')
    const attempt = (headers: Record<string, string>) =>
      fetch(url(`/complaints/${complaintId}`), {
        method: 'PATCH',
        headers: { cookie: agent.cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ status: 'resolved' }),
      })
    expect((await attempt({})).status).toBe(403)
    expect((await attempt({ 'x-csrf-token': 'forged' })).status).toBe(403)
    expect(
      (await attempt({ 'x-csrf-token': agent.csrf, origin: 'https://evil.example' })).status,
    ).toBe(403)
    // Another person's CSRF token is not this session's.
    const other = await person('agent')
    expect((await attempt({ 'x-csrf-token': other.csrf })).status).toBe(403)
    expect(await statusOf()).not.toBe('resolved')
    // From the server's own page, with the token: it goes through.
    expect((await attempt({ 'x-csrf-token': agent.csrf, origin: get().url })).status).toBe(200)
  })

  it('signs a disabled person out everywhere, and keeps the last owner', async () => {
    const agent = await person('agent')
    const owner2 = await person('owner')
    const disabled = (await expectJson(
      await owner2.fetch(`/team/${agent.view.user.id}`, {
        method: 'PATCH',
        body: { disabled: true },
      }),
    )) as TeamMember
    expect(disabled.disabledAt).not.toBeNull()
    expect((await agent.fetch('/complaints')).status).toBe(401)
    expect((await signIn(agent.view.user.email, PASSWORD)).status).toBe(401)
    // The only owner cannot be demoted.
    const only = await expectJson(
      await owner2.fetch(`/team/${owner2.view.user.id}`, {
        method: 'PATCH',
        body: { role: 'agent' },
      }),
      409,
    )
    expect(only.error.field).toBe('role')
    const audit = (await expectJson(await owner('/site/changes?limit=5'))) as {
      items: SiteChange[]
    }
    expect(
      audit.items.some(
        (item) => item.changes.team?.after && (item.changes.team.after as TeamMember).disabledAt,
      ),
    ).toBe(true)
  })

  it('limits sign-in attempts per account, whatever the password, and says when to come back', async () => {
    const agent = await person('agent')
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++)
      expect((await signIn(agent.view.user.email, `wrong password ${i}`)).status).toBe(401)
    // Each attempt came from another address: the account's own limit holds them.
    const blocked = await signIn(agent.view.user.email, PASSWORD)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('limits sign-in attempts per address, whatever the account', async () => {
    const from = { 'x-forwarded-for': '203.0.113.7' }
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++)
      expect((await signIn(`guess${i}@shop.example`, 'a guessed password', {}, from)).status).toBe(
        401,
      )
    const agent = await person('agent')
    expect((await signIn(agent.view.user.email, PASSWORD, {}, from)).status).toBe(429)
    expect((await signIn(agent.view.user.email, PASSWORD)).status).toBe(200)
  })

  it('asks for the second factor once it is on, and checks it', async () => {
    const manager = await person('manager')
    const begun = (await expectJson(await manager.fetch('/me/totp', { method: 'POST' }), 201)) as {
      secret: string
      otpauthUrl: string
    }
    expect(begun.otpauthUrl).toMatch(/^otpauth:\/\/totp\//)
    const wrongCode = totpCode(begun.secret, Date.now()) === '000000' ? '111111' : '000000'
    expect(
      (await manager.fetch('/me/totp/confirm', { method: 'POST', body: { code: wrongCode } }))
        .status,
    ).toBe(400)
    const on = (await expectJson(
      await manager.fetch('/me/totp/confirm', {
        method: 'POST',
        body: { code: totpCode(begun.secret, Date.now()) },
      }),
    )) as TeamMember
    expect(on.totp).toBe(true)
    const email = manager.view.user.email
    const asked = await expectJson(await signIn(email, PASSWORD), 401)
    expect(asked.error).toMatchObject({ code: 'totp_required', field: 'totp' })
    expect((await signIn(email, PASSWORD, { totp: wrongCode })).status).toBe(401)
    expect(
      (await signIn(email, PASSWORD, { totp: totpCode(begun.secret, Date.now()) })).status,
    ).toBe(200)
  })

  describe('authority', () => {
    const remedy = (who: Browser, complaint: string, value: number) =>
      who.fetch(`/complaints/${complaint}/recoveries`, {
        method: 'POST',
        body: { kind: 'coupon', value },
      })

    it('sends a remedy above the person’s limit to approval by someone whose limit covers it', async () => {
      const agent = await person('agent', { remedyLimit: 1000, dayLimit: 5000 })
      const small = await person('manager', { remedyLimit: 1500 })
      const big = await person('manager', { remedyLimit: 5000 })
      const complaint = (await submitComplaint(get().url)).id
      const asked = (await expectJson(await remedy(agent, complaint, 2000), 201)) as {
        id: string
        status: string
      }
      expect(asked.status).toBe('pending_approval')
      const refused = await expectJson(
        await small.fetch(`/recoveries/${asked.id}/approve`, { method: 'POST' }),
        403,
      )
      expect(refused.error.message).toMatch(/beyond Person \d+'s limit of €15\.00 per remedy/)
      const approved = (await expectJson(
        await big.fetch(`/recoveries/${asked.id}/approve`, { method: 'POST' }),
      )) as { status: string }
      expect(approved.status).toBe('approved')
      // Within the limit it is given at once; the timeline names who gave it.
      const given = (await expectJson(await remedy(agent, complaint, 500), 201)) as {
        status: string
      }
      expect(given.status).toBe('issued')
      await expectJson(
        await agent.fetch(`/complaints/${complaint}/replies`, {
          method: 'POST',
          body: { message: 'Your coupons are on their way.' },
        }),
        201,
      )
      const detail = (await expectJson(await owner(`/complaints/${complaint}`))) as {
        timeline: { type: string; data: Record<string, unknown> }[]
        recoveries: { status: string; reason: string | null }[]
        mails: { kind: string; to: string }[]
      }
      expect(detail.recoveries.find((row) => row.status === 'approved')?.reason).toBe('authority')
      // The approval was asked of the people whose limit covers it: not the agent, not the smaller manager.
      const approvers = detail.mails
        .filter((mail) => mail.kind === 'team_approval')
        .map((m) => m.to)
      expect(approvers).toContain(big.view.user.email)
      expect(approvers).not.toContain(small.view.user.email)
      expect(approvers).not.toContain(agent.view.user.email)
      const named = (type: string) =>
        detail.timeline
          .filter((event) => event.type === type)
          .map((event) => (event.data.actor as { id: string } | undefined)?.id)
      // The policy's apology at intake was nobody's; the agent's two remedies are theirs.
      expect(named('recovery')).toEqual([undefined, agent.view.user.id, agent.view.user.id])
      expect(named('recovery_approved')).toEqual([big.view.user.id])
      expect(named('replied')).toEqual([agent.view.user.id])
      expect(named('status_changed')).toEqual([agent.view.user.id])
      expect(
        detail.timeline.filter((event) => event.type === 'recovery').map((event) => event.data.by),
      ).toContain(agent.view.user.name)
    })

    it('holds two agents acting at once to their own daily limits and the site’s', async () => {
      // The site's day has room for 4000 more, whatever earlier tests gave today.
      const probe = (await submitComplaint(get().url)).id
      const { siteDay } = (await expectJson(await owner(`/complaints/${probe}/caps`))) as {
        siteDay: { spent: number }
      }
      await expectJson(
        await owner('/site', {
          method: 'PATCH',
          body: { policy: { caps: { perSiteDay: siteDay.spent + 4000 } } },
        }),
      )
      try {
        const agents = [
          await person('agent', { remedyLimit: 1000, dayLimit: 3000 }),
          await person('agent', { remedyLimit: 1000, dayLimit: 3000 }),
        ]
        const complaints = await Promise.all(
          Array.from({ length: 16 }, async () => (await submitComplaint(get().url)).id),
        )
        const answers = await Promise.all(
          complaints.map(async (complaint, index) => {
            const response = await remedy(agents[index % 2]!, complaint, 500)
            const body = (await response.json()) as { status?: string; error?: { code: string } }
            return {
              agent: index % 2,
              status: response.status,
              state: body.status ?? body.error?.code,
            }
          }),
        )
        const issued = (agent: number) =>
          answers.filter((a) => a.agent === agent && a.state === 'issued').length * 500
        // Neither gave more than their own day; both together no more than the site's day.
        expect(issued(0)).toBeLessThanOrEqual(3000)
        expect(issued(1)).toBeLessThanOrEqual(3000)
        expect(issued(0) + issued(1)).toBe(4000)
        // The rest waits for a person (over their own day) or is refused (over the site's).
        for (const answer of answers.filter((a) => a.state !== 'issued'))
          expect(['pending_approval', 'cap_exceeded']).toContain(answer.state)
        const rows = await get()
          .database.db.selectFrom('authority_days')
          .select(['user_id', 'given'])
          .where(
            'user_id',
            'in',
            agents.map((agent) => agent.view.user.id),
          )
          .execute()
        expect(rows.map((row) => Number(row.given)).sort()).toEqual([issued(0), issued(1)].sort())
      } finally {
        await expectJson(await owner('/site', { method: 'PATCH', body: { policy: null } }))
      }
    })
  })

  describe('ownership by identity', () => {
    const ids = async (who: Browser, query: string) =>
      (
        (await expectJson(await who.fetch(`/complaints?${query}&limit=100`))) as {
          items: { id: string }[]
        }
      ).items.map((item) => item.id)

    it('lets a person take a free complaint, and only a manager hand one on', async () => {
      const [ana, ben] = [await person('agent'), await person('agent')]
      const manager = await person('manager')
      const complaint = (await submitComplaint(get().url)).id
      const take = (who: Browser, assignee: string | null, force = false) =>
        who.fetch(`/complaints/${complaint}`, { method: 'PATCH', body: { assignee, force } })

      expect(await ids(ana, 'unassigned=true')).toContain(complaint)
      const taken = (await expectJson(await take(ana, 'me'))) as {
        assignee: string
        timeline: { type: string; data: Record<string, unknown> }[]
      }
      expect(taken.assignee).toBe(ana.view.user.name)
      expect(taken.timeline.at(-1)?.data.actor).toEqual({
        kind: 'user',
        id: ana.view.user.id,
        name: ana.view.user.name,
      })
      expect(await ids(ana, 'mine=true')).toContain(complaint)
      expect(await ids(ben, 'mine=true')).not.toContain(complaint)
      expect(await ids(ana, 'unassigned=true')).not.toContain(complaint)

      // Ben may neither take Ana's complaint nor hand it to himself by id; Ana may not hand it to Ben.
      expect((await take(ben, 'me', true)).status).toBe(403)
      expect((await take(ben, ben.view.user.id, true)).status).toBe(403)
      expect((await take(ana, ben.view.user.id, true)).status).toBe(403)
      expect((await take(ana, 'Somebody Else')).status).toBe(400)
      // A manager hands it on (still with force, as the first owner keeps it otherwise).
      expect((await take(manager, ben.view.user.id)).status).toBe(409)
      expect((await take(manager, ben.view.user.id, true)).status).toBe(200)
      expect(await ids(ben, 'mine=true')).toContain(complaint)
      // Ben lets go of it; it is free again.
      expect((await take(ben, null)).status).toBe(200)
      expect(await ids(ana, 'unassigned=true')).toContain(complaint)
      // "Mine" means nothing to a script.
      const refused = await expectJson(await owner('/complaints?mine=true'), 400)
      expect(refused.error.field).toBe('mine')
    })

    it('lists what waits for my approval: my role, and within my limit', async () => {
      const agent = await person('agent', { remedyLimit: 500 })
      const covers = await person('manager', { remedyLimit: 5000 })
      const short = await person('manager', { remedyLimit: 1000 })
      const complaint = (await submitComplaint(get().url)).id
      const asked = await agent.fetch(`/complaints/${complaint}/recoveries`, {
        method: 'POST',
        body: { kind: 'coupon', value: 2000 },
      })
      expect(((await asked.json()) as { status: string }).status).toBe('pending_approval')
      expect(await ids(covers, 'awaitingMe=true')).toContain(complaint)
      expect(await ids(short, 'awaitingMe=true')).not.toContain(complaint)
      expect(await ids(agent, 'awaitingMe=true')).not.toContain(complaint)
    })

    it('counts each person’s complaints, first replies and remedies in the insights', async () => {
      const ana = await person('agent', { remedyLimit: 5000 })
      const complaint = (await submitComplaint(get().url)).id
      await expectJson(
        await ana.fetch(`/complaints/${complaint}`, { method: 'PATCH', body: { assignee: 'me' } }),
      )
      await expectJson(
        await ana.fetch(`/complaints/${complaint}/replies`, {
          method: 'POST',
          body: { message: 'On it.' },
        }),
        201,
      )
      await expectJson(
        await ana.fetch(`/complaints/${complaint}/recoveries`, {
          method: 'POST',
          body: { kind: 'coupon', value: 500 },
        }),
        201,
      )
      const insights = (await expectJson(await ana.fetch('/insights?days=7'))) as {
        people: {
          id: string
          name: string
          complaints: number
          firstResponseMedianMs: number | null
          recoveryShare: number | null
        }[]
      }
      expect(insights.people.find((entry) => entry.id === ana.view.user.id)).toMatchObject({
        name: ana.view.user.name,
        complaints: 1,
        firstResponseMedianMs: expect.any(Number),
        recoveryShare: 1,
      })
    })

    it('names who changed the settings in the audit trail', async () => {
      const boss = await person('owner')
      await expectJson(
        await boss.fetch('/site', {
          method: 'PATCH',
          body: { guarantee: null, origins: ['http://localhost:*', 'https://shop.example'] },
        }),
      )
      const audit = (await expectJson(await owner('/site/changes?limit=1'))) as {
        items: SiteChange[]
      }
      expect(audit.items[0]?.by).toEqual({
        kind: 'user',
        id: boss.view.user.id,
        name: boss.view.user.name,
      })
    })
  })

  describe('machines', () => {
    it('gives a named token only its scope, shows it once, and forgets a revoked one', async () => {
      const made = (await expectJson(
        await owner('/tokens', {
          method: 'POST',
          body: { name: 'Nightly export', scopes: ['read'] },
        }),
        201,
      )) as CreatedApiToken
      expect(made.token).toMatch(/^rdt_/)
      const list = (await expectJson(await owner('/tokens'))) as { items: ApiToken[] }
      expect(JSON.stringify(list)).not.toContain(made.token)
      const asToken = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
        adminFetch(get().url, made.token, path, init)
      expect((await asToken('/complaints')).status).toBe(200)
      expect(
        (
          await asToken(`/complaints/${complaintId}`, {
            method: 'PATCH',
            body: { status: 'resolved' },
          })
        ).status,
      ).toBe(403)
      await expectJson(await owner(`/tokens/${made.id}`, { method: 'DELETE' }))
      expect((await asToken('/complaints')).status).toBe(401)

      const writer = (await expectJson(
        await owner('/tokens', {
          method: 'POST',
          body: { name: 'Deploy script', scopes: ['write'] },
        }),
        201,
      )) as CreatedApiToken
      const asWriter = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
        adminFetch(get().url, writer.token, path, init)
      expect((await asWriter('/site', { method: 'PATCH', body: { guarantee: null } })).status).toBe(
        200,
      )
      expect(
        (
          await asWriter('/team', {
            method: 'POST',
            body: { email: 'a@shop.example', name: 'A', role: 'owner' },
          })
        ).status,
      ).toBe(403)
    })

    it('keeps another site’s token out of this site', async () => {
      const other = await createSite(get().database.db, {
        name: 'Other',
        origins: ['https://other.example'],
      })
      const theirs = await adminFetch(get().url, other.adminToken, `/complaints/${complaintId}`)
      expect(theirs.status).toBe(404)
      expect((await adminFetch(get().url, 'rdk_not-a-token', '/complaints')).status).toBe(401)
    })

    it('rotates the admin token: the new one works, the old one stops at once', async () => {
      const { site, adminToken: old } = await createSite(get().database.db, {
        name: 'Rotating',
        origins: ['https://rotating.example'],
      })
      const rotated = (await expectJson(
        await adminFetch(get().url, old, '/site/admin-token', { method: 'POST' }),
        201,
      )) as { adminToken: string }
      expect((await adminFetch(get().url, old, '/site')).status).toBe(401)
      const view = (await expectJson(await adminFetch(get().url, rotated.adminToken, '/site'))) as {
        publicKey: string
      }
      expect(view.publicKey).toBe(site.public_key)
    })
  })

  it('mails a one-time sign-in link to a known address only, and it works once', async () => {
    const agent = await person('agent')
    const db = get().database.db
    const links = () =>
      db
        .selectFrom('mail_messages')
        .select(['data', 'recipient'])
        .where('kind', '=', 'sign_in_link')
        .execute()
    const before = (await links()).length
    const ask = (email: string) =>
      fetch(url('/session/link'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address() },
        body: JSON.stringify({ email }),
      })
    expect((await ask('nobody@shop.example')).status).toBe(202)
    expect(await links()).toHaveLength(before)
    expect((await ask(agent.view.user.email)).status).toBe(202)
    const rows = await links()
    expect(rows).toHaveLength(before + 1)
    const { token } = rows.at(-1)!.data as { token: string }
    const use = () =>
      fetch(url('/session/link/use'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address() },
        body: JSON.stringify({ token }),
      })
    expect((await use()).status).toBe(200)
    expect((await use()).status).toBe(400)
  })
})
