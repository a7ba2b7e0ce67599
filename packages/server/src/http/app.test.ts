import type { Complaint, Receipt } from '@redress/protocol'
import { validateErrorBody } from '@redress/protocol/schema'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { describeEachDatabase, useServer, verifiedComplaint } from '../_test-harness'
import { createSite, findSite } from '../sites'

let counter = 0
const key = () => `test-${Date.now().toString(36)}-${++counter}`

const complaint = (extra: Partial<Complaint> = {}): Complaint => ({
  site: 'pk_demo',
  category: 'order',
  severity: 'major',
  description: `The mug arrived broken (${key()})`,
  orderRef: 'A-1001',
  ...extra,
})

describeEachDatabase('wire protocol v1', (database) => {
  const server = useServer(database)
  const db = () => server().database.db

  const post = (
    body: unknown,
    headers: Record<string, string | undefined> = {},
    path = '/v1/complaints',
  ) => {
    const all: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': key(),
    }
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) delete all[name]
      else all[name] = value
    }
    return fetch(`${server().url}${path}`, {
      method: 'POST',
      headers: all,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  }

  /**
   * `complaint(extra)` from a signed-in customer: a customer token vouches for
   * its order (A-1001 unless `extra` names another) at €20.
   */
  const verified = async (extra: Partial<Complaint> = {}) =>
    verifiedComplaint(db(), (await findSite(db(), 'pk_demo'))!, {
      ...complaint(extra),
      orderValue: { value: 2000, currency: 'EUR' },
    })

  const count = async () => {
    const row = await db()
      .selectFrom('complaints')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Send, expect the status and error code, and check that nothing was stored. */
  const refused = async (
    send: () => Promise<Response>,
    status: number,
    code: string,
    field?: string,
  ) => {
    const before = await count()
    const response = await send()
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body = await response.json()
    expect(validateErrorBody(body).success).toBe(true)
    expect(body.error.code).toBe(code)
    if (field !== undefined) expect(body.error.field).toBe(field)
    expect(JSON.stringify(body)).not.toMatch(/ at .*\.(ts|js):\d+/)
    expect(await count()).toBe(before)
    return body
  }

  describe('POST /v1/complaints', () => {
    it('stores a complaint and answers 201 with a receipt', async () => {
      const response = await post(await verified())
      expect(response.status).toBe(201)
      const receipt = (await response.json()) as Receipt
      expect(receipt).toEqual({
        id: expect.stringMatching(/^cmp_[0-9a-z]{20}$/),
        reference: expect.stringMatching(/^R-[2-9A-HJKMNP-TV-Z]{5}$/),
        status: 'received',
        token: expect.any(String),
        // The default policy: a major outcome failure on a vouched €20 order gets 25% off.
        recovery: {
          kind: 'coupon',
          code: expect.stringMatching(/^[2-9A-HJKMNP-TV-Z]{20}$/),
          label: '€5.00 off your next order',
          expiresAt: expect.any(String),
          terms: expect.any(String),
        },
        receivedAt: expect.any(String),
      })
      const row = await db()
        .selectFrom('complaints')
        .selectAll()
        .where('id', '=', receipt.id)
        .executeTakeFirstOrThrow()
      expect(row).toMatchObject({ category: 'order', severity: 'major', status: 'received' })
      expect(row.order_ref).toBe('A-1001')
      // Only the token's hash is stored.
      expect(JSON.stringify(row)).not.toContain(receipt.token)
      const events = await db()
        .selectFrom('events')
        .select('type')
        .where('complaint_id', '=', receipt.id)
        .execute()
      expect(events.map((event) => event.type).sort()).toEqual(['received', 'recovery', 'recovery'])
    })

    it('replays the original receipt byte for byte with 200', async () => {
      const body = complaint()
      const idempotencyKey = key()
      const first = await post(body, { 'idempotency-key': idempotencyKey })
      const firstText = await first.text()
      // Same complaint, keys in another order: still the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse())
      const again = await post(reordered, { 'idempotency-key': idempotencyKey })
      expect([first.status, again.status]).toEqual([201, 200])
      expect(await again.text()).toBe(firstText)
    })

    it('refuses the same key with a different complaint: 409 idempotency_conflict', async () => {
      const idempotencyKey = key()
      expect((await post(complaint(), { 'idempotency-key': idempotencyKey })).status).toBe(201)
      await refused(
        () => post(complaint(), { 'idempotency-key': idempotencyKey }),
        409,
        'idempotency_conflict',
      )
    })

    it('stores one row for 20 concurrent submits with one key', async () => {
      const body = complaint()
      const idempotencyKey = key()
      const before = await count()
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => post(body, { 'idempotency-key': idempotencyKey })),
      )
      const statuses = responses.map((response) => response.status)
      expect(statuses.filter((status) => status === 201)).toHaveLength(1)
      expect(statuses.filter((status) => status === 200)).toHaveLength(19)
      const texts = new Set(await Promise.all(responses.map((response) => response.text())))
      expect(texts.size).toBe(1)
      expect(await count()).toBe(before + 1)
    })

    it('scopes idempotency keys per site', async () => {
      const { site } = await createSite(db(), { name: 'Other shop', origins: [] })
      const idempotencyKey = key()
      const a = await post(complaint(), { 'idempotency-key': idempotencyKey })
      const b = await post(complaint({ site: site.public_key }), {
        'idempotency-key': idempotencyKey,
      })
      expect([a.status, b.status]).toEqual([201, 201])
    })

    it('refuses bad JSON with 400 invalid_request', async () => {
      await refused(() => post('{"site": "pk_demo",'), 400, 'invalid_request')
    })

    it('refuses a body over 64 KB with 413 payload_too_large', async () => {
      const big = complaint({ metadata: { blob: 'x'.repeat(500) } })
      const text = JSON.stringify({ ...big, padding: 'x'.repeat(70 * 1024) })
      await refused(() => post(text), 413, 'payload_too_large')
    })

    it('counts the bytes of a streamed body without Content-Length', async () => {
      const chunk = new TextEncoder().encode(' '.repeat(16 * 1024))
      let sent = 0
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 8) controller.enqueue(chunk)
          else controller.close()
        },
      })
      await refused(
        () =>
          fetch(`${server().url}/v1/complaints`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key() },
            body: stream,
            duplex: 'half',
          } as RequestInit),
        413,
        'payload_too_large',
      )
    })

    it('refuses wrong types with 400 and the field', async () => {
      await refused(
        () => post({ ...complaint(), severity: 'catastrophic' }),
        400,
        'invalid_request',
        'severity',
      )
      await refused(
        () => post({ ...complaint(), contact: { email: 'not-an-address' } }),
        400,
        'invalid_request',
        'contact.email',
      )
      await refused(() => post([1, 2, 3]), 400, 'invalid_request')
    })

    it('refuses a missing or over-long Idempotency-Key', async () => {
      await refused(
        () => post(complaint(), { 'idempotency-key': undefined }),
        400,
        'invalid_request',
        'idempotencyKey',
      )
      await refused(
        () => post(complaint(), { 'idempotency-key': 'k'.repeat(256) }),
        400,
        'invalid_request',
        'idempotencyKey',
      )
    })

    it('refuses an unknown site with 400 unknown_site', async () => {
      await refused(() => post(complaint({ site: 'pk_nope' })), 400, 'unknown_site', 'site')
    })

    it('refuses another content type with 415', async () => {
      await refused(
        () => post(JSON.stringify(complaint()), { 'content-type': 'text/plain' }),
        415,
        'unsupported_media_type',
      )
    })

    it('answers an unknown route with 404 not_found', async () => {
      const response = await fetch(`${server().url}/v2/complaints`)
      expect(response.status).toBe(404)
      expect((await response.json()).error.code).toBe('not_found')
    })
  })

  describe('CORS', () => {
    it('accepts an allowed origin and names it in the reply', async () => {
      const response = await post(complaint(), { origin: 'http://localhost:5173' })
      expect(response.status).toBe(201)
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    })

    it('refuses a disallowed origin with 403 and stores nothing', async () => {
      const body = await refused(
        () => post(complaint(), { origin: 'https://evil.example' }),
        403,
        'origin_not_allowed',
      )
      expect(body.error.message).toContain('https://evil.example')
    })

    it('checks the origin against the site of the complaint', async () => {
      const { site } = await createSite(db(), {
        name: 'Shop',
        origins: ['https://shop.example'],
      })
      const ok = await post(complaint({ site: site.public_key }), {
        origin: 'https://shop.example',
      })
      expect(ok.status).toBe(201)
      const receipt = (await ok.json()) as Receipt
      await refused(
        () => post(complaint({ site: site.public_key }), { origin: 'http://localhost:3000' }),
        403,
        'origin_not_allowed',
      )
      const status = await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
        headers: { authorization: `Bearer ${receipt.token}`, origin: 'https://other.example' },
      })
      expect(status.status).toBe(403)
      const allowed = await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
        headers: { authorization: `Bearer ${receipt.token}`, origin: 'https://shop.example' },
      })
      expect(allowed.status).toBe(200)
    })

    it('answers a preflight with the allowed methods, headers and max age', async () => {
      const response = await fetch(`${server().url}/v1/complaints`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://127.0.0.1:8080',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, idempotency-key',
        },
      })
      expect(response.status).toBe(204)
      expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8080')
      expect(response.headers.get('access-control-allow-methods')).toContain('POST')
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'content-type, idempotency-key, authorization',
      )
      expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0)
    })
  })

  describe('status and follow-up', () => {
    const submit = async () => (await (await post(await verified())).json()) as Receipt

    it('reports the status with the right token, 401 with a wrong or missing one', async () => {
      const receipt = await submit()
      const url = `${server().url}/v1/complaints/${receipt.id}`
      const ok = await fetch(url, { headers: { authorization: `Bearer ${receipt.token}` } })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({
        id: receipt.id,
        reference: receipt.reference,
        status: 'received',
        recoveries: [{ kind: 'apology', message: expect.any(String) }, receipt.recovery],
        updatedAt: receipt.receivedAt,
      })
      for (const headers of [{ authorization: 'Bearer nope' }, {}] as Record<string, string>[]) {
        const response = await fetch(url, { headers })
        expect(response.status).toBe(401)
        expect((await response.json()).error.code).toBe('unauthorized')
      }
      const missing = await fetch(`${server().url}/v1/complaints/cmp_missing`, {
        headers: { authorization: `Bearer ${receipt.token}` },
      })
      expect(missing.status).toBe(404)
      expect((await missing.json()).error.code).toBe('not_found')
    })

    it('records a follow-up; resolved: false reopens the complaint', async () => {
      const receipt = await submit()
      const auth = { authorization: `Bearer ${receipt.token}` }
      const path = `/v1/complaints/${receipt.id}/follow-up`
      const satisfied = await post({ score: 5, resolved: true }, auth, path)
      expect(satisfied.status).toBe(204)
      const unhappy = await post(
        { score: 2, resolved: false, comment: 'Still broken', fairness: { remedy: 1 } },
        auth,
        path,
      )
      expect(unhappy.status).toBe(204)
      const report = await (
        await fetch(`${server().url}/v1/complaints/${receipt.id}`, { headers: auth })
      ).json()
      expect(report.status).toBe('reopened')
      expect(report.updatedAt > receipt.receivedAt).toBe(true)
      const events = await db()
        .selectFrom('events')
        .select(['type', 'data'])
        .where('complaint_id', '=', receipt.id)
        .orderBy('id')
        .execute()
      expect(events.map((event) => event.type)).toEqual([
        'received',
        'recovery',
        'recovery',
        'follow_up',
        'follow_up',
        'status_changed',
      ])
      expect(events[5]!.data).toMatchObject({ from: 'received', to: 'reopened' })
      const followUps = await db()
        .selectFrom('follow_ups')
        .select(['score', 'resolved', 'comment'])
        .where('complaint_id', '=', receipt.id)
        .orderBy('id')
        .execute()
      expect(followUps).toEqual([
        { score: 5, resolved: true, comment: null },
        { score: 2, resolved: false, comment: 'Still broken' },
      ])
    })

    it('refuses a follow-up with a wrong token or an invalid answer', async () => {
      const receipt = await submit()
      const path = `/v1/complaints/${receipt.id}/follow-up`
      const wrong = await post({ score: 5, resolved: true }, { authorization: 'Bearer x' }, path)
      expect(wrong.status).toBe(401)
      const invalid = await post(
        { score: 9, resolved: true },
        { authorization: `Bearer ${receipt.token}` },
        path,
      )
      expect(invalid.status).toBe(400)
      expect(await invalid.json()).toMatchObject({
        error: { code: 'invalid_request', field: 'score' },
      })
    })
  })
})
