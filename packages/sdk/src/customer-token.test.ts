// Customer tokens: each complaint carries the token it was written under, a
// stale one is traded for a fresh one of the same customer, and a token the
// backend refuses never costs the complaint: it goes again at once, unverified
// if need be, under the same idempotency key.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ProtocolServer, startProtocolServer } from '../test/protocol-server'
import { httpAdapter } from './http'
import {
  type ComplaintDraft,
  type CustomerTokenRefresh,
  createRedress,
  type KeyValueStorage,
  memoryAdapter,
  memoryStorage,
  type Redress,
  type RedressEvents,
  type RedressOptions,
} from './index'

const draft: ComplaintDraft = {
  category: 'order',
  severity: 'major',
  description: 'The mug arrived in pieces.',
  orderRef: 'A-1001',
}

const HOUR = 3600
const now = () => Math.floor(Date.now() / 1000)

/**
 * A compact JWT as a host's backend would sign one, with any signature: the
 * SDK reads the payload and never verifies it.
 */
const jwt = (claims: Record<string, unknown>) =>
  [{ alg: 'HS256', typ: 'JWT' }, claims]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .concat('c2lnbmF0dXJl')
    .join('.')

/** A token for `sub` that expires `ttl` seconds from now (negative: expired). */
const token = (sub: string, ttl = HOUR) =>
  jwt({ aud: 'pk_demo', sub, iat: now(), exp: now() + ttl })

let server: ProtocolServer
let storage: KeyValueStorage
/** Tokens the server refuses, with the code it answers. */
let refuse: Map<string, 'customer_token_expired' | 'invalid_customer_token'>
const instances: Redress[] = []

const load = (options: Partial<RedressOptions> = {}) => {
  const redress = createRedress({
    site: 'pk_demo',
    adapter: httpAdapter({ endpoint: server.url, timeout: 500 }),
    storage,
    retry: { baseDelay: 60_000 },
    ...options,
  })
  instances.push(redress)
  return redress
}

/** Resolves with the payload of the next `type` event. */
const next = <K extends keyof RedressEvents>(redress: Redress, type: K) =>
  new Promise<RedressEvents[K]>((resolve) => redress.once(type, resolve))

/** Every event of `type`, as it comes. */
const collect = <K extends keyof RedressEvents>(redress: Redress, type: K) => {
  const seen: RedressEvents[K][] = []
  redress.on(type, (event) => void seen.push(event))
  return seen
}

/** What the server got in each `POST /v1/complaints`: the token, and the key. */
const sent = () =>
  server.submits().map((request) => ({
    token: (request.body as { customerToken?: string }).customerToken,
    key: request.idempotencyKey,
  }))

beforeEach(async () => {
  refuse = new Map()
  server = await startProtocolServer({ customerToken: (value) => refuse.get(value) })
  storage = memoryStorage()
})

afterEach(async () => {
  for (const redress of instances.splice(0)) redress.destroy()
  await server.close()
  vi.useRealTimers()
})

describe('the token in the complaint', () => {
  it('travels in the body as customerToken, apart from the customer', async () => {
    const ana = token('cus_ana')
    const redress = load({ user: { id: 'cus_ana', email: 'ana@example.com' }, customerToken: ana })
    const { complaint, receipt } = redress.submit(draft)
    await receipt
    expect(complaint.customerToken).toBe(ana)
    const [body] = server.submits().map((request) => request.body)
    expect(body).toMatchObject({ customerToken: ana })
    // A credential, not a fact about the customer.
    expect((body as { customer: unknown }).customer).toEqual({
      id: 'cus_ana',
      email: 'ana@example.com',
    })
  })

  it('comes from user.token, or from identify, and identify(null) forgets it', async () => {
    const ana = token('cus_ana')
    const ben = token('cus_ben')
    const redress = load({ user: { token: ana } })
    await redress.submit(draft).receipt
    redress.identify({ id: 'cus_ben', token: ben })
    await redress.submit(draft).receipt
    redress.identify(null)
    await redress.submit(draft).receipt
    expect(sent().map((request) => request.token)).toEqual([ana, ben, undefined])
    const last = server.submits()[2]!.body as Record<string, unknown>
    expect(last).not.toHaveProperty('customerToken')
    expect(last).not.toHaveProperty('customer')
  })

  it('stays with its complaint when another customer signs in before it is sent', async () => {
    const ana = token('cus_ana')
    await server.down()
    const redress = load({ customerToken: ana })
    const queued = next(redress, 'complaint:queued')
    redress.submit(draft)
    await queued
    redress.identify({ id: 'cus_ben', token: token('cus_ben') })
    await server.up()
    await redress.flush()
    expect(sent().map((request) => request.token)).toEqual([ana])
  })
})

