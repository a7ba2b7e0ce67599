/**
 * @module Live updates for the dashboard: `GET /v1/admin/stream`, a
 * server-sent event stream of the site's timeline events as they are
 * recorded. Each stream polls the `events` table rather than listening to
 * this process, so a stream sees what any server process on the same
 * database recorded, and resuming after a reconnect needs nothing but the
 * last event id.
 */
import type { ServerResponse } from 'node:http'
import { type LiveEvent, LiveQuerySchema } from '@redress/protocol/admin'
import { Hono } from 'hono'
import { type SSEStreamingApi, streamSSE } from 'hono/streaming'
import { type Kysely, sql } from 'kysely'
import { iso } from '../../complaints'
import type { Tables } from '../../db/schema'
import { ApiError, valid } from '../../http'
import type { AdminEnv, AdminOptions } from './context'

/** The stream's timing, unless `AdminOptions` says otherwise. */
export const LIVE_DEFAULTS = {
  /** How often each stream reads new events, in milliseconds. */
  intervalMs: 1000,
  /** A comment line after this long without a write, so proxies keep the connection. */
  heartbeatMs: 15_000,
  /** The most events read in one query; a full batch is followed at once by the next. */
  batch: 200,
  /**
   * The longest a stream holds back events behind an id it cannot see yet
   * (see `poll`), in milliseconds; after that the id is taken as rolled back.
   */
  gapWaitMs: 10_000,
  /** What a client should wait before reconnecting (the SSE `retry` field), in milliseconds. */
  retryMs: 2000,
  /** The most streams one site may have open at once on one server (`AdminOptions.liveMaxStreams`). */
  maxStreams: 5,
  /** `Retry-After` of a stream refused for `maxStreams`, in seconds. */
  busyRetryAfter: 5,
  /**
   * How far back a resume point may reach, in event ids (of every site): one
   * further back starts this many ids before the newest event. Each stream reads
   * every site's ids to see holes, so `?after=0` would otherwise read the whole table.
   */
  resumeMax: 1000,
} as const

interface OpenStream {
  /** Ask the stream to finish. */
  end(): void
  /** Settles once the stream has finished and its response has ended. */
  ended: Promise<void>
}

// Per database, since one process may run several servers (tests do).
const openStreams = new WeakMap<Kysely<Tables>, Set<OpenStream>>()
const closing = new WeakSet<Kysely<Tables>>()

/**
 * End every live stream open on this database and wait (at most `timeoutMs`)
 * for their responses to finish. Graceful shutdown calls it: a stream never
 * finishes by itself, so it would otherwise hold the shutdown until its
 * timeout. A stream that starts afterwards ends at once.
 *
 * @example
 * draining = true
 * const streamsEnded = endLiveStreams(database.db)
 * // … wait for the requests in flight …
 * await streamsEnded
 * await database.close()
 */
export async function endLiveStreams(db: Kysely<Tables>, timeoutMs = 2000): Promise<void> {
  closing.add(db)
  const streams = [...(openStreams.get(db) ?? [])]
  for (const stream of streams) stream.end()
  if (streams.length === 0) return
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.all(streams.map((stream) => stream.ended)),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
      timer.unref()
    }),
  ])
  clearTimeout(timer)
}

/** Wait `ms`, or less if `signal` aborts first. Never keeps the process alive. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    timer.unref()
    signal.addEventListener('abort', done, { once: true })
  })
}

interface PollRow {
  id: string
  complaint_id: string
  type: string
  data: Record<string, unknown> | null
  created_at: Date | string
  mine: boolean
  /** Recorded longer than `gapWaitMs` ago: a hole before it is older still, so settled. */
  aged: boolean
  xmin: string
  xmax: string
}

/** A hole in the ids after `at`, first seen when transactions up to `xmax` had started. */
interface Gap {
  at: bigint
  xmax: bigint
  since: number
}

/**
 * The events after `last`, of every site (so that a hole in the ids is seen
 * for what it is), with the other sites' data left out; and the snapshot the
 * statement read them in.
 */
function poll(db: Kysely<Tables>, siteId: string, last: bigint, batch: number) {
  return sql<PollRow>`
    SELECT e.id::text AS id, e.complaint_id, e.type, e.created_at,
      c.site_id = ${siteId} AS mine,
      e.created_at < clock_timestamp() - ${`${LIVE_DEFAULTS.gapWaitMs} milliseconds`}::interval AS aged,
      CASE WHEN c.site_id = ${siteId} THEN e.data END AS data,
      pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
      pg_snapshot_xmax(pg_current_snapshot())::text AS xmax
    FROM events e JOIN complaints c ON c.id = e.complaint_id
    WHERE e.id > ${last.toString()}::bigint
    ORDER BY e.id
    LIMIT ${batch}
  `.execute(db)
}

/**
 * `GET /stream`, a sub-app for the admin API (which has authenticated the site).
 *
 * Each new row of `events` for the site's complaints is sent as
 * `id: <events.id>`, `event: <type>`, `data: {"eventId","complaintId","type","at","data"}`.
 * Without `Last-Event-ID` (or `?after=`) the stream starts after the newest
 * event; with it, right after that id, so a reconnecting client gets what it
 * missed, once: at most `LIVE_DEFAULTS.resumeMax` ids back from the newest
 * event (a client away for longer reloads its lists).
 *
 * A site has at most `liveMaxStreams` (default 5) streams open at once on this
 * server; one more is `429 rate_limited` with `Retry-After`, until one ends.
 *
 * Ids come from one sequence but commit in any order: a transaction that took
 * id 100 may commit after the one that took 101. A stream that sent 101 and
 * moved on would never send 100, so it sends in id order only, and holds back
 * at a hole until every transaction that was running when it saw the hole has
 * ended (`pg_current_snapshot()`): then the missing id is either visible or
 * was rolled back. `LIVE_DEFAULTS.gapWaitMs` bounds the wait, should some
 * unrelated transaction run for long; a hole before an event older than that
 * (catching up after a long disconnect) is taken as settled at once.
 *
 * @example
 * admin.route('/', liveRoutes(db, { liveIntervalMs: 1000 }))
 * // curl -N http://127.0.0.1:8787/v1/admin/stream -H "authorization: Bearer $REDRESS_ADMIN_TOKEN"
 * // id: 42
 * // event: received
 * // data: {"eventId":"42","complaintId":"cmp_…","type":"received","at":"…","data":{…}}
 */
