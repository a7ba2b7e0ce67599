import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Complaint, Receipt } from '@redress/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AdminInit,
  adminFetch,
  describeEachDatabase,
  expectJson,
  refusal,
  sendComplaint,
  useServer,
  verifiedComplaint,
} from '../../_test-harness'
import type { Site } from '../../db/schema'
import { DEFAULT_POLICY, HARD_CAP_PERCENT } from '../../recovery'
import { createSite } from '../../sites'

let counter = 0
const key = () => `site-${Date.now().toString(36)}-${++counter}`

describe('PolicyOverridesSchema', () => {
  it('accepts valid overrides and names the first bad field', () => {
    expect(refusal('policy', {})).toBeUndefined()
    expect(
      refusal('policy', {
        caps: { perComplaintPercent: HARD_CAP_PERCENT, perSiteDay: 100 },
        remedies: { outcome: { kind: 'replacement' } },
        categories: { late_delivery: 'process' },
        escalation: { contactWithin: 'P1DT2H' },
      }),
    ).toBeUndefined()
    const field = (value: unknown) => refusal('policy', value)?.field
    expect(field({ caps: { perComplaintPercent: HARD_CAP_PERCENT + 1 } })).toBe(
      'policy.caps.perComplaintPercent',
    )
    expect(field({ nope: 1 })).toBe('policy.nope')
    expect(field({ caps: { perDay: 1 } })).toBe('policy.caps.perDay')
    expect(field({ caps: { perSiteDay: 1.5 } })).toBe('policy.caps.perSiteDay')
    expect(field({ caps: { perSiteDay: -1 } })).toBe('policy.caps.perSiteDay')
    expect(field({ caps: { perSiteDay: '1' } })).toBe('policy.caps.perSiteDay')
    expect(field({ remedies: { outcome: { kind: 'cash' } } })).toBe('policy.remedies.outcome.kind')
    expect(field({ currency: 'euro' })).toBe('policy.currency')
    expect(field({ categories: { x: 'bad' } })).toBe('policy.categories.x')
    expect(field({ escalation: { contactWithin: '2 hours' } })).toBe(
      'policy.escalation.contactWithin',
    )
    expect(field([])).toBe('policy')
  })
})

