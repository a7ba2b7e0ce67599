import http from 'node:http'
import type { Complaint } from '@redress/protocol'
import { couponCsvSchema } from '@redress/protocol/admin'
import { describe, expect, it } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
  verifiedComplaint,
} from '../_test-harness'
import type { Site } from '../db/schema'
import { valid } from '../http'
import { createSite } from '../sites'
import { POOL_LIMITS } from './coupon-pool'
import type { PolicyOverrides } from './policy'

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`
const DAY_MS = 86_400_000

describe('couponCsvSchema', () => {
  const now = new Date('2026-01-10T12:00:00Z')
  const parseCouponCsv = (text: string, at: Date) =>
    valid(
      couponCsvSchema(() => at),
      text,
    )
  const problem = (text: string) => {
    try {
      parseCouponCsv(text, now)
    } catch (error) {
      return (error as Error).message
    }
    throw new Error('accepted')
  }

  it('reads codes with CRLF, a BOM, quoted cells, blank lines, and dates through their day', () => {
    const text =
      '\uFEFFCode,Value,Expires_At\r\nSAVE-1,500,2026-12-31\r\n"SAVE,2",1200,\r\n\r\nSAVE-3, 250 ,2026-06-01T18:00:00+02:00\r\n'
    expect(parseCouponCsv(text, now)).toEqual([
      { code: 'SAVE-1', value: 500, expiresAt: new Date('2026-12-31T23:59:59.999Z') },
      { code: 'SAVE,2', value: 1200, expiresAt: null },
      { code: 'SAVE-3', value: 250, expiresAt: new Date('2026-06-01T16:00:00Z') },
    ])
    expect(parseCouponCsv('code,value\nA,1\n', now)).toEqual([
      { code: 'A', value: 1, expiresAt: null },
    ])
  })

  it('names every kind of bad line, up to ten of them', () => {
    expect(problem('value,code\nA,1')).toMatch(
      /first line must be the header code,value,expires_at/,
    )
    expect(problem('code,value,expires_at\n')).toMatch(/No codes/)
    const bad = [
      'code,value,expires_at',
      'GOOD,500,',
      'A,5.00,',
      'B,0,',
      'C,-3,',
      'has space,100,',
      `${'x'.repeat(65)},100,`,
      'D,100,2026-02-30',
      'E,100,tomorrow',
      'F,100,2026-01-01',
      'G,100,2026-12-01T10:00:00',
      'GOOD,500,',
      '"H,100,',
      'I',
      'J,100,,extra',
    ].join('\n')
    const message = problem(bad)
    expect(message).toMatch(
      /^13 bad lines, nothing was stored: line 3: value must be a whole number/,
    )
    expect(message).toContain('line 4: value must be')
    expect(message).toContain('line 6: code must be 1–64 characters without spaces')
    expect(message).toContain('line 7: code must be')
    expect(message).toContain('line 8: expires_at 2026-02-30 is not a date')
    expect(message).toContain('line 9: expires_at must be an ISO 8601 date')
    expect(message).toContain('line 10: expires_at 2026-01-01 is in the past')
    expect(message).toContain('line 11: expires_at must be')
    expect(message).toContain('line 12: code GOOD is also on line 2')
    expect(message).not.toContain('line 13')
    expect(message).toMatch(/; and 3 more$/)
  })

  it(`refuses more than ${POOL_LIMITS.codes} codes at once`, () => {
    const lines = Array.from({ length: POOL_LIMITS.codes + 1 }, (_, i) => `C${i},100`)
    expect(problem(`code,value\n${lines.join('\n')}`)).toMatch(
      /At most 10000 codes per upload \(this one has 10001\)/,
    )
  })
})

describeEachDatabase('coupon pool', (database) => {
  const server = useServer(database)
  const db = () => server().database.db

  const poolSite = (policy: PolicyOverrides = {}) =>
    createSite(db(), {
      name: `Pool ${unique()}`,
      origins: [],
      policy: { ...policy, coupon: { source: 'pool', ...policy.coupon } },
    })

  const upload = (token: string, body: BodyInit, type = 'text/csv', init: RequestInit = {}) =>
    fetch(`${server().url}/v1/admin/coupon-pool`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
      ...init,
    })

  /**
   * POST an upload over a connection of its own (the server closes it after
   * refusing a body it stopped reading), chunked unless `declare` sends its length.
   */
  const sendOnce = (token: string, chunks: string[], declare = false) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      let answered = false
      const headers: Record<string, string | number> = {
        authorization: `Bearer ${token}`,
        'content-type': 'text/csv',
      }
      if (declare) headers['content-length'] = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0)
      const request = http.request(
        `${server().url}/v1/admin/coupon-pool`,
        { method: 'POST', agent: false, headers },
        (response) => {
          answered = true
          let body = ''
          response.setEncoding('utf8')
          response.on('data', (part: string) => {
            body += part
          })
          response.on('end', () => resolve({ status: response.statusCode!, body }))
        },
      )
      // Writing into a connection the server has closed fails once it answered: expected.
      request.on('error', (error) => {
        if (!answered) reject(error)
      })
      let next = 0
      const write = () => {
        while (next < chunks.length && !answered) {
          if (!request.write(chunks[next++]!)) return void request.once('drain', write)
        }
        request.end()
      }
      write()
    })

  const summary = async (token: string) =>
    expectJson(await adminFetch(server().url, token, '/coupon-pool'))

  const EUR = (value: number) => ({ value, currency: 'EUR' })

  /**
   * A major complaint from a signed-in customer: `customer.id` and `orderValue`
   * (a €20 order unless given, so a €5 coupon) vouched for by a customer token.
   */
  const verified = (site: Site, extra: Partial<Complaint> = {}) =>
    verifiedComplaint(db(), site, {
      site: site.public_key,
      category: 'broken',
      severity: 'major',
      orderValue: EUR(2000),
      ...extra,
    })

  const post = async (site: Site, extra: Partial<Complaint> = {}) =>
    submitComplaint(server().url, await verified(site, extra))

  const remedyRow = (complaintId: string) =>
    db()
      .selectFrom('recoveries')
      .selectAll()
      .where('complaint_id', '=', complaintId)
      .where('policy_key', '=', 'remedy')
      .executeTakeFirstOrThrow()

  const poolRows = (site: Site) =>
    db().selectFrom('coupon_pool').selectAll().where('site_id', '=', site.id).execute()

  const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString()

  describe('uploads', () => {
    it('adds codes, skips the ones already there, and keeps sites apart', async () => {
      const { adminToken } = await poolSite()
      const csv = 'code,value,expires_at\nUP-A,500,\nUP-B,500,2099-01-01\nUP-C,1000,\n'
      expect(await expectJson(await upload(adminToken, csv), 201)).toEqual({ added: 3, skipped: 0 })
      const again = `${csv}UP-D,300,\n`
      expect(await expectJson(await upload(adminToken, again), 201)).toEqual({
        added: 1,
        skipped: 3,
      })
      expect(await summary(adminToken)).toEqual({
        free: 4,
        used: 0,
        expired: 0,
        byValue: [
          { value: 300, free: 1 },
          { value: 500, free: 2 },
          { value: 1000, free: 1 },
        ],
        currency: 'EUR',
        source: 'pool',
      })
      // Another shop may have the same code in its own pool.
      const other = await poolSite()
      expect(await expectJson(await upload(other.adminToken, csv), 201)).toEqual({
        added: 3,
        skipped: 0,
      })
    })

    it('stores nothing from a file with a bad line, and says which lines', async () => {
      const { adminToken } = await poolSite()
      const csv = 'code,value,expires_at\nOK-1,500,\nBAD-1,five,\nOK-2,500,\nBAD 2,500,\n'
      const body = await expectJson(await upload(adminToken, csv), 400)
      expect(body.error.code).toBe('invalid_request')
      expect(body.error.message).toBe(
        '2 bad lines, nothing was stored: line 3: value must be a whole number of minor units above 0 (e.g. 500), not "five"; line 5: code must be 1–64 characters without spaces',
      )
      expect((await summary(adminToken)).free).toBe(0)
      const type = await expectJson(await upload(adminToken, csv, 'application/json'), 415)
      expect(type.error.code).toBe('unsupported_media_type')
    })

    it('refuses more than 1 MB, declared or streamed, and more than 10 000 codes', async () => {
      const { adminToken } = await poolSite()
      const big = `code,value\n${'X'.repeat(POOL_LIMITS.body)},1\n`
      const declared = await sendOnce(adminToken, [big], true)
      expect(declared.status).toBe(413)
      expect(JSON.parse(declared.body).error.code).toBe('payload_too_large')
      // No Content-Length: the server counts the bytes as they stream in and stops at 1 MB.
      const line = `${'Y'.repeat(60)},100\n`
      const streamed = await sendOnce(adminToken, ['code,value\n', ...Array(40_000).fill(line)])
      expect(streamed.status).toBe(413)
      expect(JSON.parse(streamed.body).error.code).toBe('payload_too_large')

      const many = Array.from({ length: POOL_LIMITS.codes + 1 }, (_, i) => `M${i},100`)
      const count = await expectJson(
        await upload(adminToken, `code,value\n${many.join('\n')}`),
        400,
      )
      expect(count.error.message).toMatch(/At most 10000 codes/)
      expect((await summary(adminToken)).free).toBe(0)
    })

    it('deletes a free code, never one given to a customer', async () => {
      const { site, adminToken } = await poolSite()
      await upload(adminToken, 'code,value\nDEL-1,500\nDEL-2,500\n')
      const remove = (code: string, token = adminToken) =>
        adminFetch(server().url, token, `/coupon-pool/${encodeURIComponent(code)}`, {
          method: 'DELETE',
        })
      expect((await remove('DEL-1')).status).toBe(204)
      expect((await expectJson(await remove('DEL-1'), 404)).error.code).toBe('not_found')
      const other = await poolSite()
      expect((await remove('DEL-2', other.adminToken)).status).toBe(404)

      const receipt = await post(site)
      expect(receipt.recovery).toMatchObject({ kind: 'coupon', code: 'DEL-2' })
      const used = await expectJson(await remove('DEL-2'), 409)
      expect(used.error.code).toBe('conflict')
      expect(used.error.message).toMatch(/was given to a customer/)
      expect(await summary(adminToken)).toMatchObject({ free: 0, used: 1 })
    })
  })

  describe('coupons from the pool', () => {
    it('takes the largest free code worth at most the drafted value, valid for over a day', async () => {
      const { site, adminToken } = await poolSite()
      const soon = new Date(Date.now() + DAY_MS / 2).toISOString()
      const tenDays = inDays(10)
      await upload(
        adminToken,
        `code,value,expires_at\nP-300,300,\nP-500,500,${tenDays}\nP-500-SOON,500,${soon}\nP-800,800,\nP-2000,2000,\nP-9000,9000,\n`,
      )
      // 25% of a €20 order is €5; the code expiring within a day is skipped.
      const first = await post(site)
      expect(first.recovery).toEqual({
        kind: 'coupon',
        code: 'P-500',
        label: '€5.00 off your next order',
        expiresAt: new Date(tenDays).toISOString(),
        terms: `Single use, for you only. Valid until ${new Date(tenDays).toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' })}.`,
      })
      const row = await remedyRow(first.id)
      expect(Number(row.value)).toBe(500)
      const claimed = (await poolRows(site)).find((entry) => entry.code === 'P-500')!
      expect(claimed.recovery_id).toBe(row.id)

      // 25% of €28 is €7: the largest code up to that is €3, and €3 is what counts.
      const second = await post(site, { orderValue: EUR(2800) })
      expect(second.recovery).toMatchObject({ code: 'P-300', label: '€3.00 off your next order' })
      expect(Number((await remedyRow(second.id)).value)).toBe(300)
      // A code without an expiry ends with the policy's 90 days.
      const expires = Date.parse((second.recovery as { expiresAt: string }).expiresAt)
      expect(expires - Date.parse(second.receivedAt)).toBe(90 * DAY_MS)

      // Critical on a €1000 order: capped at €50, so the €90 code is never drawn.
      const third = await post(site, { severity: 'critical', orderValue: EUR(100_000) })
      expect(third.recovery).toMatchObject({ code: 'P-2000' })
      const day = await db()
        .selectFrom('recovery_site_days')
        .select('issued')
        .where('site_id', '=', site.id)
        .executeTakeFirstOrThrow()
      expect(Number(day.issued)).toBe(500 + 300 + 2000)
      expect(await summary(adminToken)).toMatchObject({ free: 3, used: 3 })
    })

    it('gives the same incident the same pooled code', async () => {
      const { site, adminToken } = await poolSite()
      await upload(adminToken, 'code,value\nINC-A,500\nINC-B,500\n')
      const orderRef = `INC-${unique()}`
      // One customer reporting one order twice.
      const customer = { id: `alice-${unique()}` }
      const a = await post(site, { orderRef, customer })
      const b = await post(site, { orderRef, customer })
      expect(b.recovery).toEqual(a.recovery)
      expect(await summary(adminToken)).toMatchObject({ free: 1, used: 1 })
    })

    it('never gives two of 30 concurrent complaints the same code', async () => {
      const { site, adminToken } = await poolSite({ caps: { perSiteDay: 1_000_000 } })
      const codes = Array.from({ length: 20 }, (_, i) => `RACE-${i}`)
      await upload(adminToken, `code,value\n${codes.map((code) => `${code},500`).join('\n')}\n`)
      // Tokens first, so that only the complaints themselves race.
      const bodies = await Promise.all(
        Array.from({ length: 30 }, (_, i) => verified(site, { customer: { id: `racer-${i}` } })),
      )
      const receipts = await Promise.all(bodies.map((body) => submitComplaint(server().url, body)))
      const given = receipts
        .filter((receipt) => receipt.recovery?.kind === 'coupon')
        .map((receipt) => (receipt.recovery as { code: string }).code)
      expect(given).toHaveLength(20)
      expect(new Set(given).size).toBe(20)
      expect(new Set(given)).toEqual(new Set(codes))

      const rows = await db()
        .selectFrom('recoveries')
        .selectAll()
        .where('site_id', '=', site.id)
        .where('policy_key', '=', 'remedy')
        .execute()
      expect(rows.filter((row) => row.reason === 'coupon_pool_empty')).toHaveLength(10)
      // Every code is claimed by exactly the row that shows it.
      const pool = await poolRows(site)
      for (const entry of pool) {
        const owner = rows.find((row) => row.id === entry.recovery_id)
        expect(owner?.code).toBe(entry.code)
      }
      expect(new Set(pool.map((entry) => entry.recovery_id)).size).toBe(20)
    })

    it('sends a coupon for approval when no code fits, and approving draws one', async () => {
      const { site, adminToken } = await poolSite()
      const receipt = await post(site)
      expect(receipt.recovery).toMatchObject({ kind: 'apology' })
      expect((receipt.recovery as { message: string }).message).toMatch(/review your case/)
      const row = await remedyRow(receipt.id)
      expect(row).toMatchObject({ status: 'pending_approval', reason: 'coupon_pool_empty' })

      const approve = (value: number) =>
        adminFetch(server().url, adminToken, `/recoveries/${row.id}/approve`, {
          method: 'POST',
          body: { value },
        })
      const empty = await expectJson(await approve(500), 409)
      expect(empty.error).toMatchObject({ code: 'conflict', field: 'value' })
      expect(empty.error.message).toMatch(/no free code worth at most €5\.00/)

      await upload(adminToken, 'code,value\nLATE-400,400\nLATE-900,900\n')
      const approved = await expectJson(await approve(500))
      expect(approved).toMatchObject({
        status: 'approved',
        value: 400,
        code: 'LATE-400',
        recovery: { kind: 'coupon', code: 'LATE-400', label: '€4.00 off your next order' },
      })
      const status = await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
        headers: { authorization: `Bearer ${receipt.token}` },
      }).then((response) => response.json())
      expect(status.recoveries).toContainEqual(approved.recovery)
      expect(await summary(adminToken)).toMatchObject({ free: 1, used: 1 })
      expect((await poolRows(site)).find((entry) => entry.code === 'LATE-400')?.recovery_id).toBe(
        row.id,
      )
    })
  })
})
