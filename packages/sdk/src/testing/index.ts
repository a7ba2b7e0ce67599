/**
 * @module `testAdapter`: the conformance suite every Redress adapter passes.
 * Run it under Vitest against your own adapter and backend.
 */
import { type Complaint, type FollowUp, STATUSES } from '@redress/protocol'
import { validateReceipt, validateStatusReport } from '@redress/protocol/schema'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Adapter } from '../adapter'
import { isRedressError } from '../errors'
import { createRedress } from '../redress'
import { memoryStorage } from '../storage'

export interface TestAdapterOptions {
  /** The adapter, or a function that makes it once the backend is up (called in `beforeAll`). */
  adapter: Adapter | (() => Adapter | Promise<Adapter>)
  /**
   * Fields that make a complaint valid for the backend under test, such as
   * its site key and a known category.
   * @default { site: 'pk_demo', category: 'other' }
   */
  complaint?: Partial<Complaint>
}

let counter = 0
const key = () =>
  `conformance-${Date.now().toString(36)}-${++counter}-${Math.random().toString(36).slice(2)}`

/**
 * Register the adapter conformance suite with Vitest: receipts, idempotent
 * replays, conflicts, refusals that must not be retried, status and
 * follow-up when the adapter has them, and delivery through `createRedress`.
 *
 * @example
 * // my-adapter.test.ts
 * import { testAdapter } from '@redress/sdk/testing'
 * import { myAdapter } from './my-adapter'
 *
 * testAdapter({ adapter: () => myAdapter({ url: process.env.BACKEND_URL }) })
 */
export function testAdapter(options: TestAdapterOptions): void {
  let adapter: Adapter
  const complaint = (extra: Partial<Complaint> = {}): Complaint => ({
    site: 'pk_demo',
    category: 'other',
    severity: 'major',
    description: `The parcel arrived broken (${key()})`,
    page: { url: 'http://127.0.0.1/checkout', title: 'Checkout' },
    client: { locale: 'en', sdk: 'redress/conformance' },
    occurredAt: new Date().toISOString(),
    ...options.complaint,
    ...extra,
  })

  const refusedForGood = async (promise: Promise<unknown>, code?: string) => {
    const error = await promise.then(
      () => expect.fail('expected the adapter to refuse'),
      (error: unknown) => error,
    )
    expect(isRedressError(error), `expected a RedressError, got ${String(error)}`).toBe(true)
    expect((error as { retryable: boolean }).retryable).toBe(false)
    if (code) expect((error as { code: string }).code).toBe(code)
  }

  describe(`adapter conformance`, () => {
    beforeAll(async () => {
      adapter = typeof options.adapter === 'function' ? await options.adapter() : options.adapter
    })

    it('has a name and a submit method', () => {
      expect(typeof adapter.name).toBe('string')
      expect(adapter.name.length).toBeGreaterThan(0)
      expect(typeof adapter.submit).toBe('function')
    })

    it('answers a valid complaint with a valid receipt', async () => {
      const receipt = await adapter.submit(complaint(), { idempotencyKey: key() })
      const result = validateReceipt(receipt)
      expect(result.issues ?? []).toEqual([])
      expect(receipt.status).toBe('received')
    })

    it('returns the original receipt when the same key is sent again', async () => {
      const body = complaint()
      const idempotencyKey = key()
      const first = await adapter.submit(body, { idempotencyKey })
      const again = await adapter.submit(structuredClone(body), { idempotencyKey })
      expect(again.id).toBe(first.id)
      expect(again.reference).toBe(first.reference)
      expect(again.token).toBe(first.token)
    })

    it('stores complaints sent with different keys separately', async () => {
      const body = complaint()
      const first = await adapter.submit(body, { idempotencyKey: key() })
      const second = await adapter.submit(body, { idempotencyKey: key() })
      expect(second.id).not.toBe(first.id)
      expect(second.reference).not.toBe(first.reference)
    })

    it('refuses a reused key with a different complaint, for good', async () => {
      const idempotencyKey = key()
      await adapter.submit(complaint(), { idempotencyKey })
      await refusedForGood(
        adapter.submit(complaint({ description: 'Something else entirely' }), { idempotencyKey }),
        'idempotency_conflict',
      )
    })

    it('refuses an invalid complaint, for good', async () => {
      const invalid = { ...complaint(), severity: 'catastrophic' } as unknown as Complaint
      await refusedForGood(adapter.submit(invalid, { idempotencyKey: key() }), 'invalid_request')
      await refusedForGood(
        adapter.submit(complaint({ description: '' }), { idempotencyKey: key() }),
        'invalid_request',
      )
    })

    it('stops when the signal is aborted', async () => {
      const controller = new AbortController()
      controller.abort()
      await expect(
        adapter.submit(complaint(), { idempotencyKey: key(), signal: controller.signal }),
      ).rejects.toThrow()
    })

    it('reports the status of a stored complaint', async (context) => {
      if (!adapter.status) return context.skip('the adapter has no status()')
      const receipt = await adapter.submit(complaint(), { idempotencyKey: key() })
      const report = await adapter.status(receipt)
      expect(validateStatusReport(report).issues ?? []).toEqual([])
      expect(report.id).toBe(receipt.id)
      expect(report.reference).toBe(receipt.reference)
      expect(STATUSES).toContain(report.status)
      await refusedForGood(
        adapter.status({ id: receipt.id, token: 'not-the-token' }),
        'unauthorized',
      )
    })

    it('records a follow-up and refuses an invalid one', async (context) => {
      if (!adapter.followUp) return context.skip('the adapter has no followUp()')
      const receipt = await adapter.submit(complaint(), { idempotencyKey: key() })
      const answer: FollowUp = {
        score: 5,
        resolved: true,
        fairness: { remedy: 4, process: 5, treatment: 5 },
      }
      await expect(adapter.followUp(receipt, answer)).resolves.toBeUndefined()
      await refusedForGood(
        adapter.followUp(receipt, { score: 9, resolved: true } as unknown as FollowUp),
        'invalid_request',
      )
    })

    it('delivers a complaint submitted through createRedress exactly once', async () => {
      const redress = createRedress({ site: complaint().site, adapter, storage: memoryStorage() })
      try {
        const sent: string[] = []
        redress.on('complaint:sent', ({ receipt }) => void sent.push(receipt.id))
        const { category } = complaint()
        const submission = redress.submit({
          category,
          severity: 'minor',
          description: 'It took ages',
        })
        const receipt = await submission.receipt
        expect(sent).toEqual([receipt.id])
        expect(redress.pending()).toEqual([])
      } finally {
        redress.destroy()
      }
    })
  })
}
