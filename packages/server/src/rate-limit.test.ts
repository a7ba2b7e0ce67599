import type { Complaint } from '@redress/protocol'
import { validateErrorBody } from '@redress/protocol/schema'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { describeEachDatabase, useServer } from './_test-harness'
import { clientKey, effectiveRateLimits } from './rate-limit'
import type { RunningServer } from './server'
import { createSite } from './sites'

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
