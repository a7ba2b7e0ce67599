import type { Complaint, Receipt } from '@redress/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import type { Adapter } from './adapter'
import { HttpError } from './errors'
import {
  type ComplaintDraft,
  createRedress,
  memoryStorage,
  type Redress,
  type RedressOptions,
} from './index'

const draft: ComplaintDraft = {
  category: 'delivery',
  severity: 'major',
  description: 'The parcel arrived with the box crushed.',
}

/** A JWT as a backend would sign it; the SDK never checks the signature. */
const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"HS256","typ":"JWT"}', JSON.stringify(claims)]
    .map((part) => Buffer.from(part).toString('base64url'))
    .concat('c2lnbmF0dXJl')
    .join('.')

const receipt = (id: string): Receipt => ({
  id: `cmp_${id}`,
  reference: 'R-7K3Q9',
  status: 'received',
  token: 'status-token',
  recovery: null,
  receivedAt: new Date().toISOString(),
})

/**
 * A backend that accepts only `accepted` tokens (or none), refusing others
 * with `code`, and records every request it got.
 */
function backend(code: 'customer_token_expired' | 'invalid_customer_token', accepted: string[]) {
  const requests: Array<{ complaint: Complaint; key: string }> = []
  const adapter: Adapter = {
    name: 'fake',
    async submit(complaint, { idempotencyKey }) {
      requests.push({ complaint, key: idempotencyKey })
      const token = complaint.customerToken
      if (token && !accepted.includes(token)) {
        throw new HttpError('refused', { status: 401, code, retryable: false })
      }
      return receipt(idempotencyKey)
    },
  }
  return { adapter, requests }
}

const instances: Redress[] = []
afterEach(() => {
  for (const redress of instances.splice(0)) redress.destroy()
})
const load = (options: Omit<RedressOptions, 'site'>) => {
  const redress = createRedress({ site: 'pk_demo', storage: memoryStorage(), ...options })
  instances.push(redress)
  return redress
}

const ana = jwt({ sub: 'cus_ana', exp: 1 })
const anaFresh = jwt({ sub: 'cus_ana', exp: 2 })
const ben = jwt({ sub: 'cus_ben', exp: 2 })

describe('customer tokens', () => {
  it('carry the current token in the complaint, and forget it with identify(null)', async () => {
    const { adapter, requests } = backend('invalid_customer_token', [ana])
    const redress = load({ adapter, customerToken: ana, user: { id: 'cus_ana' } })
    await redress.submit(draft).receipt
    redress.identify(null)
    await redress.submit(draft).receipt
    expect(requests.map((request) => request.complaint.customerToken)).toEqual([ana, undefined])
    // The token is a credential, not a fact about the customer.
    expect(requests[0]!.complaint.customer).toEqual({ id: 'cus_ana' })
  })

  it('refreshes an expired token once and sends again under the same key', async () => {
    const { adapter, requests } = backend('customer_token_expired', [anaFresh])
    const redress = load({ adapter })
    redress.identify({ token: ana, refresh: async () => anaFresh })
    const { receipt } = redress.submit(draft)
    await expect(receipt).resolves.toMatchObject({ status: 'received' })
    expect(requests.map((request) => request.complaint.customerToken)).toEqual([ana, anaFresh])
    expect(new Set(requests.map((request) => request.key)).size).toBe(1)
    expect(redress.pending()).toEqual([])
  })

  it("never attaches another customer's token: a refresh for someone else sends it unverified", async () => {
    const { adapter, requests } = backend('customer_token_expired', [])
    const redress = load({ adapter, customerToken: ana, refreshCustomerToken: async () => ben })
    await redress.submit(draft).receipt
    expect(requests.map((request) => request.complaint.customerToken)).toEqual([ana, undefined])
  })

  it('sends without the token when there is no way to refresh it, or the refresh fails', async () => {
    for (const refresh of [undefined, async () => Promise.reject(new Error('offline'))]) {
      const { adapter, requests } = backend('invalid_customer_token', [])
      const redress = load({ adapter, customerToken: ana, refreshCustomerToken: refresh })
      const failed: unknown[] = []
      redress.on('complaint:failed', (event) => failed.push(event))
      await expect(redress.submit(draft).receipt).resolves.toMatchObject({ status: 'received' })
      expect(requests.map((request) => request.complaint.customerToken)).toEqual([ana, undefined])
      expect(failed).toEqual([])
    }
  })

  it('drops a refreshed token the server still refuses, rather than lose the complaint', async () => {
    const { adapter, requests } = backend('invalid_customer_token', [])
    const redress = load({
      adapter,
      customerToken: ana,
      refreshCustomerToken: async () => anaFresh,
    })
    await expect(redress.submit(draft).receipt).resolves.toMatchObject({ status: 'received' })
    expect(requests.map((request) => request.complaint.customerToken)).toEqual([
      ana,
      anaFresh,
      undefined,
    ])
  })
})