export function liveRoutes(db: Kysely<Tables>, options: AdminOptions = {}): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()
  const intervalMs = options.liveIntervalMs ?? LIVE_DEFAULTS.intervalMs
  const heartbeatMs = options.liveHeartbeatMs ?? LIVE_DEFAULTS.heartbeatMs
  const maxStreams = options.liveMaxStreams ?? LIVE_DEFAULTS.maxStreams
  const log = options.log ?? (() => {})
  /** Open streams per site id, on this server. */
  const perSite = new Map<string, number>()
  const release = (siteId: string) => {
    const count = (perSite.get(siteId) ?? 1) - 1
    if (count > 0) perSite.set(siteId, count)
    else perSite.delete(siteId)
  }

  routes.get('/stream', async (c) => {
    const site = c.get('site')
    const { after } = valid(LiveQuerySchema, {
      'Last-Event-ID': c.req.header('last-event-id'),
      after: c.req.query('after'),
    })
    // Counted before the first await, so that requests arriving together are too.
    const count = perSite.get(site.id) ?? 0
    if (count >= maxStreams) {
      throw new ApiError(
        429,
        'rate_limited',
        `This site already has ${count} live streams open (at most ${maxStreams}); close one ` +
          `(another dashboard tab?) and try again in ${LIVE_DEFAULTS.busyRetryAfter} s`,
        { headers: { 'retry-after': String(LIVE_DEFAULTS.busyRetryAfter) } },
      )
    }
    perSite.set(site.id, count + 1)
    let last: bigint
    try {
      // Fixed before the response starts: whatever is recorded once the client
      // has the headers is sent.
      const newest = BigInt(
        (await sql<{ max: string | null }>`SELECT max(id)::text AS max FROM events`.execute(db))
          .rows[0]?.max ?? '0',
      )
      const oldest = newest - BigInt(LIVE_DEFAULTS.resumeMax)
      last = after === undefined ? newest : after > oldest ? after : oldest
    } catch (error) {
      release(site.id)
      throw error
    }
    // Tells proxies such as nginx not to buffer the stream.
    c.header('x-accel-buffering', 'no')

    // `streamSSE` runs the callback at once, so `finally` below always releases the slot.
    return streamSSE(c, async (stream: SSEStreamingApi) => {
      const stop = new AbortController()
      const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
      let exited!: () => void
      const open: OpenStream = {
        end: () => stop.abort(),
        ended: new Promise<void>((resolve) => {
          exited = resolve
        }).then(
          // Then the response itself, so that shutdown does not cut it off mid-write.
          () =>
            new Promise<void>((resolve) => {
              if (!outgoing || outgoing.writableFinished || outgoing.destroyed) return resolve()
              outgoing.once('close', () => resolve())
            }),
        ),
      }
      const streams = openStreams.get(db) ?? new Set<OpenStream>()
      openStreams.set(db, streams)
      streams.add(open)
      stream.onAbort(() => stop.abort())
      c.req.raw.signal.addEventListener('abort', () => stop.abort(), { once: true })
      if (closing.has(db)) stop.abort()

      let gap: Gap | undefined
      let lastWrite = Date.now()
      try {
        await stream.write(`retry: ${LIVE_DEFAULTS.retryMs}\n\n`)
        while (!stop.signal.aborted) {
          const { rows } = await poll(db, site.id, last, LIVE_DEFAULTS.batch)
          let blocked = false
          for (const row of rows) {
            const id = BigInt(row.id)
            if (id !== last + 1n) {
              if (gap?.at !== last) gap = { at: last, xmax: BigInt(row.xmax), since: Date.now() }
              const settled =
                BigInt(row.xmin) >= gap.xmax ||
                row.aged ||
                Date.now() - gap.since >= LIVE_DEFAULTS.gapWaitMs
              if (!settled) {
                blocked = true
                break
              }
            }
            gap = undefined
            last = id
            if (!row.mine) continue
            const event: LiveEvent = {
              eventId: row.id,
              complaintId: row.complaint_id,
              type: row.type,
              at: iso(row.created_at),
              data: row.data ?? {},
            }
            await stream.writeSSE({ id: row.id, event: row.type, data: JSON.stringify(event) })
            lastWrite = Date.now()
            if (stop.signal.aborted) break
          }
          if (rows.length === LIVE_DEFAULTS.batch && !blocked) continue
          if (Date.now() - lastWrite >= heartbeatMs) {
            await stream.write(': keep-alive\n\n')
            lastWrite = Date.now()
          }
          await pause(Math.min(intervalMs, heartbeatMs - (Date.now() - lastWrite)), stop.signal)
        }
      } catch (error) {
        // The client reconnects with its last id and misses nothing; the error
        // itself is ours to read, not the client's.
        log({
          level: 'error',
          msg: 'live stream failed',
          siteId: site.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        })
      } finally {
        streams.delete(open)
        release(site.id)
        exited()
      }
    })
  })

  return routes
}