describe('a token about to expire', () => {
  it('is refreshed before sending when the refresh names the same customer', async () => {
    const stale = token('cus_ana', -60)
    const fresh = token('cus_ana')
    const refresh = vi.fn(async (_state: CustomerTokenRefresh) => fresh)
    const redress = load({ customerToken: stale, refreshCustomerToken: refresh })
    const { id, receipt } = redress.submit(draft)
    await receipt
    expect(sent()).toEqual([{ token: fresh, key: id }])
    expect(refresh).toHaveBeenCalledOnce()
    expect(refresh).toHaveBeenCalledWith({ token: stale, sub: 'cus_ana' })
  })

  it('counts as stale within 30 seconds of its expiry, and not before', async () => {
    const soon = token('cus_ana', 20)
    const later = token('cus_ana', 60)
    const refresh = vi.fn(async () => token('cus_ana'))
    const redress = load({ customerToken: soon, refreshCustomerToken: refresh })
    await redress.submit(draft).receipt
    redress.identify({ token: later })
    await redress.submit(draft).receipt
    expect(refresh).toHaveBeenCalledOnce()
    expect(sent()[1]!.token).toBe(later)
  })

  it('is refreshed when it expired while the complaint waited, and the fresh one is kept', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const written = token('cus_ana', HOUR)
    const fresh = token('cus_ana', 3 * HOUR)
    await server.down()
    const first = load({ customerToken: written })
    const queued = next(first, 'complaint:queued')
    const { id } = first.submit(draft)
    await queued
    first.destroy()

    // Two hours later, the next page: the stored token has expired meanwhile.
    vi.setSystemTime(Date.now() + 2 * HOUR * 1000)
    await server.up()
    server.faults.push({ status: 503 })
    const second = load({ refreshCustomerToken: async () => fresh })
    await second.flush()
    // The 503 left it queued, with the fresh token in the outbox.
    expect(second.pending().map((entry) => entry.complaint.customerToken)).toEqual([fresh])
    await second.flush()
    expect(sent()).toEqual([
      { token: fresh, key: id },
      { token: fresh, key: id },
    ])
    expect(second.pending()).toEqual([])
  })

  it('is left out when the refresh names another customer: the complaint goes unverified', async () => {
    const ben = token('cus_ben')
    const redress = load({
      customerToken: token('cus_ana', -60),
      refreshCustomerToken: async () => ben,
    })
    await redress.submit(draft).receipt
    expect(sent().map((request) => request.token)).toEqual([undefined])
  })

  it('is left out when there is no refresh, or it has nothing', async () => {
    for (const refreshCustomerToken of [undefined, async () => null, async () => '']) {
      const redress = load({ customerToken: token('cus_ana', -60), refreshCustomerToken })
      await redress.submit(draft).receipt
    }
    expect(sent().map((request) => request.token)).toEqual([undefined, undefined, undefined])
  })
})

