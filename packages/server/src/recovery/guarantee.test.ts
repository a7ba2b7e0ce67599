import type { Complaint } from '@redress/protocol'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
  verifiedComplaint,
} from '../_test-harness'
import type { Site } from '../db/schema'
import { createSite } from '../sites'
import { startGuaranteeWorker } from './guarantee'
import { issueRemedy } from './issue'
import type { PolicyOverrides } from './policy'

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`
const MINUTE = 60_000

describeEachDatabase('service guarantees and the caps', (database) => {
  // The server's own worker is off: each test runs workers on its own clock.
  const server = useServer(database, { guarantees: false })
  const db = () => server().database.db

  const newSite = async (policy: PolicyOverrides = {}, promise?: number) => {
    const made = await createSite(db(), { name: `Promise ${unique()}`, origins: [], policy })
    if (promise !== undefined) {
      const guarantee = {
        text: 'A reply within 1 minute, or money off',
        firstReplyWithin: 'PT1M',
        remedy: { kind: 'coupon', value: promise },
      }
      await expectJson(
        await adminFetch(server().url, made.adminToken, '/site', {
          method: 'PATCH',
          body: { guarantee },
        }),
      )
    }
    return made
  }

  const post = (site: Site, extra: Partial<Complaint> = {}) =>
    submitComplaint(server().url, { site: site.public_key, ...extra })

  /** `post` from a signed-in customer, whom a customer token vouches for: a guarantee pays them at once. */
  const postVerified = async (site: Site, extra: Partial<Complaint> = {}) =>
    post(site, await verifiedComplaint(db(), site, extra))

  /** Settle every guarantee due within the next two minutes, on a worker of the test's own. */
  const settleDue = async () => {
    const worker = startGuaranteeWorker({
      db: db(),
      interval: false,
      now: () => new Date(Date.now() + 2 * MINUTE),
    })
    await worker.runOnce()
    await worker.stop()
  }

  const guaranteeRow = (complaintId: string) =>
    db()
      .selectFrom('recoveries')
      .selectAll()
      .where('complaint_id', '=', complaintId)
      .where('policy_key', '=', 'guarantee')
      .executeTakeFirstOrThrow()

  const siteDay = async (site: Site) => {
    const rows = await db()
      .selectFrom('recovery_site_days')
      .select('issued')
      .where('site_id', '=', site.id)
      .execute()
    return rows.reduce((sum, row) => sum + Number(row.issued), 0)
  }

  const approve = (token: string, recoveryId: string, value?: number) =>
    adminFetch(server().url, token, `/recoveries/${recoveryId}/approve`, {
      method: 'POST',
      ...(value === undefined ? {} : { body: { value } }),
    })

  const upload = (token: string, csv: string) =>
    fetch(`${server().url}/v1/admin/coupon-pool`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    })

  it('holds broken guarantees to the site’s daily budget, and to no other cap', async () => {
    const { site, adminToken } = await newSite(
      { caps: { perSiteDay: 1000, perComplaintMax: 300, perCustomer30Days: 200 } },
      500,
    )
    const receipts = []
    for (let i = 0; i < 3; i++)
      receipts.push(await postVerified(site, { customer: { id: `cus-${unique()}` } }))
    // Minor complaints: the policy itself gave nothing.
    expect(await siteDay(site)).toBe(0)

    await settleDue()

    const rows = await Promise.all(receipts.map((receipt) => guaranteeRow(receipt.id)))
    // Over the per-complaint (300) and customer (200) caps: a fixed promise.
    expect(rows.map((row) => [row.status, Number(row.value)])).toEqual([
      ['issued', 500],
      ['issued', 500],
      ['pending_approval', 500],
    ])
    // Over the site's day: the owner decides; no code is shown meanwhile.
    expect(rows[2]).toMatchObject({ reason: 'site_day_cap', code: null, recovery: null })
    expect(await siteDay(site)).toBe(1000)
    for (const receipt of receipts) {
      const complaint = await db()
        .selectFrom('complaints')
        .select('guarantee_state')
        .where('id', '=', receipt.id)
        .executeTakeFirstOrThrow()
      expect(complaint.guarantee_state).toBe('broken')
    }
    const broken = await db()
      .selectFrom('events')
      .select(sql<string>`data->>'recoveryId'`.as('recoveryId'))
      .where('complaint_id', '=', receipts[2]!.id)
      .where('type', '=', 'guarantee_broken')
      .executeTakeFirstOrThrow()
    expect(broken.recoveryId).toBe(rows[2]!.id)

    // In the approval queue; approving pays the promise, over the per-complaint ceiling
    // but not beyond the promise.
    const queue = await expectJson(
      await adminFetch(server().url, adminToken, '/complaints?pending=true'),
    )
    expect(queue.items.map((item: { id: string }) => item.id)).toEqual([receipts[2]!.id])
    const tooMuch = await expectJson(await approve(adminToken, rows[2]!.id, 600), 400)
    expect(tooMuch.error).toMatchObject({ code: 'invalid_request', field: 'value' })
    const approved = await expectJson(await approve(adminToken, rows[2]!.id))
    expect(approved).toMatchObject({ status: 'approved', value: 500 })
    expect(await siteDay(site)).toBe(1500)
  })

  it('pays a broken guarantee to an unverified complaint only once the owner approves it', async () => {
    const { site, adminToken } = await newSite({}, 500)
    // Anyone can post a complaint and wait: the customer id it claims is its word only.
    const receipt = await post(site, { customer: { id: `cus-${unique()}` } })
    await settleDue()

    const row = await guaranteeRow(receipt.id)
    expect(row).toMatchObject({
      kind: 'coupon',
      status: 'pending_approval',
      reason: 'unverified',
      code: null,
      recovery: null,
    })
    // At the promised value, so approving it keeps the promise as made.
    expect(Number(row.value)).toBe(500)
    expect(await siteDay(site)).toBe(0)
    const state = await db()
      .selectFrom('complaints')
      .select('guarantee_state')
      .where('id', '=', receipt.id)
      .executeTakeFirstOrThrow()
    expect(state.guarantee_state).toBe('broken')

    const approved = await expectJson(await approve(adminToken, row.id))
    expect(approved).toMatchObject({ status: 'approved', value: 500 })
    expect(approved.recovery).toMatchObject({ kind: 'coupon', label: '€5.00 off your next order' })
    expect(await siteDay(site)).toBe(500)
  })

  it('pays a guarantee from the pool only with a code of exactly the promised value', async () => {
    const { site, adminToken } = await newSite({ coupon: { source: 'pool' } })
    await expectJson(await upload(adminToken, 'code,value\nG-5000,5000\nG-7000,7000\n'), 201)
    const promise = (complaintId: string) =>
      db()
        .transaction()
        .execute((trx) =>
          issueRemedy(trx, {
            site,
            complaintId,
            policyKey: 'guarantee',
            // More than the default per-complaint ceiling (5000): a promise is a promise.
            remedy: { kind: 'coupon', value: 6000 },
            caps: 'guarantee',
          }),
        )

    const waiting = await postVerified(site)
    const { row } = await promise(waiting.id)
    expect(row).toMatchObject({
      status: 'pending_approval',
      reason: 'coupon_pool_empty',
      code: null,
    })
    expect(Number(row.value)).toBe(6000)
    const none = await expectJson(await approve(adminToken, row.id), 409)
    expect(none.error.message).toContain('exactly')

    await expectJson(await upload(adminToken, 'code,value\nG-6000-A,6000\nG-6000-B,6000\n'), 201)
    const approved = await expectJson(await approve(adminToken, row.id))
    expect(approved).toMatchObject({ status: 'approved', value: 6000, code: 'G-6000-A' })

    const atOnce = await promise((await postVerified(site)).id)
    expect(atOnce.row).toMatchObject({ status: 'issued', code: 'G-6000-B' })
    expect(Number(atOnce.row.value)).toBe(6000)
    const pool = await expectJson(await adminFetch(server().url, adminToken, '/coupon-pool'))
    expect(pool.byValue).toEqual([
      { value: 5000, free: 1 },
      { value: 7000, free: 1 },
    ])
  })

  it('never deadlocks an approval against a remedy issued by hand on one complaint, and keeps the per-complaint cap', async () => {
    if (database().name !== 'PostgreSQL') return // PGlite runs one transaction at a time
    const { site, adminToken } = await newSite({ caps: { perSiteDay: 10_000_000 } })
    for (let round = 0; round < 30; round++) {
      // An order in another currency: the coupon waits for approval (value 0).
      const receipt = await postVerified(site, {
        category: 'broken',
        severity: 'major',
        orderValue: { value: 4000, currency: 'USD' },
        customer: { id: `race-${unique()}` },
      })
      const pending = (
        await db()
          .selectFrom('recoveries')
          .select('id')
          .where('complaint_id', '=', receipt.id)
          .where('policy_key', '=', 'remedy')
          .where('status', '=', 'pending_approval')
          .executeTakeFirstOrThrow()
      ).id
      const [approval, byHand] = await Promise.all([
        approve(adminToken, pending, 3000),
        adminFetch(server().url, adminToken, `/complaints/${receipt.id}/recoveries`, {
          method: 'POST',
          body: { kind: 'coupon', value: 3000 },
        }),
      ])
      const handBody = await byHand.json()
      expect(approval.status, `round ${round}`).toBe(200)
      expect([201, 409], JSON.stringify(handBody)).toContain(byHand.status)
      if (byHand.status === 409) {
        expect(handBody.error.code).toBe('cap_exceeded')
        continue
      }
      // Issued by hand only when the approval had not come first (5000 per complaint).
      const events = await db()
        .selectFrom('events')
        .select(['type', 'data'])
        .where('complaint_id', '=', receipt.id)
        .where('type', 'in', ['recovery', 'recovery_approved'])
        .orderBy('id')
        .execute()
      const order = events
        .filter((event) => event.type === 'recovery_approved' || event.data.by === 'admin')
        .map((event) => event.type)
      expect(order, `round ${round}`).toEqual(['recovery', 'recovery_approved'])
    }
  })

  it('never deadlocks two guarantee workers whose batches touch two sites in opposite orders', async () => {
    if (database().name !== 'PostgreSQL') return // PGlite runs one transaction at a time
    const a = (await newSite({}, 500)).site
    const b = (await newSite({}, 500)).site
    const base = Date.now()
    for (let round = 0; round < 15; round++) {
      // Due in the order a, b, b, a: by due time alone one batch is [a, b], the other [b, a].
      const sites = [a, b, b, a]
      const ids = []
      for (const site of sites) ids.push((await postVerified(site)).id)
      for (const [index, id] of ids.entries()) {
        await db()
          .updateTable('complaints')
          .set({ guarantee_due_at: new Date(base - (4 - index) * MINUTE) })
          .where('id', '=', id)
          .execute()
      }
      const workers = [0, 1].map(() =>
        startGuaranteeWorker({ db: db(), interval: false, batchSize: 2, now: () => new Date() }),
      )
      const settled = await Promise.all(workers.map((worker) => worker.runOnce()))
      await Promise.all(workers.map((worker) => worker.stop()))
      expect(
        settled.reduce((sum, n) => sum + n, 0),
        `round ${round}`,
      ).toBe(4)
      const issued = await db()
        .selectFrom('recoveries')
        .select('id')
        .where('complaint_id', 'in', ids)
        .where('policy_key', '=', 'guarantee')
        .where('status', '=', 'issued')
        .execute()
      expect(issued).toHaveLength(4)
    }
    expect(await siteDay(a)).toBe(15 * 2 * 500)
  })
})
