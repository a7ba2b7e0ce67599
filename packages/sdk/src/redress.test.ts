import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ProtocolServer, startProtocolServer } from '../test/protocol-server'
import { httpAdapter } from './http'
import {
  type ComplaintDraft,
  createRedress,
  isHttpError,
  isValidationError,
  type KeyValueStorage,
  memoryAdapter,
  memoryStorage,
  type Redress,
  type RedressEvents,
  type RedressOptions,
} from './index'

const draft: ComplaintDraft = {
  category: 'delivery',
  severity: 'major',
  description: 'The parcel arrived with the box crushed and the mug broken.',
  orderRef: 'A-1001',
}

/** Resolves with the payload of the next `type` event. */
const next = <K extends keyof RedressEvents>(redress: Redress, type: K) =>
  new Promise<RedressEvents[K]>((resolve) => redress.once(type, resolve))

let server: ProtocolServer
let storage: KeyValueStorage
const instances: Redress[] = []

// A page load: a new instance on the same storage, as after a reload.
const load = (options: Partial<RedressOptions> = {}) => {
  const redress = createRedress({
    site: 'pk_demo',
    adapter: httpAdapter({ endpoint: server.url, timeout: 500 }),
    storage,
    retry: { baseDelay: 20, maxDelay: 200 },
    ...options,
  })
  instances.push(redress)
  return redress
}

beforeEach(async () => {
  server = await startProtocolServer()
  storage = memoryStorage()
})

afterEach(async () => {
  for (const redress of instances.splice(0)) redress.destroy()
  await server.close()
})

describe('submit', () => {
  it('stores the complaint in the outbox before anything is sent', () => {
    const redress = load()
    const { id, complaint } = redress.submit(draft)
    const stored = JSON.parse(storage.getItem('redress:outbox:pk_demo') ?? '[]')
    expect(stored).toEqual([{ id, complaint, attempts: 0, queuedAt: complaint.occurredAt }])
    expect(server.submits()).toHaveLength(0)
  })

  it('delivers it with one idempotency key and empties the outbox', async () => {
    const redress = load()
    const sent = next(redress, 'complaint:sent')
    const submission = redress.submit(draft)
    const receipt = await submission.receipt
    expect(receipt.reference).toMatch(/^R-/)
    expect((await sent).receipt).toEqual(receipt)
    expect(server.submits().map((r) => r.idempotencyKey)).toEqual([submission.id])
    expect(redress.pending()).toEqual([])
    expect(server.adapter.list()).toHaveLength(1)
  })

  it('sends what the customer wrote with the page, locale, user and metadata', async () => {
    const redress = load({ locale: 'zh-CN', user: { id: 'u-7' }, metadata: { plan: 'pro' } })
    redress.identify({ id: 'u-8', email: 'ada@example.com' })
    await redress.submit({ ...draft, metadata: { cart: 3 } }).receipt
    const [stored] = server.adapter.list()
    expect(stored?.complaint).toMatchObject({
      site: 'pk_demo',
      category: 'delivery',
      severity: 'major',
      orderRef: 'A-1001',
      customer: { id: 'u-8', email: 'ada@example.com' },
      client: { locale: 'zh-CN', sdk: 'redress/0.1.0' },
      metadata: { plan: 'pro', cart: 3 },
    })
    expect(Date.parse(stored!.complaint.occurredAt!)).not.toBeNaN()
  })

  it('refuses bad input with every problem named, and stores nothing', () => {
    const redress = load()
    const error = (() => {
      try {
        redress.submit({
          category: '',
          severity: 'awful',
          description: '   ',
          contact: { email: 'not an email' },
        } as unknown as ComplaintDraft)
      } catch (error) {
        return error
      }
    })()
    expect(isValidationError(error)).toBe(true)
    expect(isValidationError(error) && error.issues.map((issue) => issue.field)).toEqual([
      'category',
      'severity',
      'description',
      'contact.email',
    ])
    expect(redress.pending()).toEqual([])
  })
})

