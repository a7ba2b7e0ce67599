import type { Recovery } from '@redress/sdk'
import { memoryAdapter } from '@redress/sdk'
import { within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type SetupOptions, setup } from './_test-helpers'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Send a complaint whose remedy the backend's policy decides at once. */
async function sendWith(recovery: Recovery, options: SetupOptions = {}) {
  const adapter = memoryAdapter({ recover: () => recovery })
  const ui = await setup({ adapter, ...options })
  const accepted: unknown[] = []
  ui.redress.on('recovery:accepted', (payload) => accepted.push(payload))
  if (options.locale === 'zh-CN') {
    ui.redress.open()
    await ui.user.selectOptions(await ui.screen.findByLabelText('遇到了什么问题？'), 'order')
    await ui.user.click(ui.screen.getByLabelText('给我添了不少麻烦'))
    await ui.user.type(ui.screen.getByLabelText('发生了什么？'), '包裹没到。')
    await ui.user.click(ui.screen.getByRole('button', { name: '提交' }))
  } else {
    await ui.fill()
    await ui.send()
  }
  await vi.waitFor(() => expect(adapter.list()).toHaveLength(1))
  return { ...ui, adapter, accepted, stored: adapter.list()[0]! }
}

const card = (element: HTMLElement) => element.closest('.c') as HTMLElement