describe('a token the server refuses', () => {
  it('customer_token_expired: one refresh, then the same complaint again under the same key', async () => {
    const ana = token('cus_ana')
    const fresh = token('cus_ana', 2 * HOUR)
    refuse.set(ana, 'customer_token_expired')
    const refresh = vi.fn(async (_state: CustomerTokenRefresh) => fresh)
    const redress = load()
    redress.identify({ token: ana, refresh })
    const failed = collect(redress, 'complaint:failed')
    const { id, receipt } = redress.submit(draft)
    await expect(receipt).resolves.toMatchObject({ status: 'received' })
    expect(sent()).toEqual([
      { token: ana, key: id },
      { token: fresh, key: id },
    ])
    expect(refresh).toHaveBeenCalledOnce()
    expect(refresh).toHaveBeenCalledWith({ token: ana, sub: 'cus_ana' })
    expect(failed).toEqual([])
    expect(server.adapter.list()).toHaveLength(1)
  })

  it('without a refresh: the same complaint again at once, without the token', async () => {
    const ana = token('cus_ana')
    refuse.set(ana, 'customer_token_expired')
    const redress = load({ customerToken: ana })
    const queued = collect(redress, 'complaint:queued')
    const { id, receipt } = redress.submit(draft)
    await receipt
    expect(sent()).toEqual([
      { token: ana, key: id },
      { token: undefined, key: id },
    ])
    // At once: no retry with backoff in between.
    expect(queued).toEqual([])
  })

  it('a refresh naming another customer after a 401: sent again without a token', async () => {
    const ana = token('cus_ana')
    refuse.set(ana, 'invalid_customer_token')
    const redress = load({ customerToken: ana, refreshCustomerToken: async () => token('cus_ben') })
    const { id, receipt } = redress.submit(draft)
    await receipt
    expect(sent()).toEqual([
      { token: ana, key: id },
      { token: undefined, key: id },
    ])
  })

  it('invalid_customer_token, and the fresh token refused too: asked once, then sent unverified', async () => {
    const ana = token('cus_ana')
    const fresh = token('cus_ana', 2 * HOUR)
    refuse.set(ana, 'invalid_customer_token').set(fresh, 'invalid_customer_token')
    const refresh = vi.fn(async () => fresh)
    const redress = load({ customerToken: ana, refreshCustomerToken: refresh })
    const failed = collect(redress, 'complaint:failed')
    const { id, receipt } = redress.submit(draft)
    await expect(receipt).resolves.toMatchObject({ status: 'received' })
    expect(sent()).toEqual([
      { token: ana, key: id },
      { token: fresh, key: id },
      { token: undefined, key: id },
    ])
    expect(refresh).toHaveBeenCalledOnce()
    expect(failed).toEqual([])
    expect(redress.pending()).toEqual([])
  })

  it('a refresh that throws or rejects counts as no fresh token', async () => {
    const ana = token('cus_ana')
    refuse.set(ana, 'invalid_customer_token')
    const throwing = [
      () => {
        throw new Error('not signed in')
      },
      () => Promise.reject(new Error('offline')),
    ] as RedressOptions['refreshCustomerToken'][]
    for (const refreshCustomerToken of throwing) {
      const redress = load({ customerToken: ana, refreshCustomerToken })
      const failed = collect(redress, 'complaint:failed')
      await expect(redress.submit(draft).receipt).resolves.toMatchObject({ status: 'received' })
      expect(failed).toEqual([])
    }
    expect(sent().map((request) => request.token)).toEqual([ana, undefined, ana, undefined])
  })

  it('a 400 over the customerToken field (not a string, too long) is the token’s too', async () => {
    const redress = load({ customerToken: 'x'.repeat(5000) })
    const failed = collect(redress, 'complaint:failed')
    await expect(redress.submit(draft).receipt).resolves.toMatchObject({ status: 'received' })
    expect(sent().map((request) => request.token?.length)).toEqual([5000, undefined])
    expect(failed).toEqual([])
  })

  it('a fresh token on a retry replays the stored complaint: no conflict, stored once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const ana = token('cus_ana')
    // Stored, but the answer is lost; by the next attempt the token has expired.
    server.faults.push({ store: true, status: 502 })
    const redress = load({ customerToken: ana, refreshCustomerToken: async () => token('cus_ana') })
    const queued = next(redress, 'complaint:queued')
    const { id, receipt } = redress.submit(draft)
    await queued
    // Joins the attempt that failed, so the next one starts two hours later.
    await redress.flush()
    vi.setSystemTime(Date.now() + 2 * HOUR * 1000)
    await redress.flush()
    const delivered = await receipt
    const [first, second] = sent()
    expect(first).toEqual({ token: ana, key: id })
    expect(second).toEqual({ token: expect.stringMatching(/^ey/), key: id })
    expect(second!.token).not.toBe(ana)
    expect(server.adapter.list().map((stored) => stored.receipt.id)).toEqual([delivered.id])
  })
})

describe('memoryAdapter', () => {
  it('takes a retry with another token as a replay, and keeps no token', async () => {
    const adapter = memoryAdapter()
    const complaint = { site: 'pk_demo', ...draft, customerToken: token('cus_ana') }
    const first = await adapter.submit(complaint, { idempotencyKey: 'k1' })
    const again = await adapter.submit(
      { ...complaint, customerToken: undefined },
      { idempotencyKey: 'k1' },
    )
    expect(again.id).toBe(first.id)
    expect(adapter.list()[0]!.complaint).not.toHaveProperty('customerToken')
  })
})
