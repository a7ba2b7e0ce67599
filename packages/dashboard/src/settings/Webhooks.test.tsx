import { cleanup, render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setLocale } from '../i18n'
import { signIn, signOut } from '../lib/state'
import { WEBHOOK_EVENT_TYPES } from '../lib/types'
import { Webhooks } from './Webhooks'

/** A fetch that lists no endpoints and records what `POST /webhooks` sends. */
function stubApi() {
  const posted: unknown[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const json = (value: unknown, status = 200) =>
      new Response(JSON.stringify(value), {
        status,
        headers: { 'content-type': 'application/json' },
      })
    if (url.endsWith('/v1/admin/webhooks') && init.method === 'POST') {
      const body = JSON.parse(init.body as string)
      posted.push(body)
      return json(
        {
          id: 'whe_1',
          url: body.url,
          types: body.types,
          enabled: true,
          disabledReason: null,
          createdAt: '2026-11-01T10:00:00.000Z',
          secret: 'whsec_test',
        },
        201,
      )
    }
    if (url.endsWith('/v1/admin/webhooks')) return json({ items: [] })
    return json({ error: { code: 'not_found', message: 'no' } }, 404)
  })
  signIn('rdk_webhooks_test')
  return posted
}

/** The event type each checkbox stands for, in order. */
const offered = () =>
  (screen.getAllByRole('checkbox') as HTMLInputElement[]).map(
    (box) => box.closest('label')?.querySelector('code')?.textContent,
  )

beforeEach(() => setLocale('en'))
afterEach(() => {
  cleanup()
  signOut()
  vi.unstubAllGlobals()
})

describe('the webhook settings', () => {
  it('offers every event type, all ticked, and sends the ones left ticked', async () => {
    const posted = stubApi()
    render(<Webhooks />)
    await screen.findByText('No endpoints yet.')
    expect(offered()).toEqual([...WEBHOOK_EVENT_TYPES])
    expect(screen.getAllByRole('checkbox').every((box) => (box as HTMLInputElement).checked)).toBe(
      true,
    )
    expect(
      screen.getByRole('checkbox', { name: 'reply.sent a reply is sent to the customer' }),
    ).toBeTruthy()
    expect(
      screen.getByRole('checkbox', { name: 'guarantee.broken a service guarantee is broken' }),
    ).toBeTruthy()
    expect(
      screen.getByRole('checkbox', { name: 'alert.raised an early warning is raised' }),
    ).toBeTruthy()

    await userEvent.click(screen.getByRole('checkbox', { name: /^complaint\.created / }))
    await userEvent.type(screen.getByLabelText('URL'), 'https://shop.example/hooks')
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() =>
      expect(posted).toEqual([
        {
          url: 'https://shop.example/hooks',
          types: WEBHOOK_EVENT_TYPES.filter((type) => type !== 'complaint.created'),
        },
      ]),
    )
  })

  it('labels the new event types in Chinese too', async () => {
    stubApi()
    setLocale('zh-CN')
    render(<Webhooks />)
    await screen.findByText('还没有端点。')
    expect(offered()).toEqual([...WEBHOOK_EVENT_TYPES])
    expect(screen.getByRole('checkbox', { name: 'reply.sent 回复顾客' })).toBeTruthy()
    expect(screen.getByRole('checkbox', { name: 'guarantee.broken 服务承诺未兑现' })).toBeTruthy()
    expect(screen.getByRole('checkbox', { name: 'alert.raised 触发预警' })).toBeTruthy()
  })
})
