import { render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { AdminApiError } from '../lib/api'
import { errorOf, field, retype, site } from './_test-helpers'
import { GuaranteeForm } from './GuaranteeForm'

describe('the guarantee form', () => {
  it('sends hours as an ISO 8601 duration and the coupon in minor units', async () => {
    const save = vi.fn(async (_patch: Record<string, unknown>) => site())
    render(<GuaranteeForm site={site()} save={save} />)
    await userEvent.click(screen.getByLabelText('Offer a guarantee'))
    await retype(field(/First reply within/), '2')
    await retype(field(/Coupon if late \(EUR\)/), '5')
    await userEvent.click(screen.getByRole('button', { name: 'Write it for me' }))
    expect(field(/What customers are told/).value).toBe(
      'A reply within 2 hours, or €5.00 off your next order.',
    )
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).toHaveBeenCalledWith({
      guarantee: {
        text: 'A reply within 2 hours, or €5.00 off your next order.',
        firstReplyWithin: 'PT2H',
        remedy: { kind: 'coupon', value: 500 },
      },
    })
  })

  it('starts from the stored guarantee and sends minutes as minutes', async () => {
    const save = vi.fn(async () => site())
    const stored = site({
      guarantee: {
        text: 'A reply within 90 minutes',
        firstReplyWithin: 'PT1H30M',
        remedy: { kind: 'coupon', value: 1000 },
      },
    })
    render(<GuaranteeForm site={stored} save={save} />)
    expect(field(/First reply within/).value).toBe('90')
    expect((screen.getByLabelText('Unit') as HTMLSelectElement).value).toBe('minutes')
    expect(field(/Coupon if late/).value).toBe('10')
    await retype(field(/First reply within/), '45')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).toHaveBeenCalledWith({
      guarantee: {
        text: 'A reply within 90 minutes',
        firstReplyWithin: 'PT45M',
        remedy: { kind: 'coupon', value: 1000 },
      },
    })
  })

  it('removes the guarantee with "No guarantee"', async () => {
    const save = vi.fn(async () => site())
    const stored = site({
      guarantee: { text: 'Fast', firstReplyWithin: 'PT2H', remedy: { kind: 'coupon', value: 500 } },
    })
    render(<GuaranteeForm site={stored} save={save} />)
    await userEvent.click(screen.getByLabelText('No guarantee'))
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).toHaveBeenCalledWith({ guarantee: null })
  })

  it("checks the time locally and places the server's errors by field", async () => {
    const save = vi.fn(async () => {
      throw new AdminApiError(
        400,
        'invalid_request',
        'value is a whole number of minor units from 1 to 1000000',
        'guarantee.remedy.value',
      )
    })
    render(<GuaranteeForm site={site()} save={save} />)
    await userEvent.click(screen.getByLabelText('Offer a guarantee'))
    await userEvent.type(field(/What customers are told/), 'Quick or free')
    const within = field(/First reply within/)
    await retype(within, '31')
    await userEvent.selectOptions(screen.getByLabelText('Unit'), 'hours')
    await retype(within, '721') // over 30 days
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).not.toHaveBeenCalled()
    expect(errorOf(within)).toBe('Enter a time from one minute to 30 days.')
    await retype(within, '3')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    const value = field(/Coupon if late/)
    await waitFor(() =>
      expect(errorOf(value)).toBe('value is a whole number of minor units from 1 to 1000000'),
    )
    expect(errorOf(within)).toBe('')
    expect(field(/What customers are told/).value).toBe('Quick or free')
  })
})
