import type { Complaint } from '@redress/protocol'
import { beforeAll, describe, expect, it } from 'vitest'
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
import { createWebhookEndpoint } from '../../outbox'
import { createSite, findSite } from '../../sites'
import { csvCell } from './export'

let counter = 0
const key = () => `admin-${Date.now().toString(36)}-${++counter}`
const DEMO_TOKEN = 'test-admin-token'

describe('csvCell', () => {
  it('quotes per RFC 4180 and guards formulas', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell(null)).toBe('')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"')
    for (const start of ['=', '+', '-', '@', '\t']) {
      expect(csvCell(`${start}1+1`)).toBe(`'${start}1+1`)
    }
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
  })
})

describeEachDatabase('admin API', (database) => {
  const server = useServer(database)
  const db = () => server().database.db
  let other: { site: Site; adminToken: string }

  beforeAll(async () => {
    other = await createSite(db(), {
      name: 'Other shop',
      origins: ['https://other.example'],
      adminToken: `other-token-${key()}`,
    })
  })

  const post = (body: Partial<Complaint>) => submitComplaint(server().url, body)

  /** `post` to the demo site from a signed-in customer, whose token vouches for `customer.id` and `orderValue`. */
  const postVerified = async (body: Partial<Complaint>) =>
    post(await verifiedComplaint(db(), (await findSite(db(), 'pk_demo'))!, body))

  const admin = (path: string, init: AdminInit = {}) =>
    adminFetch(server().url, DEMO_TOKEN, path, init)

  const json = expectJson

  describe('auth', () => {
    it('refuses a missing, wrong or malformed token with 401, on every route', async () => {
      const id = (await post({})).id
      for (const token of [null, 'nope', `${DEMO_TOKEN}x`, '']) {
        for (const path of [
          '/complaints',
          `/complaints/${id}`,
          '/complaints.csv',
          '/no-such-route',
        ]) {
          const body = await json(await admin(path, { token }), 401)
          expect(body.error.code).toBe('unauthorized')
        }
        const patch = await admin(`/complaints/${id}`, {
          method: 'PATCH',
          body: { status: 'closed' },
          token,
        })
        expect(patch.status).toBe(401)
      }
      const row = await db()
        .selectFrom('complaints')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      expect(row.status).toBe('received')
    })

    it('accepts the token and scopes everything to its site', async () => {
      const mine = await post({ description: `demo only ${key()}` })
      const theirs = await post({ site: other.site.public_key, description: `other ${key()}` })
      const list = await json(await admin('/complaints?limit=100'))
      expect(list.items.some((item: { id: string }) => item.id === mine.id)).toBe(true)
      expect(list.items.some((item: { id: string }) => item.id === theirs.id)).toBe(false)

      // Another site's complaint is not found, not forbidden: nothing leaks.
      expect((await json(await admin(`/complaints/${theirs.id}`), 404)).error.code).toBe(
        'not_found',
      )
      expect(
        (await admin(`/complaints/${theirs.id}`, { method: 'PATCH', body: { status: 'closed' } }))
          .status,
      ).toBe(404)

      const theirList = await json(
        await admin('/complaints?limit=100', { token: other.adminToken }),
      )
      expect(theirList.items.map((item: { id: string }) => item.id)).toEqual([theirs.id])
      await json(await admin(`/complaints/${theirs.id}`, { token: other.adminToken }))
    })

    it('gives other origins no CORS allowance', async () => {
      const response = await admin('/complaints', { headers: { origin: 'https://evil.example' } })
      expect(response.status).toBe(200)
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
      const preflight = await fetch(`${server().url}/v1/admin/complaints`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization',
        },
      })
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
      expect(preflight.headers.get('access-control-allow-methods')).toBeNull()
      expect(preflight.ok).toBe(false)
    })
  })

  describe('GET /v1/admin/complaints', () => {
    const marker = `zq${Math.random().toString(36).slice(2, 10)}`
    const ids: string[] = []

    beforeAll(async () => {
      const kinds: Partial<Complaint>[] = [
        { category: 'order', severity: 'minor' },
        { category: 'slow', severity: 'minor' },
        { category: 'order', severity: 'major' },
        { category: 'staff', severity: 'minor' },
        { category: 'order', severity: 'minor' },
        { category: 'slow', severity: 'critical' },
        { category: 'order', severity: 'minor' },
      ]
      for (const [i, kind] of kinds.entries()) {
        // Mixed case: the search ignores case.
        const text = i % 2 ? marker.toUpperCase() : marker
        ids.push((await post({ ...kind, description: `Case ${i}: ${text} went wrong` })).id)
      }
    })

    const list = async (query: string, token?: string) =>
      json(await admin(`/complaints?${query}`, token === undefined ? {} : { token }))

    it('searches the description case-insensitively, newest first', async () => {
      const page = await list(`q=${marker.toUpperCase()}`)
      expect(page.items.map((item: { id: string }) => item.id)).toEqual([...ids].reverse())
      expect(page.nextCursor).toBeNull()
      expect(page.items[0]).toMatchObject({
        id: ids[6],
        reference: expect.stringMatching(/^R-/),
        status: 'received',
        category: 'order',
        severity: 'minor',
        assignee: null,
        excerpt: expect.stringContaining('Case 6'),
        receivedAt: expect.any(String),
      })
    })

    it('treats the search as text, never as SQL or a pattern', async () => {
      for (const q of [
        `${marker}%`,
        `${marker}_`,
        `' OR 1=1 --`,
        `${marker}'; DROP TABLE complaints; --`,
      ]) {
        expect((await list(`q=${encodeURIComponent(q)}`)).items).toEqual([])
      }
      expect((await list(`q=${marker}`)).items).toHaveLength(7)
    })

    it('filters by status, category and severity', async () => {
      const byCategory = await list(`q=${marker}&category=slow`)
      expect(byCategory.items.map((item: { id: string }) => item.id)).toEqual([ids[5], ids[1]])
      const bySeverity = await list(`q=${marker}&severity=minor&category=order`)
      expect(bySeverity.items.map((item: { id: string }) => item.id)).toEqual([
        ids[6],
        ids[4],
        ids[0],
      ])
      await json(
        await admin(`/complaints/${ids[3]}`, { method: 'PATCH', body: { status: 'in_progress' } }),
      )
      const byStatus = await list(`q=${marker}&status=in_progress`)
      expect(byStatus.items.map((item: { id: string }) => item.id)).toEqual([ids[3]])
      expect((await json(await admin('/complaints?status=bogus'), 400)).error.field).toBe('status')
      expect((await json(await admin('/complaints?limit=101'), 400)).error.field).toBe('limit')
      expect((await json(await admin('/complaints?cursor=garbage'), 400)).error.field).toBe(
        'cursor',
      )
    })

    it('refuses a forged cursor whose date PostgreSQL cannot read (400, not 500)', async () => {
      // `Date.parse` takes both; only `toISOString`'s own form is a cursor.
      for (const date of ['1', 'Tue, 10 Nov 2026 10:00:00 GMT+0100 (CET)']) {
        const cursor = Buffer.from(JSON.stringify([date, 'x'])).toString('base64url')
        expect((await json(await admin(`/complaints?cursor=${cursor}`), 400)).error).toMatchObject({
          code: 'invalid_request',
          field: 'cursor',
        })
      }
    })

    it('pages with an opaque cursor, no duplicates and nothing skipped', async () => {
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await list(
          `q=${marker}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        )
        expect(page.items.length).toBeLessThanOrEqual(3)
        seen.push(...page.items.map((item) => item.id))
        cursor = page.nextCursor
        pages++
      } while (cursor)
      expect(pages).toBe(3)
      expect(seen).toEqual([...ids].reverse())
      expect(new Set(seen).size).toBe(seen.length)

      // A complaint arriving meanwhile does not shift later pages.
      const first = await list(`q=${marker}&limit=2`)
      await post({ description: `late ${marker}` })
      const second = await list(`q=${marker}&limit=2&cursor=${first.nextCursor}`)
      expect(second.items.map((item: { id: string }) => item.id)).toEqual([ids[4], ids[3]])
    })
  })

  describe('one complaint', () => {
    it('reads everything the customer sent, the remedies and the timeline', async () => {
      const orderRef = `A-${key()}`
      const receipt = await postVerified({
        severity: 'major',
        description: `The mug arrived broken ${key()}`,
        orderRef,
        orderValue: { value: 2000, currency: 'EUR' },
        customer: { id: 'c-detail' },
      })
      const response = await fetch(`${server().url}/v1/complaints/${receipt.id}/follow-up`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${receipt.token}` },
        body: JSON.stringify({ score: 2, resolved: false, comment: 'still broken' }),
      })
      expect(response.status).toBe(204)

      const detail = await json(await admin(`/complaints/${receipt.id}`))
      expect(detail).toMatchObject({
        id: receipt.id,
        reference: receipt.reference,
        status: 'reopened',
        assignee: null,
        rootCause: null,
        recoveryAppropriate: null,
        complaint: { category: 'order', severity: 'major', customer: { id: 'c-detail' } },
        // What the customer's token vouched for, apart from what the page sent.
        verified: {
          customerId: 'c-detail',
          email: null,
          name: null,
          order: { ref: orderRef, value: 2000, currency: 'EUR' },
        },
        followUps: [{ score: 2, resolved: false, comment: 'still broken' }],
      })
      expect(detail.complaint.description).toMatch(/^The mug arrived broken/)
      const listed = (await json(await admin('/complaints?limit=100'))).items.find(
        (item: { id: string }) => item.id === receipt.id,
      )
      expect(listed).toMatchObject({ customerId: 'c-detail', verified: true })
      expect(detail.recoveries.map((r: { kind: string }) => r.kind)).toEqual(['apology', 'coupon'])
      expect(detail.recoveries[1]).toMatchObject({ status: 'issued', code: expect.any(String) })
      expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual([
        'received',
        'recovery',
        'recovery',
        'follow_up',
        'status_changed',
      ])
      // Nothing secret: no token or its hash.
      expect(JSON.stringify(detail)).not.toContain(receipt.token)
      expect(JSON.stringify(detail)).not.toMatch(/token_hash|tokenHash/)
      expect((await json(await admin('/complaints/cmp_nope'), 404)).error.code).toBe('not_found')
    })
  })

  describe('PATCH /v1/admin/complaints/:id', () => {
    it('records each change as an event and sends complaint.resolved in the same transaction', async () => {
      const endpoint = await createWebhookEndpoint(
        db(),
        other.site.id,
        'http://127.0.0.1:9/hooks',
        ['complaint.resolved'],
      )
      const receipt = await post({ site: other.site.public_key })
      const patch = (body: unknown, status = 200) =>
        admin(`/complaints/${receipt.id}`, { method: 'PATCH', body, token: other.adminToken }).then(
          (response) => json(response, status),
        )
      const updated = await patch({
        status: 'resolved',
        rootCause: 'supplier',
        recoveryAppropriate: true,
      })
      expect(updated).toMatchObject({
        status: 'resolved',
        rootCause: 'supplier',
        recoveryAppropriate: true,
      })
      expect(updated.timeline.slice(-3).map((e: { type: string }) => e.type)).toEqual([
        'status_changed',
        'root_cause',
        'recovery_assessed',
      ])
      // The admin token acted: the timeline says so.
      const adminToken = { kind: 'admin_token', id: 'admin-token', name: 'Admin token' }
      expect(updated.timeline.at(-3).data).toEqual({
        from: 'received',
        to: 'resolved',
        by: 'admin',
        actor: adminToken,
      })

      const deliveries = await db()
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpoint.id)
        .execute()
      expect(deliveries).toHaveLength(1)
      expect(JSON.parse(deliveries[0]!.payload)).toMatchObject({
        type: 'complaint.resolved',
        data: {
          complaintId: receipt.id,
          reference: receipt.reference,
          site: other.site.public_key,
          resolvedAt: expect.any(String),
        },
      })

      // The same values again: no new events, no second webhook.
      const again = await patch({ status: 'resolved', rootCause: 'supplier' })
      expect(again.timeline).toHaveLength(updated.timeline.length)
      const count = await db()
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('endpoint_id', '=', endpoint.id)
        .execute()
      expect(count).toHaveLength(1)

      // Invalid input changes nothing.
      for (const [body, field] of [
        [{ status: 'done' }, 'status'],
        [{ rootCause: 'gremlins' }, 'rootCause'],
        [{ recoveryAppropriate: 'yes' }, 'recoveryAppropriate'],
        [{ assignee: '' }, 'assignee'],
        [{ colour: 'red' }, 'colour'],
      ] as const) {
        expect((await patch(body, 400)).error.field).toBe(field)
      }
    })

    it('lets whoever first takes it own it; reassigning needs force', async () => {
      const { id } = await post({})
      const patch = (body: unknown, status = 200) =>
        admin(`/complaints/${id}`, { method: 'PATCH', body }).then((response) =>
          json(response, status),
        )
      const [a, b] = await Promise.all([
        admin(`/complaints/${id}`, { method: 'PATCH', body: { assignee: 'ana' } }),
        admin(`/complaints/${id}`, { method: 'PATCH', body: { assignee: 'ben' } }),
      ])
      // Two at once: exactly one wins.
      expect([a.status, b.status].sort()).toEqual([200, 409])
      const owner = a.status === 200 ? 'ana' : 'ben'
      const loser = owner === 'ana' ? 'ben' : 'ana'
      expect((await patch({ assignee: loser }, 409)).error.code).toBe('conflict')
      expect((await patch({ assignee: owner })).assignee).toBe(owner)
      const forced = await patch({ assignee: loser, force: true })
      expect(forced.assignee).toBe(loser)
      expect(
        forced.timeline
          .filter((e: { type: string }) => e.type === 'assigned')
          .map((e: { data: unknown }) => e.data),
      ).toEqual([
        { from: null, to: owner, actor: expect.objectContaining({ kind: 'admin_token' }) },
        { from: owner, to: loser, actor: expect.objectContaining({ kind: 'admin_token' }) },
      ])
    })
  })

  describe('pending remedies', () => {
    /** A coupon on a vouched order in another currency than the site's waits for approval with value 0. */
    const pending = async () => {
      const receipt = await postVerified({
        severity: 'major',
        orderValue: { value: 4000, currency: 'USD' },
        orderRef: `P-${key()}`,
      })
      const row = await db()
        .selectFrom('recoveries')
        .selectAll()
        .where('complaint_id', '=', receipt.id)
        .where('status', '=', 'pending_approval')
        .executeTakeFirstOrThrow()
      return { receipt, row }
    }

    it('approves: a code is generated then, twice is a no-op', async () => {
      const { receipt, row } = await pending()
      expect(row).toMatchObject({ kind: 'coupon', code: null, reason: 'currency' })
      // The inbox row says it waits, until it is decided.
      const listed = async () =>
        (await json(await admin('/complaints?limit=100'))).items.find(
          (item: { id: string }) => item.id === receipt.id,
        )
      expect(await listed()).toMatchObject({ pendingApproval: true, remedyGiven: false })
      const approve = (body?: unknown, token?: string) =>
        admin(`/recoveries/${row.id}/approve`, {
          method: 'POST',
          ...(body === undefined ? {} : { body }),
          ...(token === undefined ? {} : { token }),
        })
      // Needs a value (the drafted one is 0) and the owning site.
      expect((await json(await approve(), 400)).error.field).toBe('value')
      expect((await json(await approve({ value: 500 }, other.adminToken), 404)).error.code).toBe(
        'not_found',
      )

      const first = await json(await approve({ value: 500 }))
      expect(first).toMatchObject({
        id: row.id,
        status: 'approved',
        value: 500,
        code: expect.stringMatching(/^[2-9A-HJKMNP-TV-Z]{20}$/),
        recovery: { kind: 'coupon', label: '€5.00 off your next order' },
        changed: true,
      })
      const second = await json(await approve({ value: 500 }))
      expect(second).toMatchObject({ status: 'approved', code: first.code, changed: false })
      expect(await listed()).toMatchObject({ pendingApproval: false, remedyGiven: true })
      expect(
        (await json(await admin(`/recoveries/${row.id}/reject`, { method: 'POST' }), 409)).error
          .code,
      ).toBe('conflict')

      // The customer sees it now, and the timeline has one approval.
      const status = await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
        headers: { authorization: `Bearer ${receipt.token}` },
      }).then((response) => response.json())
      expect(status.recoveries.some((r: { code?: string }) => r.code === first.code)).toBe(true)
      const detail = await json(await admin(`/complaints/${receipt.id}`))
      expect(
        detail.timeline.filter((e: { type: string }) => e.type === 'recovery_approved'),
      ).toHaveLength(1)
    })

    it('rejects, idempotently', async () => {
      const { row } = await pending()
      const reject = () => admin(`/recoveries/${row.id}/reject`, { method: 'POST' })
      expect(await json(await reject())).toMatchObject({
        status: 'rejected',
        code: null,
        changed: true,
      })
      expect(await json(await reject())).toMatchObject({ status: 'rejected', changed: false })
      expect(
        (await admin(`/recoveries/${row.id}/approve`, { method: 'POST', body: { value: 100 } }))
          .status,
      ).toBe(409)
      expect((await admin('/recoveries/rcv_nope/reject', { method: 'POST' })).status).toBe(404)
    })
  })

  describe('GET /v1/admin/complaints.csv', () => {
    it('exports with RFC 4180 quoting and the formula guard', async () => {
      const marker = `csv${Math.random().toString(36).slice(2, 10)}`
      const evil = await post({ description: `=HYPERLINK("http://x", "${marker}")` })
      const plain = await post({ description: `Broken, "badly"\nreally ${marker}` })
      const response = await admin(`/complaints.csv?q=${marker}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/)
      const text = await response.text()
      const lines = text.split('\r\n')
      expect(lines[0]).toBe(
        'id,reference,receivedAt,status,category,severity,assignee,rootCause,recoveryAppropriate,customerId,orderRef,orderValue,currency,description,photos',
      )
      expect(text.endsWith('\r\n')).toBe(true)
      // Newest first; the embedded newline stays inside its quoted cell.
      expect(lines[1]).toMatch(new RegExp(`^${plain.id},`))
      // No photos: the last cell is empty.
      expect(lines[1]!.endsWith(`,"Broken, ""badly""\nreally ${marker}",`)).toBe(true)
      expect(lines[2]).toMatch(new RegExp(`^${evil.id},`))
      expect(lines[2]!.endsWith(`,"'=HYPERLINK(""http://x"", ""${marker}"")",`)).toBe(true)
      expect(lines).toHaveLength(4)
    })
  })
})
