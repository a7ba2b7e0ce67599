import type { Complaint } from '@redress/protocol'
import { validateErrorBody } from '@redress/protocol/schema'
import { Hono } from 'hono'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { describeEachDatabase, useServer } from '../_test-harness'
import type { RunningServer } from '../cli'
import { createSite } from '../sites'
import { checkTrustProxy, forwardedClient } from './client-address'
import { clientAddress, clientKey, effectiveRateLimits, parseTrustProxy } from './rate-limit'

let counter = 0
const key = () => `rl-${Date.now().toString(36)}-${++counter}`

const complaint = (site: string, extra: Partial<Complaint> = {}): Complaint => ({
  site,
  category: 'slow',
  severity: 'minor',
  description: `The page took ages (${key()})`,
  ...extra,
})

/** The injected clock: each test starts 15.5 s into a fresh minute, an hour after the last. */
let clock = Date.UTC(2030, 0, 1)
const freshWindow = () => {
  clock = (Math.floor(clock / 3_600_000) + 1) * 3_600_000 + 15_500
}

describeEachDatabase('rate limits', (database) => {
  // Behind one proxy: X-Forwarded-For names the client, so tests can be many clients.
  const server = useServer(database, {
    trustProxy: 1,
    rateLimit: { now: () => clock, pruneEvery: 5 },
  })
  // No proxy trusted: every request here comes from 127.0.0.1, whatever it claims.
  const direct = useServer(database, { rateLimit: { now: () => clock } })
  // Three new complaints a minute per IP: with nothing trusted, and behind a proxy on loopback.
  const strictLimits = { now: () => clock, perIp: { limit: 3 }, perSite: { limit: 1000 } }
  const strict = useServer(database, { rateLimit: strictLimits })
  const behindLoopback = useServer(database, {
    trustProxy: ['127.0.0.1/32'],
    rateLimit: strictLimits,
  })
  const db = () => server().database.db

  const post = (
    target: RunningServer,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    fetch(`${target.url}/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key(), ...headers },
      body: JSON.stringify(body),
    })
  const from = (ip: string, body: unknown, headers: Record<string, string> = {}) =>
    post(server(), body, { 'x-forwarded-for': ip, ...headers })

  const stored = async (target: RunningServer, siteId: string) => {
    const row = await target.database.db
      .selectFrom('complaints')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('site_id', '=', siteId)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  const newSite = async (target = server(), rateLimits?: unknown) => {
    const { site } = await createSite(target.database.db, { name: 'Rate shop', origins: [] })
    if (rateLimits !== undefined) {
      await target.database.db
        .updateTable('sites')
        .set({ rate_limits: JSON.stringify(rateLimits) })
        .where('id', '=', site.id)
        .execute()
    }
    return site
  }

  const expectLimited = async (response: Response, retryAfter?: string) => {
    expect(response.status).toBe(429)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    if (retryAfter !== undefined) expect(response.headers.get('retry-after')).toBe(retryAfter)
    else expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    const body = await response.json()
    expect(validateErrorBody(body).success).toBe(true)
    expect(body.error.code).toBe('rate_limited')
    return body
  }

  it('refuses the 11th new complaint from one IP in a minute with 429 and Retry-After, stores nothing, and takes it once the window resets', async () => {
    freshWindow()
    const site = await newSite()
    for (let i = 0; i < 10; i++) {
      expect((await from('203.0.113.1', complaint(site.public_key))).status).toBe(201)
    }
    const eleventh = complaint(site.public_key)
    const idempotencyKey = key()
    const refused = await from('203.0.113.1', eleventh, { 'idempotency-key': idempotencyKey })
    // 15.5 s into the minute: 44.5 s left, rounded up.
    const body = await expectLimited(refused, '45')
    expect(body.error.message).toMatch(/try again in 45 s/)
    expect(await stored(server(), site.id)).toBe(10)

    // What the SDK does: wait Retry-After, send the same request again.
    clock += 45_000
    const retried = await from('203.0.113.1', eleventh, { 'idempotency-key': idempotencyKey })
    expect(retried.status).toBe(201)
    expect(await stored(server(), site.id)).toBe(11)
  })

  it('still replays a stored complaint (200, same bytes) and answers 409 for a conflicting one, over the limit', async () => {
    freshWindow()
    const site = await newSite()
    const first = complaint(site.public_key)
    const firstKey = key()
    const original = await from('203.0.113.2', first, { 'idempotency-key': firstKey })
    expect(original.status).toBe(201)
    const receipt = await original.text()
    for (let i = 0; i < 9; i++) await from('203.0.113.2', complaint(site.public_key))
    await expectLimited(await from('203.0.113.2', complaint(site.public_key)))

    const replay = await from('203.0.113.2', first, { 'idempotency-key': firstKey })
    expect(replay.status).toBe(200)
    expect(await replay.text()).toBe(receipt)
    const conflict = await from('203.0.113.2', complaint(site.public_key), {
      'idempotency-key': firstKey,
    })
    expect(conflict.status).toBe(409)
    expect(await stored(server(), site.id)).toBe(10)
  })

  it('counts each IP per site: other sites and other clients are not affected, and a prepended X-Forwarded-For entry does not escape', async () => {
    freshWindow()
    const site = await newSite()
    const other = await newSite()
    for (let i = 0; i < 10; i++) await from('203.0.113.3', complaint(site.public_key))
    await expectLimited(await from('203.0.113.3', complaint(site.public_key)))
    // The client wrote the left entry; the proxy appended the one it saw.
    await expectLimited(await from('198.51.100.9, 203.0.113.3', complaint(site.public_key)))

    expect((await from('203.0.113.3', complaint(other.public_key))).status).toBe(201)
    expect((await from('203.0.113.4', complaint(site.public_key))).status).toBe(201)
    // An IPv6 client counts by its /64: rotating the interface id does not help.
    for (let i = 0; i < 10; i++) {
      expect((await from(`2001:db8:7:7::${i + 1}`, complaint(site.public_key))).status).toBe(201)
    }
    await expectLimited(await from('2001:db8:7:7:abcd::1', complaint(site.public_key)))
    expect((await from('2001:db8:7:8::1', complaint(site.public_key))).status).toBe(201)
  })

  it("applies the site's own limits; a client refused for its IP does not use up the site's allowance", async () => {
    freshWindow()
    const site = await newSite(server(), { perSite: { limit: 15, windowSeconds: 600 } })
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      statuses.push((await from('203.0.113.5', complaint(site.public_key))).status)
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(10)
    expect(statuses.filter((status) => status === 429)).toHaveLength(20)
    // 10 of the site's 15 used: five more clients get in, the sixth waits for the 10-minute window.
    for (let i = 0; i < 5; i++) {
      expect((await from(`198.51.100.${i + 1}`, complaint(site.public_key))).status).toBe(201)
    }
    const body = await expectLimited(
      await from('198.51.100.77', complaint(site.public_key)),
      String(600 - 15),
    )
    expect(body.error.message).toMatch(/for this site/)
    expect(await stored(server(), site.id)).toBe(15)

    // And `false` turns a scope off for that site.
    const open = await newSite(server(), { perIp: false })
    for (let i = 0; i < 12; i++) {
      expect((await from('203.0.113.6', complaint(open.public_key))).status).toBe(201)
    }
  })

  it('admits exactly 10 of 30 concurrent new complaints from one IP', async () => {
    freshWindow()
    const site = await newSite()
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => from('203.0.113.7', complaint(site.public_key))),
    )
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(10)
    expect(statuses.filter((status) => status === 429)).toHaveLength(20)
    expect(await stored(server(), site.id)).toBe(10)
    const counters = await db()
      .selectFrom('rate_limit_counters')
      .select(['scope', 'count'])
      .where('key', 'in', [site.id, `${site.id} 203.0.113.7`])
      .execute()
    expect(Object.fromEntries(counters.map((row) => [row.scope, Number(row.count)]))).toEqual({
      ip: 30,
      site: 10,
    })
  })

  it('deletes windows older than a day now and then', async () => {
    freshWindow()
    const site = await newSite()
    await db()
      .insertInto('rate_limit_counters')
      .values([
        { scope: 'site', key: site.id, window_start: new Date(clock - 2 * 86_400_000), count: 5 },
        { scope: 'site', key: site.id, window_start: new Date(clock - 3_600_000), count: 5 },
      ])
      .execute()
    // pruneEvery: 5, so one of five requests prunes.
    for (let i = 0; i < 5; i++) await from(`192.0.2.${i + 1}`, complaint(site.public_key))
    const windows = await db()
      .selectFrom('rate_limit_counters')
      .select('window_start')
      .where('scope', '=', 'site')
      .where('key', '=', site.id)
      .orderBy('window_start')
      .execute()
    expect(windows.map((row) => new Date(row.window_start).getTime())).toEqual([
      clock - 3_600_000,
      Math.floor(clock / 60_000) * 60_000,
    ])
  })

  it('ignores X-Forwarded-For unless trustProxy is set: the socket address counts', async () => {
    freshWindow()
    const site = await newSite(direct())
    for (let i = 0; i < 10; i++) {
      const response = await post(direct(), complaint(site.public_key), {
        'x-forwarded-for': `192.0.2.${i + 1}`,
      })
      expect(response.status).toBe(201)
    }
    await expectLimited(
      await post(direct(), complaint(site.public_key), { 'x-forwarded-for': '192.0.2.200' }),
    )
    expect(await stored(direct(), site.id)).toBe(10)
  })

  it('by default, a different forged X-Forwarded-For on every request does not dodge the per-IP limit', async () => {
    freshWindow()
    const site = await newSite(strict())
    const forged = ['203.0.113.20', '198.51.100.20, 203.0.113.21', '2001:db8::20', 'garbage']
    for (const address of forged.slice(0, 3)) {
      const response = await post(strict(), complaint(site.public_key), {
        'x-forwarded-for': address,
      })
      expect(response.status).toBe(201)
    }
    await expectLimited(
      await post(strict(), complaint(site.public_key), { 'x-forwarded-for': forged[3]! }),
    )
    await expectLimited(await post(strict(), complaint(site.public_key)))
    expect(await stored(strict(), site.id)).toBe(3)
  })

  it('behind a trusted proxy range, counts the address that proxy reports, not what the client prepends', async () => {
    freshWindow()
    const site = await newSite(behindLoopback())
    const via = (chain: string) =>
      post(behindLoopback(), complaint(site.public_key), { 'x-forwarded-for': chain })
    for (let i = 0; i < 3; i++) expect((await via('203.0.113.30')).status).toBe(201)
    await expectLimited(await via('203.0.113.30'))
    // The client wrote the left entry; the proxy (127.0.0.1, trusted) appended what it saw.
    await expectLimited(await via('198.51.100.30, 203.0.113.30'))
    // Other clients behind the same proxy have their own allowance.
    expect((await via('203.0.113.31')).status).toBe(201)
    expect((await via('2001:db8:30::1')).status).toBe(201)
    // Two trusted hops (127.0.0.1 forwarding for itself): the walk goes on past both.
    expect((await via('203.0.113.32, 127.0.0.1')).status).toBe(201)
    for (const response of await Promise.all([via('203.0.113.32'), via('203.0.113.32')]))
      expect(response.status).toBe(201)
    await expectLimited(await via('203.0.113.32, 127.0.0.1'))
    // Without the header the client is the proxy itself, with an allowance of its own.
    expect((await post(behindLoopback(), complaint(site.public_key))).status).toBe(201)
    const counters = await behindLoopback()
      .database.db.selectFrom('rate_limit_counters')
      .select(['key', 'count'])
      .where('scope', '=', 'ip')
      .where('key', 'like', `${site.id} %`)
      .execute()
    expect(
      Object.fromEntries(counters.map((row) => [row.key.slice(site.id.length + 1), row.count])),
    ).toEqual({
      '203.0.113.30': 5,
      '203.0.113.31': 1,
      '2001:db8:30:0::/64': 1,
      '203.0.113.32': 4,
      '127.0.0.1': 1,
    })
  })
})

describe('client address', () => {
  const walk = (peer: string | undefined, forwardedFor: string | undefined, trust?: unknown) =>
    forwardedClient({ peer, forwardedFor }, trust as Parameters<typeof forwardedClient>[1])

  it('parses REDRESS_TRUST_PROXY as a hop count or a list of IPs and CIDR ranges', () => {
    expect(parseTrustProxy('0')).toBe(0)
    expect(parseTrustProxy('1')).toBe(1)
    expect(parseTrustProxy(' 2 ')).toBe(2)
    expect(parseTrustProxy('10.0.0.0/8,192.168.1.5,fd00::/8')).toEqual([
      '10.0.0.0/8',
      '192.168.1.5',
      'fd00::/8',
    ])
    expect(parseTrustProxy(' 127.0.0.1/32 , ::1 ')).toEqual(['127.0.0.1/32', '::1'])
    expect(parseTrustProxy('::ffff:10.0.0.0/104,0.0.0.0/0,::/0')).toHaveLength(3)
  })

  it('refuses a bad REDRESS_TRUST_PROXY, naming the entry', () => {
    for (const [value, message] of [
      ['-1', /"-1" is not an IP address or CIDR range/],
      ['1.5', /"1.5" is not an IP address or CIDR range/],
      ['true', /"true" is not an IP address/],
      ['10.0.0.0/33', /"10.0.0.0\/33": the prefix length of an IPv4 range is 0–32/],
      ['fd00::/129', /"fd00::\/129": the prefix length of an IPv6 range is 0–128/],
      ['10.0.0.0/', /"10.0.0.0\/": the prefix length/],
      ['10.0.0.0/8/8', /"10.0.0.0\/8\/8" is not/],
      ['10.0.0.256', /"10.0.0.256" is not/],
      ['10.0.0.0/8,', /an empty entry/],
      ['1,10.0.0.0/8', /"1" is not an IP address/],
      ['fe80::1%eth0', /"fe80::1%eth0" is not/],
      ['proxy.internal', /"proxy.internal" is not/],
      ['', /an empty entry/],
      ['99999999999999999999', /too many proxies/],
    ] as const) {
      expect(() => parseTrustProxy(value), value).toThrow(message)
    }
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/a number of proxies \(1\) or their IPs/)
    // Programmatic values are checked when the app is created.
    expect(() => checkTrustProxy(['10.0.0.0/8', 'nope'])).toThrow(/"nope" is not/)
    expect(() => checkTrustProxy(-1)).toThrow(/-1 is not a whole number/)
    expect(() => checkTrustProxy(1.5)).toThrow(TypeError)
    for (const fine of [undefined, false, true, 0, 2, [], ['10.0.0.0/8', '::1']] as const)
      expect(() => checkTrustProxy(fine)).not.toThrow()
  })

  it('by default takes the socket peer, whatever the header says', () => {
    expect(walk('127.0.0.1', '203.0.113.1')).toBe('127.0.0.1')
    expect(walk('127.0.0.1', '203.0.113.1', false)).toBe('127.0.0.1')
    expect(walk('127.0.0.1', '203.0.113.1', 0)).toBe('127.0.0.1')
    expect(walk('127.0.0.1', '203.0.113.1', [])).toBe('127.0.0.1')
    expect(walk('2001:db8::5', '203.0.113.1, 198.51.100.1')).toBe('2001:db8::5')
    expect(walk(undefined, '203.0.113.1')).toBe('unknown')
  })

  it('with a hop count, takes the entry the outermost proxy saw, and only ever an IP', () => {
    expect(walk('10.0.0.1', '6.6.6.6, 203.0.113.1', 1)).toBe('203.0.113.1')
    expect(walk('10.0.0.1', '6.6.6.6, 203.0.113.1', true)).toBe('203.0.113.1')
    expect(walk('10.0.0.1', '6.6.6.6, 203.0.113.1, 10.0.0.9', 2)).toBe('203.0.113.1')
    expect(walk('10.0.0.1', undefined, 1)).toBe('10.0.0.1')
    expect(walk('10.0.0.1', '', 1)).toBe('10.0.0.1')
    expect(walk(undefined, '203.0.113.1', 1)).toBe('203.0.113.1')
    // Fewer entries than hops: the leftmost one, as long as it is an address.
    expect(walk('10.0.0.1', '203.0.113.1', 3)).toBe('203.0.113.1')
    expect(walk('10.0.0.1', 'unknown', 3)).toBe('10.0.0.1')
    expect(walk('10.0.0.1', 'garbage, 203.0.113.1', 3)).toBe('203.0.113.1')
    // A garbled entry where the client should be: the last hop's address, never the garbage.
    expect(walk('10.0.0.1', '<script>', 1)).toBe('10.0.0.1')
    expect(walk('10.0.0.1', '203.0.113.1, x, 10.0.0.9', 2)).toBe('10.0.0.9')
    expect(walk(undefined, 'garbage', 1)).toBe('unknown')
    // Ports and brackets some proxies add; empty entries say nothing.
    expect(walk('10.0.0.1', '203.0.113.1:51234', 1)).toBe('203.0.113.1')
    expect(walk('10.0.0.1', '[2001:db8::1]:443', 1)).toBe('2001:db8::1')
    expect(walk('10.0.0.1', '[2001:db8::1]', 1)).toBe('2001:db8::1')
    expect(walk('10.0.0.1', '203.0.113.1, , ', 1)).toBe('203.0.113.1')
  })

  it('with a list, walks from the socket peer leftwards past trusted proxies to the first untrusted address', () => {
    const trust = ['10.0.0.0/8', '192.168.1.5', 'fd00::/8']
    expect(walk('10.0.0.1', '203.0.113.1', trust)).toBe('203.0.113.1')
    // Prepended entries are never reached: the walk stops at the first untrusted one.
    expect(walk('10.0.0.1', '6.6.6.6, 203.0.113.1', trust)).toBe('203.0.113.1')
    expect(walk('10.0.0.1', '6.6.6.6, 203.0.113.1, 192.168.1.5, 10.2.3.4', trust)).toBe(
      '203.0.113.1',
    )
    // Forged trusted-looking entries to the left of an untrusted one do not help either.
    expect(walk('10.0.0.1', '10.9.9.9, 203.0.113.1', trust)).toBe('203.0.113.1')
    // Every hop trusted: the leftmost one is as far as anyone can tell.
    expect(walk('10.0.0.1', '10.0.0.3, 10.0.0.2', trust)).toBe('10.0.0.3')
    expect(walk('10.0.0.1', undefined, trust)).toBe('10.0.0.1')
    expect(walk('10.0.0.1', '', trust)).toBe('10.0.0.1')
    // Only 192.168.1.5 itself is trusted, not its neighbours.
    expect(walk('192.168.1.5', '203.0.113.1', trust)).toBe('203.0.113.1')
    expect(walk('192.168.1.6', '203.0.113.1', trust)).toBe('192.168.1.6')
  })

  it('ignores the header entirely when the socket peer is not a trusted proxy', () => {
    const trust = ['10.0.0.0/8']
    expect(walk('203.0.113.66', '203.0.113.1', trust)).toBe('203.0.113.66')
    expect(walk('203.0.113.66', '203.0.113.1, 10.0.0.1', trust)).toBe('203.0.113.66')
    expect(walk('11.0.0.1', '203.0.113.1', trust)).toBe('11.0.0.1')
    expect(walk(undefined, '203.0.113.1', trust)).toBe('unknown')
    expect(walk('not-an-ip', '203.0.113.1', trust)).toBe('not-an-ip')
  })

  it('matches IPv6 ranges, and IPv4-mapped IPv6 peers against IPv4 ranges', () => {
    const trust = ['10.0.0.0/8', 'fd00::/8', '::1']
    expect(walk('::ffff:10.0.0.1', '203.0.113.1', trust)).toBe('203.0.113.1')
    expect(walk('::FFFF:10.1.2.3', '2001:db8::1', trust)).toBe('2001:db8::1')
    expect(walk('::ffff:11.0.0.1', '203.0.113.1', trust)).toBe('::ffff:11.0.0.1')
    expect(walk('fd12:3456::1', '2001:db8:1::1, fd00::2', trust)).toBe('2001:db8:1::1')
    expect(walk('FD12::1', '2001:DB8::7', trust)).toBe('2001:DB8::7')
    expect(walk('fe12::1', '2001:db8::1', trust)).toBe('fe12::1')
    expect(walk('::1', '203.0.113.1', trust)).toBe('203.0.113.1')
    expect(walk('::2', '203.0.113.1', trust)).toBe('::2')
    // A mapped entry in the header is a trusted hop too; a zone id is dropped.
    expect(walk('10.0.0.1', '203.0.113.1, ::ffff:10.0.0.7', trust)).toBe('203.0.113.1')
    expect(walk('fe80::1%eth0', '203.0.113.1', ['fe80::/10'])).toBe('203.0.113.1')
    // An IPv4-mapped range matches plain IPv4 peers.
    expect(walk('10.0.0.1', '203.0.113.1', ['::ffff:10.0.0.0/104'])).toBe('203.0.113.1')
    expect(clientKey(walk('10.0.0.1', '::ffff:203.0.113.1', trust))).toBe('203.0.113.1')
  })

  it('ends the walk at a garbled entry with the last trusted hop, never the garbage', () => {
    const trust = ['10.0.0.0/8']
    expect(walk('10.0.0.1', 'garbage', trust)).toBe('10.0.0.1')
    expect(walk('10.0.0.1', '203.0.113.1, garbage', trust)).toBe('10.0.0.1')
    expect(walk('10.0.0.1', '203.0.113.1, unknown, 10.0.0.2', trust)).toBe('10.0.0.2')
    expect(walk('10.0.0.1', '203.0.113.1, 10.0.0.2, 300.1.1.1', trust)).toBe('10.0.0.1')
    expect(walk('10.0.0.1', '203.0.113.1 10.0.0.2', trust)).toBe('10.0.0.1')
    expect(walk('10.0.0.1', `${'9'.repeat(5000)}, 203.0.113.1`, trust)).toBe('203.0.113.1')
    // Garbage to the left of the client is never looked at.
    expect(walk('10.0.0.1', 'garbage, 203.0.113.1', trust)).toBe('203.0.113.1')
  })

  it('reads the socket peer and the header from a request', async () => {
    const app = new Hono()
    let trust: Parameters<typeof clientAddress>[1] = false
    app.get('/', (c) => c.text(clientAddress(c, trust)))
    const ask = async (remoteAddress: string | undefined, forwardedFor?: string) => {
      const headers: Record<string, string> =
        forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }
      const env = { incoming: { socket: { remoteAddress } } }
      return (await app.request('/', { headers }, env)).text()
    }
    expect(await ask('10.0.0.1', '203.0.113.1')).toBe('10.0.0.1')
    trust = 1
    expect(await ask('10.0.0.1', '6.6.6.6, 203.0.113.1')).toBe('203.0.113.1')
    trust = ['10.0.0.0/8']
    expect(await ask('::ffff:10.0.0.1', '6.6.6.6, 203.0.113.1')).toBe('203.0.113.1')
    expect(await ask('203.0.113.9', '6.6.6.6')).toBe('203.0.113.9')
    // No socket at all (`app.request` without an env).
    expect(
      await (await app.request('/', { headers: { 'x-forwarded-for': '1.2.3.4' } })).text(),
    ).toBe('unknown')
  })
})

describe('client keys and limits', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and groups IPv6 by /64', () => {
    expect(clientKey('127.0.0.1')).toBe('127.0.0.1')
    expect(clientKey('::ffff:127.0.0.1')).toBe('127.0.0.1')
    expect(clientKey('::1')).toBe('0:0:0:0::/64')
    expect(clientKey('2001:DB8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64')
    expect(clientKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(clientKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64')
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(clientKey('unknown')).toBe('unknown')
  })

  it("merges a site's limits over the server's, ignoring invalid values", () => {
    const server = { perIp: { limit: 5, windowSeconds: 10 } }
    expect(effectiveRateLimits(server, { rate_limits: null })).toEqual({
      perIp: { limit: 5, windowSeconds: 10 },
      perSite: { limit: 600, windowSeconds: 60 },
    })
    expect(
      effectiveRateLimits(server, {
        rate_limits: { perIp: { limit: -1 }, perSite: { limit: 50, windowSeconds: 999_999 } },
      }),
    ).toEqual({
      perIp: { limit: 5, windowSeconds: 10 },
      perSite: { limit: 600, windowSeconds: 60 },
    })
    expect(
      effectiveRateLimits({}, { rate_limits: { perSite: false, perIp: { limit: 3 } } }),
    ).toEqual({ perIp: { limit: 3, windowSeconds: 60 }, perSite: false })
  })
})
