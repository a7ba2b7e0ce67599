/**
 * Test helpers: run one suite against PGlite and against PostgreSQL
 * (`DATABASE_URL`), each file on its own data folder or schema, with a real
 * server on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Complaint, CustomerTokenClaims, Receipt } from '@redress/protocol'
import { SitePatchSchema } from '@redress/protocol/admin'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type RunningServer, type ServerOptions, startServer } from './cli'
import { ensureVerificationSecret, signCustomerToken } from './complaints'
import type { DatabaseOptions } from './db'
import type { Site, Tables } from './db/schema'
import { isApiError, valid } from './http'

export interface TestDatabase {
  name: 'PGlite' | 'PostgreSQL'
  /** Options for `openDatabase`/`startServer` pointing at a fresh, empty database. */
  create(): Promise<DatabaseOptions>
  /** Remove everything `create` made. */
  cleanup(): Promise<void>
}

/** A fresh PGlite folder, copied from the template the global setup made. */
export function pgliteDatabase(): TestDatabase {
  const dirs: string[] = []
  return {
    name: 'PGlite',
    async create() {
      const dir = await mkdtemp(join(tmpdir(), 'redress-test-'))
      await cp(inject('pgliteTemplate'), dir, { recursive: true })
      dirs.push(dir)
      return { dataDir: dir }
    },
    async cleanup() {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
    },
  }
}

/** A fresh schema in the PostgreSQL server at `DATABASE_URL`. */
export function postgresDatabase(url: string): TestDatabase {
  const schemas: string[] = []
  return {
    name: 'PostgreSQL',
    async create() {
      const schema = `redress_test_${randomBytes(6).toString('hex')}`
      schemas.push(schema)
      return { url, schema, poolSize: 25 }
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        for (const schema of schemas)
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      } finally {
        await client.end()
      }
    },
  }
}

/**
 * Register `body` once per database: PGlite always; PostgreSQL when
 * `DATABASE_URL` is set. Without it the PostgreSQL variant fails on CI
 * (`CI` set) and is skipped, with the reason in its name, elsewhere.
 */
export function describeEachDatabase(
  title: string,
  body: (database: () => TestDatabase) => void,
): void {
  describe(`${title} [PGlite]`, () => {
    const database = pgliteDatabase()
    afterAll(() => database.cleanup())
    body(() => database)
  })
  const url = process.env.DATABASE_URL
  if (url) {
    describe(`${title} [PostgreSQL]`, () => {
      const database = postgresDatabase(url)
      afterAll(() => database.cleanup())
      body(() => database)
    })
  } else if (process.env.CI) {
    describe(`${title} [PostgreSQL]`, () => {
      it('needs DATABASE_URL', () => {
        throw new Error(
          'DATABASE_URL is not set, so the PostgreSQL variant cannot run; on CI it must. ' +
            './scripts/test starts a throwaway PostgreSQL and sets it.',
        )
      })
    })
  } else {
    describe.skip(`${title} [PostgreSQL] skipped: DATABASE_URL is not set (./scripts/test sets it)`, () => {
      it('runs against PostgreSQL', () => {})
    })
  }
}

/**
 * Start a quiet server on a free port for the suite; `get()` returns it.
 * Rate limits are on but high enough for suites that send many complaints
 * from 127.0.0.1; webhooks may reach 127.0.0.1, where the test receivers
 * listen; early warning runs only on `alerts.runOnce()`. `options` overrides these (`rate-limit.test.ts`, `webhook-outbound.test.ts`).
 */
export function useServer(
  database: () => TestDatabase,
  options: Pick<
    ServerOptions,
    | 'rateLimit'
    | 'trustProxy'
    | 'guarantees'
    | 'minFillMs'
    | 'webhooks'
    | 'webhookAllow'
    | 'webhookLookup'
    | 'alerts'
  > = {},
): () => RunningServer {
  let server: RunningServer
  let blobs: string | undefined
  beforeAll(async () => {
    // Each server's photos in a folder of its own, removed with it.
    blobs = await mkdtemp(join(tmpdir(), 'redress-blobs-'))
    server = await startServer({
      ...(await database().create()),
      blobs,
      port: 0,
      log: false,
      static: false,
      secret: 'test-secret',
      adminToken: 'test-admin-token',
      demoSite: true,
      rateLimit: { perIp: { limit: 100_000 }, perSite: { limit: 100_000 } },
      webhookAllow: LOCAL_WEBHOOKS,
      // Alerts are raised only where a suite asks (`alerts.runOnce()`), so no
      // stray `alert.raised` joins the webhooks another suite counts.
      alerts: { interval: false },
      ...options,
    })
  })
  afterAll(async () => {
    await server?.close()
    if (blobs) await rm(blobs, { recursive: true, force: true })
  })
  return () => server
}

/** The allowance test servers run with: their webhook receivers listen on 127.0.0.1. */
export const LOCAL_WEBHOOKS = '127.0.0.1/32'

export interface AdminInit {
  method?: string
  body?: unknown
  /** The admin token; `null` sends none. */
  token?: string | null
  headers?: Record<string, string>
}

