import type { Complaint, Receipt, StatusReport } from '@redress/protocol'
import { RemedyRequestSchema } from '@redress/protocol/admin'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { COUPON_CODE_PATTERN } from '../../_lib/crypto'
import {
  type AdminInit,
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
  verifiedComplaint,
} from '../../_test-harness'
import type { Site } from '../../db/schema'
import { valid } from '../../http'
import { createWebhookEndpoint } from '../../outbox'
import type { PolicyOverrides } from '../../recovery'
import { issueRemedy } from '../../recovery'
import { createSite } from '../../sites'

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`

describe('RemedyRequestSchema', () => {
  const parseRemedyRequest = (body: unknown) => valid(RemedyRequestSchema, body)
  const field = (body: unknown) => {
    try {
      parseRemedyRequest(body)
    } catch (error) {
      return (error as { field?: string }).field ?? '(none)'
    }
    return undefined
  }

  it('asks money for money kinds and nothing for the others', () => {
    expect(parseRemedyRequest({ kind: 'coupon', value: 1500, label: ' {amount} back ' })).toEqual({
      kind: 'coupon',
      value: 1500,
      label: '{amount} back',
    })
    expect(parseRemedyRequest({ kind: 'replacement' })).toEqual({ kind: 'replacement' })
    expect(parseRemedyRequest({ kind: 'escalation', contactWithin: 'P1D' })).toEqual({
      kind: 'escalation',
      contactWithin: 'P1D',
    })
    expect(field({ kind: 'coupon' })).toBe('value')
    expect(field({ kind: 'refund', value: 0 })).toBe('value')
    expect(field({ kind: 'refund', value: 12.5 })).toBe('value')
    expect(field({ kind: 'apology', value: 100 })).toBe('value')
    expect(field({ kind: 'cash', value: 100 })).toBe('kind')
    expect(field({ kind: 'coupon', value: 100, message: 'hi' })).toBe('message')
    expect(field({ kind: 'refund', value: 100, label: 'x' })).toBe('label')
    expect(field({ kind: 'apology', message: '   ' })).toBe('message')
    expect(field({ kind: 'apology', contactWithin: 'PT1H' })).toBe('contactWithin')
    expect(field({ kind: 'escalation', contactWithin: 'soon' })).toBe('contactWithin')
    expect(field({ kind: 'apology', extra: 1 })).toBe('extra')
    expect(field([])).toBe('(none)')
  })
})

describeEachDatabase('remedies issued by hand', (database) => {
  const server = useServer(database)
  const db = () => server().database.db

  const newSite = (policy: PolicyOverrides = {}) =>
    createSite(db(), { name: `Hand ${unique()}`, origins: [], policy })

  const post = (site: Site, extra: Partial<Complaint> = {}) =>
    submitComplaint(server().url, { site: site.public_key, category: 'broken', ...extra })

  /** `post` with `customer.id` and `orderValue` vouched for by a customer token: the caps count them. */
  const postVerified = async (site: Site, extra: Partial<Complaint> = {}) =>
    post(site, await verifiedComplaint(db(), site, extra))

  const give = (token: string, complaintId: string, body: unknown, key?: string) =>
    adminFetch(server().url, token, `/complaints/${complaintId}/recoveries`, {
      method: 'POST',
      body,
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    } satisfies AdminInit)

  const caps = async (token: string, complaintId: string) =>
    expectJson(await adminFetch(server().url, token, `/complaints/${complaintId}/caps`))

  const status = async (receipt: Receipt) =>
    (await (
      await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
        headers: { authorization: `Bearer ${receipt.token}` },
      })
    ).json()) as StatusReport

  const ledger = (complaintId: string) =>
    db()
      .selectFrom('recoveries')
      .selectAll()
      .where('complaint_id', '=', complaintId)
      .orderBy('seq')
      .execute()

  const siteDay = async (site: Site) => {
    const rows = await db()
      .selectFrom('recovery_site_days')
      .select('issued')
      .where('site_id', '=', site.id)
      .execute()
    return rows.reduce((sum, row) => sum + Number(row.issued), 0)
  }

  const EUR = (value: number) => ({ value, currency: 'EUR' })

  it('issues a coupon within the caps at once, for the customer to see', async () => {
    const { site, adminToken } = await newSite()
    await createWebhookEndpoint(db(), site.id, 'https://hooks.example/redress', ['recovery.issued'])
    const receipt = await post(site, { orderValue: EUR(4000), customer: { id: 'cara' } })
    const issued = await expectJson(
      await give(adminToken, receipt.id, { kind: 'coupon', value: 1500 }),
      201,
    )
    expect(issued).toMatchObject({
      complaintId: receipt.id,
      kind: 'coupon',
      status: 'issued',
      value: 1500,
      currency: 'EUR',
      code: expect.stringMatching(COUPON_CODE_PATTERN),
      changed: true,
      recovery: { kind: 'coupon', label: '€15.00 off your next order' },
    })
    expect(issued.recovery.code).toBe(issued.code)
    expect((await status(receipt)).recoveries).toContainEqual(issued.recovery)
    expect(await siteDay(site)).toBe(1500)

    const detail = await expectJson(
      await adminFetch(server().url, adminToken, `/complaints/${receipt.id}`),
    )
    const event = detail.timeline.find(
      (entry: { type: string; data: { recoveryId?: string } }) =>
        entry.type === 'recovery' && entry.data.recoveryId === issued.id,
    )
    expect(event.data).toMatchObject({ kind: 'coupon', status: 'issued', value: 1500, by: 'admin' })
    const deliveries = await db()
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.event_type', 'd.payload'])
      .where('e.site_id', '=', site.id)
      .execute()
    const sent = deliveries.map((row) => JSON.parse(row.payload).data)
    expect(sent).toContainEqual(
      expect.objectContaining({ recoveryId: issued.id, kind: 'coupon', value: 1500 }),
    )
  })

  it('issues refunds, replacements, corrections, apologies and escalations', async () => {
    const { site, adminToken } = await newSite()
    const receipt = await post(site, { orderRef: 'A-77' })
    const issue = async (body: unknown) =>
      (await expectJson(await give(adminToken, receipt.id, body), 201)).recovery
    expect(await issue({ kind: 'refund', value: 1250 })).toEqual({
      kind: 'refund',
      amount: { value: 1250, currency: 'EUR' },
      message: "We're refunding €12.50 to your original payment method.",
    })
    expect(await issue({ kind: 'replacement' })).toEqual({
      kind: 'replacement',
      message: "We'll send you a replacement for order A-77 at no cost.",
    })
    expect(await issue({ kind: 'correction' })).toEqual({
      kind: 'correction',
      message: "We've fixed the problem you reported.",
    })
    expect(await issue({ kind: 'apology', message: 'So sorry, Ana.' })).toEqual({
      kind: 'apology',
      message: 'So sorry, Ana.',
    })
    expect(await issue({ kind: 'escalation', contactWithin: 'P1D' })).toMatchObject({
      kind: 'escalation',
      contactWithin: 'P1D',
    })
    expect((await status(receipt)).recoveries.map((r) => r.kind)).toEqual([
      'apology',
      'refund',
      'replacement',
      'correction',
      'apology',
      'escalation',
    ])
    expect(await siteDay(site)).toBe(1250)

    const other = await newSite()
    expect((await give(other.adminToken, receipt.id, { kind: 'apology' })).status).toBe(404)
    expect((await give(adminToken, 'cmp_nope', { kind: 'apology' })).status).toBe(404)
    const bad = await expectJson(await give(adminToken, receipt.id, { kind: 'coupon' }), 400)
    expect(bad.error).toMatchObject({ code: 'invalid_request', field: 'value' })
  })

  it('refuses a remedy over a cap with 409 cap_exceeded, saying what is left, and stores nothing', async () => {
    const { site, adminToken } = await newSite({
      caps: { perCustomer30Days: 3000, perSiteDay: 4000 },
    })
    const customer = { id: `cust-${unique()}` }
    const receipt = await postVerified(site, { orderValue: EUR(2000), customer })
    const refuse = async (value: number, message: string, id = receipt.id) => {
      const before = (await ledger(id)).length
      const body = await expectJson(await give(adminToken, id, { kind: 'coupon', value }), 409)
      expect(body.error).toEqual({ code: 'cap_exceeded', message, field: 'value' })
      expect(await ledger(id)).toHaveLength(before)
    }
    await refuse(2500, '€25.00 is over the cap for this complaint: €20.00 is left')
    await expectJson(await give(adminToken, receipt.id, { kind: 'coupon', value: 1500 }), 201)
    await refuse(600, '€6.00 is over the cap for this complaint: €5.00 is left')

    const second = await postVerified(site, { orderValue: EUR(5000), customer, orderRef: 'B-2' })
    await refuse(1600, "€16.00 is over this customer's 30-day cap: €15.00 is left", second.id)
    await expectJson(await give(adminToken, second.id, { kind: 'refund', value: 1500 }), 201)

    const stranger = await postVerified(site, { orderValue: EUR(5000) })
    await refuse(1001, "€10.01 is over the site's cap for today: €10.00 is left", stranger.id)
    expect(await siteDay(site)).toBe(3000)
    expect((await status(stranger)).recoveries.map((r) => r.kind)).toEqual(['apology'])
  })

  it('replays an Idempotency-Key without issuing again, and refuses it for another remedy', async () => {
    const { site, adminToken } = await newSite()
    const receipt = await post(site)
    const key = `retry-${unique()}`
    const first = await expectJson(
      await give(adminToken, receipt.id, { kind: 'coupon', value: 700 }, key),
      201,
    )
    const again = await expectJson(
      await give(adminToken, receipt.id, { kind: 'coupon', value: 700 }, key),
    )
    expect(again).toEqual({ ...first, changed: false })
    const reused = await expectJson(
      await give(adminToken, receipt.id, { kind: 'coupon', value: 800 }, key),
      409,
    )
    expect(reused.error.code).toBe('idempotency_conflict')
    expect(await siteDay(site)).toBe(700)
    expect((await ledger(receipt.id)).filter((row) => row.kind === 'coupon')).toHaveLength(1)

    // Without a key, every call is a remedy of its own.
    await expectJson(await give(adminToken, receipt.id, { kind: 'apology' }), 201)
    await expectJson(await give(adminToken, receipt.id, { kind: 'apology' }), 201)
    expect((await ledger(receipt.id)).map((row) => row.kind)).toEqual([
      'apology',
      'coupon',
      'apology',
      'apology',
    ])
  })

  it('never lets 40 concurrent remedies for one customer exceed the customer cap', async () => {
    const { site, adminToken } = await newSite({
      caps: { perCustomer30Days: 5000, perSiteDay: 1_000_000 },
      // Each complaint would be a repeat failure, which the policy compensates itself.
      repeatWindowDays: 0,
    })
    const customer = { id: `cust-${unique()}` }
    const complaints = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postVerified(site, { customer, orderRef: `O-${i}` })),
    )
    const responses = await Promise.all(
      complaints.map((receipt) => give(adminToken, receipt.id, { kind: 'coupon', value: 1000 })),
    )
    const codes = await Promise.all(
      responses.map(async (response) => [response.status, (await response.json()).error?.code]),
    )
    expect(codes.filter(([code]) => code === 201)).toHaveLength(5)
    expect(codes.filter(([code, error]) => code === 409 && error === 'cap_exceeded')).toHaveLength(
      35,
    )
    const total = await db()
      .selectFrom('recoveries')
      .select(sql<string>`coalesce(sum(value), 0)`.as('total'))
      .where('site_id', '=', site.id)
      .where('customer_id', '=', customer.id)
      .where('status', 'in', ['issued', 'approved'])
      .executeTakeFirstOrThrow()
    expect(Number(total.total)).toBe(5000)
    expect(await siteDay(site)).toBe(5000)
  })

  it('reports what a complaint may still be given', async () => {
    const { site, adminToken } = await newSite({
      caps: { perComplaintPercent: 80, perCustomer30Days: 8000, perSiteDay: 20_000 },
      repeatWindowDays: 0,
    })
    const customer = { id: `cust-${unique()}` }
    const receipt = await postVerified(site, { orderValue: EUR(3000), customer })
    const day = new Date().toISOString().slice(0, 10)
    expect(await caps(adminToken, receipt.id)).toEqual({
      currency: 'EUR',
      perComplaint: {
        max: 5000,
        percentOfOrder: 80,
        orderValue: 3000,
        limit: 2400,
        given: 0,
        remaining: 2400,
      },
      customer: { id: customer.id, limit: 8000, spent: 0, remaining: 8000 },
      siteDay: { day, limit: 20_000, spent: 0, remaining: 20_000 },
      available: 2400,
    })
    await expectJson(await give(adminToken, receipt.id, { kind: 'coupon', value: 1000 }), 201)
    const other = await postVerified(site, { customer, orderRef: 'Z-1' })
    await expectJson(await give(adminToken, other.id, { kind: 'refund', value: 5000 }), 201)
    expect(await caps(adminToken, receipt.id)).toMatchObject({
      perComplaint: { given: 1000, remaining: 1400 },
      customer: { spent: 6000, remaining: 2000 },
      siteDay: { spent: 6000, remaining: 14_000 },
      available: 1400,
    })
    // Unverified, whatever it claims: the absolute ceiling and the day.
    const anonymous = await post(site, { orderValue: EUR(3000), customer })
    expect(await caps(adminToken, anonymous.id)).toMatchObject({
      perComplaint: { orderValue: null, limit: 5000, remaining: 5000 },
      customer: null,
      available: 5000,
    })
    // What `available` says is exactly what is issued without approval.
    await expectJson(await give(adminToken, receipt.id, { kind: 'coupon', value: 1401 }), 409)
    await expectJson(await give(adminToken, receipt.id, { kind: 'coupon', value: 1400 }), 201)
    expect((await caps(adminToken, receipt.id)).available).toBe(0)
    expect((await adminFetch(server().url, adminToken, '/complaints/cmp_nope/caps')).status).toBe(
      404,
    )
  })

  it('takes a coupon from the pool when the policy says so', async () => {
    const { site, adminToken } = await newSite({ coupon: { source: 'pool' } })
    await fetch(`${server().url}/v1/admin/coupon-pool`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
      body: 'code,value\nHAND-700,700\nHAND-1200,1200\n',
    })
    const receipt = await post(site)
    const issued = await expectJson(
      await give(adminToken, receipt.id, { kind: 'coupon', value: 1000 }),
      201,
    )
    expect(issued).toMatchObject({
      code: 'HAND-700',
      value: 700,
      recovery: { label: '€7.00 off your next order' },
    })
    const none = await expectJson(
      await give(adminToken, receipt.id, { kind: 'coupon', value: 500 }),
      409,
    )
    expect(none.error).toMatchObject({ code: 'conflict', field: 'value' })
    expect(await siteDay(site)).toBe(700)
  })

  it('issues a guarantee over the per-complaint and customer caps, counts it, and only once', async () => {
    const { site } = await newSite({ caps: { perComplaintMax: 100, perCustomer30Days: 100 } })
    const receipt = await postVerified(site, { customer: { id: `g-${unique()}` } })
    const guarantee = () =>
      db()
        .transaction()
        .execute((trx) =>
          issueRemedy(trx, {
            site,
            complaintId: receipt.id,
            policyKey: 'guarantee',
            remedy: { kind: 'coupon', value: 500 },
            caps: 'guarantee',
          }),
        )
    const first = await guarantee()
    expect(first.created).toBe(true)
    expect(first.row).toMatchObject({ kind: 'coupon', status: 'issued', policy_key: 'guarantee' })
    const again = await guarantee()
    expect(again).toEqual({ row: first.row, created: false })
    expect(await siteDay(site)).toBe(500)
    const event = await db()
      .selectFrom('events')
      .select('data')
      .where('complaint_id', '=', receipt.id)
      .where('type', '=', 'recovery')
      .where(sql<string>`data->>'recoveryId'`, '=', first.row.id)
      .executeTakeFirstOrThrow()
    expect(event.data).toMatchObject({ by: 'guarantee' })

    // With an empty pool the promise waits for the owner instead of failing.
    const pooled = await newSite({ coupon: { source: 'pool' } })
    const waiting = await postVerified(pooled.site)
    const { row } = await db()
      .transaction()
      .execute((trx) =>
        issueRemedy(trx, {
          site: pooled.site,
          complaintId: waiting.id,
          policyKey: 'guarantee',
          remedy: { kind: 'coupon', value: 500 },
          caps: 'guarantee',
        }),
      )
    expect(row).toMatchObject({
      status: 'pending_approval',
      reason: 'coupon_pool_empty',
      code: null,
    })
  })
})
