import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Receipt, Severity } from '@redress/protocol'
import { type Insights, InsightsQuerySchema } from '@redress/protocol/admin'
import { Hono } from 'hono'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  useServer,
  verifiedComplaint,
} from '../_test-harness'
import type { RecoveryStatus, RootCause, Site, Tables } from '../db/schema'
import { toApiError } from '../http/errors'
import { valid } from '../http/validate'
import { remedyCaps } from '../recovery'
import { adminApi } from '../routes/admin'
import { createSite } from '../sites'
import { computeInsights, median, pageKey } from './insights'

const DAY = 86_400_000
const HOUR = 3_600_000
const MINUTE = 60_000
/** The fixed clock: "today" is 2025-03-31 (UTC). */
const NOW = new Date('2025-03-31T12:00:00Z')
/** `daysBefore` days before 2025-03-31, at `time` UTC. */
const at = (daysBefore: number, time = '10:00:00') =>
  new Date(Date.parse(`2025-03-31T${time}Z`) - daysBefore * DAY)
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms)

describe('insights helpers', () => {
  it('?days= takes whole numbers from 7 to 365, 30 when absent', () => {
    const parseDays = (days: string | undefined) => valid(InsightsQuerySchema, { days }).days
    expect(parseDays(undefined)).toBe(30)
    expect(parseDays('7')).toBe(7)
    expect(parseDays('365')).toBe(365)
    for (const bad of ['6', '366', '0', '', 'abc', '7.5', '-7', '1e2', ' 30', '3000'])
      expect(() => parseDays(bad), bad).toThrow('days is a whole number from 7 to 365')
  })
  it('median and pageKey', () => {
    expect(median([])).toBe(0)
    expect(median([3, 1, 2])).toBe(2)
    expect(median([0, 0, 1, 1])).toBe(0.5)
    expect(pageKey('HTTPS://Shop.Example:443/mug')).toBe('https://shop.example/mug')
    expect(pageKey('http://shop.example:8080/a/b')).toBe('http://shop.example:8080/a/b')
    expect(pageKey('not a url')).toBe('not a url')
  })
})

/** The admin API on its own HTTP server on 127.0.0.1, with a fixed clock, over `db`. */
async function fixedClockAdmin(db: Kysely<Tables>, now: Date) {
  const app = new Hono()
  app.route('/v1/admin', adminApi(db, { now: () => now }))
  // As the app does: a refusal (an ApiError, or a domain error mapped) is its status and body.
  app.onError((error, c) => {
    const refusal = toApiError(error)
    return refusal
      ? c.json(refusal.toJSON(), refusal.status as 400)
      : c.json({ error: { code: 'internal_error', message: String(error) } }, 500)
  })
  const http = await new Promise<Server>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(server as Server),
    ) as Server
  })
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections()
        http.close(() => resolve())
      }),
  }
}