describe('retries', () => {
  it('retries 503 and then delivers, with the same key every time', async () => {
    server.faults.push({ status: 503 }, { status: 503 })
    const redress = load()
    const queued: number[] = []
    redress.on('complaint:queued', ({ attempts }) => void queued.push(attempts))
    const { id, receipt } = redress.submit(draft)
    await receipt
    expect(queued).toEqual([1, 2])
    expect(server.submits().map((r) => r.idempotencyKey)).toEqual([id, id, id])
    expect(server.adapter.list()).toHaveLength(1)
  })

  it('waits as long as Retry-After says after a 429', async () => {
    server.faults.push({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'rate_limited', message: 'Slow down' } },
    })
    const redress = load()
    const queued = next(redress, 'complaint:queued')
    await redress.submit(draft).receipt
    const { retryIn, error } = await queued
    expect(retryIn).toBe(1000)
    expect(isHttpError(error) && error.code).toBe('rate_limited')
    const [first, second] = server.submits()
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950)
  })

  it('retries a request that timed out', async () => {
    server.faults.push({ hang: true })
    const redress = load()
    const queued = next(redress, 'complaint:queued')
    await redress.submit(draft).receipt
    expect((await queued).error).toMatchObject({ name: 'TimeoutError', retryable: true })
    expect(server.submits()).toHaveLength(2)
    expect(server.adapter.list()).toHaveLength(1)
  })

  it('gives up on a 400 at once with a clear complaint:failed', async () => {
    server.faults.push({
      status: 400,
      body: {
        error: { code: 'invalid_request', message: 'category is unknown', field: 'category' },
      },
    })
    const redress = load()
    const failed = next(redress, 'complaint:failed')
    const { complaint, receipt } = redress.submit(draft)
    await expect(receipt).rejects.toMatchObject({ name: 'HttpError', status: 400 })
    const event = await failed
    expect(event.complaint).toEqual(complaint)
    expect(event.error).toMatchObject({
      code: 'invalid_request',
      message: 'category is unknown',
      field: 'category',
      retryable: false,
    })
    expect(server.submits()).toHaveLength(1)
    expect(redress.pending()).toEqual([])
  })

  it('stores a complaint once when the response to the first attempt was lost', async () => {
    server.faults.push({ store: true, status: 502 })
    const redress = load()
    const { id, receipt } = redress.submit(draft)
    const delivered = await receipt
    expect(server.submits().map((r) => r.idempotencyKey)).toEqual([id, id])
    expect(server.adapter.list().map((stored) => stored.receipt.id)).toEqual([delivered.id])
  })
})

