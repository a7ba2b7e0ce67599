import { describe, expect, it } from 'vitest'
import { memoryAdapter } from './memory'

const complaint = {
  site: 'pk_demo',
  category: 'billing',
  severity: 'critical' as const,
  description: 'Charged twice for one order',
}

describe('memoryAdapter', () => {
  it('keeps what it stores, with the remedy its policy decided', async () => {
    const adapter = memoryAdapter({
      recover: (c) =>
        c.severity === 'critical'
          ? { kind: 'escalation', message: 'We will call you', contactWithin: 'PT2H' }
          : null,
    })
    const receipt = await adapter.submit(complaint, { idempotencyKey: 'k1' })
    expect(receipt.recovery).toEqual({
      kind: 'escalation',
      message: 'We will call you',
      contactWithin: 'PT2H',
    })
    expect(receipt.reference).toMatch(/^R-[2-9A-Z]{5}$/)
    expect(adapter.list()).toMatchObject([{ idempotencyKey: 'k1', status: 'received', complaint }])
  })

  it('treats a replay with keys in another order as the same complaint', async () => {
    const adapter = memoryAdapter()
    const first = await adapter.submit(complaint, { idempotencyKey: 'k1' })
    const reordered = {
      description: complaint.description,
      severity: complaint.severity,
      category: complaint.category,
      site: complaint.site,
    }
    expect(await adapter.submit(reordered, { idempotencyKey: 'k1' })).toEqual(first)
    expect(adapter.list()).toHaveLength(1)
  })

  it('refuses an idempotency key over 255 characters', async () => {
    await expect(
      memoryAdapter().submit(complaint, { idempotencyKey: 'k'.repeat(256) }),
    ).rejects.toThrow('The idempotency key must be 1–255 characters')
  })

  it('reopens a complaint when the customer says it was not resolved', async () => {
    const adapter = memoryAdapter()
    const receipt = await adapter.submit(complaint, { idempotencyKey: 'k1' })
    adapter.update(receipt.id, { status: 'resolved' })
    await adapter.followUp(receipt, { score: 1, resolved: false })
    expect((await adapter.status(receipt)).status).toBe('reopened')
  })

  it('shows the owner’s replies in the status, oldest first, once there are any', async () => {
    const adapter = memoryAdapter()
    const receipt = await adapter.submit(complaint, { idempotencyKey: 'k1' })
    expect((await adapter.status(receipt)).replies).toBeUndefined()
    adapter.update(receipt.id, {
      status: 'in_progress',
      reply: { message: 'On it', author: 'Ana' },
    })
    adapter.update(receipt.id, { reply: { message: 'Sent a new one' } })
    const report = await adapter.status(receipt)
    expect(report.replies).toEqual([
      { message: 'On it', author: 'Ana', at: expect.any(String) },
      { message: 'Sent a new one', at: report.updatedAt },
    ])
  })
})