/** A request to the admin API at `base`, with `token` unless `init.token` says otherwise. */
export function adminFetch(base: string, token: string, path: string, init: AdminInit = {}) {
  const headers: Record<string, string> = { ...init.headers }
  const bearer = init.token === undefined ? token : init.token
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  return fetch(`${base}/v1/admin${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
}

/** The JSON body, after checking the status (the body is in the failure message). */
export async function expectJson(response: Response, status = 200) {
  const body = await response.json()
  expect(response.status, JSON.stringify(body)).toBe(status)
  return body
}

let sent = 0

/**
 * POST a complaint to the server at `base`: unless `body` says otherwise a
 * minor `order` complaint for `pk_demo` with a description of its own, under
 * a fresh Idempotency-Key unless `init` gives one.
 */
export function sendComplaint(
  base: string,
  body: Partial<Complaint> = {},
  init: { idempotencyKey?: string; origin?: string } = {},
): Promise<Response> {
  const unique = `${Date.now().toString(36)}-${++sent}`
  return fetch(`${base}/v1/complaints`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': init.idempotencyKey ?? `key-${unique}`,
      ...(init.origin ? { origin: init.origin } : {}),
    },
    body: JSON.stringify({
      site: 'pk_demo',
      category: 'order',
      severity: 'minor',
      description: `Something went wrong (${unique})`,
      ...body,
    }),
  })
}

/** `sendComplaint`, expecting `201 Created`: the receipt. */
export async function submitComplaint(
  base: string,
  body: Partial<Complaint> = {},
  init: { idempotencyKey?: string; origin?: string } = {},
): Promise<Receipt> {
  return (await expectJson(await sendComplaint(base, body, init), 201)) as Receipt
}

let customers = 0

/**
 * A customer token for `site`, signed as the host's backend signs it, with the
 * site's verification secret (made on demand).
 */
export async function customerTokenFor(
  db: Kysely<Tables>,
  site: Pick<Site, 'id' | 'public_key'>,
  claims: Omit<CustomerTokenClaims, 'aud' | 'exp' | 'iat'>,
  options: { lifetimeS?: number; now?: Date } = {},
): Promise<string> {
  const secret = await ensureVerificationSecret(db, site.id)
  return signCustomerToken(secret, { aud: site.public_key, ...claims }, options)
}

/**
 * The complaint as a signed-in customer's page sends it: `customer.id` (or a
 * fresh id) and `orderValue` (with `orderRef`, or a fresh reference) move into
 * a customer token vouching for that order, which the server trusts; the body
 * keeps them as the customer's own words. Without `orderValue` the token
 * vouches for no order.
 */
export async function verifiedComplaint(
  db: Kysely<Tables>,
  site: Pick<Site, 'id' | 'public_key'>,
  complaint: Partial<Complaint>,
): Promise<Partial<Complaint>> {
  const sub = complaint.customer?.id ?? `cus-${Date.now().toString(36)}-${++customers}`
  const order = complaint.orderValue
  const orderRef = order
    ? (complaint.orderRef ?? `ORD-${Date.now().toString(36)}-${++customers}`)
    : complaint.orderRef
  const orders = order && orderRef ? [{ ref: orderRef, ...order }] : []
  return {
    ...complaint,
    ...(orderRef ? { orderRef } : {}),
    customerToken: await customerTokenFor(db, site, { sub, orders }),
  }
}

/** One verified request a {@link startWebhookReceiver} got. */
export interface ReceivedWebhook<Payload = unknown> {
  /** Its `webhook-id` header. */
  id: string
  headers: IncomingHttpHeaders
  payload: Payload
}

/**
 * A webhook receiver on 127.0.0.1. Each `route(path, secret)` registers a
 * path; a request to it is verified (Standard Webhooks) with that secret,
 * kept in `received` per path in arrival order and answered 204, or, when
 * verification fails, noted in `errors` and answered 400. Unknown paths get
 * 404. `Payload` only types what `received` holds; nothing checks it.
 */
export async function startWebhookReceiver<Payload = unknown>() {
  const secrets = new Map<string, Webhook>()
  const received = new Map<string, ReceivedWebhook<Payload>[]>()
  const errors: string[] = []
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const path = request.url ?? '/'
    const webhook = secrets.get(path)
    if (!webhook) return void response.writeHead(404).end()
    try {
      const payload = webhook.verify(body, request.headers as Record<string, string>) as Payload
      const id = String(request.headers['webhook-id'])
      received.set(path, [...(received.get(path) ?? []), { id, headers: request.headers, payload }])
      response.writeHead(204).end()
    } catch (error) {
      errors.push(`${path}: ${String(error)}`)
      response.writeHead(400).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Accept requests to `path`, verified with `secret`. */
    route: (path: string, secret: string) => void secrets.set(path, new Webhook(secret)),
    received,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * How `PATCH /v1/admin/site` refuses `{ [field]: value }`: the `400`'s field
 * and message, or `undefined` when the value is taken.
 *
 * @example
 * refusal('policy', { caps: { perSiteDay: -1 } })?.field // 'policy.caps.perSiteDay'
 */
export function refusal(
  field: 'origins' | 'categories' | 'policy' | 'rateLimits' | 'guarantee',
  value: unknown,
): { field: string | undefined; message: string } | undefined {
  try {
    valid(SitePatchSchema, { [field]: value })
    return undefined
  } catch (error) {
    if (!isApiError(error)) throw error
    return { field: error.field, message: error.message }
  }
}
