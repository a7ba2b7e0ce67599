import type { Complaint, Receipt, StatusReport } from '@redress/protocol'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type AdminInit,
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
} from '../../_test-harness'
import type { Site } from '../../db/schema'
import { createSite } from '../../sites'

let counter = 0
const key = () => `reply-${Date.now().toString(36)}-${++counter}`
const DEMO_TOKEN = 'test-admin-token'

describeEachDatabase('admin API: replies', (database) => {
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

  const post = (body: Partial<Complaint> = {}) => submitComplaint(server().url, body)

  const admin = (path: string, init: AdminInit = {}) =>
    adminFetch(server().url, DEMO_TOKEN, path, init)

  const reply = (id: string, body: unknown, init: Omit<AdminInit, 'body' | 'method'> = {}) =>
    admin(`/complaints/${id}/replies`, { method: 'POST', body, ...init })

  /** What the customer sees, with the token from their receipt. */
  const status = async (receipt: Receipt): Promise<StatusReport> =>
    expectJson(
      await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
        headers: { authorization: `Bearer ${receipt.token}` },
      }),
    )

  const row = (id: string) =>
    db()
      .selectFrom('complaints')
      .select(['status', 'first_reply_at', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()

  const events = (id: string) =>
    db()
      .selectFrom('events')
      .select(['type', 'data'])
      .where('complaint_id', '=', id)
      .orderBy('id')
      .execute()

  describe('POST /v1/admin/complaints/:id/replies', () => {
    it('answers the customer, who sees it in the status; the complaint moves to in_progress', async () => {
      const receipt = await post()
      expect((await status(receipt)).replies).toBeUndefined()

      const body = await expectJson(
        await reply(receipt.id, {
          message: '  We found your parcel.\nIt arrives tomorrow. ',
          author: 'Ana',
        }),
        201,
      )
      expect(body).toEqual({
        id: expect.stringMatching(/^\d+$/),
        message: 'We found your parcel.\nIt arrives tomorrow.',
        author: 'Ana',
        at: expect.any(String),
      })
      expect(new Date(body.at).toISOString()).toBe(body.at)

      const report = await status(receipt)
      expect(report.status).toBe('in_progress')
      expect(report.replies).toEqual([
        { message: 'We found your parcel.\nIt arrives tomorrow.', author: 'Ana', at: body.at },
      ])
      expect(report.updatedAt).toBe(body.at)
      // Only what the customer should see: no idempotency key, no event id.
      expect(Object.keys(report.replies![0]!).sort()).toEqual(['at', 'author', 'message'])

      const stored = await row(receipt.id)
      expect(stored.status).toBe('in_progress')
      expect(new Date(stored.first_reply_at!).toISOString()).toBe(body.at)

      const detail = await expectJson(await admin(`/complaints/${receipt.id}`))
      // The author is the name the customer reads; the actor who sent it, for the team.
      const actor = { kind: 'admin_token', id: 'admin-token', name: 'Admin token' }
      expect(detail.timeline.slice(-2)).toEqual([
        {
          type: 'replied',
          data: {
            message: 'We found your parcel.\nIt arrives tomorrow.',
            author: 'Ana',
            idempotencyKey: null,
            actor,
          },
          at: body.at,
        },
        {
          type: 'status_changed',
          data: { from: 'received', to: 'in_progress', by: 'reply', actor },
          at: expect.any(String),
        },
      ])
    })

    it('keeps the first reply’s time, lists replies oldest first, and leaves out a missing author', async () => {
      const receipt = await post()
      const first = await expectJson(await reply(receipt.id, { message: 'Looking into it' }), 201)
      expect(first.author).toBeNull()
      const firstReplyAt = (await row(receipt.id)).first_reply_at
      const second = await expectJson(
        await reply(receipt.id, { message: 'Sent a new one <b>today</b>', author: null }),
        201,
      )
      expect(Number(second.id)).toBeGreaterThan(Number(first.id))

      expect((await row(receipt.id)).first_reply_at).toEqual(firstReplyAt)
      const report = await status(receipt)
      expect(report.replies).toEqual([
        { message: 'Looking into it', at: first.at },
        // Text as sent: showing it as text is the client's job.
        { message: 'Sent a new one <b>today</b>', at: second.at },
      ])
      // Already in progress: the second reply changes no status.
      expect((await events(receipt.id)).map((e) => e.type).slice(-3)).toEqual([
        'replied',
        'status_changed',
        'replied',
      ])
    })

    it('leaves any status other than received as it is', async () => {
      const receipt = await post()
      await expectJson(
        await admin(`/complaints/${receipt.id}`, { method: 'PATCH', body: { status: 'resolved' } }),
      )
      await expectJson(await reply(receipt.id, { message: 'Glad it is sorted' }), 201)
      expect((await status(receipt)).status).toBe('resolved')
      expect((await events(receipt.id)).at(-1)?.type).toBe('replied')
      expect((await row(receipt.id)).first_reply_at).not.toBeNull()
    })

    it('with an Idempotency-Key: a retry gets the first reply (200) and stores nothing new', async () => {
      const receipt = await post()
      const idempotencyKey = key()
      const headers = { 'idempotency-key': idempotencyKey }
      const first = await expectJson(
        await reply(receipt.id, { message: 'On its way', author: 'Bo' }, { headers }),
        201,
      )
      const again = await expectJson(
        await reply(receipt.id, { message: 'On its way', author: 'Bo' }, { headers }),
        200,
      )
      expect(again).toEqual(first)

      const conflict = await expectJson(
        await reply(receipt.id, { message: 'Something else', author: 'Bo' }, { headers }),
        409,
      )
      expect(conflict.error.code).toBe('idempotency_conflict')
      const otherAuthor = await reply(receipt.id, { message: 'On its way' }, { headers })
      expect(otherAuthor.status).toBe(409)

      // The same key on another complaint is another reply.
      const second = await post()
      await expectJson(
        await reply(second.id, { message: 'On its way', author: 'Bo' }, { headers }),
        201,
      )

      expect((await events(receipt.id)).filter((e) => e.type === 'replied')).toHaveLength(1)
      expect((await status(receipt)).replies).toHaveLength(1)
    })

    it('stores one reply for concurrent retries with one Idempotency-Key', async () => {
      const receipt = await post()
      const headers = { 'idempotency-key': key() }
      const responses = await Promise.all(
        Array.from({ length: 12 }, () =>
          reply(receipt.id, { message: 'We are on it' }, { headers }),
        ),
      )
      const statuses = responses.map((response) => response.status).sort()
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201])
      const bodies = await Promise.all(responses.map((response) => response.json()))
      expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1)
      const stored = await events(receipt.id)
      expect(stored.filter((e) => e.type === 'replied')).toHaveLength(1)
      expect(stored.filter((e) => e.type === 'status_changed')).toHaveLength(1)
    })

    it('refuses bad input with 400 and the field, storing nothing', async () => {
      const receipt = await post()
      const cases: [unknown, string][] = [
        [{}, 'message'],
        [{ message: '' }, 'message'],
        [{ message: ' \n ' }, 'message'],
        [{ message: 42 }, 'message'],
        [{ message: 'x'.repeat(5001) }, 'message'],
        [{ message: 'Hi', author: '' }, 'author'],
        [{ message: 'Hi', author: 7 }, 'author'],
        [{ message: 'Hi', author: 'x'.repeat(201) }, 'author'],
        [{ message: 'Hi', status: 'resolved' }, 'status'],
      ]
      for (const [body, field] of cases) {
        const error = (await expectJson(await reply(receipt.id, body), 400)).error
        expect(error, JSON.stringify(body)).toMatchObject({ code: 'invalid_request', field })
      }
      const array = await expectJson(await reply(receipt.id, ['Hi']), 400)
      expect(array.error.code).toBe('invalid_request')
      const longKey = await expectJson(
        await reply(
          receipt.id,
          { message: 'Hi' },
          { headers: { 'idempotency-key': 'k'.repeat(256) } },
        ),
        400,
      )
      expect(longKey.error).toMatchObject({ code: 'invalid_request', field: 'idempotencyKey' })
      const notJson = await fetch(`${server().url}/v1/admin/complaints/${receipt.id}/replies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_TOKEN}`, 'content-type': 'application/json' },
        body: '{"message":',
      })
      expect((await expectJson(notJson, 400)).error.code).toBe('invalid_request')
      const text = await fetch(`${server().url}/v1/admin/complaints/${receipt.id}/replies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_TOKEN}`, 'content-type': 'text/plain' },
        body: 'Hi',
      })
      expect(text.status).toBe(415)

      // The longest message is fine.
      await expectJson(
        await reply(receipt.id, { message: 'x'.repeat(5000), author: 'y'.repeat(200) }),
        201,
      )
      expect((await events(receipt.id)).filter((e) => e.type === 'replied')).toHaveLength(1)
    })

    it('is 404 for another site’s complaint or none, 401 without the admin token', async () => {
      const theirs = await post({ site: other.site.public_key })
      const notFound = await expectJson(await reply(theirs.id, { message: 'Hello' }), 404)
      expect(notFound.error.code).toBe('not_found')
      expect((await reply('cmp_nope', { message: 'Hello' })).status).toBe(404)
      expect((await reply(theirs.id, { message: 'Hello' }, { token: null })).status).toBe(401)
      expect((await reply(theirs.id, { message: 'Hello' }, { token: 'nope' })).status).toBe(401)
      expect(await events(theirs.id)).not.toContainEqual(
        expect.objectContaining({ type: 'replied' }),
      )
      expect((await status(theirs)).status).toBe('received')

      // Their own token can.
      await expectJson(
        await reply(theirs.id, { message: 'Hello from us' }, { token: other.adminToken }),
        201,
      )
      expect((await status(theirs)).replies).toEqual([
        { message: 'Hello from us', at: expect.any(String) },
      ])
    })
  })
})
