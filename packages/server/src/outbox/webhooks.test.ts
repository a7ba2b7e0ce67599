import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Complaint, Receipt } from '@redress/protocol'
import { Webhook } from 'standardwebhooks'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { describeEachDatabase, LOCAL_WEBHOOKS, verifiedComplaint } from '../_test-harness'
import { type RunningServer, startServer } from '../cli'
import { type Database, type DatabaseOptions, openDatabase } from '../db'
import type { Site } from '../db/schema'
import { findSite } from '../sites'
import { outboundPolicy } from './_outbound'
import {
  MAX_ATTEMPTS,
  RETRY_SCHEDULE_MS,
  replayDelivery,
  startWebhookWorker,
  type WebhookWorker,
} from './delivery'
import { signWebhook } from './signing'
import {
  createWebhookEndpoint,
  enqueueWebhook,
  type WebhookEventType,
  type WebhookPayload,
} from './webhooks'

describe('signWebhook', () => {
  it('matches the Standard Webhooks test vector and the reference implementation', () => {
    // The vector from the Standard Webhooks spec and its libraries' tests.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
    const body = '{"test": 2432232314}'
    expect(signWebhook(secret, id, 1614265330, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    )
    expect(signWebhook(secret, id, 1614265330, body)).toBe(
      new Webhook(secret).sign(id, new Date(1614265330 * 1000), body),
    )
  })
})

/** What one path of the receiver answers on its n-th request (1-based). */
type Behaviour = (n: number) => { status: number; headers?: Record<string, string> }

interface Receiver {
  url: string
  /** Register a path: its secret (to verify) and how it answers. */
  route(path: string, secret: string, behaviour?: Behaviour): void
  /** Requests per path, verified or not. */
  hits: Map<string, number>
  /** Every verified request per path, in order (`webhook-id`, payload). */
  requests: Map<string, { id: string; payload: WebhookPayload }[]>
  /** Distinct `webhook-id`s per path: what a de-duplicating receiver processes. */
  unique(path: string): WebhookPayload[]
  /** Requests that failed verification. */
  errors: string[]
  close(): Promise<void>
}

async function startReceiver(): Promise<Receiver> {
  const routes = new Map<string, { webhook: Webhook; behaviour: Behaviour }>()
  const hits = new Map<string, number>()
  const requests = new Map<string, { id: string; payload: WebhookPayload }[]>()
  const errors: string[] = []
  const read = async (request: IncomingMessage) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }
  const server = createServer(async (request, response) => {
    const path = request.url ?? '/'
    const n = (hits.get(path) ?? 0) + 1
    hits.set(path, n)
    const body = await read(request)
    const route = routes.get(path)
    if (!route) {
      response.writeHead(404).end()
      return
    }
    try {
      const payload = route.webhook.verify(body, request.headers as Record<string, string>)
      const list = requests.get(path) ?? []
      list.push({ id: String(request.headers['webhook-id']), payload: payload as WebhookPayload })
      requests.set(path, list)
    } catch (error) {
      errors.push(`${path}: ${String(error)}`)
      response.writeHead(400).end()
      return
    }
    const { status, headers } = route.behaviour(n)
    response.writeHead(status, headers).end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    route(path, secret, behaviour = () => ({ status: 204 })) {
      routes.set(path, { webhook: new Webhook(secret), behaviour })
    },
    hits,
    requests,
    unique(path) {
      const seen = new Map<string, WebhookPayload>()
      for (const { id, payload } of requests.get(path) ?? [])
        if (!seen.has(id)) seen.set(id, payload)
      return [...seen.values()]
    },
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The receiver listens on 127.0.0.1: let the workers reach it. */
const outbound = outboundPolicy({ allow: LOCAL_WEBHOOKS })

let counter = 0
const complaint = (extra: Partial<Complaint> = {}): Complaint => ({
  site: 'pk_demo',
  category: 'order',
  severity: 'major',
  description: `The mug arrived broken (${++counter})`,
  orderRef: `A-${Date.now()}-${counter}`,
  contact: { email: 'customer@example.com' },
  customer: { id: `cust-${counter}`, email: 'customer@example.com' },
  ...extra,
})

describeEachDatabase('webhooks', (database) => {
  let server: RunningServer
  let db: Database['db']
  let site: Site
  let receiver: Receiver
  /**
   * The worker's clock: real time until a test drives it; then `Date` is set to
   * follow it, so the receiver's 5-minute window and the enqueue times agree.
   */
  let clock: number | undefined
  const now = () => new Date(clock ?? Date.now())
  const advance = (ms: number) => {
    clock = (clock ?? Date.now()) + ms
    vi.setSystemTime(clock)
  }
  let worker: WebhookWorker
  let options: DatabaseOptions

  beforeAll(async () => {
    options = await database().create()
    server = await startServer({
      ...options,
      port: 0,
      log: false,
      static: false,
      secret: 'test-secret',
      adminToken: 'test-admin-token',
      demoSite: true,
      webhooks: false,
      alerts: { interval: false },
      webhookAllow: LOCAL_WEBHOOKS,
    })
    db = server.database.db
    site = (await findSite(db, 'pk_demo'))!
    receiver = await startReceiver()
    worker = startWebhookWorker({ db, now, interval: false, outbound })
  })
  afterAll(async () => {
    await worker?.stop()
    await receiver?.close()
    await server?.close()
  })
  afterEach(async () => {
    vi.useRealTimers()
    clock = undefined
    // Each test starts with no endpoint and an empty outbox.
    await db.updateTable('webhook_endpoints').set({ enabled: false }).execute()
    await db.deleteFrom('webhook_deliveries').execute()
    expect(receiver.errors).toEqual([])
  })

  const endpoint = async (
    path: string,
    types?: WebhookEventType[],
    behaviour?: Behaviour,
  ): Promise<string> => {
    const { id, secret } = await createWebhookEndpoint(db, site.id, `${receiver.url}${path}`, types)
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    receiver.route(path, secret, behaviour)
    return id
  }
  const submit = async (body: Complaint, idempotencyKey = `key-${++counter}`) => {
    const response = await fetch(`${server.url}/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    })
    expect(response.status).toBeLessThan(300)
    return (await response.json()) as Receipt
  }
  /** A `complaint.resolved` event, enqueued in a transaction of its own. */
  const resolved = (n: number) =>
    db.transaction().execute((trx) =>
      enqueueWebhook(trx, site, 'complaint.resolved', {
        complaintId: `cmp_test${n}`,
        reference: `R-TEST${n}`,
        resolvedAt: now().toISOString(),
      }),
    )
  const delivery = (id: string) =>
    db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  it('a complaint submitted through the server is delivered once as complaint.created, signed', async () => {
    await endpoint('/created', ['complaint.created'])
    const body = complaint()
    const receipt = await submit(body, 'created-once')
    await submit(body, 'created-once') // a replay enqueues nothing
    expect(await worker.runOnce()).toBe(1)
    expect(await worker.runOnce()).toBe(0)

    const got = receiver.requests.get('/created')!
    expect(got).toHaveLength(1)
    expect(got[0]!.id).toMatch(/^msg_[0-9a-z]{24}$/)
    const { type, timestamp, data } = got[0]!.payload
    expect(type).toBe('complaint.created')
    expect(new Date(timestamp).toISOString()).toBe(timestamp)
    expect(data).toEqual({
      complaintId: receipt.id,
      reference: receipt.reference,
      site: 'pk_demo',
      category: 'order',
      severity: 'major',
      orderRef: body.orderRef,
      // What the body claims about the customer is not passed on as a fact.
      orderValue: null,
      customerId: null,
      verified: false,
      receivedAt: receipt.receivedAt,
    })
    // Minimal: no status token, no customer text or email.
    const text = JSON.stringify(got[0]!.payload)
    expect(text).not.toContain(receipt.token)
    expect(text).not.toContain('customer@example.com')
    expect(text).not.toContain('broken')
    const row = await delivery(got[0]!.id)
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_status: 204 })
  })

  it('every event type, enqueued in the transaction of its change', async () => {
    await endpoint('/all')
    await endpoint('/followups', ['followup.received'])
    // From a customer the shop vouched for, so the policy's coupon is issued at once.
    const receipt = await submit(
      (await verifiedComplaint(
        db,
        site,
        complaint({ orderValue: { value: 2000, currency: 'EUR' } }),
      )) as Complaint,
    )
    const followUp = await fetch(`${server.url}/v1/complaints/${receipt.id}/follow-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${receipt.token}` },
      body: JSON.stringify({ score: 2, resolved: false, comment: 'still broken' }),
    })
    expect(followUp.status).toBe(204)
    await resolved(1)
    // A rolled-back transaction leaves nothing to send.
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueWebhook(trx, site, 'complaint.resolved', { complaintId: 'cmp_rolledback' })
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    while ((await worker.runOnce()) > 0);

    const all = receiver.unique('/all')
    expect(all.map((payload) => payload.type).sort()).toEqual([
      'complaint.created',
      'complaint.resolved',
      'followup.received',
      'recovery.issued',
      'recovery.issued',
    ])
    const issued = all.filter((payload) => payload.type === 'recovery.issued')
    expect(issued.map((payload) => payload.data.kind).sort()).toEqual(['apology', 'coupon'])
    const coupon = issued.find((payload) => payload.data.kind === 'coupon')!.data
    expect(coupon).toMatchObject({
      complaintId: receipt.id,
      reference: receipt.reference,
      site: 'pk_demo',
      policyKey: 'remedy',
      value: 500,
      currency: 'EUR',
      recovery: receipt.recovery,
      reusedFrom: null,
    })
    const followUps = receiver.unique('/followups')
    expect(followUps).toHaveLength(1)
    expect(followUps[0]!.data).toEqual({
      complaintId: receipt.id,
      reference: receipt.reference,
      site: 'pk_demo',
      score: 2,
      resolved: false,
      fairness: null,
    })
    expect(all.find((payload) => payload.type === 'complaint.resolved')!.data).toMatchObject({
      complaintId: 'cmp_test1',
      site: 'pk_demo',
    })
    expect(JSON.stringify(all)).not.toContain('cmp_rolledback')
  })

  it('a receiver that fails 3 times, then succeeds, gets each event exactly once', async () => {
    advance(0)
    await endpoint('/flaky', ['complaint.resolved'], (n) => ({ status: n <= 6 ? 500 : 200 }))
    const ids = [...(await resolved(1)), ...(await resolved(2))]
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await worker.runOnce()).toBe(2)
      expect(await worker.runOnce()).toBe(0) // the next attempt is not due yet
      if (attempt < 4) {
        const delay = RETRY_SCHEDULE_MS[attempt - 1]!
        advance(delay * 0.8 - 1000) // jitter is ±20%: not yet
        expect(await worker.runOnce()).toBe(0)
        advance(delay * 0.4 + 2000)
      }
    }
    expect(receiver.hits.get('/flaky')).toBe(8)
    const unique = receiver.unique('/flaky')
    expect(unique.map((payload) => payload.data.complaintId).sort()).toEqual([
      'cmp_test1',
      'cmp_test2',
    ])
    for (const id of ids) {
      expect(await delivery(id)).toMatchObject({
        status: 'delivered',
        attempts: 4,
        last_status: 200,
        last_error: null,
      })
    }
  })

  it(`gives up after ${MAX_ATTEMPTS} attempts over about a day`, async () => {
    advance(0)
    await endpoint('/down', ['complaint.resolved'], () => ({ status: 503 }))
    const [id] = await resolved(1)
    const start = now().getTime()
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await worker.runOnce()).toBe(1)
      advance(15 * 3_600_000) // more than the longest step (12 h) with its +20% jitter
    }
    expect(await worker.runOnce()).toBe(0)
    expect(await delivery(id!)).toMatchObject({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      last_status: 503,
      last_error: 'HTTP 503',
    })
    const total = RETRY_SCHEDULE_MS.reduce((sum, ms) => sum + ms, 0)
    expect(total / 3_600_000).toBeGreaterThan(20)
    expect(total / 3_600_000).toBeLessThan(26)
    expect(now().getTime() - start).toBeGreaterThan(total)
  })

  it('410 Gone disables the endpoint and its pending deliveries', async () => {
    const id = await endpoint('/gone', ['complaint.resolved'], () => ({ status: 410 }))
    const [first] = await resolved(1)
    const [second] = await resolved(2)
    const single = startWebhookWorker({
      db,
      now,
      interval: false,
      batchSize: 1,
      outbound,
    })
    expect(await single.runOnce()).toBe(1)
    await single.stop()
    const row = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.enabled).toBe(false)
    expect(row.disabled_reason).toContain('410')
    expect(await delivery(first!)).toMatchObject({ status: 'disabled', last_status: 410 })
    expect(await delivery(second!)).toMatchObject({ status: 'disabled', attempts: 0 })
    expect(receiver.hits.get('/gone')).toBe(1)
    // Nothing new is enqueued for it, nothing is sent, and it cannot be replayed.
    expect(await resolved(3)).toEqual([])
    expect(await worker.runOnce()).toBe(0)
    expect(await replayDelivery(db, second!)).toBe(false)
  })

  it('a redirect is not followed and counts as a failure', async () => {
    await endpoint('/target', ['complaint.resolved'])
    await db.updateTable('webhook_endpoints').set({ enabled: false }).execute()
    await endpoint('/moved', ['complaint.resolved'], () => ({
      status: 302,
      headers: { location: `${receiver.url}/target` },
    }))
    const [id] = await resolved(1)
    expect(await worker.runOnce()).toBe(1)
    expect(receiver.hits.get('/moved')).toBe(1)
    expect(receiver.hits.get('/target')).toBeUndefined()
    const row = await delivery(id!)
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status: 302 })
    expect(row.last_error).toContain('redirect not followed')
    expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(now().getTime())
  })

  it('two workers at once never deliver the same row twice', async () => {
    await endpoint('/many', ['complaint.resolved'], () => ({ status: 200 }))
    const ids: string[] = []
    for (let n = 0; n < 60; n++) ids.push(...(await resolved(n)))
    // On PostgreSQL the second worker has its own pool, like another process.
    const other: Database | undefined =
      database().name === 'PostgreSQL' ? await openDatabase(options) : undefined
    const take = async (worker: WebhookWorker) => {
      let taken = 0
      for (let n = await worker.runOnce(); n > 0; n = await worker.runOnce()) taken += n
      return taken
    }
    const a = startWebhookWorker({ db, interval: false, batchSize: 7, outbound })
    const b = startWebhookWorker({ db: other?.db ?? db, interval: false, batchSize: 7, outbound })
    try {
      const [takenA, takenB] = await Promise.all([take(a), take(b)])
      expect(takenA + takenB).toBe(60)
      if (other) expect(Math.min(takenA, takenB)).toBeGreaterThan(0)
    } finally {
      await a.stop()
      await b.stop()
      await other?.close()
    }
    const got = receiver.requests.get('/many')!
    expect(got).toHaveLength(60)
    expect(new Set(got.map((request) => request.id))).toEqual(new Set(ids))
  })

  it('replay sends a delivery again with the same webhook-id', async () => {
    await endpoint('/replay', ['complaint.resolved'])
    const [id] = await resolved(1)
    expect(await worker.runOnce()).toBe(1)
    expect(await replayDelivery(db, id!)).toBe(true)
    expect(await delivery(id!)).toMatchObject({ status: 'pending', attempts: 0 })
    expect(await worker.runOnce()).toBe(1)
    const got = receiver.requests.get('/replay')!
    expect(got.map((request) => request.id)).toEqual([id, id])
    expect(got[1]!.payload).toEqual(got[0]!.payload)
    expect(receiver.unique('/replay')).toHaveLength(1)
    expect(await delivery(id!)).toMatchObject({ status: 'delivered', attempts: 1 })
    expect(await replayDelivery(db, 'msg_nosuchdelivery')).toBe(false)
  })
})
