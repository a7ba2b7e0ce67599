import { render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { CAPS, complaint } from '../test/fake-data'
import { signedIn } from '../test/helpers'
import { RemedyForm } from './RemedyForm'

/** A complaint's remedy form, signed in to a fake server, once it shows the caps. */
async function showForm(options: Parameters<typeof signedIn>[0] = {}) {
  const target = complaint()
  const server = signedIn({ complaints: [target], ...options })
  const user = userEvent.setup()
  render(<RemedyForm id={target.id} />)
  await screen.findByText(/You can give up to €20\.00/)
  return { target, server, user }
}

describe('giving a remedy', () => {
  it('shows the caps before anything is given', async () => {
    await showForm()
    expect(screen.getByText('You can give up to €20.00 now without approval.')).toBeTruthy()
    expect(screen.getByText('This complaint: €20.00 left of €20.00 (€0.00 given).')).toBeTruthy()
    expect(screen.getByText('100% of the order value €20.00, at most €50.00.')).toBeTruthy()
    expect(screen.getByText('This customer over 30 days: €40.00 left of €50.00.')).toBeTruthy()
    expect(screen.getByText('The site today: €500.00 left of €500.00.')).toBeTruthy()
  })

  it('refuses a value over what is available, without asking the server', async () => {
    const { server, user } = await showForm()

    await user.type(screen.getByLabelText('Value in EUR'), '25')
    await user.click(screen.getByRole('button', { name: 'Give Coupon' }))
    const value = screen.getByLabelText('Value in EUR')
    expect(
      screen.getByText(
        '€25.00 is more than you can give now: €20.00 is available. Give less, or ask for it to be approved.',
      ).id,
    ).toBe('remedy-value-error')
    expect(value.getAttribute('aria-invalid')).toBe('true')
    expect(server.sent('POST')).toEqual([])
    // What was typed is still there to correct.
    expect((value as HTMLInputElement).value).toBe('25')

    await user.clear(value)
    await user.type(value, '12.505')
    await user.click(screen.getByRole('button', { name: 'Give Coupon' }))
    expect(
      screen.getByText('Enter an amount above 0 with at most 2 decimals, e.g. 12.50.'),
    ).toBeTruthy()
    await user.clear(value)
    await user.click(screen.getByRole('button', { name: 'Give Coupon' }))
    expect(screen.getByText('Enter the value, e.g. 12.50.')).toBeTruthy()
    expect(server.sent('POST')).toEqual([])
  })

  it('sends minor units with one idempotency key, reused when the same remedy is retried', async () => {
    const { target, server, user } = await showForm()
    let down = true
    server.on('POST', /\/recoveries$/, () => (down ? { status: 0 } : undefined))

    await user.type(screen.getByLabelText('Value in EUR'), '12.5')
    await user.type(screen.getByLabelText('Coupon label (optional)'), 'Sorry: {{amount} off')
    await user.click(screen.getByRole('button', { name: 'Give Coupon' }))
    expect(
      await screen.findByText('Cannot reach the server. Check your connection and try again.'),
    ).toBeTruthy()
    // Nothing typed is lost.
    expect((screen.getByLabelText('Value in EUR') as HTMLInputElement).value).toBe('12.5')

    down = false
    await user.click(screen.getByRole('button', { name: 'Give Coupon' }))
    expect(await screen.findByText('Coupon given: code CODE2345.')).toBeTruthy()
    const [first, retry] = server.sent('POST')
    expect(first!.path).toBe(`/v1/admin/complaints/${target.id}/recoveries`)
    expect(first!.body).toEqual({ kind: 'coupon', value: 1250, label: 'Sorry: {amount} off' })
    expect(first!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(retry!.body).toEqual(first!.body)
    expect(retry!.headers['idempotency-key']).toBe(first!.headers['idempotency-key'])
    // The form starts afresh and the caps are read again.
    expect((screen.getByLabelText('Value in EUR') as HTMLInputElement).value).toBe('')
    expect(await screen.findByText(/You can give up to €7\.50/)).toBeTruthy()

    // The next remedy is another one: a new key.
    await user.selectOptions(screen.getByLabelText('Kind'), 'apology')
    await user.click(screen.getByRole('button', { name: 'Give Apology' }))
    await waitFor(() => expect(server.sent('POST')).toHaveLength(3))
    const apology = server.sent('POST')[2]!
    expect(apology.body).toEqual({ kind: 'apology' })
    expect(apology.headers['idempotency-key']).not.toBe(first!.headers['idempotency-key'])
  })

  it('shows the server’s cap_exceeded refusal next to the value', async () => {
    // The caps read a moment ago allowed it; meanwhile someone else spent the budget.
    const { server, user } = await showForm({ caps: { ...CAPS } })
    server.on('POST', /\/recoveries$/, () => ({
      status: 409,
      body: {
        error: {
          code: 'cap_exceeded',
          message: "€15.00 is over the site's cap for today: €3.00 is left",
          field: 'value',
        },
      },
    }))
    await user.selectOptions(screen.getByLabelText('Kind'), 'refund')
    await user.type(screen.getByLabelText('Value in EUR'), '15')
    await user.click(screen.getByRole('button', { name: 'Give Refund' }))
    expect(
      await screen.findByText(
        "The server refused it: €15.00 is over the site's cap for today: €3.00 is left",
      ),
    ).toBeTruthy()
    expect(screen.getByLabelText('Value in EUR').getAttribute('aria-invalid')).toBe('true')
    expect(server.sent('POST')[0]!.body).toEqual({ kind: 'refund', value: 1500 })
  })
})
