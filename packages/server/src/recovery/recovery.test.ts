import type { Complaint, Receipt, Recovery, StatusReport } from '@redress/protocol'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { COUPON_CODE_PATTERN, complaintId, couponCode, reference } from '../_lib/crypto'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  refusal,
  useServer,
  verifiedComplaint,
} from '../_test-harness'
import type { Site, SiteCategory, Suspicion } from '../db/schema'
import { computeInsights } from '../insights'
import { createSite, DEFAULT_CATEGORIES } from '../sites'
import { decidePending } from './approvals'
import { remedyCaps } from './caps'
import { applyPolicy } from './decide'
import { DEFAULT_POLICY, effectivePolicy, HARD_CAP_PERCENT, type PolicyOverrides } from './policy'

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`

describe('policy as data', () => {
  const site = (policy: unknown) => ({ categories: [], policy }) as never

  it('merges a site policy over the defaults, ignoring wrong types and unknown keys', () => {
    const policy = effectivePolicy(
      site({
        currency: 'CNY',
        coupon: { percent: { major: 10 } },
        texts: { en: { couponLabel: 42, apology: '  ' }, 'zh-CN': { review: 'x' } },
        categories: { delivery: 'process', bad: 'nonsense' },
        remedies: { outcome: { kind: 'cash' } },
        surprise: true,
      }),
    )
    expect(policy.currency).toBe('CNY')
    expect(policy.coupon.percent).toEqual({ major: 10, critical: 60 })
    expect(policy.texts.en).toEqual(DEFAULT_POLICY.texts.en)
    expect(policy.texts['zh-CN']).toEqual({ ...DEFAULT_POLICY.texts['zh-CN'], review: 'x' })
    expect(policy.categories).toMatchObject({ delivery: 'process', broken: 'outcome' })
    expect(policy.categories).not.toHaveProperty('bad')
    expect(policy.remedies.outcome.kind).toBe('coupon')
    expect(policy).not.toHaveProperty('surprise')
  })

  it('never lets the per-complaint cap above the hard cap', () => {
    expect(effectivePolicy(site(null)).caps.perComplaintPercent).toBe(100)
    expect(
      effectivePolicy(site({ caps: { perComplaintPercent: 400 } })).caps.perComplaintPercent,
    ).toBe(HARD_CAP_PERCENT)
    expect(HARD_CAP_PERCENT).toBe(150)
  })

  it('takes refunds, corrections and a coupon pool as policy, and refuses what does not fit', () => {
    const good = {
      remedies: { outcome: { kind: 'refund' }, process: { kind: 'correction' } },
      refund: { percent: { major: 50, critical: 100 } },
      coupon: { source: 'pool' },
      texts: { en: { correction: 'Fixed it.', refund: 'Refunded: {amount}.' } },
    }
    expect(refusal('policy', good)).toBeUndefined()
    const policy = effectivePolicy(site(good))
    expect(policy.remedies.outcome.kind).toBe('refund')
    expect(policy.remedies.process.kind).toBe('correction')
    expect(policy.coupon.source).toBe('pool')
    expect(policy.refund.percent).toEqual({ major: 50, critical: 100 })
    expect(effectivePolicy(site(null)).coupon.source).toBe('generated')
    expect(effectivePolicy(site({ coupon: { source: 'magic' } })).coupon.source).toBe('generated')

    const field = (overrides: unknown) => refusal('policy', overrides)?.field
    expect(field({ coupon: { source: 'magic' } })).toBe('policy.coupon.source')
    expect(field({ refund: { percent: { major: -1 } } })).toBe('policy.refund.percent.major')
    expect(field({ texts: { en: { refund: '' } } })).toBe('policy.texts.en.refund')
    expect(field({ remedies: { outcome: { kind: 'cash' } } })).toBe('policy.remedies.outcome.kind')
  })

  it('makes coupon codes of 20 unambiguous characters from the CSPRNG, all different', () => {
    const codes = Array.from({ length: 2000 }, couponCode)
    for (const code of codes) expect(code).toMatch(COUPON_CODE_PATTERN)
    expect(new Set(codes).size).toBe(codes.length)
    // Every character of the 30-letter alphabet turns up: no narrowed range.
    expect(new Set(codes.join('')).size).toBe(30)
  })
})

describeEachDatabase('recovery policy', (database) => {
  const server = useServer(database)
  const db = () => server().database.db

  const newSite = async (policy?: PolicyOverrides) =>
    (
      await createSite(db(), {
        name: `Shop ${unique()}`,
        origins: [],
        ...(policy ? { policy } : {}),
      })
    ).site

  const post = async (
    site: { public_key: string },
    extra: Partial<Complaint> = {},
    key = unique(),
  ) => {
    const response = await fetch(`${server().url}/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({
        site: site.public_key,
        category: 'broken',
        severity: 'major',
        description: `It went wrong (${unique()})`,
        ...extra,
      }),
    })
    expect(response.status).toBeLessThan(300)
    return (await response.json()) as Receipt
  }

  /**
   * `post` as a signed-in customer's page sends it: `customer.id` and
   * `orderValue` (with `orderRef`) vouched for by a customer token, so money
   * is decided on them.
   */
  const postVerified = async (
    site: Pick<Site, 'id' | 'public_key'>,
    extra: Partial<Complaint> = {},
  ) => post(site, await verifiedComplaint(db(), site, extra))

  const rowsOf = (complaintId: string) =>
    db()
      .selectFrom('recoveries')
      .selectAll()
      .where('complaint_id', '=', complaintId)
      .orderBy('seq')
      .execute()

  const status = async (receipt: Receipt) =>
    (await (
      await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
        headers: { authorization: `Bearer ${receipt.token}` },
      })
    ).json()) as StatusReport

  const EUR = (value: number) => ({ value, currency: 'EUR' })
  const { apology, explanation, review } = DEFAULT_POLICY.texts.en

  const siteDayTotal = async (site: Site) => {
    const rows = await db()
      .selectFrom('recovery_site_days')
      .select('issued')
      .where('site_id', '=', site.id)
      .execute()
    return rows.reduce((sum, row) => sum + Number(row.issued), 0)
  }

  /**
   * Store a complaint no customer token vouched for and run the policy in one
   * transaction, as ingest does, with the bot signal the engine is given
   * (ingest sets it from the form). The body's customer id is only its word:
   * the row keeps none.
   */
  const storeAndApply = (site: Site, complaint: Complaint, suspicion: Suspicion | null) =>
    db()
      .transaction()
      .execute(async (trx) => {
        const id = complaintId()
        const now = new Date()
        await trx
          .insertInto('complaints')
          .values({
            id,
            site_id: site.id,
            reference: reference(),
            idempotency_key: unique(),
            request_hash: 'test',
            token_hash: 'test',
            body: JSON.stringify(complaint),
            category: complaint.category,
            severity: complaint.severity,
            status: 'received',
            customer_id: null,
            order_ref: complaint.orderRef ?? null,
            receipt: '{}',
            received_at: now,
            updated_at: now,
            suspicion,
          })
          .execute()
        return applyPolicy(trx, { id, complaint, suspicion }, site, now)
      })

  describe('defaults per severity and failure type', () => {
    // broken → outcome, slow and other → process, staff → interaction.
    const cases: [string, Complaint['severity'], string, string[]][] = [
      ['broken', 'minor', 'apology', ['apology']],
      ['slow', 'minor', 'apology', ['apology']],
      ['staff', 'minor', 'apology', ['apology']],
      ['broken', 'major', 'coupon', ['apology', 'coupon']],
      ['slow', 'major', 'coupon', ['apology', 'coupon']],
      ['other', 'major', 'coupon', ['apology', 'coupon']],
      ['staff', 'major', 'escalation', ['apology', 'escalation']],
      ['broken', 'critical', 'coupon', ['apology', 'coupon', 'escalation']],
      ['slow', 'critical', 'coupon', ['apology', 'coupon', 'escalation']],
      ['staff', 'critical', 'escalation', ['apology', 'escalation']],
    ]
    it.each(cases)('%s, %s → %s (%j)', async (category, severity, kind, kinds) => {
      const site = await newSite()
      const receipt = await postVerified(site, { category, severity, orderValue: EUR(4000) })
      expect(receipt.recovery?.kind).toBe(kind)
      const rows = await rowsOf(receipt.id)
      expect(rows.map((row) => row.kind)).toEqual(kinds)
      expect(rows.every((row) => row.status === 'issued')).toBe(true)
      const recovery = receipt.recovery!
      if (recovery.kind === 'apology') expect(recovery.message).toBe(`${apology} ${explanation}`)
      if (recovery.kind === 'escalation') {
        expect(recovery.message).toContain(apology)
        expect(recovery.contactWithin).toBe('PT2H')
      }
      if (recovery.kind === 'coupon') {
        // 25% of the order for major, 60% for critical.
        const value = severity === 'critical' ? 2400 : 1000
        expect(Number(rows[1]!.value)).toBe(value)
        expect(recovery.label).toBe(`€${value / 100}.00 off your next order`)
        expect(recovery.code).toMatch(COUPON_CODE_PATTERN)
        expect(Date.parse(recovery.expiresAt!) - Date.parse(receipt.receivedAt)).toBe(
          90 * 86_400_000,
        )
      }
    })

    it('leaves a coupon to a person when no vouched order sizes it, and replaces the vouched order when configured', async () => {
      const unsized = await postVerified(await newSite(), { category: 'order' })
      expect(unsized.recovery).toEqual({ kind: 'apology', message: `${apology} ${review}` })
      const waiting = (await rowsOf(unsized.id))[1]!
      expect(waiting).toMatchObject({
        kind: 'coupon',
        status: 'pending_approval',
        reason: 'unverified',
        code: null,
      })
      expect(Number(waiting.value)).toBe(0)

      const site = await newSite({ remedies: { outcome: { kind: 'replacement' } } })
      const vouched = await verifiedComplaint(db(), site, {
        orderRef: 'A-7',
        orderValue: EUR(2000),
      })
      // What the page says the order was worth changes nothing: the token's value is used.
      const replaced = await post(site, { ...vouched, orderValue: EUR(9000) })
      expect(replaced.recovery).toEqual({
        kind: 'replacement',
        message: "We'll send you a replacement for order A-7 at no cost.",
      })
      expect(Number((await rowsOf(replaced.id))[1]!.value)).toBe(2000)
    })
  })

  describe('refunds', () => {
    const refundSite = (policy: PolicyOverrides = {}) =>
      createSite(db(), {
        name: `Refunds ${unique()}`,
        origins: [],
        policy: { remedies: { outcome: { kind: 'refund' } }, ...policy },
      })

    it('refunds the order value, shrunk to the per-complaint cap', async () => {
      const { site } = await refundSite()
      const full = await postVerified(site, { orderValue: EUR(4000) })
      expect(full.recovery).toEqual({
        kind: 'refund',
        amount: { value: 4000, currency: 'EUR' },
        message: "We're refunding €40.00 to your original payment method.",
      })
      expect((await rowsOf(full.id)).map((row) => [row.kind, Number(row.value)])).toEqual([
        ['apology', 0],
        ['refund', 4000],
      ])
      // The absolute ceiling holds whatever the order the shop vouches for was worth.
      const costly = await postVerified(site, { orderValue: EUR(90_000) })
      expect(costly.recovery).toMatchObject({ amount: { value: 5000 } })
      expect(await siteDayTotal(site)).toBe(9000)

      const half = (await refundSite({ caps: { perComplaintPercent: 50 } })).site
      const shrunk = await postVerified(half, { orderValue: EUR(4000) })
      expect(shrunk.recovery).toMatchObject({ kind: 'refund', amount: { value: 2000 } })
      expect((shrunk.recovery as { message: string }).message).toContain('€20.00')
    })

    it('counts a refund against the customer cap like a coupon', async () => {
      const { site } = await refundSite({ caps: { perCustomer30Days: 6000 } })
      const customer = { id: `cust-${unique()}` }
      const first = await postVerified(site, { customer, orderRef: 'F-1', orderValue: EUR(4000) })
      expect(first.recovery?.kind).toBe('refund')
      const second = await postVerified(site, { customer, orderRef: 'F-2', orderValue: EUR(4000) })
      expect(second.recovery?.kind).toBe('escalation')
      expect((await rowsOf(second.id))[1]).toMatchObject({
        kind: 'refund',
        status: 'pending_approval',
        reason: 'customer_cap',
        recovery: null,
      })
      expect(await siteDayTotal(site)).toBe(4000)
    })

    it('waits for approval when no vouched order sizes it, and approving pays the value given', async () => {
      const { site, adminToken } = await refundSite()
      // A verified customer, but the token vouches for no order: nothing to size a refund on.
      const receipt = await postVerified(site, {})
      expect(receipt.recovery).toEqual({ kind: 'apology', message: `${apology} ${review}` })
      const row = (await rowsOf(receipt.id))[1]!
      expect(row).toMatchObject({ kind: 'refund', status: 'pending_approval' })
      expect(row.reason).toBe('unverified')
      expect(Number(row.value)).toBe(0)

      const approve = (body?: unknown) =>
        adminFetch(server().url, adminToken, `/recoveries/${row.id}/approve`, {
          method: 'POST',
          ...(body ? { body } : {}),
        })
      expect((await expectJson(await approve(), 400)).error.field).toBe('value')
      const approved = await expectJson(await approve({ value: 1500 }))
      expect(approved).toMatchObject({ status: 'approved', value: 1500, changed: true })
      const refund = {
        kind: 'refund',
        amount: { value: 1500, currency: 'EUR' },
        message: "We're refunding €15.00 to your original payment method.",
      }
      expect(approved.recovery).toEqual(refund)
      expect((await status(receipt)).recoveries).toContainEqual(refund)
      expect(await siteDayTotal(site)).toBe(1500)

      // An order in another currency waits too, for its own reason.
      const usd = await postVerified(site, { orderValue: { value: 1000, currency: 'USD' } })
      expect((await rowsOf(usd.id))[1]).toMatchObject({
        status: 'pending_approval',
        reason: 'currency',
      })
    })
  })

  it('tells the customer a process failure was corrected, at no cost', async () => {
    const site = await newSite({ remedies: { process: { kind: 'correction' } } })
    const receipt = await post(site, { category: 'slow', orderValue: EUR(3000) })
    const correction = { kind: 'correction', message: "We've fixed the problem you reported." }
    expect(receipt.recovery).toEqual(correction)
    const rows = await rowsOf(receipt.id)
    expect(rows.map((row) => [row.kind, row.status, Number(row.value)])).toEqual([
      ['apology', 'issued', 0],
      ['correction', 'issued', 0],
    ])
    expect((await status(receipt)).recoveries).toEqual([
      { kind: 'apology', message: apology },
      correction,
    ])
    expect(await siteDayTotal(site)).toBe(0)
  })

  it('gives no money when the firm is not responsible for the category, but still a person', async () => {
    const categories: SiteCategory[] = [
      ...DEFAULT_CATEGORIES,
      { id: 'carrier', failureType: 'outcome', firmResponsible: false },
    ]
    const { site } = await createSite(db(), { name: `Shop ${unique()}`, origins: [], categories })
    // Verified customers with vouched orders: money would be given, were the firm at fault.
    const major = await postVerified(site, { category: 'carrier', orderValue: EUR(4000) })
    expect(major.recovery).toEqual({ kind: 'apology', message: `${apology} ${explanation}` })
    expect((await rowsOf(major.id)).map((row) => row.kind)).toEqual(['apology'])

    const critical = await postVerified(site, {
      category: 'carrier',
      severity: 'critical',
      orderValue: EUR(4000),
    })
    expect((await rowsOf(critical.id)).map((row) => row.kind)).toEqual(['apology', 'escalation'])
    expect(critical.recovery).toMatchObject({ kind: 'escalation' })
    expect((critical.recovery as { message: string }).message).toContain(explanation)
    expect(await siteDayTotal(site)).toBe(0)

    // The same site still pays for what it is responsible for.
    const broken = await postVerified(site, { category: 'broken', orderValue: EUR(4000) })
    expect(broken.recovery?.kind).toBe('coupon')

    const decide = async (id: string, category: string) =>
      db()
        .transaction()
        .execute((trx) =>
          applyPolicy(
            trx,
            { id, complaint: { category, severity: 'major', description: 'x' } as Complaint },
            site,
          ),
        )
    expect((await decide(major.id, 'carrier')).firmResponsible).toBe(false)
    expect((await decide(broken.id, 'broken')).firmResponsible).toBe(true)
  })

  it('gives a suspected bot the apology only, and lets it claim nothing', async () => {
    const site = await newSite()
    const customer = { id: `cust-${unique()}` }
    const orderRef = `BOT-${unique()}`
    const bot = await storeAndApply(
      site,
      {
        site: site.public_key,
        category: 'broken',
        severity: 'critical',
        description: 'buy cheap watches',
        customer,
        orderRef,
        orderValue: EUR(4000),
      } as Complaint,
      'honeypot',
    )
    expect(bot.suspicion).toBe('honeypot')
    expect(bot.recovery).toEqual({ kind: 'apology', message: `${apology} ${explanation}` })
    expect(bot.rows.map((row) => row.kind)).toEqual(['apology'])
    await storeAndApply(
      site,
      {
        site: site.public_key,
        category: 'slow',
        severity: 'major',
        description: 'x',
        customer,
      } as Complaint,
      'too_fast',
    )
    expect(await siteDayTotal(site)).toBe(0)
    const claimed = await db()
      .selectFrom('incidents')
      .select('complaint_id')
      .where('site_id', '=', site.id)
      .execute()
    expect(claimed).toEqual([])

    // The real customer's report of the same order gets its own remedy, and the
    // bot's complaints do not make it a repeat failure (no escalation).
    const real = await postVerified(site, { customer, orderRef, orderValue: EUR(4000) })
    expect(real.recovery?.kind).toBe('coupon')
    expect((await rowsOf(real.id)).map((row) => row.kind)).toEqual(['apology', 'coupon'])
  })

  it('escalates a repeat failure by the same customer within 30 days, not after', async () => {
    const site = await newSite()
    const customer = { id: `cust-${unique()}` }
    const first = await postVerified(site, { severity: 'minor', customer, orderRef: 'R-1' })
    expect(first.recovery?.kind).toBe('apology')
    // The same incident again is not a second failure.
    const same = await postVerified(site, { severity: 'minor', customer, orderRef: 'R-1' })
    expect(same.recovery?.kind).toBe('apology')
    const second = await postVerified(site, {
      severity: 'minor',
      customer,
      orderRef: 'R-2',
      orderValue: EUR(3000),
    })
    expect(second.recovery?.kind).toBe('coupon')
    expect((await rowsOf(second.id)).map((row) => row.kind)).toEqual([
      'apology',
      'coupon',
      'escalation',
    ])

    const later = { id: `cust-${unique()}` }
    const old = await postVerified(site, { severity: 'minor', customer: later })
    await db()
      .updateTable('complaints')
      .set({ received_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('id', '=', old.id)
      .execute()
    const fresh = await postVerified(site, { severity: 'minor', customer: later })
    expect(fresh.recovery?.kind).toBe('apology')
  })

  it('caps a coupon at 100% of the order by default and 150% whatever the site asks', async () => {
    const greedy = await newSite({ coupon: { percent: { major: 120 } } })
    const capped = await postVerified(greedy, { orderValue: EUR(3000) })
    expect(Number((await rowsOf(capped.id))[1]!.value)).toBe(3000)

    const reckless = await newSite({
      coupon: { percent: { major: 300 } },
      caps: { perComplaintPercent: 1000, perComplaintMax: 1_000_000 },
    })
    const hard = await postVerified(reckless, { orderValue: EUR(3000) })
    expect(hard.recovery?.kind).toBe('coupon')
    expect(Number((await rowsOf(hard.id))[1]!.value)).toBe(4500)

    // The absolute ceiling holds whatever order value the shop vouches for.
    const site = await newSite()
    const costly = await postVerified(site, { orderValue: EUR(10_000_000) })
    expect(Number((await rowsOf(costly.id))[1]!.value)).toBe(DEFAULT_POLICY.caps.perComplaintMax)
  })

  it('sends a remedy in another currency for approval, with an apology that says so', async () => {
    const site = await newSite()
    const receipt = await postVerified(site, { orderValue: { value: 1000, currency: 'USD' } })
    expect(receipt.recovery).toEqual({ kind: 'apology', message: `${apology} ${review}` })
    const rows = await rowsOf(receipt.id)
    expect(rows[1]).toMatchObject({ status: 'pending_approval', reason: 'currency', code: null })
    expect((await status(receipt)).recoveries).toEqual([receipt.recovery])
  })

  it('never lets 200 concurrent complaints from one customer exceed the customer cap', async () => {
    // A quarter of each €40 order, repeat failures (critical) included: €10 a coupon.
    const site = await newSite({
      coupon: { percent: { major: 25, critical: 25 } },
      caps: { perCustomer30Days: 5000, perSiteDay: 1_000_000 },
    })
    const customer = { id: `cust-${unique()}` }
    // Tokens first, so that only the complaints themselves race.
    const bodies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        verifiedComplaint(db(), site, { customer, orderRef: `C-${i}`, orderValue: EUR(4000) }),
      ),
    )
    const receipts = await Promise.all(bodies.map((body) => post(site, body)))
    const rows = await db()
      .selectFrom('recoveries')
      .selectAll()
      .where('site_id', '=', site.id)
      .where('policy_key', '=', 'remedy')
      .execute()
    const issued = rows.filter((row) => row.status === 'issued')
    expect(rows).toHaveLength(200)
    expect(issued.reduce((sum, row) => sum + Number(row.value), 0)).toBe(5000)
    expect(issued).toHaveLength(5)
    expect(rows.filter((row) => row.status === 'pending_approval')).toHaveLength(195)
    expect(new Set(issued.map((row) => row.code)).size).toBe(5)
    // A pending remedy never shows a code: the receipt is an apology (or the
    // escalation repeat failures get) saying a person will review it.
    const coupons = receipts.filter((receipt) => receipt.recovery?.kind === 'coupon')
    expect(coupons).toHaveLength(5)
    for (const receipt of receipts) {
      if (receipt.recovery?.kind !== 'coupon')
        expect((receipt.recovery as { message: string }).message).toContain(review)
    }
  })

  it('never lets 200 concurrent complaints exceed the site budget for the day', async () => {
    // 200 customers, each owed a quarter of a €40 order: €10 a coupon.
    const site = await newSite({ caps: { perSiteDay: 7000 } })
    const bodies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        verifiedComplaint(db(), site, { customer: { id: `many-${i}` }, orderValue: EUR(4000) }),
      ),
    )
    await Promise.all(bodies.map((body) => post(site, body)))
    const issued = await db()
      .selectFrom('recoveries')
      .select(sql<string>`coalesce(sum(value), 0)`.as('total'))
      .select(sql<string>`count(*)`.as('n'))
      .where('site_id', '=', site.id)
      .where('status', '=', 'issued')
      .where('kind', '=', 'coupon')
      .executeTakeFirstOrThrow()
    expect([Number(issued.total), Number(issued.n)]).toEqual([7000, 7])
    const day = await db()
      .selectFrom('recovery_site_days')
      .select('issued')
      .where('site_id', '=', site.id)
      .executeTakeFirstOrThrow()
    expect(Number(day.issued)).toBe(7000)
  })

  it('replays the same coupon and issues nothing twice', async () => {
    const site = await newSite()
    const key = unique()
    const body = await verifiedComplaint(db(), site, {
      description: `Replay me ${unique()}`,
      orderValue: EUR(2000),
    })
    const first = await post(site, body, key)
    const again = await post(site, body, key)
    expect(again.recovery).toEqual(first.recovery)
    expect(await rowsOf(first.id)).toHaveLength(2)

    // Calling the engine again for the same complaint finds its ledger rows.
    const siteRow = await db()
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', site.id)
      .executeTakeFirstOrThrow()
    const complaint = await db()
      .selectFrom('complaints')
      .select(['body', 'verified'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow()
    const decision = await db()
      .transaction()
      .execute((trx) =>
        applyPolicy(
          trx,
          { id: first.id, complaint: complaint.body, verified: complaint.verified },
          siteRow,
        ),
      )
    expect(decision.recovery).toEqual(first.recovery)
    expect(await rowsOf(first.id)).toHaveLength(2)
    const day = await db()
      .selectFrom('recovery_site_days')
      .select('issued')
      .where('site_id', '=', site.id)
      .executeTakeFirstOrThrow()
    expect(Number(day.issued)).toBe(500)
  })

  it('gives the same incident the same remedy, once', async () => {
    const site = await newSite()
    // One customer reporting one order twice.
    const incident = {
      category: 'broken',
      orderRef: `INC-${unique()}`,
      orderValue: EUR(2000),
      customer: { id: `alice-${unique()}` },
    }
    const a = await postVerified(site, incident)
    const b = await postVerified(site, { ...incident, severity: 'critical' })
    expect(a.recovery?.kind).toBe('coupon')
    expect(b.recovery).toEqual(a.recovery)
    const [rowA, rowB] = [(await rowsOf(a.id))[1]!, (await rowsOf(b.id))[1]!]
    expect(rowB).toMatchObject({ kind: 'coupon', value: rowA.value, reused_from: rowA.id })
    // Critical still brings a person.
    expect((await rowsOf(b.id)).map((row) => row.kind)).toContain('escalation')
    // Counted once against the budget; another category on the order is another incident.
    const day = await db()
      .selectFrom('recovery_site_days')
      .select('issued')
      .where('site_id', '=', site.id)
      .executeTakeFirstOrThrow()
    expect(Number(day.issued)).toBe(500)
    const other = await postVerified(site, { ...incident, category: 'slow' })
    expect((other.recovery as { code: string }).code).not.toBe(
      (a.recovery as { code: string }).code,
    )
  })

  it('approving a shared remedy whose first was never given makes a coupon of its own, counted in the caps and Insights', async () => {
    // Nothing fits the day: the incident's first remedy waits, and so does the second's.
    const site = await newSite({ caps: { perSiteDay: 0 } })
    const incident = {
      category: 'broken',
      orderRef: `INC-${unique()}`,
      orderValue: EUR(2000),
      customer: { id: `ann-${unique()}` },
    }
    const a = await postVerified(site, incident)
    const b = await postVerified(site, incident)
    const [rowA, rowB] = [(await rowsOf(a.id))[1]!, (await rowsOf(b.id))[1]!]
    expect(rowA).toMatchObject({ status: 'pending_approval', reused_from: null })
    expect(rowB).toMatchObject({ status: 'pending_approval', reused_from: rowA.id })

    const approve = (recoveryId: string) =>
      db()
        .transaction()
        .execute((trx) => decidePending(trx, { site, recoveryId, decision: 'approve', value: 500 }))
    const approvedB = (await approve(rowB.id))!.row
    expect(approvedB).toMatchObject({ status: 'approved', reused_from: null })
    expect(approvedB.code).toBeTruthy()
    const complaintB = await db()
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow()
    const caps = await remedyCaps(db(), site, complaintB)
    expect(caps.customer?.spent).toBe(500)
    expect(caps.siteDay.spent).toBe(500)
    const spend = async () =>
      (await computeInsights(db(), site, { days: 7, now: new Date() })).spend.total
    expect(await spend()).toBe(500)

    // The first complaint's remedy, approved now, is another coupon, given too.
    const approvedA = (await approve(rowA.id))!.row
    expect(approvedA.code).not.toBe(approvedB.code)
    expect(await spend()).toBe(1000)
    expect(await siteDayTotal(site)).toBe(1000)
  })

  it('lists the issued recoveries in the status report, never a pending one', async () => {
    const site = await newSite({ caps: { perSiteDay: 0 } })
    const pending = await postVerified(site, {
      category: 'slow',
      severity: 'critical',
      orderValue: EUR(2000),
    })
    const report = await status(pending)
    expect(report.recoveries.map((recovery: Recovery) => recovery.kind)).toEqual([
      'apology',
      'escalation',
    ])
    expect(JSON.stringify(report)).not.toMatch(/"code"/)
    expect(pending.recovery).toEqual(report.recoveries[1])

    const issued = await post(await newSite(), { category: 'staff', severity: 'major' })
    expect((await status(issued)).recoveries).toEqual([
      { kind: 'apology', message: apology },
      issued.recovery,
    ])
  })
})
