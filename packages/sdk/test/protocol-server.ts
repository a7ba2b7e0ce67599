/**
 * @module A small wire-protocol v1 server over real HTTP, backed by
 * `memoryAdapter`, with faults that can be queued: the endpoint being down,
 * 5xx, 429 with `Retry-After`, 4xx, a lost response, a request that never
 * ends. Used by the SDK's tests and the demo page until the real server exists.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ErrorCode, LIMITS } from '@redress/protocol'
import { isRedressError, isValidationError, type MemoryAdapter, memoryAdapter } from '../src/index'

/** What to do with the next `POST /v1/complaints` instead of answering normally. */
export interface Fault {
  /** Answer with this status (and an error body unless `body` is given). */
  status?: number
  headers?: Record<string, string>
  body?: unknown
  /** Store the complaint first, then answer with the fault: the response is lost, the complaint is not. */
  store?: boolean
  /** Never answer. */
  hang?: boolean
}

export interface RecordedRequest {
  method: string
  path: string
  idempotencyKey: string | undefined
  body: unknown
  at: number
}

export interface ProtocolHandlerOptions {
  adapter?: MemoryAdapter
  /** Faults consumed one per `POST /v1/complaints`, first in first out. */
  faults?: Fault[]
  requests?: RecordedRequest[]
  /**
   * Check a complaint's `customerToken` as a verifying backend does: return
   * the code to refuse it with (HTTP 401), or nothing to take it. A request
   * that replays a complaint already stored gets its receipt regardless.
   */
  customerToken?: (token: string) => 'customer_token_expired' | 'invalid_customer_token' | undefined
}

const STATUS: Partial<Record<string, number>> = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  idempotency_conflict: 409,
}

const send = (response: ServerResponse, status: number, body?: unknown, headers = {}) => {
  response.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  })
  response.end(body === undefined ? undefined : JSON.stringify(body))
}

const fail = (
  response: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  field?: string,
) => send(response, status, { error: { code, message, ...(field ? { field } : {}) } })

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > LIMITS.body) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A Node request handler for wire protocol v1; mount it on any HTTP server. */
export function createProtocolHandler(options: ProtocolHandlerOptions = {}) {
  const adapter = options.adapter ?? memoryAdapter()
  const faults = options.faults ?? []
  const requests = options.requests ?? []
  const answered = new Set<string>()

  const refuse = (response: ServerResponse, error: unknown) => {
    if (isValidationError(error)) {
      const issue = error.issues[0]
      return fail(response, 400, 'invalid_request', error.message, issue?.field || undefined)
    }
    if (isRedressError(error) && STATUS[error.code]) {
      return fail(response, STATUS[error.code]!, error.code as ErrorCode, error.message)
    }
    return fail(response, 500, 'internal_error', 'Something went wrong on our side')
  }

  return async (request: IncomingMessage, response: ServerResponse, next?: () => void) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const match = /^\/v1\/complaints(?:\/([^/]+)(\/follow-up)?)?$/.exec(url.pathname)
    if (!match) {
      if (next) return next()
      return fail(response, 404, 'not_found', `No route ${url.pathname}`)
    }
    response.setHeader('access-control-allow-origin', '*')
    response.setHeader('access-control-expose-headers', 'retry-after')
    if (request.method === 'OPTIONS') {
      return send(response, 204, undefined, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type, idempotency-key, authorization',
        'access-control-max-age': '600',
      })
    }
    const [, id, followUp] = match
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined
    const raw = request.method === 'POST' ? await readBody(request) : ''
    let body: unknown
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      body = raw
    }
    requests.push({
      method: request.method ?? '',
      path: url.pathname,
      idempotencyKey,
      body,
      at: Date.now(),
    })
    if (raw === undefined) return fail(response, 413, 'payload_too_large', 'The body is over 64 KB')

    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? ''
    try {
      if (id && followUp && request.method === 'POST') {
        await adapter.followUp!({ id: decodeURIComponent(id), token }, body as never)
        return send(response, 204)
      }
      if (id && !followUp && request.method === 'GET') {
        return send(response, 200, await adapter.status!({ id: decodeURIComponent(id), token }))
      }
      if (!id && request.method === 'POST') {
        const fault = faults.shift()
        if (fault?.hang) return
        if (!request.headers['content-type']?.startsWith('application/json')) {
          return fail(response, 415, 'unsupported_media_type', 'Send application/json')
        }
        if (typeof body !== 'object' || body === null) {
          return fail(response, 400, 'invalid_request', 'The body must be a JSON object')
        }
        if (!idempotencyKey || idempotencyKey.length > LIMITS.idempotencyKey) {
          return fail(
            response,
            400,
            'invalid_request',
            'Send an Idempotency-Key header of 1–255 characters',
            'idempotencyKey',
          )
        }
        // A stored fault lets the complaint in and loses the answer.
        if (fault?.store) await adapter.submit(body as never, { idempotencyKey })
        if (fault) {
          const error = { error: { code: 'internal_error', message: 'Injected fault' } }
          return send(response, fault.status ?? 503, fault.body ?? error, fault.headers)
        }
        const token = (body as { customerToken?: unknown }).customerToken
        const refused = typeof token === 'string' && options.customerToken?.(token)
        const stored = adapter.list().some((entry) => entry.idempotencyKey === idempotencyKey)
        if (refused && !stored)
          return fail(response, 401, refused, `The customer token: ${refused}`)
        const receipt = await adapter.submit(body as never, { idempotencyKey })
        const replay = answered.has(idempotencyKey)
        answered.add(idempotencyKey)
        return send(response, replay ? 200 : 201, receipt)
      }
      return fail(response, 405, 'invalid_request', `${request.method} is not allowed here`)
    } catch (error) {
      return refuse(response, error)
    }
  }
}

export interface ProtocolServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  adapter: MemoryAdapter
  faults: Fault[]
  requests: RecordedRequest[]
  /** Requests that reached `POST /v1/complaints`. */
  submits(): RecordedRequest[]
  /** Stop listening and drop open connections: the endpoint is down (connection refused). */
  down(): Promise<void>
  /** Listen again on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

/** Start a protocol server on 127.0.0.1 on a free port. */
export async function startProtocolServer(
  options: ProtocolHandlerOptions = {},
): Promise<ProtocolServer> {
  const adapter = options.adapter ?? memoryAdapter()
  const faults = options.faults ?? []
  const requests = options.requests ?? []
  const handler = createProtocolHandler({ ...options, adapter, faults, requests })
  let server: Server
  let port = 0

  const up = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((request, response) => void handler(request, response))
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port
        resolve()
      })
    })

  const down = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })

  await up()
  return {
    url: `http://127.0.0.1:${port}`,
    adapter,
    faults,
    requests,
    submits: () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/complaints'),
    down,
    up,
    close: down,
  }
}
