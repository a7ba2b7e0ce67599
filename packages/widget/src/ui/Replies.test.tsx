import { memoryAdapter } from '@redress/sdk'
import { describe, expect, it, vi } from 'vitest'
import { setup } from './_test-helpers'

describe('the owner’s replies', () => {
  it('appear under the status when the customer checks progress, as text', async () => {
    const adapter = memoryAdapter()
    const { screen, user, fill, send } = await setup({ adapter })
    await fill()
    await send()
    await vi.waitFor(() => expect(adapter.list()).toHaveLength(1))
    const { id } = adapter.list()[0]!.receipt
    const check = await screen.findByRole('button', { name: 'Check status' })

    await user.click(check)
    expect(await screen.findByText("Status: We've received it")).toBeTruthy()
    expect(screen.queryByText(/^Reply from|^Our reply/)).toBeNull()

    adapter.update(id, {
      status: 'in_progress',
      reply: { message: 'We found your parcel.\n<b>It</b> arrives tomorrow.', author: 'Ana' },
    })
    adapter.update(id, { reply: { message: 'Tracking: 123' } })
    await user.click(check)
    expect(await screen.findByText("Status: We're working on it")).toBeTruthy()

    const from = screen.getByText('Reply from Ana')
    const message = screen.getByText(/^We found your parcel\./)
    // Shown as the text it is: no markup from the message becomes an element.
    expect(message.textContent).toBe('We found your parcel.\n<b>It</b> arrives tomorrow.')
    expect(message.querySelector('b')).toBeNull()
    expect(message.className).toBe('w')
    // Under the status, oldest first, each with its date.
    const status = screen.getByText("Status: We're working on it")
    expect(status.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    const labels = [...from.closest('dialog')!.querySelectorAll('.c > .t')].map(
      (p) => p.textContent,
    )
    expect(labels).toEqual(['Reply from Ana', 'Our reply'])
    const when = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date())
    expect(from.parentElement!.textContent).toContain(when)

    // The next report starts without the first one's replies.
    await user.click(screen.getByRole('button', { name: 'Report another problem' }))
    await fill('Another problem.')
    await send()
    await vi.waitFor(() => expect(adapter.list()).toHaveLength(2))
    expect(await screen.findByRole('button', { name: 'Check status' })).toBeTruthy()
    expect(screen.queryByText('Reply from Ana')).toBeNull()
  })

  it('are labelled in Simplified Chinese', async () => {
    const adapter = memoryAdapter()
    const receipt = await adapter.submit(
      { site: 'pk_test', category: 'order', severity: 'major', description: '包裹破损' },
      { idempotencyKey: 'earlier-page' },
    )
    adapter.update(receipt.id, { status: 'in_progress', reply: { message: '已为您补发。' } })
    const { screen, user, redress } = await setup({
      adapter,
      locale: 'zh-CN',
      resume: { ...receipt, status: 'received' },
    })
    redress.open()
    await user.click(await screen.findByRole('button', { name: '查看进度' }))
    expect(await screen.findByText('状态：处理中')).toBeTruthy()
    expect(screen.getByText('我们的回复')).toBeTruthy()
    expect(screen.getByText('已为您补发。')).toBeTruthy()

    adapter.update(receipt.id, { reply: { message: '快递单号 123', author: '小王' } })
    await user.click(screen.getByRole('button', { name: '查看进度' }))
    expect(await screen.findByText('小王 的回复')).toBeTruthy()
  })
})
