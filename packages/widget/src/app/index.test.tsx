// The lazy chunk's start: it asks the endpoint for the site's categories and
// guarantee before the first render, and works as before whenever it cannot.
import type { SiteConfig } from '@redress/protocol'
import { within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { App } from '../embed'
import { siteConfig } from '../embed/_config'
import { start, type WidgetOptions } from './index'

const PROMISE = 'A reply within 2 hours, or €5 off'
const CONFIG: SiteConfig = {
  categories: [
    { id: 'order', failureType: 'outcome' },
    { id: 'broken', failureType: 'outcome', label: 'Arrived damaged' },
    { id: 'late', failureType: 'process', label: 'Late delivery' },
    { id: 'gift_wrap', failureType: 'outcome' },
  ],
  guarantee: { text: PROMISE },
}
const BUILT_IN = [
  'Choose one',
  'Something is broken',
  'My order is wrong or missing',
  'It took too long',
  'Billing or payment',
  'How I was treated',
  'Something else',
]

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const apps: App[] = []
afterEach(() => {
  for (const app of apps.splice(0)) app.destroy()
  document.body.replaceChildren()
  localStorage.clear()
  vi.unstubAllGlobals()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/**
 * Stub `fetch`: `config` answers `GET /v1/sites/…`; complaints are taken and
 * never answered, so the form goes on to its sending view.
 */
function backend(config: () => Promise<Response>) {
  const complaints: unknown[] = []
  const fetch = vi.fn((url: string, init?: RequestInit) => {
    if (url.includes('/v1/sites/')) return config()
    complaints.push(JSON.parse(String(init?.body)))
    return new Promise<Response>(() => {})
  })
  vi.stubGlobal('fetch', fetch)
  return { fetch, complaints }
}

/** Start the chunk as the embed does (the settings asked for first), and open the dialog. */
async function open(
  options: WidgetOptions = {},
  {
    locale = 'en',
    endpoint = 'https://feedback.example',
  }: { locale?: 'en' | 'zh-CN'; endpoint?: string } = {},
) {
  const host = document.body.appendChild(document.createElement('div'))
  const shadow = host.attachShadow({ mode: 'open' })
  const launcher = shadow.appendChild(document.createElement('button'))
  const app = await start(
    {
      site: 'pk_demo',
      endpoint,
      locale,
      shadow,
      host,
      launcher,
      nonce: '',
      adopt: () => {},
      // As the embed does: asked for beside the chunk's download.
      config: siteConfig(endpoint, 'pk_demo'),
    },
    options,
  )
  apps.push(app)
  app.command('open', [])
  const screen = within(shadow.querySelector('div')!)
  const category = await screen.findByRole<HTMLSelectElement>('combobox')
  const options_ = () => [...category.options].map((option) => option.text)
  return { app, screen, category, options: options_ }
}

describe('the site’s settings', () => {
  it('offers the owner’s categories and shows the guarantee in the form and after sending', async () => {
    const { fetch, complaints } = backend(async () => json(CONFIG))
    const { screen, category, options } = await open({}, { endpoint: 'https://feedback.example/' })
    expect(fetch).toHaveBeenCalledWith(
      'https://feedback.example/v1/sites/pk_demo',
      expect.objectContaining({ credentials: 'omit' }),
    )
    // Built-in ids keep their translated names unless the owner labelled them;
    // the owner's own ids show their label, else the id.
    expect(options()).toEqual([
      'Choose one',
      'My order is wrong or missing',
      'Arrived damaged',
      'Late delivery',
      'gift_wrap',
    ])
    expect(screen.getByText(`Our promise: ${PROMISE}`)).toBeTruthy()

    const user = userEvent.setup({ document })
    await user.selectOptions(category, 'late')
    await user.click(screen.getByLabelText('It caused me real trouble'))
    await user.type(screen.getByLabelText('What happened?'), 'Three days late.')
    await user.click(screen.getByRole('button', { name: 'Send' }))
    await screen.findByRole('heading', { name: 'Thank you for telling us' })
    expect(screen.getByText(`Our promise: ${PROMISE}`)).toBeTruthy()
    await vi.waitFor(() => expect(complaints).toHaveLength(1))
    expect(complaints[0]).toMatchObject({ site: 'pk_demo', category: 'late' })
  })

  it('shows the owner’s notices for this page, now, in the customer’s language', async () => {
    const hour = 3_600_000
    const notice = (id: string, extra: Record<string, unknown>) => ({
      id,
      messages: { en: `${id} in English`, 'zh-CN': `${id}（中文）` },
      level: 'info',
      page: null,
      startsAt: new Date(Date.now() - hour).toISOString(),
      endsAt: null,
      ...extra,
    })
    history.replaceState(null, '', '/checkout/pay')
    backend(async () =>
      json({
        ...CONFIG,
        notices: [
          notice('here', { page: '/checkout', level: 'warning' }),
          notice('elsewhere', { page: '/account' }),
          notice('later', { startsAt: new Date(Date.now() + hour).toISOString() }),
          notice('over', { endsAt: new Date(Date.now() - 1000).toISOString() }),
          notice('english-only', { messages: { en: 'Only in English' } }),
          { id: 'odd', messages: 'not an object' },
        ],
      }),
    )
    const { app } = await open({}, { locale: 'zh-CN' })
    const shown = [...document.querySelectorAll('div')]
      .flatMap((host) => [...(host.shadowRoot?.querySelectorAll('.ns [role="status"] p') ?? [])])
      .map((node) => node.textContent)
    expect(shown).toEqual(['here（中文）', 'Only in English'])
    const warning = [...document.querySelectorAll('div')].flatMap((host) => [
      ...(host.shadowRoot?.querySelectorAll('.ns .w') ?? []),
    ])
    expect(warning).toHaveLength(1)
    app.destroy()
    history.replaceState(null, '', '/')
  })

  it('shows the site’s self-help in the customer’s language, and tells the site of a form closed after it', async () => {
    const help = {
      en: {
        answer: 'Parcels take 3–5 days.',
        links: [{ label: 'Track', url: 'https://shop.example/track' }],
      },
      'zh-CN': {
        answer: '包裹需要 3–5 天。',
        links: [{ label: '查询物流', url: 'https://shop.example/zh/track' }],
      },
    }
    const { fetch } = backend(async () =>
      json({
        ...CONFIG,
        categories: [{ id: 'late', failureType: 'process', label: 'Late delivery', help }],
      }),
    )
    const { app, screen, category } = await open({}, { locale: 'zh-CN' })
    const user = userEvent.setup({ document })
    await user.selectOptions(category, 'late')
    expect(screen.getByText('包裹需要 3–5 天。')).toBeTruthy()
    expect(screen.queryByText('Parcels take 3–5 days.')).toBeNull()
    const link = screen.getByRole('link', { name: '查询物流' })
    link.addEventListener('click', (event) => event.preventDefault())
    await user.click(link)
    app.command('close', [])
    expect(fetch).toHaveBeenCalledWith('https://feedback.example/v1/sites/pk_demo/deflections', {
      method: 'POST',
      body: JSON.stringify({ category: 'late' }),
      keepalive: true,
      credentials: 'omit',
    })
  })

  it('says it in Chinese, as text, with the built-in names translated', async () => {
    const text = '<b>2 小时内回复</b>，否则减 5 元'
    backend(async () => json({ ...CONFIG, guarantee: { text } }))
    const { screen, options } = await open({}, { locale: 'zh-CN' })
    expect(options()).toEqual([
      '请选择',
      '订单有误或缺件',
      'Arrived damaged',
      'Late delivery',
      'gift_wrap',
    ])
    const promise = screen.getByText(`我们的承诺：${text}`)
    expect(promise.querySelector('b')).toBeNull()
  })

  it('names each category in the customer’s language when the owner labelled it so', async () => {
    const categories = [
      { id: 'order', failureType: 'outcome', labels: { 'zh-CN': '订单问题' } },
      { id: 'broken', failureType: 'outcome', labels: { en: 'Arrived broken' } },
      {
        id: 'late',
        failureType: 'process',
        label: 'Late delivery',
        labels: { 'zh-CN': '到货太慢' },
      },
      { id: 'gift_wrap', failureType: 'outcome', label: 'Gift wrap', labels: { 'zh-CN': 7 } },
      { id: 'staff', failureType: 'interaction', labels: 'Staff' },
    ]
    backend(async () => json({ categories, guarantee: null }))
    const chinese = await open({}, { locale: 'zh-CN' })
    // The owner's Chinese label; else their one label; else the widget's own name for a built-in id.
    expect(chinese.options()).toEqual([
      '请选择',
      '订单问题',
      '东西坏了或用不了',
      '到货太慢',
      'Gift wrap',
      '服务态度',
    ])
    chinese.app.destroy()
    const english = await open()
    expect(english.options()).toEqual([
      'Choose one',
      'My order is wrong or missing',
      'Arrived broken',
      'Late delivery',
      'Gift wrap',
      'How I was treated',
    ])
  })

  it('leaves the page’s own categories alone, and still shows the guarantee', async () => {
    backend(async () => json(CONFIG))
    const { screen, options } = await open({
      categories: [{ id: 'delivery', failureType: 'process', label: 'Delivery' }],
    })
    expect(options()).toEqual(['Choose one', 'Delivery'])
    expect(screen.getByText(`Our promise: ${PROMISE}`)).toBeTruthy()
  })

  it.each([
    [
      'a 404 from a backend without the route',
      async () => json({ error: { code: 'not_found', message: 'No' } }, 404),
    ],
    [
      'a refused origin',
      async () => json({ error: { code: 'origin_not_allowed', message: 'No' } }, 403),
    ],
    ['an HTML page', async () => new Response('<!doctype html><p>Hello', { status: 200 })],
    ['no network', () => Promise.reject(new TypeError('Failed to fetch'))],
    ['JSON of another shape', async () => json({ categories: 'order', guarantee: 'always' })],
    ['no categories at all', async () => json({ categories: [], guarantee: null })],
    [
      'categories that are not categories',
      async () => json({ categories: [null, 7, { label: 'No id' }], guarantee: { text: 5 } }),
    ],
  ])('uses the built-in categories and shows no promise after %s', async (_, config) => {
    const errors = vi.spyOn(console, 'error')
    backend(config)
    const { screen, options } = await open()
    expect(options()).toEqual(BUILT_IN)
    expect(screen.queryByText(/Our promise/)).toBeNull()
    expect(errors).not.toHaveBeenCalled()
  })

  it('keeps only what a category needs from an odd answer: no links, no broken form', async () => {
    backend(async () =>
      json({
        categories: [
          null,
          { id: 'late', failureType: 'process', label: 'Late', help: 'not a list' },
          {
            id: 'lost',
            failureType: 'outcome',
            label: { en: 'Lost' },
            help: [{ label: 'Pay here', url: 'https://evil.example' }],
          },
        ],
        guarantee: null,
      }),
    )
    const { screen, category, options } = await open()
    expect(options()).toEqual(['Choose one', 'Late', 'lost'])
    const user = userEvent.setup({ document })
    await user.selectOptions(category, 'lost')
    expect(screen.queryByText('Pay here')).toBeNull()
    await user.selectOptions(category, 'late')
    expect(screen.queryByRole('link')).toBeNull()
  })

  it('waits at most 2 seconds for the settings', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    backend(() => new Promise(() => {}))
    let started = false
    const opening = open().then((result) => {
      started = true
      return result
    })
    await vi.advanceTimersByTimeAsync(1900)
    expect(started).toBe(false)
    await vi.advanceTimersByTimeAsync(100)
    vi.useRealTimers()
    const { options } = await opening
    expect(options()).toEqual(BUILT_IN)
  })
})