describe('across page loads', () => {
  it('delivers a complaint sent while the endpoint was down exactly once, after a reload', async () => {
    await server.down()
    const first = load({ retry: { baseDelay: 60_000 } })
    const queued = next(first, 'complaint:queued')
    const { id } = first.submit(draft)
    expect((await queued).error).toMatchObject({ name: 'NetworkError', retryable: true })
    first.destroy() // the page goes away

    await server.up()
    const second = load()
    const ready = next(second, 'ready')
    const sent = next(second, 'complaint:sent')
    expect((await ready).queued).toBe(1)
    expect((await sent).id).toBe(id)
    expect(server.submits().map((r) => r.idempotencyKey)).toEqual([id])
    expect(server.adapter.list()).toHaveLength(1)
    expect(second.pending()).toEqual([])

    // A third load finds nothing left to send.
    const third = load()
    expect((await next(third, 'ready')).queued).toBe(0)
    expect(server.adapter.list()).toHaveLength(1)
  })

  it('keeps a complaint queued when the page goes away mid-request, and sends it once later', async () => {
    server.faults.push({ hang: true })
    const first = load({ adapter: httpAdapter({ endpoint: server.url, timeout: 60_000 }) })
    const { id, receipt } = first.submit(draft)
    await vi.waitFor(() => expect(server.submits()).toHaveLength(1))
    first.destroy()
    await expect(receipt).rejects.toMatchObject({ code: 'destroyed' })
    expect(first.pending().map((entry) => entry.id)).toEqual([id])

    const second = load()
    expect((await next(second, 'complaint:sent')).id).toBe(id)
    expect(server.adapter.list()).toHaveLength(1)
  })

  it('flushes when the browser comes back online', async () => {
    const target = new EventTarget()
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target))
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target))
    try {
      await server.down()
      const redress = load({ retry: { baseDelay: 60_000 } })
      const queued = next(redress, 'complaint:queued')
      const { receipt } = redress.submit(draft)
      expect((await queued).retryIn).toBeGreaterThanOrEqual(30_000)
      await server.up()
      target.dispatchEvent(new Event('online'))
      await receipt
      expect(server.adapter.list()).toHaveLength(1)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('waits for the online event instead of a timer while the browser says it is offline', async () => {
    vi.stubGlobal('navigator', { onLine: false, language: 'en' })
    try {
      await server.down()
      const redress = load()
      const queued = next(redress, 'complaint:queued')
      redress.submit(draft)
      expect((await queued).retryIn).toBeNull()
      await server.up()
      await redress.flush()
      expect(server.adapter.list()).toHaveLength(1)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('with other tabs', () => {
  it('does not put back a complaint another tab delivered while this one was trying', async () => {
    let attempts = 0
    const redress = load({
      adapter: {
        name: 'shared',
        async submit() {
          attempts++
          // Meanwhile another tab of the site delivers it and empties the shared outbox.
          storage.setItem('redress:outbox:pk_demo', '[]')
          throw Object.assign(new Error('503'), { retryable: true })
        },
      },
    })
    const queued = next(redress, 'complaint:queued')
    redress.submit(draft)
    await queued
    expect(redress.pending()).toEqual([])
    await redress.flush()
    expect(attempts).toBe(1)
  })
})

describe('events and remedies', () => {
  it('lets host code answer a complaint with respond', async () => {
    const redress = load()
    const offered: RedressEvents['recovery:offered'][] = []
    redress.on('recovery:offered', (event) => void offered.push(event))
    redress.on('complaint:submitted', ({ respond }) => {
      respond.apology({ message: 'We are sorry about the broken mug.' })
      respond.coupon({ code: 'SORRY-4821', label: '15% off your next order' })
    })
    const { id } = redress.submit(draft)
    expect(offered).toEqual([
      {
        id,
        source: 'host',
        recovery: { kind: 'apology', message: 'We are sorry about the broken mug.' },
      },
      {
        id,
        source: 'host',
        recovery: { kind: 'coupon', code: 'SORRY-4821', label: '15% off your next order' },
      },
    ])
  })

  it('announces the remedy the backend decided', async () => {
    const adapter = memoryAdapter({
      recover: () => ({ kind: 'replacement', message: 'A new mug is on its way.' }),
    })
    const redress = load({ adapter })
    const offered = next(redress, 'recovery:offered')
    const { id } = redress.submit(draft)
    expect(await offered).toEqual({
      id,
      source: 'server',
      recovery: { kind: 'replacement', message: 'A new mug is on its way.' },
    })
  })

  it('refuses a malformed remedy from host code', () => {
    const redress = load()
    expect(() => redress.offerCoupon({ code: '', label: '10% off' })).toThrow('code is required')
    expect(() => redress.offerRecovery({ kind: 'cash' } as never)).toThrow(/kind must be one of/)
  })

  it('keeps delivering when a listener throws, and reports the error', async () => {
    const onError = vi.fn()
    const redress = load({ onError })
    const calls: string[] = []
    redress.on('complaint:submitted', () => {
      throw new Error('listener bug')
    })
    redress.on('complaint:submitted', async () => {
      throw new Error('async listener bug')
    })
    redress.on('complaint:submitted', () => void calls.push('third'))
    await redress.submit(draft).receipt
    expect(calls).toEqual(['third'])
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2))
    expect(onError).toHaveBeenCalledWith(new Error('listener bug'), {
      event: 'complaint:submitted',
    })
    expect(onError).toHaveBeenCalledWith(new Error('async listener bug'), {
      event: 'complaint:submitted',
    })
  })

  it('emits open, close and notice for the widget', () => {
    const redress = load()
    const seen: unknown[] = []
    redress.on('open', (event) => void seen.push(['open', event]))
    redress.on('close', () => void seen.push(['close']))
    redress.on('notice', (event) => void seen.push(['notice', event]))
    redress.open({ category: 'delivery', orderRef: 'A-1001' })
    redress.close()
    redress.notice({ message: 'Deliveries to the north are delayed by snow.', level: 'warning' })
    expect(seen).toEqual([
      ['open', { category: 'delivery', orderRef: 'A-1001' }],
      ['close'],
      ['notice', { message: 'Deliveries to the north are delayed by snow.', level: 'warning' }],
    ])
    expect(() => redress.notice({ message: '' })).toThrow('message is required')
  })

  it('reports status changes and sends follow-ups through the adapter', async () => {
    const redress = load()
    const receipt = await redress.submit(draft).receipt
    const changes: RedressEvents['status:changed'][] = []
    redress.on('status:changed', (event) => void changes.push(event))

    expect((await redress.status(receipt)).status).toBe('received')
    expect(changes).toEqual([])

    server.adapter.update(receipt.id, {
      status: 'resolved',
      recovery: { kind: 'refund', amount: { value: 1299, currency: 'EUR' }, message: 'Refunded.' },
    })
    const report = await redress.status(receipt)
    expect(changes).toEqual([{ report, previous: 'received' }])
    expect(report.recoveries).toHaveLength(1)

    const answered = next(redress, 'followup:answered')
    await redress.followUp(receipt, { score: 2, resolved: false, fairness: { treatment: 5 } })
    expect((await answered).answer.score).toBe(2)
    expect((await redress.status({ ...receipt, status: report.status })).status).toBe('reopened')
    expect(changes.at(-1)?.previous).toBe('resolved')

    await expect(
      redress.followUp(receipt, { score: 7, resolved: true } as never),
    ).rejects.toMatchObject({
      status: 400,
      field: 'score',
    })
  })

  it('says clearly when the adapter cannot report status', async () => {
    const redress = load({
      adapter: { name: 'bare', submit: memoryAdapter().submit },
    })
    await expect(redress.status({ id: 'cmp_1', token: 't' })).rejects.toThrow(
      'The bare adapter has no status()',
    )
  })
})

describe('createRedress', () => {
  it('refuses missing options with a clear error', () => {
    expect(() => createRedress({ adapter: memoryAdapter() } as never)).toThrow('site is required')
    expect(() => createRedress({ site: 'pk_demo' } as never)).toThrow(
      'adapter.submit must be a function',
    )
  })

  it('refuses to accept complaints after destroy', () => {
    const redress = load()
    redress.destroy()
    expect(() => redress.submit(draft)).toThrow('Redress was destroyed')
  })
})
