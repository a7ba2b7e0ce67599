import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { httpAdapter, parseRetryAfter } from './index'

const complaint = {
  site: 'pk_demo',
  category: 'other',
  severity: 'minor' as const,
  description: 'Slow',
}
const closers: (() => void)[] = []

/** A server that answers every request with `status`, `body` and `headers`. */
async function answering(status: number, body: string, headers: Record<string, string> = {}) {
  const server = createServer((_, response) => {
    response.writeHead(status, headers)
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => server.close())
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

afterEach(() => {
  for (const close of closers.splice(0)) close()
})

describe('httpAdapter', () => {
  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => httpAdapter({ endpoint: 'feedback.example.com' })).toThrow(
      'httpAdapter needs `endpoint`, an http(s) URL',
    )
  })

  it('turns a connection refused into a retryable NetworkError', async () => {
    const endpoint = await answering(204, '')
    for (const close of closers.splice(0)) close()
    await expect(
      httpAdapter({ endpoint }).submit(complaint, { idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      name: 'NetworkError',
      retryable: true,
    })
  })

  it('keeps retrying, not dropping, when a 200 is not a receipt (an HTML page, say)', async () => {
    const endpoint = await answering(200, '{"hello":"world"}', {
      'content-type': 'application/json',
    })
    await expect(
      httpAdapter({ endpoint }).submit(complaint, { idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      code: 'invalid_response',
      retryable: true,
    })
  })

  it('passes the owner’s replies in a status report through, and refuses malformed ones', async () => {
    const report = {
      id: 'cmp_1',
      reference: 'R-7K3Q9',
      status: 'in_progress',
      recoveries: [],
      replies: [{ message: 'We found it', author: 'Ana', at: '2026-11-23T11:00:00.000Z' }],
      updatedAt: '2026-11-23T11:00:00.000Z',
    }
    const json = { 'content-type': 'application/json' }
    const receipt = { id: 'cmp_1', token: 't' }
    const ok = await answering(200, JSON.stringify(report), json)
    expect(await httpAdapter({ endpoint: ok }).status!(receipt)).toEqual(report)
    const { replies: _, ...without } = report
    const none = await answering(200, JSON.stringify(without), json)
    expect(await httpAdapter({ endpoint: none }).status!(receipt)).toEqual(without)
    for (const replies of [[{ message: { html: '<b>x</b>' }, at: 'now' }], 'We found it', [null]]) {
      const bad = await answering(200, JSON.stringify({ ...report, replies }), json)
      await expect(httpAdapter({ endpoint: bad }).status!(receipt)).rejects.toMatchObject({
        code: 'invalid_response',
      })
    }
  })

  it('reads the error body of a refusal, and copes without one', async () => {
    const withBody = await answering(
      403,
      JSON.stringify({
        error: { code: 'origin_not_allowed', message: 'https://evil.example may not send' },
      }),
      { 'content-type': 'application/json' },
    )
    await expect(
      httpAdapter({ endpoint: withBody }).submit(complaint, { idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      name: 'HttpError',
      status: 403,
      code: 'origin_not_allowed',
      message: 'https://evil.example may not send',
      retryable: false,
    })
    const bare = await answering(502, '<html>Bad gateway</html>', { 'content-type': 'text/html' })
    await expect(
      httpAdapter({ endpoint: bare }).submit(complaint, { idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      status: 502,
      code: 'http_502',
      message: 'The server answered 502',
      retryable: true,
    })
  })

  it('sends its headers and the idempotency key, without cookies', async () => {
    let seen: Record<string, unknown> = {}
    let path = ''
    const server = createServer((request, response) => {
      seen = request.headers
      path = request.url ?? ''
      response.writeHead(500)
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => server.close())
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feedback/`
    await httpAdapter({ endpoint, headers: { 'x-tenant': 'shop-1' } })
      .submit(complaint, { idempotencyKey: 'key-1' })
      .catch(() => {})
    expect(path).toBe('/feedback/v1/complaints')
    expect(seen.cookie).toBeUndefined()
    expect(seen).toMatchObject({
      'x-tenant': 'shop-1',
      'idempotency-key': 'key-1',
      'content-type': 'application/json',
    })
  })
})

describe('httpAdapter.attach', () => {
  it('posts the photo’s bytes with its type, the receipt’s token and the key, and reads the answer', async () => {
    let seen: { headers: Record<string, unknown>; path: string; body: Buffer } | undefined
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        seen = { headers: request.headers, path: request.url ?? '', body: Buffer.concat(chunks) }
        response.writeHead(201, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ id: 'att_1', type: 'image/webp', size: 5 }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => server.close())
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const answer = await httpAdapter({ endpoint }).attach!(
      { id: 'cmp_1', token: 'tok' },
      { blob: new Blob(['bytes'], { type: 'image/webp' }), name: 'photo 1.webp' },
      { idempotencyKey: 'local-1:1' },
    )
    expect(answer).toMatchObject({ id: 'att_1', type: 'image/webp' })
    expect(seen!.path).toBe('/v1/complaints/cmp_1/attachments?name=photo%201.webp')
    expect(seen!.body.toString()).toBe('bytes')
    expect(seen!.headers).toMatchObject({
      authorization: 'Bearer tok',
      'content-type': 'image/webp',
      'idempotency-key': 'local-1:1',
    })
    expect(seen!.headers.cookie).toBeUndefined()
  })

  it('says a refusal is final and a 503 is worth retrying', async () => {
    for (const [status, retryable] of [
      [415, false],
      [503, true],
    ] as const) {
      const endpoint = await answering(
        status,
        JSON.stringify({ error: { code: 'x', message: 'no' } }),
        { 'content-type': 'application/json' },
      )
      const refused = await httpAdapter({ endpoint }).attach!(
        { id: 'cmp_1', token: 't' },
        { blob: new Blob(['b'], { type: 'image/png' }) },
        {
          idempotencyKey: 'k',
        },
      ).catch((error: unknown) => error)
      expect(refused).toMatchObject({ status, retryable })
    }
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates as milliseconds', () => {
    const now = Date.parse('2026-11-23T10:00:00Z')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})