describe('remedies', () => {
  const coupon: Recovery = {
    kind: 'coupon',
    code: 'SORRY-15',
    label: '15% off your next order',
    expiresAt: '2026-12-31T12:00:00Z',
    terms: 'One use, online only.',
  }

  it('shows a coupon from the backend; copying it takes it', async () => {
    const { screen, user, accepted, live, stored } = await sendWith(coupon)
    const label = await screen.findByText('15% off your next order')
    const box = within(card(label))
    const code = box.getByText('SORRY-15')
    expect(code.tagName).toBe('CODE')
    expect(box.getByText('Valid until Dec 31, 2026')).toBeTruthy()
    expect(box.getByText('One use, online only.')).toBeTruthy()

    await user.click(box.getByRole('button', { name: 'Copy code' }))
    await vi.waitFor(() => expect(live()).toBe('Copied'))
    expect(await navigator.clipboard.readText()).toBe('SORRY-15')
    // The SDK's id of the complaint (its idempotency key), as for every event about it.
    expect(accepted).toEqual([{ id: stored.idempotencyKey, recovery: coupon }])
  })

  it('selects the code for copying by hand when the clipboard is refused', async () => {
    const { screen, user, accepted, live } = await sendWith(coupon)
    await screen.findByText('SORRY-15')
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('Not allowed'))
    await user.click(screen.getByRole('button', { name: 'Copy code' }))
    await vi.waitFor(() => expect(live()).toBe('Code selected, ready to copy.'))
    expect(document.getSelection()!.toString()).toBe('SORRY-15')
    expect(accepted).toHaveLength(1)
  })

  it('shows the coupon host code answers with through respond, even before the id is known', async () => {
    const { screen, fill, send } = await setup({
      // Registered before the widget, as a page's own code usually is.
      before: (redress) =>
        redress.on('complaint:submitted', ({ respond }) =>
          respond.coupon({ code: 'HOST-10', label: '10% off, from us' }),
        ),
    })
    await fill()
    await send()
    expect(await screen.findByText('HOST-10')).toBeTruthy()
    expect(screen.getByText('10% off, from us')).toBeTruthy()
    // No expiry given, none shown.
    expect(screen.queryByText(/Valid until/)).toBeNull()
  })

  it.each([
    ['en', 'EUR', 1250, 'Refund: €12.50'],
    ['en', 'JPY', 1500, 'Refund: ¥1,500'],
    ['en', 'CNY', 1250, 'Refund: CN¥12.50'],
    ['zh-CN', 'CNY', 1250, '退款：¥12.50'],
  ] as const)(
    'formats a refund in %s from minor units of %s',
    async (locale, currency, value, text) => {
      const { screen } = await sendWith(
        { kind: 'refund', amount: { value, currency }, message: 'Refunded to your card.' },
        { locale },
      )
      expect(await screen.findByText(text)).toBeTruthy()
      expect(screen.getByText('Refunded to your card.')).toBeTruthy()
    },
  )

  it.each([
    ['en', 'PT2H', 'We will contact you within 2 hours.', 'OK, thanks'],
    ['en', 'P1D', 'We will contact you within 1 day.', 'OK, thanks'],
    ['en', 'PT30M', 'We will contact you within 30 minutes.', 'OK, thanks'],
    ['zh-CN', 'PT2H', '我们会在2小时内联系您。', '好的，谢谢'],
    ['zh-CN', 'P1D', '我们会在1天内联系您。', '好的，谢谢'],
  ] as const)(
    'says in %s when a person will call for %s',
    async (locale, contactWithin, text, ok) => {
      const escalation: Recovery = {
        kind: 'escalation',
        message: 'A manager has your case.',
        contactWithin,
      }
      const { screen, user, accepted } = await sendWith(escalation, { locale })
      expect(await screen.findByText(text)).toBeTruthy()
      expect(screen.getByText('A manager has your case.')).toBeTruthy()
      await user.click(screen.getByRole('button', { name: ok }))
      expect(accepted).toEqual([{ id: expect.any(String), recovery: escalation }])
    },
  )

  it('leaves out a contact time it cannot read', async () => {
    const { screen } = await sendWith({
      kind: 'escalation',
      message: 'We will call.',
      contactWithin: 'soon',
    })
    await screen.findByText('We will call.')
    expect(screen.queryByText(/within/)).toBeNull()
  })

  it.each(['replacement', 'correction', 'apology'] as const)(
    'shows a %s with its message, and "OK" takes it once',
    async (kind) => {
      const recovery = { kind, message: `A ${kind} for you.` } as Recovery
      const { screen, user, accepted } = await sendWith(recovery)
      const box = within(card(await screen.findByText(`A ${kind} for you.`)))
      await user.click(box.getByRole('button', { name: 'OK, thanks' }))
      const done = await box.findByRole('button', { name: '✓ OK, thanks' })
      expect(done.getAttribute('aria-disabled')).toBe('true')
      await user.click(done)
      expect(accepted).toEqual([{ id: expect.any(String), recovery }])
    },
  )

  it('shows the apology an unverified complaint gets in the server’s words, and no money', async () => {
    const message = 'We are sorry. A member of our team will review your case and write to you.'
    const { screen } = await sendWith({ kind: 'apology', message })
    const box = card(await screen.findByText(message))
    expect(box.textContent).toBe(`${message}OK, thanks`)
  })

  it('shows page-wide remedies, not those for another complaint', async () => {
    const { screen, fill, send, redress } = await setup()
    await fill()
    await send()
    await screen.findByText('Thank you for telling us')
    redress.apologize({ message: 'Sorry for the outage today.' })
    redress.apologize({ message: 'Not for you.' }, 'some-other-complaint')
    expect(await screen.findByText('Sorry for the outage today.')).toBeTruthy()
    expect(screen.queryByText('Not for you.')).toBeNull()
  })

  it('adds remedies an owner gave later, found by a status check, once', async () => {
    const { screen, user, adapter, stored } = await sendWith({ kind: 'apology', message: 'Sorry!' })
    await screen.findByText('Sorry!')
    adapter.update(stored.receipt.id, {
      recovery: { kind: 'replacement', message: 'A new one is on its way.' },
    })
    await user.click(await screen.findByRole('button', { name: 'Check status' }))
    expect(await screen.findByText('A new one is on its way.')).toBeTruthy()
    expect(screen.getAllByText('Sorry!')).toHaveLength(1)
  })
})
