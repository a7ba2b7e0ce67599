import { render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { AdminApiError } from '../lib/api'
import { errorOf, field, retype, site } from './_test-helpers'
import { PolicyForm } from './PolicyForm'

describe('the policy caps form', () => {
  it('sends money in minor units, keeps other overrides and leaves defaults out', async () => {
    const save = vi.fn(async (_patch: Record<string, unknown>) => site())
    render(<PolicyForm site={site()} save={save} />)
    await retype(field(/Per complaint, at most \(EUR\)/), '60')
    await retype(field(/Per site per day \(EUR\)/), '1,250.50')
    await retype(field(/share of the order value/), '120')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).toHaveBeenCalledTimes(1)
    expect(save.mock.calls[0]![0]).toEqual({
      policy: {
        coupon: { validDays: 60 },
        caps: { perComplaintPercent: 120, perComplaintMax: 6000, perSiteDay: 125050 },
      },
    })
    await screen.findByText('Saved')
  })

  it('shows the defaults next to the fields', () => {
    render(<PolicyForm site={site()} save={vi.fn()} />)
    expect(screen.getByText(/Default: 100%/)).toBeTruthy()
    expect(screen.getByText(/Default: €500\.00/)).toBeTruthy()
    expect(screen.getAllByText(/Default: €50\.00/)).toHaveLength(2)
  })

  it('reads amounts in the currency being typed (yen have no minor unit)', async () => {
    const save = vi.fn(async () => site())
    render(<PolicyForm site={site()} save={save} />)
    await retype(field(/^Currency/), 'JPY')
    // The stored numbers stay: 5000 minor units are ¥5000.
    expect(field(/Per complaint, at most \(JPY\)/).value).toBe('5000')
    expect(field(/Per site per day \(JPY\)/).value).toBe('50000')
    // Going through an unknown code on the way back changes nothing twice.
    await userEvent.type(field(/^Currency/), '{Backspace}Y')
    expect(field(/Per complaint, at most \(JPY\)/).value).toBe('5000')
    await retype(field(/Per customer over 30 days \(JPY\)/), '8000')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).toHaveBeenCalledWith({
      policy: {
        coupon: { validDays: 60 },
        currency: 'JPY',
        caps: { perCustomer30Days: 8000 },
      },
    })
  })

  it('refuses a per-complaint share above 150% before sending anything', async () => {
    const save = vi.fn()
    render(<PolicyForm site={site()} save={save} />)
    const percent = field(/share of the order value/)
    await retype(percent, '200')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).not.toHaveBeenCalled()
    expect(percent.getAttribute('aria-invalid')).toBe('true')
    expect(errorOf(percent)).toBe('At most 150%.')
    expect(percent.value).toBe('200')
  })

  it('refuses an amount with more decimals than the currency has', async () => {
    const save = vi.fn()
    render(<PolicyForm site={site()} save={save} />)
    const max = field(/Per complaint, at most/)
    await retype(max, '12.345')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).not.toHaveBeenCalled()
    expect(errorOf(max)).toBe('Enter an amount such as 50.')
  })

  it("shows the server's field error next to the field it names and keeps what was typed", async () => {
    const save = vi.fn(async () => {
      throw new AdminApiError(
        400,
        'invalid_request',
        'policy.caps.perSiteDay is a whole number',
        'policy.caps.perSiteDay',
      )
    })
    render(<PolicyForm site={site()} save={save} />)
    const perDay = field(/Per site per day/)
    const perComplaint = field(/Per complaint, at most/)
    await retype(perDay, '700')
    await retype(perComplaint, '45')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(errorOf(perDay)).toBe('policy.caps.perSiteDay is a whole number'))
    expect(perDay.getAttribute('aria-invalid')).toBe('true')
    expect(errorOf(perComplaint)).toBe('')
    expect(perDay.value).toBe('700')
    expect(perComplaint.value).toBe('45')
    expect(screen.queryByText('Saved')).toBeNull()
  })

  it('shows an error about a field it does not show under the form', async () => {
    const save = vi.fn(async () => {
      throw new AdminApiError(400, 'invalid_request', 'Unknown policy field policy.x', 'policy.x')
    })
    render(<PolicyForm site={site()} save={save} />)
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Unknown policy field policy.x')
  })
})
