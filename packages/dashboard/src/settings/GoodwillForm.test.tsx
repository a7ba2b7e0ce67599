import { render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { setLocale } from '../i18n'
import { AdminApiError } from '../lib/api'
import { errorOf, field, GOODWILL, retype, site } from './_test-helpers'
import { GoodwillForm } from './GoodwillForm'

describe('the goodwill coupon form', () => {
  const risk = () => document.getElementById('goodwill-risk')!.textContent

  it('states the risk with the figures typed, in the site currency', async () => {
    render(<GoodwillForm site={site()} save={vi.fn()} />)
    const enabled = screen.getByRole('checkbox', {
      name: 'Give unverified complaints a goodwill coupon',
    })
    expect((enabled as HTMLInputElement).checked).toBe(false)
    // The risk is read with the switch, not only seen beside it.
    expect(enabled.getAttribute('aria-describedby')).toContain('goodwill-risk')
    expect(risk()).toBe(
      'Anyone can send a complaint without being signed in. With this on, scripts can collect up to €30.00 a day in coupons (10 coupons of €3.00), at most 1 coupon per address. Leave it off unless a small loss is worth it.',
    )
    await retype(field(/^Coupon value \(EUR\)/), '5')
    await retype(field(/^Budget per day \(EUR\)/), '12')
    await retype(field(/^Coupons per client address per day/), '2')
    expect(risk()).toContain('up to €12.00 a day in coupons (2 coupons of €5.00)')
    expect(risk()).toContain('at most 2 coupons per address')
  })

  it('sends the switch and the amounts in minor units, keeping other overrides', async () => {
    const save = vi.fn(async (_patch: Record<string, unknown>) => site())
    render(<GoodwillForm site={site()} save={save} />)
    await userEvent.click(screen.getByRole('checkbox', { name: /goodwill coupon/ }))
    await retype(field(/^Coupon value/), '2.50')
    await retype(field(/^Budget per day/), '25')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).toHaveBeenCalledTimes(1)
    // perIpDay stays at its default, so it is not stored.
    expect(save.mock.calls[0]![0]).toEqual({
      policy: {
        coupon: { validDays: 60 },
        goodwill: { enabled: true, value: 250, perDay: 2500 },
      },
    })
    await screen.findByText('Saved')
  })

  it('turning it off again drops the switch from the stored overrides', async () => {
    const save = vi.fn(async () => site())
    const stored = site()
    stored.policy = {
      effective: { ...stored.policy.effective, goodwill: { ...GOODWILL, enabled: true } },
      overrides: { goodwill: { enabled: true } },
    }
    render(<GoodwillForm site={stored} save={save} />)
    const enabled = screen.getByRole('checkbox', { name: /goodwill coupon/ })
    expect((enabled as HTMLInputElement).checked).toBe(true)
    await userEvent.click(enabled)
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).toHaveBeenCalledWith({ policy: null })
  })

  it('refuses bad values before sending anything', async () => {
    const save = vi.fn()
    render(<GoodwillForm site={site()} save={save} />)
    const value = field(/^Coupon value/)
    const perDay = field(/^Budget per day/)
    const perIp = field(/^Coupons per client address per day/)
    await retype(value, '0')
    await retype(perIp, '1.5')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).not.toHaveBeenCalled()
    expect(errorOf(value)).toBe('Enter an amount above 0, such as 3.')
    expect(errorOf(perIp)).toBe('Enter a whole number from 1.')
    expect(value.getAttribute('aria-invalid')).toBe('true')
    await retype(value, '5')
    await retype(perDay, '4')
    await retype(perIp, '1')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).not.toHaveBeenCalled()
    expect(errorOf(perDay)).toBe('At least the coupon’s value, €5.00: less gives no coupon at all.')
    expect(errorOf(value)).toBe('')
  })

  it("shows the server's field error next to its field and keeps what was typed", async () => {
    const save = vi.fn(async () => {
      throw new AdminApiError(
        400,
        'invalid_request',
        'policy.goodwill.perDay is a whole number',
        'policy.goodwill.perDay',
      )
    })
    render(<GoodwillForm site={site()} save={save} />)
    const perDay = field(/^Budget per day/)
    await retype(perDay, '40')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(errorOf(perDay)).toBe('policy.goodwill.perDay is a whole number'))
    expect(perDay.value).toBe('40')
    expect(screen.queryByText('Saved')).toBeNull()
  })

  it('keeps the stored minor units when the site currency changes (EUR to JPY)', async () => {
    const { rerender } = render(<GoodwillForm site={site()} save={vi.fn()} />)
    expect(field(/^Coupon value \(EUR\)/).value).toBe('3')
    const yen = site()
    yen.policy = { ...yen.policy, effective: { ...yen.policy.effective, currency: 'JPY' } }
    rerender(<GoodwillForm site={yen} save={vi.fn()} />)
    expect(field(/^Coupon value \(JPY\)/).value).toBe('300')
    expect(field(/^Budget per day \(JPY\)/).value).toBe('3000')
  })

  it('says it in Chinese, with the figures', () => {
    setLocale('zh-CN')
    render(<GoodwillForm site={site()} save={vi.fn()} />)
    expect(screen.getByRole('heading', { name: '面向未验证投诉的善意优惠券' })).toBeTruthy()
    expect(screen.getByRole('checkbox', { name: '为未验证的投诉发放善意优惠券' })).toBeTruthy()
    expect(risk()).toBe(
      '任何人无需登录都能提交投诉。开启后，脚本每天最多可领走 €30.00 的优惠券（10 张 €3.00 的优惠券），每个地址最多 1 张。除非值得承担这点小损失，否则请保持关闭。',
    )
  })
})
