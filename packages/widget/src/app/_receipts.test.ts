import { createRedress, memoryAdapter, memoryStorage } from '@redress/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { keepReceipts } from './_receipts'

const draft = { category: 'order', severity: 'major' as const, description: 'Box crushed' }
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

// One page: an SDK instance and its kept receipts, on storage shared across pages.
const page = (
  adapter: ReturnType<typeof memoryAdapter>,
  storage: ReturnType<typeof memoryStorage>,
) => {
  const redress = createRedress({ site: 'pk_test', adapter, storage })
  const receipts = keepReceipts(redress, storage)
  cleanups.push(
    () => receipts.stop(),
    () => redress.destroy(),
  )
  return { redress, receipts }
}

describe('keepReceipts', () => {
  it('keeps each receipt for the next page, newest first, ten at most', async () => {
    const adapter = memoryAdapter()
    const storage = memoryStorage()
    const first = page(adapter, storage)
    const references: string[] = []
    for (let n = 0; n < 12; n++)
      references.push((await first.redress.submit(draft).receipt).reference)
    const next = page(adapter, storage)
    expect(next.receipts.list().map((kept) => kept.reference)).toEqual(
      references.reverse().slice(0, 10),
    )
    expect(next.receipts.list()[0]).toMatchObject({ status: 'received', token: expect.any(String) })
  })

  it('asks the backend about the newest open receipt at most once an hour', async () => {
    const adapter = memoryAdapter()
    const storage = memoryStorage()
    const first = page(adapter, storage)
    const receipt = await first.redress.submit(draft).receipt
    adapter.update(receipt.id, { status: 'resolved' })

    const next = page(adapter, storage)
    const now = Date.parse('2026-11-23T12:00:00Z')
    expect(await next.receipts.refresh(now)).toMatchObject({ id: receipt.id, status: 'resolved' })
    expect(next.receipts.list()[0]).toMatchObject({
      status: 'resolved',
      answered: false,
      checkedAt: now,
    })

    adapter.update(receipt.id, { status: 'closed' })
    // Within the hour: no request, the kept status stands.
    expect((await next.receipts.refresh(now + 10 * 60_000))?.status).toBe('resolved')
    // After it: asked again.
    expect(await next.receipts.refresh(now + 61 * 60_000)).toMatchObject({ status: 'closed' })
  })

  it('stops asking once the customer answered, and asks again after a reopening', async () => {
    const adapter = memoryAdapter()
    const storage = memoryStorage()
    const { redress, receipts } = page(adapter, storage)
    const receipt = await redress.submit(draft).receipt
    adapter.update(receipt.id, { status: 'resolved' })
    await receipts.refresh(1)
    await redress.followUp(receipt, { score: 5, resolved: true })
    expect(await receipts.refresh(2 * 60 * 60_000)).toBeUndefined()

    adapter.update(receipt.id, { status: 'reopened' })
    await redress.status({ ...receipt, status: 'resolved' })
    expect(await receipts.refresh(3 * 60 * 60_000)).toMatchObject({
      id: receipt.id,
      status: 'reopened',
    })
  })

  it('copes with storage holding something else', () => {
    const storage = memoryStorage()
    storage.setItem('redress:receipts:pk_test', '{not json')
    expect(page(memoryAdapter(), storage).receipts.list()).toEqual([])
  })
})
