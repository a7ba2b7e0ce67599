import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Complaint } from '@redress/protocol'
import type { LiveEvent } from '@redress/protocol/admin'
import { Hono } from 'hono'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
} from '../../_test-harness'
import { startServer } from '../../cli'
import type { Site } from '../../db/schema'
import { isApiError, type LogLine } from '../../http'
import { createSite } from '../../sites'
import { adminApi } from './index'

let counter = 0
const key = () => `live-${Date.now().toString(36)}-${++counter}`
const DEMO_TOKEN = 'test-admin-token'

/** One block of the stream: an event (`id`, `event`, `data`), a comment, or a `retry`. */
interface Block {
  id?: string
  event?: string
  data?: string
  comment?: string
  retry?: string
}

/**
 * Reads `GET /v1/admin/stream` with fetch streaming, as the dashboard does.
 * `next` waits for the next event (comments and `retry` skipped) or fails
 * after `timeout`: no sleeps, only waiting for what the stream sends.
 */
async function openStream(
  base: string,
  token: string,
  init: { headers?: Record<string, string>; query?: string } = {},
) {
  const controller = new AbortController()
  const response = await fetch(`${base}/v1/admin/stream${init.query ?? ''}`, {
    headers: { authorization: `Bearer ${token}`, ...init.headers },
    signal: controller.signal,
  })
  expect(response.status, await (response.ok ? '' : response.clone().text())).toBe(200)
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  const blocks: Block[] = []
  let ended = false
  // Whether the response ended properly, rather than by a cut connection.
  let clean = false
  let waiting: (() => void) | undefined
  // Read continuously, so that the end of the stream is seen even between calls.
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) {
          clean = true
          break
        }
        buffer += value
        let end = buffer.indexOf('\n\n')
        while (end !== -1) {
          const block: Block = {}
          for (const line of buffer.slice(0, end).split('\n')) {
            if (line.startsWith(':')) block.comment = line.slice(1).trim()
            else {
              const colon = line.indexOf(':')
              const field = line.slice(0, colon) as keyof Block
              const value = line.slice(colon + 1).replace(/^ /, '')
              block[field] = block[field] === undefined ? value : `${block[field]}\n${value}`
            }
          }
          blocks.push(block)
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
        }
        waiting?.()
      }
    } catch {
      // Aborted by `close`, or the connection was cut.
    } finally {
      ended = true
      waiting?.()
    }
  })()

  /** The next block that `accept` takes, or `undefined` once the stream has ended. */
  const take = async (accept: (block: Block) => boolean, timeout: number, what: string) => {
    const deadline = Date.now() + timeout
    for (;;) {
      const index = blocks.findIndex(accept)
      if (index !== -1) return blocks.splice(0, index + 1).at(-1)!
      if (ended) return undefined
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`No ${what} within ${timeout} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        waiting = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  return {
    response,
    /** The next event, parsed; fails when the stream ends or nothing comes in time. */
    async next(timeout = 5000): Promise<LiveEvent & { sseId: string; sseEvent: string }> {
      const block = await take((b) => b.data !== undefined, timeout, 'event')
      if (!block) throw new Error('The stream ended')
      return { ...(JSON.parse(block.data!) as LiveEvent), sseId: block.id!, sseEvent: block.event! }
    },
    /** The next comment line (a heartbeat). */
    async comment(timeout = 5000): Promise<string> {
      const block = await take(
        (b) => b.comment !== undefined || b.data !== undefined,
        timeout,
        'comment',
      )
      if (!block) throw new Error('The stream ended')
      if (block.data !== undefined)
        throw new Error(`Expected a comment, got the event ${block.data}`)
      return block.comment!
    },
    /**
     * Once the server has ended the stream: whether the response ended
     * properly (`true`) or the connection was cut. Fails after `timeout`.
     */
    async ended(timeout = 5000): Promise<boolean> {
      const block = await take((b) => b.data !== undefined, timeout, 'end of the stream')
      if (block) throw new Error(`Expected the end, got the event ${block.data}`)
      await pump
      return clean
    },
    /** The first `retry` block the server sent. */
    retry: () => take((b) => b.retry !== undefined, 5000, 'retry').then((b) => b?.retry),
    close() {
      controller.abort()
      return pump
    },
  }
}

type Stream = Awaited<ReturnType<typeof openStream>>

describeEachDatabase('admin API: live stream', (database) => {
  const server = useServer(database)
  const db = () => server().database.db
  let other: { site: Site; adminToken: string }
  const streams: Stream[] = []

  beforeAll(async () => {
    other = await createSite(db(), {
      name: 'Other shop',
      origins: ['https://other.example'],
      adminToken: `other-token-${key()}`,
    })
  })
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((stream) => stream.close()))
  })

  const open = async (
    init: Parameters<typeof openStream>[2] & { token?: string; base?: string } = {},
  ) => {
    const stream = await openStream(init.base ?? server().url, init.token ?? DEMO_TOKEN, init)
    streams.push(stream)
    return stream
  }

  const post = (body: Partial<Complaint> = {}) => submitComplaint(server().url, body)

  const reply = async (id: string, message: string, token = DEMO_TOKEN) =>
    expectJson(
      await adminFetch(server().url, token, `/complaints/${id}/replies`, {
        method: 'POST',
        body: { message },
      }),
      201,
    )

  /** The next event of the stream that is of `type`, skipping the others (recoveries). */
  const nextOf = async (stream: Stream, type: string) => {
    for (;;) {
      const event = await stream.next()
      if (event.type === type) return event
    }
  }

  const siteOf = (publicKey: string) =>
    db()
      .selectFrom('sites')
      .select('id')
      .where('public_key', '=', publicKey)
      .executeTakeFirstOrThrow()

  const eventsAfter = async (id: string) =>
    (
      await db()
        .selectFrom('events')
        .innerJoin('complaints', 'complaints.id', 'events.complaint_id')
        .select(sql<string>`events.id::text`.as('id'))
        .where('complaints.site_id', '=', (await siteOf('pk_demo')).id)
        .where('events.id', '>', id)
        .orderBy('events.id')
        .execute()
    ).map((row) => row.id)

  describe('GET /v1/admin/stream', () => {
    it('sends a complaint submitted through POST /v1/complaints as a received event, nothing older', async () => {
      const before = await post()
      const stream = await open()
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/)
      expect(await stream.retry()).toBe('2000')
      const receipt = await post()
      // Nothing of the complaint sent before the stream opened.
      const received = await stream.next()
      expect(received).toEqual({
        eventId: expect.stringMatching(/^\d+$/),
        complaintId: receipt.id,
        type: 'received',
        at: expect.any(String),
        data: expect.objectContaining({ idempotencyKey: expect.any(String) }),
        sseId: received.eventId,
        sseEvent: 'received',
      })
      expect(before.id).not.toBe(receipt.id)
    })

    it('sends replies and the status change they make, in order', async () => {
      const receipt = await post()
      const stream = await open()
      const sent = await reply(receipt.id, 'We are on it')
      const replied = await stream.next()
      expect(replied).toMatchObject({
        eventId: sent.id,
        complaintId: receipt.id,
        sseEvent: 'replied',
        at: sent.at,
        data: { message: 'We are on it', author: null },
      })
      expect(await stream.next()).toMatchObject({
        complaintId: receipt.id,
        type: 'status_changed',
        data: { from: 'received', to: 'in_progress', by: 'reply' },
      })
    })

    it('resumes after Last-Event-ID (or ?after=) with what was missed, exactly once', async () => {
      const receipt = await post()
      const first = await open()
      await reply(receipt.id, 'One')
      const one = await nextOf(first, 'replied')
      await first.close()

      // While disconnected:
      await reply(receipt.id, 'Two')
      await reply(receipt.id, 'Three')

      for (const init of [
        { headers: { 'last-event-id': one.eventId } },
        { query: `?after=${one.eventId}` },
      ]) {
        const missed = await eventsAfter(one.eventId)
        expect(missed.length).toBeGreaterThanOrEqual(3)
        const resumed = await open(init)
        const got: string[] = []
        while (got.length < missed.length) got.push((await resumed.next()).eventId)
        expect(got).toEqual(missed)
        // Then only what is new: nothing is sent twice.
        const sent = await reply(receipt.id, 'Four')
        expect((await resumed.next()).eventId).toBe(sent.id)
        await resumed.close()
      }
    })

    it('never sends another site’s events', async () => {
      const mine = await open()
      const theirs = await open({ token: other.adminToken })
      const foreign = await post({ site: other.site.public_key })
      await reply(foreign.id, 'For the other site', other.adminToken)
      const own = await post()
      // The demo site's stream skips straight to its own complaint.
      const first = await mine.next()
      expect(first.complaintId).toBe(own.id)
      // The other site's stream has its own, and none of the demo site's.
      const seen: string[] = []
      for (;;) {
        const event = await theirs.next()
        seen.push(event.complaintId)
        if (event.type === 'status_changed') break
      }
      expect(new Set(seen)).toEqual(new Set([foreign.id]))
    })

    it('is 401 without the admin token and 400 for a resume point that is not an event id', async () => {
      for (const token of [null, 'nope']) {
        const response = await adminFetch(server().url, DEMO_TOKEN, '/stream', { token })
        expect((await expectJson(response, 401)).error.code).toBe('unauthorized')
      }
      const bad = await adminFetch(server().url, DEMO_TOKEN, '/stream', {
        headers: { 'last-event-id': 'abc' },
      })
      expect((await expectJson(bad, 400)).error).toMatchObject({
        code: 'invalid_request',
        field: 'Last-Event-ID',
      })
      const after = await adminFetch(server().url, DEMO_TOKEN, '/stream?after=-1')
      expect((await expectJson(after, 400)).error.field).toBe('after')
    })

    it('has at most 5 streams of a site open at once: the 6th is 429 until one ends', async () => {
      const crowded = await createSite(db(), {
        name: 'Many tabs',
        origins: ['https://tabs.example'],
        adminToken: `tabs-token-${key()}`,
      })
      const token = crowded.adminToken
      const five = await Promise.all(Array.from({ length: 5 }, () => open({ token })))
      const sixth = await adminFetch(server().url, token, '/stream', { token })
      expect(sixth.headers.get('retry-after')).toBe('5')
      expect((await expectJson(sixth, 429)).error).toMatchObject({
        code: 'rate_limited',
        message: expect.stringMatching(/at most 5/),
      })
      // Another site is not affected.
      const theirs = await open({ token: other.adminToken })
      expect(await theirs.retry()).toBe('2000')

      // Once one ends, the slot is free again (as soon as the server has seen it go).
      await five[0]!.close()
      const deadline = Date.now() + 5000
      for (;;) {
        const controller = new AbortController()
        const response = await fetch(`${server().url}/v1/admin/stream`, {
          headers: { authorization: `Bearer ${token}` },
          signal: controller.signal,
        })
        if (response.status === 200) {
          controller.abort()
          break
        }
        expect(response.status).toBe(429)
        await response.body?.cancel()
        expect(Date.now()).toBeLessThan(deadline)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })

    it('resumes from at most 1000 event ids back', async () => {
      const receipt = await post()
      const before = BigInt(
        (await sql<{ max: string }>`SELECT max(id)::text AS max FROM events`.execute(db())).rows[0]!
          .max,
      )
      await sql`
        INSERT INTO events (complaint_id, type, data)
        SELECT ${receipt.id}, 'assigned', '{}'::jsonb FROM generate_series(1, 1010)
      `.execute(db())
      const newest = BigInt(
        (await sql<{ max: string }>`SELECT max(id)::text AS max FROM events`.execute(db())).rows[0]!
          .max,
      )
      for (const init of [
        { query: '?after=0' },
        { headers: { 'last-event-id': before.toString() } },
      ]) {
        const stream = await open(init)
        const first = BigInt((await stream.next()).eventId)
        expect(first).toBeGreaterThanOrEqual(newest - 999n)
        expect(first).toBeGreaterThan(before + 10n)
        await stream.close()
      }
    })
  })

  describe('on a second server process (polling the same database)', () => {
    // Another process's admin API on the same database, with short timings: what
    // the first server records reaches it only through the database.
    let second: Server
    let base: string
    beforeAll(async () => {
      const app = new Hono()
      app.route('/v1/admin', adminApi(db(), { liveIntervalMs: 20, liveHeartbeatMs: 60 }))
      app.onError((error, c) =>
        isApiError(error) ? c.json(error.toJSON(), error.status as 400) : c.text('error', 500),
      )
      second = await new Promise<Server>((resolve) => {
        const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(started as Server),
        ) as Server
      })
      base = `http://127.0.0.1:${(second.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      second.closeAllConnections()
      await new Promise((resolve) => second.close(resolve))
    })

    it('sees what the first process records, and sends a heartbeat while idle', async () => {
      const stream = await open({ base })
      expect(await stream.comment()).toBe('keep-alive')
      const receipt = await post()
      expect((await nextOf(stream, 'received')).complaintId).toBe(receipt.id)
      // The apology follows; then nothing until the next heartbeat.
      expect((await nextOf(stream, 'recovery')).complaintId).toBe(receipt.id)
      expect(await stream.comment()).toBe('keep-alive')
    })

    it('is not held up by an event id that was rolled back', async () => {
      const receipt = await post()
      const stream = await open({ base })
      await db()
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('events')
            .values({ complaint_id: receipt.id, type: 'assigned', data: '{}' })
            .execute()
          throw new Error('roll back')
        })
        .catch(() => {})
      const sent = await reply(receipt.id, 'After the hole')
      const event = await stream.next()
      expect(event).toMatchObject({ eventId: sent.id, type: 'replied' })
    })

    // PGlite is one connection: a transaction held open there would block the
    // stream's own queries, so only PostgreSQL can commit out of order.
    if (database().name === 'PostgreSQL') {
      it('sends an event committed after a later one, in id order and nothing skipped', async () => {
        const early = await post()
        const late = await post()
        const stream = await open({ base })
        let commit!: () => void
        const held = new Promise<void>((resolve) => {
          commit = resolve
        })
        let inserted!: (id: string) => void
        const earlyId = new Promise<string>((resolve) => {
          inserted = resolve
        })
        const transaction = db()
          .transaction()
          .execute(async (trx) => {
            const row = await trx
              .insertInto('events')
              .values({ complaint_id: early.id, type: 'assigned', data: '{"to":"ana"}' })
              .returning(sql<string>`id::text`.as('id'))
              .executeTakeFirstOrThrow()
            inserted(row.id)
            await held
          })
        const holeId = await earlyId
        let sent: { id: string }
        try {
          // A later id, committed first.
          sent = await reply(late.id, 'Committed first')
          expect(BigInt(sent.id)).toBeGreaterThan(BigInt(holeId))
          // Two heartbeats: the stream has polled since, seen the hole and held back.
          expect(await stream.comment()).toBe('keep-alive')
          expect(await stream.comment()).toBe('keep-alive')
        } finally {
          commit()
          await transaction
        }
        expect(await stream.next()).toMatchObject({
          eventId: holeId,
          complaintId: early.id,
          type: 'assigned',
        })
        expect(await stream.next()).toMatchObject({ eventId: sent.id, type: 'replied' })
      })
    }
  })

  describe('graceful shutdown', () => {
    it('ends open streams, so the server stops within a couple of seconds', async () => {
      const lines: LogLine[] = []
      const own = await startServer({
        ...(await database().create()),
        port: 0,
        log: (line) => lines.push(line),
        static: false,
        secret: 'test-secret',
        adminToken: 'shutdown-admin-token',
        demoSite: true,
      })
      try {
        // One stream that has sent an event, one that has only just started.
        const stream = await openStream(own.url, 'shutdown-admin-token')
        const response = await fetch(`${own.url}/v1/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key() },
          body: JSON.stringify({
            site: 'pk_demo',
            category: 'order',
            severity: 'minor',
            description: 'Before the restart',
          }),
        })
        expect(response.status).toBe(201)
        // Received, then the apology: all of the complaint's events.
        while ((await stream.next()).type !== 'recovery') {}
        const idle = await openStream(own.url, 'shutdown-admin-token')
        await idle.retry()
        const started = Date.now()
        await own.close()
        expect(Date.now() - started).toBeLessThan(2000)
        // Ended by the server, not cut off with the connection.
        expect(await stream.ended(1000)).toBe(true)
        expect(await idle.ended(1000)).toBe(true)
        expect(lines.filter((line) => line.level === 'error')).toEqual([])
      } finally {
        await own.close()
      }
    })
  })
})
