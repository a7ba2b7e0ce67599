import type { Complaint, Receipt } from '@redress/protocol'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  type AdminInit,
  adminFetch,
  describeEachDatabase,
  expectJson,
  LOCAL_WEBHOOKS,
  sendComplaint,
  startWebhookReceiver,
  verifiedComplaint,
} from '../_test-harness'
import { type RunningServer, startServer } from '../cli'
import type { Site } from '../db/schema'
import { createSite } from '../sites'
import { WEBHOOK_EVENT_TYPES, type WebhookEventType, type WebhookPayload } from './webhooks'

/** A verifying receiver, plus what `path` got about one complaint, in arrival order. */
async function startReceiver() {
  const receiver = await startWebhookReceiver<WebhookPayload>()
  return {
    ...receiver,
    about: (path: string, complaintId: string) =>
      (receiver.received.get(path) ?? [])
        .map((request) => request.payload)
        .filter((payload) => payload.data.complaintId === complaintId),
  }
}

const types = (payloads: WebhookPayload[]) => payloads.map((payload) => payload.type)
const NEW_TYPES: WebhookEventType[] = ['reply.sent', 'guarantee.broken']

describeEachDatabase('webhooks for replies and broken guarantees', (database) => {
  let server: RunningServer
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let mine: { site: Site; adminToken: string }
  // The guarantee worker's clock, moved by the test; the webhook worker signs in real time.
  let clock = Date.now()

  beforeAll(async () => {
    server = await startServer({
      ...(await database().create()),
      port: 0,
      log: false,
      static: false,
      secret: 'test-secret',
      adminToken: 'test-admin-token',
      demoSite: true,
      rateLimit: { perIp: { limit: 100_000 }, perSite: { limit: 100_000 } },
      // Both workers run only when a test says so.
      webhooks: { interval: false },
      webhookAllow: LOCAL_WEBHOOKS,
      guarantees: { interval: false, now: () => new Date(clock) },
      alerts: { interval: false },
    })
    receiver = await startReceiver()
    mine = await createSite(server.database.db, {
      name: 'Hooked shop',
      origins: ['https://shop.example'],
      adminToken: `hooked-${Date.now().toString(36)}`,
    })
    // Through the admin API: no `types` subscribes to every type, the new ones included.
    await endpoint('/all')
    await endpoint('/replies', ['reply.sent'])
    await endpoint('/guarantees', ['guarantee.broken'])
    await endpoint(
      '/others',
      WEBHOOK_EVENT_TYPES.filter((type) => !NEW_TYPES.includes(type)),
    )
  })
  afterAll(async () => {
    await receiver?.close()
    await server?.close()
  })

  const admin = (path: string, init: AdminInit = {}) =>
    adminFetch(server.url, mine.adminToken, path, init)

  async function endpoint(path: string, types?: WebhookEventType[]) {
    const body = await expectJson(
      await admin('/webhooks', {
        method: 'POST',
        body: { url: `${receiver.url}${path}`, ...(types ? { types } : {}) },
      }),
      201,
    )
    expect(body.types).toEqual(types ?? [...WEBHOOK_EVENT_TYPES])
    receiver.route(path, body.secret)
  }

  const complain = async (body: Partial<Complaint> = {}) =>
    (await expectJson(
      await sendComplaint(server.url, { site: mine.site.public_key, ...body }),
      201,
    )) as Receipt

  /** Run delivery rounds until the outbox has nothing due. */
  const deliver = async () => {
    while ((await server.webhooks!.runOnce()) > 0);
    expect(receiver.errors).toEqual([])
  }

  it('accepts the new types and lists them for an endpoint created without types', async () => {
    const { items } = await expectJson(await admin('/webhooks'))
    expect(items[0].types).toEqual(expect.arrayContaining(NEW_TYPES))
    const bad = await expectJson(
      await admin('/webhooks', {
        method: 'POST',
        body: { url: `${receiver.url}/bad`, types: ['reply.received'] },
      }),
      400,
    )
    expect(bad.error.field).toBe('types')
    expect(bad.error.message).toContain('reply.sent')
    expect(bad.error.message).toContain('guarantee.broken')
  })

  it('a reply sends one reply.sent; its replay with the same Idempotency-Key sends none', async () => {
    const receipt = await complain()
    const headers = { 'idempotency-key': `reply-${Date.now().toString(36)}` }
    const send = (message: string) =>
      admin(`/complaints/${receipt.id}/replies`, {
        method: 'POST',
        body: { message, author: 'Ana' },
        headers,
      })
    const reply = await expectJson(await send('We found your parcel.'), 201)
    expect(await expectJson(await send('We found your parcel.'), 200)).toEqual(reply)
    // The same key with another message is refused, and sends nothing either.
    await expectJson(await send('Something else'), 409)
    await deliver()

    const data = {
      complaintId: receipt.id,
      reference: receipt.reference,
      site: mine.site.public_key,
      replyId: reply.id,
      message: 'We found your parcel.',
      author: 'Ana',
      at: reply.at,
    }
    const replies = receiver.about('/replies', receipt.id)
    expect(replies).toEqual([{ type: 'reply.sent', timestamp: expect.any(String), data }])
    // Key order as documented: the ids, then the site, then the rest.
    expect(Object.keys(replies[0]!.data)).toEqual(Object.keys(data))
    expect(types(receiver.about('/all', receipt.id)).filter((t) => t === 'reply.sent')).toEqual([
      'reply.sent',
    ])
    expect(receiver.about('/guarantees', receipt.id)).toEqual([])
    const others = types(receiver.about('/others', receipt.id))
    expect(others).toContain('complaint.created')
    expect(others).not.toContain('reply.sent')

    // A second reply is another event.
    await expectJson(
      await admin(`/complaints/${receipt.id}/replies`, {
        method: 'POST',
        body: { message: 'It arrives tomorrow.' },
      }),
      201,
    )
    await deliver()
    expect(receiver.about('/replies', receipt.id).map((payload) => payload.data.message)).toEqual([
      'We found your parcel.',
      'It arrives tomorrow.',
    ])
  })

  it('a broken guarantee sends one guarantee.broken and its recovery.issued; a kept one neither', async () => {
    const guarantee = {
      text: 'A reply within 2 hours, or €5 off',
      firstReplyWithin: 'PT2H',
      remedy: { kind: 'coupon', value: 500 },
    }
    await expectJson(await admin('/site', { method: 'PATCH', body: { guarantee } }))
    clock = Date.now()
    // Signed-in customers: a broken guarantee pays them at once.
    const db = server.database.db
    const late = await complain(
      await verifiedComplaint(db, mine.site, { customer: { id: `late-${Date.now()}` } }),
    )
    const kept = await complain(
      await verifiedComplaint(db, mine.site, { customer: { id: `kept-${Date.now()}` } }),
    )
    await expectJson(
      await admin(`/complaints/${kept.id}/replies`, {
        method: 'POST',
        body: { message: 'We are on it.' },
      }),
      201,
    )

    const worker = server.guarantees!
    expect(await worker.runOnce()).toBe(0)
    clock += 2 * 3_600_000 + 1000
    expect(await worker.runOnce()).toBe(2)
    expect(await worker.runOnce()).toBe(0)
    await deliver()

    const detail = await expectJson(await admin(`/complaints/${late.id}`))
    const coupon = detail.recoveries.find(
      (recovery: { policyKey: string }) => recovery.policyKey === 'guarantee',
    )
    expect(coupon).toMatchObject({ kind: 'coupon', status: 'issued', value: 500 })
    const broken = {
      type: 'guarantee.broken',
      timestamp: expect.any(String),
      data: {
        complaintId: late.id,
        reference: late.reference,
        site: mine.site.public_key,
        promise: guarantee.text,
        dueAt: new Date(Date.parse(late.receivedAt) + 2 * 3_600_000).toISOString(),
        recoveryId: coupon.id,
      },
    }
    expect(receiver.about('/guarantees', late.id)).toEqual([broken])
    expect(Object.keys(receiver.about('/guarantees', late.id)[0]!.data)).toEqual(
      Object.keys(broken.data),
    )

    // Subscribed to everything: the broken promise once, and the coupon it gave as recovery.issued.
    const all = receiver.about('/all', late.id)
    expect(all.filter((payload) => payload.type === 'guarantee.broken')).toEqual([broken])
    const issued = all.filter(
      (payload) => payload.type === 'recovery.issued' && payload.data.policyKey === 'guarantee',
    )
    expect(issued).toHaveLength(1)
    expect(issued[0]!.data).toMatchObject({
      complaintId: late.id,
      recoveryId: coupon.id,
      kind: 'coupon',
      value: 500,
    })

    // Subscribed to the other types only: the coupon, never the broken promise or a reply.
    const others = receiver.about('/others', late.id)
    expect(types(others)).not.toContain('guarantee.broken')
    expect(
      others.filter((payload) => payload.data.policyKey === 'guarantee').map((p) => p.type),
    ).toEqual(['recovery.issued'])
    expect(types(receiver.about('/others', kept.id))).not.toContain('reply.sent')

    // The promise kept by a reply in time breaks nothing.
    expect(receiver.about('/guarantees', kept.id)).toEqual([])
    expect(types(receiver.about('/all', kept.id))).not.toContain('guarantee.broken')
    expect(types(receiver.about('/replies', kept.id))).toEqual(['reply.sent'])

    // Exactly one outbox row per subscribed endpoint (/all and /guarantees), none elsewhere.
    const rows = await server.database.db
      .selectFrom('webhook_deliveries')
      .select(['event_type', 'status'])
      .where('event_type', '=', 'guarantee.broken')
      .execute()
    expect(rows).toEqual([
      { event_type: 'guarantee.broken', status: 'delivered' },
      { event_type: 'guarantee.broken', status: 'delivered' },
    ])
  })
})
