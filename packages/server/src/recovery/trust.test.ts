/**
 * Money on trusted facts only: what an anonymous script, a customer naming
 * someone else's order, and a forged or stale customer token can get.
 */
import type { Complaint, Receipt, StatusReport } from '@redress/protocol'
import type { CreatedVerificationSecret, VerificationSecret } from '@redress/protocol/admin'
import { describe, expect, it } from 'vitest'
import {
  adminFetch,
  customerTokenFor,
  describeEachDatabase,
  expectJson,
  useServer,
} from '../_test-harness'
import { signCustomerToken, verifyCustomerToken } from '../complaints'
import type { Site } from '../db/schema'
import { createApp } from '../http/app'
import { createSite, findSite } from '../sites'
import type { PolicyOverrides } from './policy'

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`
const EUR = (value: number) => ({ value, currency: 'EUR' })
const ORIGIN = 'https://shop.example'

describeEachDatabase('money on trusted facts', (database) => {
  const server = useServer(database)
  const db = () => server().database.db

  const newSite = async (policy?: PolicyOverrides) =>
    createSite(db(), {
      name: `Shop ${unique()}`,
      origins: [ORIGIN],
      ...(policy ? { policy } : {}),
    })

  const send = (
    site: Pick<Site, 'public_key'>,
    body: Partial<Complaint>,
    init: { key?: string; origin?: string; forwardedFor?: string } = {},
  ) =>
    fetch(`${server().url}/v1/complaints`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': init.key ?? unique(),
        ...(init.origin ? { origin: init.origin } : {}),
        ...(init.forwardedFor ? { 'x-forwarded-for': init.forwardedFor } : {}),
      },
      body: JSON.stringify({
        site: site.public_key,
        category: 'broken',
        severity: 'major',
        description: `It arrived broken (${unique()})`,
        ...body,
      }),
    })

  /** What the site gave away: ledger rows that cost money and reached a customer. */
  const moneyGiven = (site: Pick<Site, 'id'>) =>
    db()
      .selectFrom('recoveries')
      .innerJoin('complaints', 'complaints.id', 'recoveries.complaint_id')
      .select(['recoveries.value', 'recoveries.code', 'complaints.client_key'])
      .where('recoveries.site_id', '=', site.id)
      .where('recoveries.status', 'in', ['issued', 'approved'])
      .where('recoveries.value', '>', 0)
      .execute()

  /** Send many complaints, a few at a time (the server is one process on two cores). */
  const sendAll = async <T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> => {
    const out: T[] = []
    for (let i = 0; i < count; i += 25) {
      out.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(25, count - i) }, (_, j) => make(i + j)),
        )),
      )
    }
    return out
  }

  const anonymous = (i: number) => ({
    severity: (['major', 'critical'] as const)[i % 2],
    category: ['broken', 'order', 'slow'][i % 3]!,
    customer: { id: `cus-${i}` },
    orderRef: `A-${i}`,
    orderValue: EUR(1000 + ((i * 997) % 90_000)),
  })

  it('gives 1,000 anonymous complaints no money by default, with or without Origin', async () => {
    const { site } = await newSite()
    const statuses = await sendAll(1000, async (i) => {
      const response = await send(site, anonymous(i), { origin: i % 2 ? ORIGIN : undefined })
      const receipt = (await response.json()) as Receipt
      // The receipt offers no money either: an apology that says a person will look.
      expect(['apology', 'escalation']).toContain(receipt.recovery?.kind)
      return response.status
    })
    expect(statuses.filter((status) => status === 201)).toHaveLength(1000)
    expect(await moneyGiven(site)).toEqual([])
    const waiting = await db()
      .selectFrom('recoveries')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('site_id', '=', site.id)
      .where('status', '=', 'pending_approval')
      .where('reason', '=', 'unverified')
      .executeTakeFirstOrThrow()
    // Every one of them is waiting for a person, not dropped.
    expect(Number(waiting.count)).toBe(1000)
  })

  it('tells an unverified customer honestly that a person will review it', async () => {
    const { site } = await newSite()
    const receipt = (await (await send(site, anonymous(0))).json()) as Receipt
    expect(receipt.recovery).toMatchObject({ kind: 'apology' })
    expect((receipt.recovery as { message: string }).message).toMatch(/review your case/)
  })

  describe('goodwill coupons for unverified complaints', () => {
    const proxied = useServer(database, { trustProxy: 1 })

    it('stay within their daily budget and per-client cap, from 1,000 complaints of 50 clients', async () => {
      const goodwill = { enabled: true, value: 300, perDay: 6000, perIpDay: 2 }
      const { site } = await createSite(proxied().database.db, {
        name: `Goodwill ${unique()}`,
        origins: [ORIGIN],
        policy: { goodwill },
      })
      await sendAll(1000, async (i) => {
        const response = await fetch(`${proxied().url}/v1/complaints`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': unique(),
            'x-forwarded-for': `198.51.100.${i % 50}`,
          },
          body: JSON.stringify({
            site: site.public_key,
            description: `Broken again (${unique()})`,
            ...anonymous(i),
          }),
        })
        expect(response.status).toBe(201)
      })
      const given = await proxied()
        .database.db.selectFrom('recoveries')
        .innerJoin('complaints', 'complaints.id', 'recoveries.complaint_id')
        .select(['recoveries.value', 'complaints.client_key'])
        .where('recoveries.site_id', '=', site.id)
        .where('recoveries.status', '=', 'issued')
        .where('recoveries.value', '>', 0)
        .execute()
      const total = given.reduce((sum, row) => sum + Number(row.value), 0)
      // The budget is what runs out: 20 coupons of €3.00, none over it.
      expect(total).toBe(goodwill.perDay)
      expect(given.every((row) => Number(row.value) === goodwill.value)).toBe(true)
      const perClient = new Map<string, number>()
      for (const row of given)
        perClient.set(row.client_key!, (perClient.get(row.client_key!) ?? 0) + 1)
      expect(Math.max(...perClient.values())).toBeLessThanOrEqual(goodwill.perIpDay)
    })

    it('give one client no more than its cap, whatever customer ids it claims', async () => {
      const { site } = await createSite(proxied().database.db, {
        name: `Goodwill ${unique()}`,
        origins: [ORIGIN],
        policy: { goodwill: { enabled: true, value: 300, perDay: 1_000_000, perIpDay: 3 } },
      })
      const receipts = await sendAll(40, async (i) => {
        const response = await fetch(`${proxied().url}/v1/complaints`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': unique(),
            'x-forwarded-for': '203.0.113.7',
          },
          body: JSON.stringify({
            site: site.public_key,
            description: `Broken (${unique()})`,
            ...anonymous(i),
          }),
        })
        return (await response.json()) as Receipt
      })
      const coupons = receipts.filter((receipt) => receipt.recovery?.kind === 'coupon')
      expect(coupons).toHaveLength(3)
      expect(coupons[0]!.recovery).toMatchObject({ label: '€3.00 off your next order' })
    })
  })

  describe("one customer's remedy is theirs alone", () => {
    it("gives customer B who names A's order nothing of A's coupon; A's replay still gets it", async () => {
      const { site } = await newSite()
      const orderRef = `A-${unique()}`
      const aliceToken = await customerTokenFor(db(), site, {
        sub: 'alice',
        orders: [{ ref: orderRef, value: 4000, currency: 'EUR' }],
      })
      const aliceBody = {
        orderRef,
        customerToken: aliceToken,
        description: `Alice's mug ${orderRef}`,
      }
      const aliceKey = unique()
      const alice = (await expectJson(
        await send(site, aliceBody, { key: aliceKey }),
        201,
      )) as Receipt
      expect(alice.recovery).toMatchObject({ kind: 'coupon' })
      const code = (alice.recovery as { code: string }).code

      // Bob, signed in, names Alice's order; then a stranger claims to be Alice.
      const bobToken = await customerTokenFor(db(), site, {
        sub: 'bob',
        orders: [{ ref: `B-${unique()}`, value: 4000, currency: 'EUR' }],
      })
      const bob = await send(site, { orderRef, customerToken: bobToken })
      const stranger = await send(site, {
        orderRef,
        customer: { id: 'alice' },
        orderValue: EUR(4000),
      })
      for (const response of [bob, stranger]) {
        const text = await response.text()
        expect(response.status).toBe(201)
        expect(text).not.toContain(code)
        const receipt = JSON.parse(text) as Receipt
        expect(receipt.recovery?.kind).not.toBe('coupon')
        const status = await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
          headers: { authorization: `Bearer ${receipt.token}` },
        })
        const report = (await status.json()) as StatusReport
        expect(JSON.stringify(report)).not.toContain(code)
        const rows = await db()
          .selectFrom('recoveries')
          .select(['code', 'value', 'reused_from'])
          .where('complaint_id', '=', receipt.id)
          .execute()
        expect(rows.every((row) => row.code === null && Number(row.value) === 0)).toBe(true)
        expect(rows.every((row) => row.reused_from === null)).toBe(true)
      }

      const replay = (await expectJson(
        await send(site, aliceBody, { key: aliceKey }),
        200,
      )) as Receipt
      expect(replay.recovery).toMatchObject({ kind: 'coupon', code })
    })

    it('gives the same customer the same remedy for the same order, counted once', async () => {
      const { site } = await newSite()
      const orderRef = `A-${unique()}`
      const token = await customerTokenFor(db(), site, {
        sub: `cus-${unique()}`,
        orders: [{ ref: orderRef, value: 4000, currency: 'EUR' }],
      })
      const first = (await (await send(site, { orderRef, customerToken: token })).json()) as Receipt
      const again = (await (await send(site, { orderRef, customerToken: token })).json()) as Receipt
      expect(again.recovery).toEqual(first.recovery)
      expect((await moneyGiven(site)).filter((row) => row.code !== null)).toHaveLength(2)
      const counted = await db()
        .selectFrom('recovery_site_days')
        .select('issued')
        .where('site_id', '=', site.id)
        .executeTakeFirstOrThrow()
      // 25% of €40.00, once.
      expect(Number(counted.issued)).toBe(1000)
    })
  })

  describe('customer tokens', () => {
    const vouched = (ref: string) => [{ ref, value: 4000, currency: 'EUR' }]

    it('takes the order value from the token, never from the body', async () => {
      const { site } = await newSite()
      const orderRef = `A-${unique()}`
      const customerToken = await customerTokenFor(db(), site, {
        sub: 'carol',
        orders: vouched(orderRef),
      })
      // The body claims €900.00; the token vouches for €40.00: 25% of €40.00.
      const receipt = (await expectJson(
        await send(site, { orderRef, orderValue: EUR(90_000), customerToken }),
        201,
      )) as Receipt
      expect(receipt.recovery).toMatchObject({
        kind: 'coupon',
        label: '€10.00 off your next order',
      })
    })

    it('uses the only vouched order when the complaint names none', async () => {
      const { site } = await newSite()
      const customerToken = await customerTokenFor(db(), site, {
        sub: 'dan',
        orders: vouched(`A-${unique()}`),
      })
      const receipt = (await expectJson(await send(site, { customerToken }), 201)) as Receipt
      expect(receipt.recovery).toMatchObject({
        kind: 'coupon',
        label: '€10.00 off your next order',
      })
    })

    it('gives a verified customer no money for an order the token does not vouch for', async () => {
      const { site } = await newSite()
      const customerToken = await customerTokenFor(db(), site, {
        sub: 'erin',
        orders: vouched(`A-${unique()}`),
      })
      const receipt = (await expectJson(
        await send(site, { orderRef: 'NOT-MINE', orderValue: EUR(4000), customerToken }),
        201,
      )) as Receipt
      expect(receipt.recovery?.kind).toBe('apology')
      const rows = await db()
        .selectFrom('recoveries')
        .select(['status', 'reason'])
        .where('complaint_id', '=', receipt.id)
        .where('policy_key', '=', 'remedy')
        .execute()
      expect(rows).toEqual([{ status: 'pending_approval', reason: 'unverified' }])
    })

    it('treats bot signals as a hint: a vouched complaint sent fast still gets its coupon, flagged', async () => {
      const { site } = await newSite({ goodwill: { enabled: true, perIpDay: 100 } })
      const orderRef = `A-${unique()}`
      const customerToken = await customerTokenFor(db(), site, {
        sub: 'kim',
        orders: vouched(orderRef),
      })
      const fast = { signals: { fillMs: 120 } }
      const vouchedFast = (await expectJson(
        await send(site, { ...fast, orderRef, customerToken }),
        201,
      )) as Receipt
      expect(vouchedFast.recovery).toMatchObject({ kind: 'coupon' })
      // Nobody vouched for this one and it looks like a bot: no goodwill either.
      const strangerFast = (await expectJson(await send(site, fast), 201)) as Receipt
      expect(strangerFast.recovery?.kind).toBe('apology')
      const flags = await db()
        .selectFrom('complaints')
        .select(['id', 'suspicion'])
        .where('id', 'in', [vouchedFast.id, strangerFast.id])
        .execute()
      expect(flags.map((row) => row.suspicion)).toEqual(['too_fast', 'too_fast'])
    })

    const refused = async (response: Response, code: string, message: RegExp) => {
      const body = (await expectJson(response, 401)) as { error: { code: string; message: string } }
      expect(body.error.code).toBe(code)
      expect(body.error.message).toMatch(message)
    }

    it('refuses a token with a wrong signature', async () => {
      const { site } = await newSite()
      await customerTokenFor(db(), site, { sub: 'x' })
      const forged = await signCustomerToken('vsec_not-the-secret', {
        aud: site.public_key,
        sub: 'mallory',
        orders: vouched('A-1'),
      })
      await refused(
        await send(site, { customerToken: forged }),
        'invalid_customer_token',
        /signature/,
      )
    })

    it('refuses an expired token, and one that lives longer than a day', async () => {
      const { site } = await newSite()
      const old = await customerTokenFor(
        db(),
        site,
        { sub: 'frank', orders: vouched('A-1') },
        { now: new Date(Date.now() - 2 * 3600_000), lifetimeS: 3600 },
      )
      await refused(await send(site, { customerToken: old }), 'customer_token_expired', /expired/)
      const forever = await customerTokenFor(
        db(),
        site,
        { sub: 'frank', orders: vouched('A-1') },
        { lifetimeS: 30 * 24 * 3600 },
      )
      await refused(
        await send(site, { customerToken: forever }),
        'invalid_customer_token',
        /24 hours/,
      )
    })

    it("refuses another site's token, even signed with this site's secret", async () => {
      const { site } = await newSite()
      const { site: other } = await newSite()
      await customerTokenFor(db(), site, { sub: 'makes the secret' })
      const theirs = await customerTokenFor(db(), other, { sub: 'gina', orders: vouched('A-1') })
      await refused(
        await send(site, { customerToken: theirs }),
        'invalid_customer_token',
        /another site|signature/,
      )
      const secret = (
        await db()
          .selectFrom('site_verification_secrets')
          .select('secret')
          .where('site_id', '=', site.id)
          .executeTakeFirst()
      )?.secret
      const misaddressed = await signCustomerToken(secret ?? 'none', {
        aud: other.public_key,
        sub: 'gina',
      })
      await refused(
        await send(site, { customerToken: misaddressed }),
        'invalid_customer_token',
        /another site|no verification secret/,
      )
    })

    it('replays a stored complaint whose token has expired since, with its remedy', async () => {
      const { site } = await newSite()
      const orderRef = `A-${unique()}`
      const issued = new Date()
      const customerToken = await customerTokenFor(
        db(),
        site,
        { sub: 'hal', orders: vouched(orderRef) },
        { now: issued, lifetimeS: 3600 },
      )
      const key = unique()
      const body = { orderRef, customerToken, description: `Late replay ${key}` }
      const first = (await expectJson(await send(site, body, { key }), 201)) as Receipt
      // The token is checked against a clock two hours later: expired, yet the replay succeeds.
      await expect(
        verifyCustomerToken(db(), site, customerToken, new Date(issued.getTime() + 7200_000)),
      ).rejects.toMatchObject({ code: 'customer_token_expired' })
      const stale = await customerTokenFor(
        db(),
        site,
        { sub: 'hal', orders: vouched(orderRef) },
        { now: new Date(issued.getTime() - 7200_000), lifetimeS: 3600 },
      )
      const replay = (await expectJson(
        await send(site, { ...body, customerToken: stale }, { key }),
        200,
      )) as Receipt
      expect(replay.recovery).toEqual(first.recovery)
      expect(replay.id).toBe(first.id)
    })

    it('never stores the token, and verifies a retry with a fresh one as the same complaint', async () => {
      const { site } = await newSite()
      const orderRef = `A-${unique()}`
      const token = () =>
        customerTokenFor(db(), site, { sub: 'ida', orders: vouched(orderRef) }, {})
      const key = unique()
      const body = { orderRef, description: `Retry ${key}` }
      const first = (await expectJson(
        await send(site, { ...body, customerToken: await token() }, { key }),
        201,
      )) as Receipt
      const retry = await send(site, { ...body, customerToken: `${await token()}` }, { key })
      expect(((await retry.json()) as Receipt).id).toBe(first.id)
      const stored = await db()
        .selectFrom('complaints')
        .select(['body', 'customer_id', 'verified'])
        .where('id', '=', first.id)
        .executeTakeFirstOrThrow()
      expect(JSON.stringify(stored.body)).not.toContain('customerToken')
      expect(stored.customer_id).toBe('ida')
      expect(stored.verified).toMatchObject({
        customerId: 'ida',
        order: { ref: orderRef, value: 4000, currency: 'EUR' },
      })
    })
  })

  it("signs the demo page's token for its demo customer and order, and the server accepts it", async () => {
    // The demo's stand-in for a shop's backend, as `redress serve --demo` mounts it.
    const app = createApp({
      db: db(),
      secret: 'demo',
      log: false,
      rateLimit: false,
      static: { demo: true },
    })
    const response = await app.request('/__demo/customer-token', { method: 'POST' })
    expect(response.headers.get('cache-control')).toBe('no-store')
    const { token } = (await expectJson(response)) as { token: string }
    const site = (await findSite(db(), 'pk_demo'))!
    expect(await verifyCustomerToken(db(), site, token)).toMatchObject({
      id: 'cus_demo',
      orders: [{ ref: 'A-1001', value: 4200, currency: 'EUR' }],
    })
  })

  describe('verification secrets in the admin API', () => {
    it('shows a new secret once, lists it by hint, and lets the old one verify only during the overlap', async () => {
      const { site, adminToken } = await newSite()
      const admin = (path: string, body?: unknown) =>
        adminFetch(server().url, adminToken, path.replace('/v1/admin', ''), {
          method: body === undefined ? 'GET' : 'POST',
          body,
        })
      const first = (await expectJson(
        await admin('/v1/admin/site/verification-secrets', {}),
        201,
      )) as CreatedVerificationSecret
      expect(first.secret).toMatch(/^vsec_[A-Za-z0-9_-]{43}$/)
      const signed = await signCustomerToken(first.secret, {
        aud: site.public_key,
        sub: 'jo',
        orders: [{ ref: 'J-1', value: 4000, currency: 'EUR' }],
      })
      expect((await send(site, { customerToken: signed })).status).toBe(201)

      // Rotated with the default overlap: the old secret still verifies.
      const second = (await expectJson(
        await admin('/v1/admin/site/verification-secrets', {}),
        201,
      )) as CreatedVerificationSecret
      expect((await send(site, { customerToken: signed })).status).toBe(201)
      const listed = (await expectJson(await admin('/v1/admin/site/verification-secrets'))) as {
        items: VerificationSecret[]
      }
      expect(listed.items.map((item) => item.id)).toEqual([second.id, first.id])
      expect(listed.items[0]!.expiresAt).toBeNull()
      expect(listed.items[1]!.expiresAt).not.toBeNull()
      expect(JSON.stringify(listed)).not.toContain(first.secret)
      expect(JSON.stringify(listed)).not.toContain(second.secret)

      // Rotated with no overlap: only the newest verifies.
      const third = (await expectJson(
        await admin('/v1/admin/site/verification-secrets', { overlapHours: 0 }),
        201,
      )) as CreatedVerificationSecret
      expect((await send(site, { customerToken: signed })).status).toBe(401)
      const fresh = await signCustomerToken(third.secret, { aud: site.public_key, sub: 'jo' })
      expect((await send(site, { customerToken: fresh })).status).toBe(201)

      const changes = await (await admin('/v1/admin/site/changes')).text()
      expect(changes).toContain(third.id)
      expect(changes).not.toContain(third.secret)
      const bad = await admin('/v1/admin/site/verification-secrets', { overlapHours: -1 })
      expect(((await expectJson(bad, 400)) as { error: { field: string } }).error.field).toBe(
        'overlapHours',
      )
    })
  })
})
