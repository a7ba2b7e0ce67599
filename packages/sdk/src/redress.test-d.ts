import type { Complaint, Receipt, Recovery, StatusReport } from '@redress/protocol'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type Adapter,
  createRedress,
  isHttpError,
  memoryAdapter,
  type RedressError,
  type Responder,
  type Submission,
  type Unsubscribe,
} from './index'

const redress = createRedress({ site: 'pk_demo', adapter: memoryAdapter() })

describe('the event map', () => {
  it('types each payload by event name', () => {
    redress.on('complaint:submitted', (event) => {
      expectTypeOf(event.id).toEqualTypeOf<string>()
      expectTypeOf(event.complaint).toEqualTypeOf<Complaint>()
      expectTypeOf(event.respond).toEqualTypeOf<Responder>()
    })
    redress.on('complaint:sent', ({ receipt }) => expectTypeOf(receipt).toEqualTypeOf<Receipt>())
    redress.on('complaint:failed', ({ error }) => expectTypeOf(error).toEqualTypeOf<RedressError>())
    redress.on('complaint:queued', ({ retryIn }) =>
      expectTypeOf(retryIn).toEqualTypeOf<number | null>(),
    )
    redress.on('recovery:offered', ({ recovery, source }) => {
      expectTypeOf(recovery).toEqualTypeOf<Recovery>()
      expectTypeOf(source).toEqualTypeOf<'server' | 'host'>()
    })
    redress.on('status:changed', ({ report }) => expectTypeOf(report).toEqualTypeOf<StatusReport>())
  })

  it('returns an unsubscribe function from on and once', () => {
    expectTypeOf(redress.on('ready', () => {})).toEqualTypeOf<Unsubscribe>()
    expectTypeOf(redress.once('open', () => {})).toEqualTypeOf<Unsubscribe>()
  })

  it('refuses unknown events and wrong payload use', () => {
    // @ts-expect-error not an event
    redress.on('complaint:lost', () => {})
    // @ts-expect-error `ready` carries no receipt
    redress.on('ready', ({ receipt }) => receipt)
  })
})

describe('submit and remedies', () => {
  it('takes a draft and returns a submission', () => {
    expectTypeOf(
      redress.submit({ category: 'delivery', severity: 'major', description: 'Late' }),
    ).toEqualTypeOf<Submission>()
    // @ts-expect-error severity is one of three words
    redress.submit({ category: 'delivery', severity: 'awful', description: 'Late' })
    // @ts-expect-error a description is required
    redress.submit({ category: 'delivery', severity: 'minor' })
  })

  it('types remedies from host code', () => {
    redress.offerCoupon({ code: 'SORRY-1', label: '10% off', expiresAt: '2026-12-31T00:00:00Z' })
    // @ts-expect-error a coupon needs a label
    redress.offerCoupon({ code: 'SORRY-1' })
    redress.offerRecovery({ kind: 'escalation', message: 'We will call', contactWithin: 'PT2H' })
  })
})

describe('customer tokens', () => {
  it('takes a token and a refresh that may ignore its state, and nothing else', () => {
    const fetchToken = async () => 'header.payload.signature'
    createRedress({
      site: 'pk_demo',
      adapter: memoryAdapter(),
      customerToken: 'header.payload.signature',
      refreshCustomerToken: fetchToken,
    })
    redress.identify({ id: 'cus_42', token: 'header.payload.signature', refresh: fetchToken })
    redress.identify({
      token: 'header.payload.signature',
      refresh: async ({ sub, token }) => {
        expectTypeOf(sub).toEqualTypeOf<string>()
        expectTypeOf(token).toEqualTypeOf<string>()
        return null
      },
    })
    redress.identify(null)
    // @ts-expect-error a refresh resolves with the token, not the answer holding it
    redress.identify({ refresh: async () => ({ token: 'header.payload.signature' }) })
  })
})

describe('adapters and errors', () => {
  it('accepts any object with a name and submit as an adapter', () => {
    const custom: Adapter = {
      name: 'custom',
      submit: async (complaint, { idempotencyKey }) => ({
        id: idempotencyKey,
        reference: complaint.category,
        status: 'received',
        token: 't',
        recovery: null,
        receivedAt: new Date().toISOString(),
      }),
    }
    createRedress({ site: 'pk_demo', adapter: custom })
  })

  it('narrows errors with the guards', () => {
    const error: unknown = new Error('x')
    if (isHttpError(error)) {
      expectTypeOf(error.status).toEqualTypeOf<number>()
      expectTypeOf(error.retryAfter).toEqualTypeOf<number | undefined>()
    }
  })
})