describeEachDatabase('insights', (database) => {
  const server = useServer(database)
  const db = () => server().database.db
  let counter = 0
  let site: Site
  let token: string
  let other: { site: Site; adminToken: string }
  let fixed: Awaited<ReturnType<typeof fixedClockAdmin>>

  interface ComplaintSpec {
    category: string
    severity?: Severity
    receivedAt: Date
    /** A customer a token vouched for: only such ids are kept, and counted in repeat failures. */
    customer?: string
    page?: string
    rootCause?: RootCause
    firstReplyAfter?: number
  }
  const insertComplaint = async (owner: Site, spec: ComplaintSpec): Promise<string> => {
    const n = ++counter
    const id = `cmp_insights${n}`
    const severity = spec.severity ?? 'minor'
    await db()
      .insertInto('complaints')
      .values({
        id,
        site_id: owner.id,
        reference: `R-INS${n}`,
        idempotency_key: `insights-${n}`,
        request_hash: 'hash',
        token_hash: 'hash',
        body: JSON.stringify({
          site: owner.public_key,
          category: spec.category,
          severity,
          description: `Complaint ${n}`,
          ...(spec.page ? { page: { url: spec.page } } : {}),
          ...(spec.customer ? { customer: { id: spec.customer } } : {}),
        }),
        category: spec.category,
        severity,
        status: 'received',
        customer_id: spec.customer ?? null,
        verified: spec.customer
          ? JSON.stringify({ customerId: spec.customer, email: null, name: null, order: null })
          : null,
        order_ref: null,
        receipt: '{}',
        received_at: spec.receivedAt,
        updated_at: spec.receivedAt,
        root_cause: spec.rootCause ?? null,
        first_reply_at:
          spec.firstReplyAfter === undefined ? null : plus(spec.receivedAt, spec.firstReplyAfter),
      })
      .execute()
    return id
  }
  const insertRecovery = async (
    owner: Site,
    complaintId: string,
    spec: {
      kind: 'apology' | 'coupon' | 'refund' | 'replacement' | 'correction' | 'escalation'
      value?: number
      status: RecoveryStatus
      createdAt: Date
      decidedAt?: Date
    },
  ) => {
    const n = ++counter
    await db()
      .insertInto('recoveries')
      .values({
        id: `rcv_insights${n}`,
        complaint_id: complaintId,
        site_id: owner.id,
        customer_id: null,
        policy_key: `test-${n}`,
        kind: spec.kind,
        value: spec.value ?? 0,
        currency: 'USD',
        status: spec.status,
        reason: null,
        code: null,
        expires_at: null,
        recovery: null,
        reused_from: null,
        policy_hash: 'test',
        created_at: spec.createdAt,
        decided_at: spec.decidedAt ?? null,
      })
      .execute()
  }
  const insertFollowUp = (
    complaintId: string,
    score: number,
    resolved: boolean,
    fairness: Record<string, number> | null = null,
  ) =>
    db()
      .insertInto('follow_ups')
      .values({ complaint_id: complaintId, score, resolved, fairness: JSON.stringify(fairness) })
      .execute()

  /** A complaint through the real API, then moved to `receivedAt` (with its ledger rows). */
  const submit = async (category: string, page: string, receivedAt: Date): Promise<Receipt> => {
    const response = await fetch(`${server().url}/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `api-${++counter}` },
      body: JSON.stringify({
        site: site.public_key,
        category,
        severity: 'minor',
        description: `Submitted through the API (${counter})`,
        page: { url: page },
      }),
    })
    const receipt = (await expectJson(response, 201)) as Receipt
    await db()
      .updateTable('complaints')
      .set({ received_at: receivedAt, updated_at: receivedAt })
      .where('id', '=', receipt.id)
      .execute()
    await db()
      .updateTable('recoveries')
      .set({ created_at: receivedAt })
      .where('complaint_id', '=', receipt.id)
      .execute()
    return receipt
  }

  const insights = async (query = '', base = fixed.url, bearer = token): Promise<Insights> =>
    expectJson(await adminFetch(base, bearer, `/insights${query}`))

  beforeAll(async () => {
    ;({ site, adminToken: token } = await createSite(db(), {
      name: 'Insights shop',
      origins: ['https://shop.example'],
      categories: [
        { id: 'broken', failureType: 'outcome' },
        { id: 'late', failureType: 'process' },
        { id: 'rude', failureType: 'interaction' },
      ],
      // `mystery` is nobody's category: it takes `unknownCategory`.
      policy: { currency: 'USD', unknownCategory: 'interaction', caps: { perSiteDay: 2000 } },
    }))
    other = await createSite(db(), {
      name: 'Other shop',
      origins: ['https://other.example'],
    })

    // late: one a day on the 8 days before today, four today (a spike: median 1).
    for (let d = 1; d <= 8; d++)
      await insertComplaint(site, {
        category: 'late',
        receivedAt: at(d),
        ...(d <= 3 ? { page: 'https://shop.example/checkout?step=2' } : {}),
      })
    const L9 = await insertComplaint(site, {
      category: 'late',
      severity: 'major',
      receivedAt: at(0, '09:00:00'),
      customer: 'cust-2',
      rootCause: 'technology',
      firstReplyAfter: 2 * HOUR,
    })
    const L10 = await insertComplaint(site, {
      category: 'late',
      severity: 'major',
      receivedAt: at(0, '09:10:00'),
      rootCause: 'technology',
    })
    const L11 = await insertComplaint(site, {
      category: 'late',
      severity: 'major',
      receivedAt: at(0, '09:20:00'),
      rootCause: 'supplier',
    })
    await insertComplaint(site, {
      category: 'late',
      severity: 'major',
      receivedAt: at(0, '09:30:00'),
      rootCause: 'supplier',
    })
    // Forms closed after a help link: two clients today and one 10 days ago for
    // 'late', one for 'rude'; one 40 days ago is out of every range.
    const day = (daysBefore: number) => at(daysBefore).toISOString().slice(0, 10)
    await db()
      .insertInto('help_deflections')
      .values([
        { site_id: site.id, day: day(0), category: 'late', client_key: 'a' },
        { site_id: site.id, day: day(0), category: 'late', client_key: 'b' },
        { site_id: site.id, day: day(10), category: 'late', client_key: 'a' },
        { site_id: site.id, day: day(0), category: 'rude', client_key: 'a' },
        { site_id: site.id, day: day(40), category: 'late', client_key: 'c' },
      ])
      .execute()
    // rude: two today, through the real API (2 does not alarm).
    const R1 = await submit('rude', 'https://shop.example/help#contact', at(0, '08:00:00'))
    const R2 = await submit('rude', 'https://shop.example/help#contact', at(0, '08:05:00'))
    const patch = (id: string, rootCause: RootCause) =>
      adminFetch(server().url, token, `/complaints/${id}`, {
        method: 'PATCH',
        body: { rootCause },
      }).then((response) => expectJson(response))
    await patch(R1.id, 'technology')
    await patch(R2.id, 'people')
    const followUp = await fetch(`${server().url}/v1/complaints/${R1.id}/follow-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${R1.token}` },
      body: JSON.stringify({ score: 5, resolved: true, fairness: { treatment: 2 } }),
    })
    expect(followUp.status).toBe(204)
    // broken: two 3 days ago, one 20 days ago.
    const B1 = await insertComplaint(site, {
      category: 'broken',
      severity: 'major',
      receivedAt: at(3, '10:00:00'),
      customer: 'cust-1',
      page: 'https://shop.example/products/mug?ref=ad',
      rootCause: 'supplier',
      firstReplyAfter: HOUR,
    })
    const B2 = await insertComplaint(site, {
      category: 'broken',
      severity: 'critical',
      receivedAt: at(3, '11:00:00'),
      customer: 'cust-2',
      page: 'HTTPS://Shop.Example:443/products/mug',
      rootCause: 'supplier',
      firstReplyAfter: 3 * HOUR,
    })
    const B3 = await insertComplaint(site, {
      category: 'broken',
      severity: 'major',
      receivedAt: at(20, '10:00:00'),
      customer: 'cust-1',
      rootCause: 'supplier',
    })
    // The first second of a 30-day range, and the last second before it.
    await insertComplaint(site, {
      category: 'mystery',
      receivedAt: at(29, '00:00:00'),
      customer: 'cust-3',
    })
    const X1 = await insertComplaint(site, {
      category: 'broken',
      severity: 'major',
      receivedAt: at(30, '23:59:59'),
      customer: 'cust-3',
      rootCause: 'people',
      firstReplyAfter: 10 * HOUR,
    })
    // Only in a 90-day range: cust-5 35 days apart (not a repeat), cust-6 exactly 30 (a repeat).
    await insertComplaint(site, { category: 'broken', receivedAt: at(35), customer: 'cust-5' })
    await insertComplaint(site, { category: 'broken', receivedAt: at(70), customer: 'cust-5' })
    await insertComplaint(site, { category: 'broken', receivedAt: at(40), customer: 'cust-6' })
    await insertComplaint(site, { category: 'broken', receivedAt: at(70), customer: 'cust-6' })

    // The ledger.
    const b1 = at(3, '10:00:00')
    await insertRecovery(site, B1, { kind: 'apology', status: 'issued', createdAt: b1 })
    await insertRecovery(site, B1, {
      kind: 'coupon',
      value: 500,
      status: 'issued',
      createdAt: plus(b1, 5 * MINUTE),
    })
    const b2 = at(3, '11:00:00')
    await insertRecovery(site, B2, { kind: 'escalation', status: 'issued', createdAt: b2 })
    await insertRecovery(site, B2, {
      kind: 'coupon',
      value: 1500,
      status: 'approved',
      createdAt: b2,
      decidedAt: at(2, '09:00:00'), // given 22 h after receipt, counted the next day
    })
    await insertRecovery(site, L9, {
      kind: 'correction',
      status: 'issued',
      createdAt: plus(at(0, '09:00:00'), 10 * MINUTE),
    })
    await insertRecovery(site, L10, {
      kind: 'coupon',
      value: 700,
      status: 'rejected',
      createdAt: plus(at(0, '09:10:00'), MINUTE),
      decidedAt: plus(at(0, '09:10:00'), HOUR),
    })
    await insertRecovery(site, L11, {
      kind: 'replacement',
      value: 900,
      status: 'pending_approval',
      createdAt: at(0, '09:20:00'),
    })
    await insertRecovery(site, B3, {
      kind: 'coupon',
      value: 300,
      status: 'issued',
      createdAt: plus(at(20, '10:00:00'), DAY),
    })
    // Given (2025-03-02 00:01:59) inside the range for a complaint received before it.
    await insertRecovery(site, X1, {
      kind: 'coupon',
      value: 400,
      status: 'issued',
      createdAt: plus(at(30, '23:59:59'), 2 * MINUTE),
    })

    // Follow-ups.
    await insertFollowUp(B1, 5, true, { remedy: 5, process: 4, treatment: 5 })
    await insertFollowUp(B2, 2, false, { remedy: 2, process: 1 })
    await insertFollowUp(B3, 4, true, { remedy: 4, process: 4, treatment: 3 })
    await insertFollowUp(L9, 3, true)
    await insertFollowUp(X1, 1, false, { remedy: 1, process: 1, treatment: 1 })

    // Another site: would change every figure if it were counted.
    for (let n = 0; n < 5; n++)
      await insertComplaint(other.site, {
        category: 'late',
        receivedAt: at(0, '10:00:00'),
        customer: 'cust-1',
      })
    for (let d = 1; d <= 14; d++)
      await insertComplaint(other.site, { category: 'rude', receivedAt: at(d) })
    const O1 = await insertComplaint(other.site, {
      category: 'broken',
      severity: 'major',
      receivedAt: at(3),
      customer: 'cust-1',
      page: 'https://shop.example/checkout',
      rootCause: 'supplier',
      firstReplyAfter: MINUTE,
    })
    await insertRecovery(other.site, O1, {
      kind: 'coupon',
      value: 10_000,
      status: 'issued',
      createdAt: plus(at(3), MINUTE),
    })
    await insertFollowUp(O1, 1, false, { remedy: 1, process: 1, treatment: 1 })

    fixed = await fixedClockAdmin(db(), NOW)
  })
  afterAll(() => fixed?.close())

  const zeroDays = (from: number, count: number) =>
    Array.from({ length: count }, (_, index) => ({
      day: new Date(from + index * DAY).toISOString().slice(0, 10),
      outcome: 0,
      process: 0,
      interaction: 0,
    }))

  it('answers every figure of a known data set (30 days)', async () => {
    const body = await insights()
    const daily = zeroDays(Date.parse('2025-03-02T00:00:00Z'), 30)
    const day = (date: string) => daily.find((entry) => entry.day === date)!
    day('2025-03-02').interaction = 1 // mystery → unknownCategory
    day('2025-03-11').outcome = 1
    for (let d = 1; d <= 8; d++) day(at(d).toISOString().slice(0, 10)).process = 1
    day('2025-03-28').outcome = 2
    day('2025-03-31').process = 4
    day('2025-03-31').interaction = 2
    const spend = daily.map(({ day }) => ({ day, spent: 0 }))
    const spent = (date: string, value: number) => {
      spend.find((entry) => entry.day === date)!.spent = value
    }
    spent('2025-03-02', 400)
    spent('2025-03-12', 300)
    spent('2025-03-28', 500)
    spent('2025-03-29', 1500)

    expect(body).toEqual({
      days: 30,
      from: '2025-03-02',
      to: '2025-03-31',
      currency: 'USD',
      total: 18,
      daily,
      topCategories: [
        { category: 'late', failureType: 'process', count: 12 },
        { category: 'broken', failureType: 'outcome', count: 3 },
        { category: 'rude', failureType: 'interaction', count: 2 },
        { category: 'mystery', failureType: 'interaction', count: 1 },
      ],
      topPages: [
        { page: 'https://shop.example/checkout', count: 3 },
        { page: 'https://shop.example/help', count: 2 },
        { page: 'https://shop.example/products/mug', count: 2 },
      ],
      // 1 h, 2 h, 3 h
      timeToFirstResponse: { medianMs: 2 * HOUR, count: 3 },
      // 5 min, 10 min, 22 h (approved: decided_at), 24 h; apologies, escalations,
      // rejected and pending rows are not remedies given
      timeToRecovery: { medianMs: (10 * MINUTE + 22 * HOUR) / 2, count: 4 },
      recoveredOnTheSpot: { count: 2, share: 2 / 18 },
      // 5 answers (the one through the API included): scores 5, 2, 4, 3, 5; resolved 4 of 5
      satisfaction: { answers: 5, satisfiedShare: 0.6, madeItRightShare: 0.8 },
      // cust-1 (17 days apart), cust-2 (3 days); cust-3's other complaint is before the range
      repeatFailures: { customers: 2, complaints: 4 },
      rootCauses: [
        { cause: 'supplier', count: 5, recurring: 2 },
        { cause: 'technology', count: 3, recurring: 1 },
        { cause: 'people', count: 1, recurring: 0 },
      ],
      fairness: [
        {
          failureType: 'outcome',
          severity: 'major',
          answers: 2,
          remedy: 4.5,
          process: 4,
          treatment: 4,
        },
        {
          failureType: 'outcome',
          severity: 'critical',
          answers: 1,
          remedy: 2,
          process: 1,
          treatment: null,
        },
        {
          failureType: 'interaction',
          severity: 'minor',
          answers: 1,
          remedy: null,
          process: null,
          treatment: 2,
        },
      ],
      spend: { daily: spend, budgetPerDay: 2000, total: 2700 },
      spikes: [{ category: 'late', day: '2025-03-31', count: 4, median14: 1 }],
      // Nobody signed in owns any of them: owners typed by a script are names, not people.
      people: [],
      avoided: {
        total: 4,
        byCategory: [
          { category: 'late', count: 3 },
          { category: 'rude', count: 1 },
        ],
      },
    } satisfies Insights)
  })

  it('a shorter range: 7 days, zero-filled, the same spikes', async () => {
    const body = await insights('?days=7')
    expect(body.days).toBe(7)
    expect([body.from, body.to]).toEqual(['2025-03-25', '2025-03-31'])
    expect(body.daily.map((entry) => entry.day)).toEqual(
      zeroDays(Date.parse('2025-03-25T00:00:00Z'), 7).map((entry) => entry.day),
    )
    expect(body.total).toBe(14)
    expect(body.daily[0]).toEqual({ day: '2025-03-25', outcome: 0, process: 1, interaction: 0 })
    expect(body.spend.daily).toHaveLength(7)
    expect(body.spend.total).toBe(2000)
    expect(body.spikes).toEqual([{ category: 'late', day: '2025-03-31', count: 4, median14: 1 }])
    // The one 10 days ago is out of this range.
    expect(body.avoided).toEqual({
      total: 3,
      byCategory: [
        { category: 'late', count: 2 },
        { category: 'rude', count: 1 },
      ],
    })
  })

  it('repeat failures are complaints of one customer within 30 days of each other', async () => {
    const body = await insights('?days=90')
    // + cust-3 (one second apart across the 30-day edge) and cust-6 (exactly 30 days);
    // not cust-5 (35 days)
    expect(body.repeatFailures).toEqual({ customers: 4, complaints: 8 })
    expect(body.total).toBe(23)
  })

  it('counts the same UTC days whatever the session time zone', async () => {
    const expected = await insights()
    await db()
      .connection()
      .execute(async (connection) => {
        const pinned = await fixedClockAdmin(connection, NOW)
        try {
          for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
            await sql`SELECT set_config('TimeZone', ${zone}, false)`.execute(connection)
            // The zone is in force: bucketing in it would move these days.
            const { rows } = await sql<{ kiritimati: string; la: string }>`
              SELECT to_char(${at(0, '10:00:00')}::timestamptz, 'YYYY-MM-DD') AS kiritimati,
                to_char(${at(0, '06:00:00')}::timestamptz, 'YYYY-MM-DD') AS la`.execute(connection)
            expect(zone === 'Pacific/Kiritimati' ? rows[0]!.kiritimati : rows[0]!.la).not.toBe(
              '2025-03-31',
            )
            expect(await insights('', pinned.url), zone).toEqual(expected)
          }
        } finally {
          await sql`RESET TIME ZONE`.execute(connection)
          await pinned.close()
        }
      })
  })

  it('an empty site: zeros and nulls, never NaN', async () => {
    const empty = await createSite(db(), { name: 'Quiet shop', origins: ['https://quiet.example'] })
    const body = await insights('?days=7', fixed.url, empty.adminToken)
    expect(body).toMatchObject({
      total: 0,
      currency: 'EUR',
      topCategories: [],
      topPages: [],
      timeToFirstResponse: { medianMs: null, count: 0 },
      timeToRecovery: { medianMs: null, count: 0 },
      recoveredOnTheSpot: { count: 0, share: null },
      satisfaction: { answers: 0, satisfiedShare: null, madeItRightShare: null },
      repeatFailures: { customers: 0, complaints: 0 },
      rootCauses: [],
      fairness: [],
      spend: { budgetPerDay: 50_000, total: 0 },
      spikes: [],
      avoided: { total: 0, byCategory: [] },
      people: [],
    })
    expect(
      body.daily.every((entry) => entry.outcome + entry.process + entry.interaction === 0),
    ).toBe(true)
  })

  it('the other site sees only its own complaints', async () => {
    const body = await insights('?days=30', fixed.url, other.adminToken)
    expect(body.total).toBe(20)
    expect(body.topPages).toEqual([{ page: 'https://shop.example/checkout', count: 1 }])
    expect(body.spend.total).toBe(10_000)
    expect(body.repeatFailures).toEqual({ customers: 1, complaints: 6 })
    // 5 today over a median of 0 before: a spike; 'rude' had one a day, none today
    expect(body.spikes).toEqual([{ category: 'late', day: '2025-03-31', count: 5, median14: 0 }])
  })

  it('refuses a bad days with 400 naming the field', async () => {
    for (const days of ['6', '366', 'abc', '7.5', '', '-7']) {
      const body = await expectJson(
        await adminFetch(server().url, token, `/insights?days=${days}`),
        400,
      )
      expect(body.error).toMatchObject({ code: 'invalid_request', field: 'days' })
    }
  })

  it('needs the admin token', async () => {
    for (const bearer of [null, 'wrong']) {
      const body = await expectJson(
        await adminFetch(server().url, token, '/insights', { token: bearer }),
        401,
      )
      expect(body.error.code).toBe('unauthorized')
    }
  })

  it('counts a coupon shared by two complaints about one incident once', async () => {
    const { site: shop } = await createSite(db(), { name: 'Shared shop', origins: [] })
    const customer = { id: `shared-${++counter}` }
    const complain = async () => {
      const response = await fetch(`${server().url}/v1/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `shared-${++counter}` },
        // One signed-in customer, twice about one order the shop vouches for.
        body: JSON.stringify(
          await verifiedComplaint(db(), shop, {
            site: shop.public_key,
            category: 'broken',
            severity: 'major',
            description: `Broken on arrival ${counter}`,
            orderRef: 'ORDER-SHARED',
            orderValue: { value: 2000, currency: 'EUR' },
            customer,
          }),
        ),
      })
      return expectJson(response, 201) as Promise<Receipt>
    }
    const first = await complain()
    const second = await complain()
    expect(first.recovery?.kind).toBe('coupon')
    expect(second.recovery).toEqual(first.recovery)
    const rows = await db()
      .selectFrom('recoveries')
      .select(['value', 'status', 'reused_from'])
      .where('site_id', '=', shop.id)
      .where('policy_key', '=', 'remedy')
      .orderBy('seq')
      .execute()
    expect(rows.map((row) => [Number(row.value), row.status, row.reused_from !== null])).toEqual([
      [500, 'issued', false],
      [500, 'issued', true],
    ])

    const body = await computeInsights(db(), shop, { days: 7, now: new Date() })
    expect(body.spend.total).toBe(500)
    const complaint = await db()
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow()
    const caps = await remedyCaps(db(), shop, complaint)
    expect(caps.customer?.spent).toBe(500)
    expect(caps.siteDay.spent).toBe(500)
  })

  it('on the real server (real clock): the last 30 UTC days up to today', async () => {
    const before = new Date().toISOString().slice(0, 10)
    const body = await insights('', server().url)
    const after = new Date().toISOString().slice(0, 10)
    expect(body.days).toBe(30)
    expect([before, after]).toContain(body.to)
    expect(body.daily).toHaveLength(30)
    expect(body.daily.at(-1)!.day).toBe(body.to)
    expect(body.spend.budgetPerDay).toBe(2000)
  })
})
