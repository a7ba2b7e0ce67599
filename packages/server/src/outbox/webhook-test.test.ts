import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  LOCAL_WEBHOOKS,
  startWebhookReceiver,
} from '../_test-harness'
import { type RunningServer, startServer } from '../cli'
import { createSite } from '../sites'
import { createWebhookEndpoint } from './webhooks'

const TOKEN = 'test-admin-token'

describeEachDatabase('webhook test send', (database) => {
  let server: RunningServer
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>

  beforeAll(async () => {
    server = await startServer({
      ...(await database().create()),
      port: 0,
      log: false,
      static: false,
      secret: 'test-secret',
      adminToken: TOKEN,
      demoSite: true,
      // Delivered only when the test runs a round: no polling, no waiting.
      webhooks: { interval: false },
      webhookAllow: LOCAL_WEBHOOKS,
      guarantees: false,
      alerts: false,
    })
    receiver = await startWebhookReceiver()
  })
  afterAll(async () => {
    await receiver?.close()
    await server?.close()
  })

  const admin = (path: string, init: Parameters<typeof adminFetch>[3] = {}) =>
    adminFetch(server.url, TOKEN, path, init)
  const endpoint = async (path: string, types: string[]) => {
    const body = await expectJson(
      await admin('/webhooks', { method: 'POST', body: { url: `${receiver.url}${path}`, types } }),
      201,
    )
    receiver.route(path, body.secret)
    return body.id as string
  }

  it('delivers one signed webhook.test to that endpoint only, listed in its deliveries', async () => {
    // Subscribed to another type only: a test is sent all the same.
    const id = await endpoint('/test', ['complaint.created'])
    const bystander = await endpoint('/bystander', ['complaint.created', 'recovery.issued'])

    const accepted = await expectJson(await admin(`/webhooks/${id}/test`, { method: 'POST' }), 202)
    expect(accepted).toEqual({ id: expect.stringMatching(/^msg_/), status: 'pending' })
    const pending = await expectJson(await admin(`/webhooks/${id}/deliveries`))
    expect(pending.items).toMatchObject([
      { id: accepted.id, type: 'webhook.test', status: 'pending' },
    ])

    expect(await server.webhooks!.runOnce()).toBe(1)
    expect(await server.webhooks!.runOnce()).toBe(0)

    expect(receiver.errors).toEqual([])
    const got = receiver.received.get('/test')!
    expect(got).toHaveLength(1)
    expect(got[0]!.headers['webhook-id']).toBe(accepted.id)
    expect(got[0]!.headers['webhook-signature']).toMatch(/^v1,/)
    expect(got[0]!.payload).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { message: 'A test from Redress', site: 'pk_demo' },
    })
    expect(receiver.received.get('/bystander')).toBeUndefined()

    const listed = await expectJson(await admin(`/webhooks/${id}/deliveries`))
    expect(listed.items).toMatchObject([
      {
        id: accepted.id,
        type: 'webhook.test',
        status: 'delivered',
        attempts: 1,
        lastStatus: 204,
        lastError: null,
      },
    ])
    expect((await expectJson(await admin(`/webhooks/${bystander}/deliveries`))).items).toEqual([])
  })

  it('refuses a disabled endpoint with 409 and enqueues nothing', async () => {
    const id = await endpoint('/disabled', ['complaint.created'])
    await expectJson(await admin(`/webhooks/${id}`, { method: 'DELETE' }))
    const body = await expectJson(await admin(`/webhooks/${id}/test`, { method: 'POST' }), 409)
    expect(body.error.code).toBe('conflict')
    expect((await expectJson(await admin(`/webhooks/${id}/deliveries`))).items).toEqual([])
  })

  it("is 404 for another site's endpoint or an unknown one, and 401 without the token", async () => {
    const other = await createSite(server.database.db, {
      name: 'Other shop',
      origins: ['https://other.example'],
    })
    const theirs = await createWebhookEndpoint(
      server.database.db,
      other.site.id,
      `${receiver.url}/theirs`,
    )
    for (const id of [theirs.id, 'whe_nope']) {
      const body = await expectJson(await admin(`/webhooks/${id}/test`, { method: 'POST' }), 404)
      expect(body.error.code).toBe('not_found')
    }
    // Their own token reaches it.
    await expectJson(
      await adminFetch(server.url, other.adminToken, `/webhooks/${theirs.id}/test`, {
        method: 'POST',
      }),
      202,
    )
    const body = await expectJson(
      await admin(`/webhooks/${theirs.id}/test`, { method: 'POST', token: null }),
      401,
    )
    expect(body.error.code).toBe('unauthorized')
  })
})