describeEachDatabase('admin API: site and webhooks', (database) => {
  const server = useServer(database)
  const db = () => server().database.db
  let mine: { site: Site; adminToken: string }
  let other: { site: Site; adminToken: string }

  beforeAll(async () => {
    mine = await createSite(db(), {
      name: 'My shop',
      origins: ['https://shop.example'],
      adminToken: `mine-${key()}`,
    })
    other = await createSite(db(), {
      name: 'Other shop',
      origins: ['https://other.example'],
      adminToken: `other-${key()}`,
    })
  })

  const admin = (path: string, init: AdminInit = {}) =>
    adminFetch(server().url, mine.adminToken, path, init)

  const json = expectJson

  const complain = (body: Partial<Complaint>, origin?: string) =>
    sendComplaint(
      server().url,
      { site: mine.site.public_key, severity: 'major', ...body },
      origin ? { origin } : {},
    )

  /** A complaint from a signed-in customer, whose token vouches for a €20 order. */
  const vouched = (body: Partial<Complaint> = {}) =>
    verifiedComplaint(db(), mine.site, { orderValue: { value: 2000, currency: 'EUR' }, ...body })

  describe('GET and PATCH /v1/admin/site', () => {
    it('reads the site with its effective policy and stored overrides', async () => {
      const body = await json(await admin('/site'))
      expect(body).toMatchObject({
        name: 'My shop',
        publicKey: mine.site.public_key,
        origins: ['https://shop.example'],
        policy: { overrides: null },
        rateLimits: { overrides: null },
      })
      expect(body.policy.effective.caps).toEqual(DEFAULT_POLICY.caps)
      expect(body.rateLimits.effective.perIp.limit).toBe(100_000)
      expect(body.categories.map((c: { id: string }) => c.id)).toContain('order')
      expect(JSON.stringify(body)).not.toContain('admin_token')
    })

    it('rejects bad input with 400 naming the field, and changes nothing', async () => {
      const cases: [unknown, string | undefined][] = [
        [{ name: 'x' }, 'name'],
        [{}, undefined],
        [{ origins: 'https://a.example' }, 'origins'],
        [{ origins: ['https://a.example/path'] }, 'origins[0]'],
        [{ origins: ['ftp://a.example'] }, 'origins[0]'],
        [{ origins: ['https://ok.example', 'https://a.example?x=1'] }, 'origins[1]'],
        [{ origins: Array.from({ length: 51 }, (_, i) => `https://s${i}.example`) }, 'origins'],
        [{ categories: [{ id: 'Bad Id', failureType: 'outcome' }] }, 'categories[0].id'],
        [
          {
            categories: [
              { id: 'a', failureType: 'outcome' },
              { id: 'a', failureType: 'process' },
            ],
          },
          'categories[1].id',
        ],
        [{ categories: [{ id: 'a', failureType: 'other' }] }, 'categories[0].failureType'],
        [{ categories: [{ id: 'a', failureType: 'outcome', x: 1 }] }, 'categories[0].x'],
        [{ policy: { caps: { perComplaintPercent: 200 } } }, 'policy.caps.perComplaintPercent'],
        [{ policy: { surprise: true } }, 'policy.surprise'],
        [{ policy: 'strict' }, 'policy'],
      ]
      for (const [body, field] of cases) {
        const error = (await json(await admin('/site', { method: 'PATCH', body }), 400)).error
        expect(error.code, JSON.stringify(body)).toBe('invalid_request')
        expect(error.field, JSON.stringify(body)).toBe(field)
      }
      const site = await json(await admin('/site'))
      expect(site.origins).toEqual(['https://shop.example'])
      expect(site.policy.overrides).toBeNull()
    })

    it('allows a new origin by CORS on the next request', async () => {
      const origin = 'https://new.shop.example'
      const refused = await complain({}, origin)
      expect(refused.status).toBe(403)
      const body = await json(
        await admin('/site', {
          method: 'PATCH',
          body: { origins: ['https://shop.example', 'HTTPS://New.Shop.Example/'] },
        }),
      )
      expect(body.origins).toEqual(['https://shop.example', origin])
      const allowed = await complain({}, origin)
      expect(allowed.status).toBe(201)
      expect(allowed.headers.get('access-control-allow-origin')).toBe(origin)
    })

    it('applies a policy override to the next complaint, and null resets it', async () => {
      // 25% of the €20 order by default.
      const before = (await (await complain(await vouched())).json()) as Receipt
      expect(before.recovery).toMatchObject({ kind: 'coupon', label: '€5.00 off your next order' })

      const body = await json(
        await admin('/site', {
          method: 'PATCH',
          body: {
            policy: { coupon: { percent: { major: 35 } } },
            categories: [
              { id: 'order', failureType: 'outcome' },
              { id: 'late', failureType: 'interaction', label: 'Late delivery' },
            ],
          },
        }),
      )
      expect(body.policy.overrides).toEqual({ coupon: { percent: { major: 35 } } })
      expect(body.policy.effective.coupon.percent.major).toBe(35)
      expect(body.categories).toEqual([
        { id: 'order', failureType: 'outcome' },
        { id: 'late', failureType: 'interaction', label: 'Late delivery' },
      ])

      const after = (await (await complain(await vouched())).json()) as Receipt
      expect(after.recovery).toMatchObject({ kind: 'coupon', label: '€7.00 off your next order' })
      // The new category's failure type decides: interaction gets a person, not money.
      const late = (await (await complain(await vouched({ category: 'late' }))).json()) as Receipt
      expect(late.recovery?.kind).toBe('escalation')

      const reset = await json(await admin('/site', { method: 'PATCH', body: { policy: null } }))
      expect(reset.policy.overrides).toBeNull()
      expect(reset.policy.effective.coupon.percent.major).toBe(DEFAULT_POLICY.coupon.percent.major)
    })

    it('keeps each site to its own settings', async () => {
      const theirs = await json(await admin('/site', { token: other.adminToken }))
      expect(theirs.publicKey).toBe(other.site.public_key)
      expect(theirs.origins).toEqual(['https://other.example'])
    })
  })

  describe('webhook endpoints and deliveries', () => {
    let receiver: Server
    let url: string
    const received: string[] = []

    beforeAll(async () => {
      receiver = createServer((request, response) => {
        received.push(String(request.headers['webhook-id']))
        request.resume()
        request.on('end', () => response.writeHead(204).end())
      })
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
    })
    afterAll(
      () =>
        new Promise<void>((resolve) => {
          receiver.closeAllConnections()
          receiver.close(() => resolve())
        }),
    )

    const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
      const end = Date.now() + ms
      while (!(await check())) {
        if (Date.now() > end) throw new Error('timed out')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }

    it('validates new endpoints', async () => {
      for (const [body, field] of [
        [{}, 'url'],
        [{ url: 'ftp://x.example' }, 'url'],
        [{ url: 'https://u:p@x.example' }, 'url'],
        [{ url: 'https://x.example', types: ['complaint.deleted'] }, 'types'],
        [{ url: 'https://x.example', types: [] }, 'types'],
        [{ url: 'https://x.example', secret: 'mine' }, 'secret'],
      ] as const) {
        const error = (await json(await admin('/webhooks', { method: 'POST', body }), 400)).error
        expect(error.field, JSON.stringify(body)).toBe(field)
      }
    })

    it('creates (secret once), lists without secrets, delivers, replays and disables', async () => {
      const created = await json(
        await admin('/webhooks', { method: 'POST', body: { url, types: ['complaint.created'] } }),
        201,
      )
      expect(created).toMatchObject({ url, types: ['complaint.created'], enabled: true })
      expect(created.secret).toMatch(/^whsec_/)

      const list = await json(await admin('/webhooks'))
      expect(list.items.map((e: { id: string }) => e.id)).toEqual([created.id])
      expect(JSON.stringify(list)).not.toContain(created.secret)
      expect((await json(await admin('/webhooks', { token: other.adminToken }))).items).toEqual([])

      // A complaint enqueues complaint.created; the worker delivers it.
      expect((await complain({})).status).toBe(201)
      expect((await complain({})).status).toBe(201)
      const deliveries = async () =>
        (await json(await admin(`/webhooks/${created.id}/deliveries?limit=10`))).items
      await until(async () => {
        const items = await deliveries()
        return (
          items.length === 2 && items.every((d: { status: string }) => d.status === 'delivered')
        )
      })
      const items = await deliveries()
      expect(items[0]).toMatchObject({ type: 'complaint.created', attempts: 1, lastStatus: 204 })
      expect(Object.keys(items[0])).toEqual(
        expect.arrayContaining(['id', 'type', 'status', 'attempts', 'lastStatus', 'nextAttemptAt']),
      )
      // Newest first.
      expect(items[0].createdAt >= items[1].createdAt).toBe(true)
      const seq = await db()
        .selectFrom('webhook_deliveries')
        .select(['id', 'seq'])
        .where('endpoint_id', '=', created.id)
        .orderBy('seq', 'desc')
        .execute()
      expect(items.map((d: { id: string }) => d.id)).toEqual(seq.map((row) => row.id))
      expect(
        (await json(await admin(`/webhooks/${created.id}/deliveries?limit=1`))).items,
      ).toHaveLength(1)
      expect((await admin(`/webhooks/${created.id}/deliveries?limit=0`)).status).toBe(400)

      // Replay: 202, the row is reset and sent again.
      const target = items[1].id as string
      const sentBefore = received.filter((id) => id === target).length
      const replay = await json(
        await admin(`/deliveries/${target}/replay`, { method: 'POST' }),
        202,
      )
      expect(replay).toEqual({ id: target, status: 'pending' })
      await until(() => received.filter((id) => id === target).length === sentBefore + 1)
      await until(async () => {
        const row = (await deliveries()).find((d: { id: string }) => d.id === target)
        return row.status === 'delivered' && row.attempts === 1
      })

      // Another site's token sees none of it.
      expect(
        (await admin(`/deliveries/${target}/replay`, { method: 'POST', token: other.adminToken }))
          .status,
      ).toBe(404)
      expect(
        (await admin(`/webhooks/${created.id}/deliveries`, { token: other.adminToken })).status,
      ).toBe(404)
      expect(
        (await admin(`/webhooks/${created.id}`, { method: 'DELETE', token: other.adminToken }))
          .status,
      ).toBe(404)
      expect((await admin('/deliveries/msg_nope/replay', { method: 'POST' })).status).toBe(404)

      // Disable: no new deliveries, replay refused.
      const disabled = await json(await admin(`/webhooks/${created.id}`, { method: 'DELETE' }))
      expect(disabled).toMatchObject({ id: created.id, enabled: false })
      expect(disabled.disabledReason).toContain('site admin')
      expect((await complain({})).status).toBe(201)
      expect(await deliveries()).toHaveLength(2)
      expect(
        (await json(await admin(`/deliveries/${target}/replay`, { method: 'POST' }), 409)).error
          .code,
      ).toBe('conflict')
    })
  })
})
