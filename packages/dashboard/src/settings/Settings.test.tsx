import { render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { signIn } from '../lib/state'
import { field, site } from './_test-helpers'
import { Settings } from './Settings'

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
