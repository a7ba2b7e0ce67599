import { describe, expect, it } from 'vitest'
import { setup } from './_test-helpers'

describe('notices', () => {
  it('shows a banner without opening the dialog, replaces it by id, and can be dismissed', async () => {
    const { redress, screen, user, dialog } = await setup()
    redress.notice({ message: 'Deliveries are running a day late.', id: 'delay' })
    const first = await screen.findByRole('status')
    expect(first.textContent).toContain('Deliveries are running a day late.')
    expect(dialog().open).toBe(false)
    expect(dialog().contains(first)).toBe(false)
    expect(first.className).toBe('n')

    redress.notice({
      message: 'Deliveries are running two days late.',
      id: 'delay',
      level: 'warning',
    })
    redress.notice({ message: 'Checkout is slow today.' })
    await screen.findByText('Checkout is slow today.')
    const banners = screen.getAllByRole('status')
    expect(banners.map((banner) => banner.firstChild!.textContent)).toEqual([
      'Deliveries are running two days late.',
      'Checkout is slow today.',
    ])
    expect(banners[0]!.className).toBe('n w')

    await user.click(screen.getAllByRole('button', { name: 'Close' })[0]!)
    expect(screen.queryByText('Deliveries are running two days late.')).toBeNull()
    expect(screen.getByText('Checkout is slow today.')).toBeTruthy()
  })
})
