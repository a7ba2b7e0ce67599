import { cleanup, render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AdminApiError } from '../api'
import { setLocale } from '../i18n'
import { signIn, signOut } from '../state'
import type { SiteView } from '../types'
import { Settings } from './Settings'
import { GoodwillForm } from './settings-goodwill'
import { GuaranteeForm, PolicyForm } from './settings-policy'

const CAPS = {
  perComplaintPercent: 100,
  perComplaintMax: 5000,
  perCustomer30Days: 5000,
  perSiteDay: 50000,
}
const GOODWILL = { enabled: false, value: 300, perDay: 3000, perIpDay: 1 }

function site(change: Partial<SiteView> = {}): SiteView {
  return {
    name: 'Acme Mugs',
    publicKey: 'pk_acme',
    origins: ['https://shop.example'],
    categories: [{ id: 'broken', failureType: 'outcome' }],
    rateLimits: { effective: {}, overrides: null },
    policy: {
      effective: {
        currency: 'EUR',
        caps: { ...CAPS },
        goodwill: { ...GOODWILL },
        coupon: { source: 'generated' },
      },
      overrides: { coupon: { validDays: 60 } },
    },
    guarantee: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    ...change,
  }
}

const field = (label: RegExp) => screen.getByLabelText(label) as HTMLInputElement
/** The error text tied to an input through aria-describedby. */
const errorOf = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id))
    .find((element) => element?.classList.contains('error'))?.textContent ?? ''

async function retype(input: HTMLElement, text: string) {
  await userEvent.clear(input)
  if (text) await userEvent.type(input, text)
}

beforeEach(() => setLocale('en'))
afterEach(() => {
  cleanup()
  signOut()
  vi.unstubAllGlobals()
})

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

describe('the settings view', () => {
  it('loads the site, shows the script tag and saves one form with PATCH', async () => {
    const requests: Array<{ method: string; url: string; body: unknown }> = []
    const view = site()
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
      requests.push({ method: init.method ?? 'GET', url, body })
      const json = (value: unknown, status = 200) =>
        new Response(JSON.stringify(value), {
          status,
          headers: { 'content-type': 'application/json' },
        })
      if (url.endsWith('/v1/admin/site') && init.method === 'PATCH')
        return json({ ...view, origins: body.origins })
      if (url.endsWith('/v1/admin/site')) return json(view)
      if (url.includes('/v1/admin/site/changes')) return json({ items: [] })
      if (url.endsWith('/v1/admin/site/verification-secrets')) return json({ items: [] })
      if (url.endsWith('/v1/admin/webhooks')) return json({ items: [] })
      if (url.endsWith('/v1/admin/coupon-pool'))
        return json({
          free: 3,
          used: 1,
          expired: 0,
          byValue: [{ value: 500, free: 3 }],
          currency: 'EUR',
          source: 'generated',
        })
      return json({ error: { code: 'not_found', message: 'no' } }, 404)
    })
    signIn('rdk_settings_test')
    render(<Settings />)
    expect((await screen.findByText(/data-site="pk_acme"/)).textContent).toBe(
      `<script async src="${location.origin}/redress.js" data-site="pk_acme"></script>`,
    )
    expect(await screen.findByText('€5.00 × 3', { exact: false })).toBeTruthy()
    const origins = field(/Origins, one per line/)
    await userEvent.clear(origins)
    await userEvent.type(origins, 'https://a.example{Enter}{Enter}http://localhost:*')
    const forms = screen.getAllByRole('button', { name: 'Save' })
    await userEvent.click(forms[0]!)
    await waitFor(() =>
      expect(requests.find((request) => request.method === 'PATCH')?.body).toEqual({
        origins: ['https://a.example', 'http://localhost:*'],
      }),
    )
  })
})
