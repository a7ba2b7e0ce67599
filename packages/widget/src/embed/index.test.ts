// The script tag's stub replay, from a page's first line to the SDK: calls
// queued on `window.redress` before `redress.js` ran reach the real app chunk
// and its SDK, in order.
import type { Complaint } from '@redress/protocol'
import { createRedress } from '@redress/sdk'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'

/** A compact JWT with any signature: the SDK reads its payload, never verifies it. */
const jwt = (claims: Record<string, unknown>) =>
  [{ alg: 'HS256', typ: 'JWT' }, claims]
    .map((part) => btoa(JSON.stringify(part)).replace(/=+$/, ''))
    .concat('c2lnbmF0dXJl')
    .join('.')
const now = () => Math.floor(Date.now() / 1000)

type Stub = ((...args: unknown[]) => void) & { q?: unknown[][] }
const page = window as unknown as { redress?: Stub }

/** The page's stub, as pasted above the tag: calls wait in `redress.q`. */
const stub = () => {
  const redress: Stub = (...args) => {
    redress.q ??= []
    redress.q.push(args)
  }
  page.redress = redress
  return redress
}

/**
 * Run `redress.js` as the tag would: its script element says the site and
 * the endpoint, and the app chunk sits beside it (`_fixtures/redress-app.ts`).
 */
const runTag = async (attributes: Record<string, string> = {}) => {
  const script = document.createElement('script')
  Object.assign(script.dataset, attributes)
  // A variable base: Vite rewrites `new URL('…', import.meta.url)` into an asset URL.
  const here = import.meta.url
  script.src = new URL('_fixtures/redress.js', here).href
  script.dataset.site = 'pk_demo'
  script.dataset.endpoint = 'https://feedback.example'
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script })
  await import('./index')
}

/** The collector: no site settings, and a receipt for every complaint. */
const collector = () => {
  const complaints: Complaint[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (!url.endsWith('/v1/complaints')) return new Response(null, { status: 404 })
      complaints.push(JSON.parse(String(init?.body)))
      const receipt = {
        id: `cmp_${complaints.length}`,
        reference: 'R-7K3Q9',
        status: 'received',
        token: 'status-token',
        recovery: { kind: 'apology', message: 'A member of our team will review your case.' },
        receivedAt: new Date().toISOString(),
      }
      return new Response(JSON.stringify(receipt), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      })
    }),
  )
  return complaints
}

const draft = {
  category: 'order',
  severity: 'major',
  description: 'The mug arrived broken.',
} as const

beforeEach(() => {
  vi.resetModules()
})

afterEach(() => {
  page.redress?.('destroy')
  delete page.redress
  Reflect.deleteProperty(document, 'currentScript')
  document.documentElement.querySelector('redress-widget')?.remove()
  localStorage.clear()
  vi.unstubAllGlobals()
})

it('hands redress("identify", { token }) queued before the tag loaded to the SDK', async () => {
  const complaints = collector()
  const logged = vi.spyOn(console, 'error')
  const token = jwt({ aud: 'pk_demo', sub: 'cus_demo', exp: now() + 3600 })
  const redress = stub()
  redress('identify', { id: 'cus_demo', token })
  redress('submit', draft)
  // Needs the form on screen, so the chunk loads at once.
  redress('open')
  await runTag()
  await vi.waitFor(() => expect(complaints).toHaveLength(1))
  expect(complaints[0]).toMatchObject({ customerToken: token })
  // The token is a credential: not in `customer`, never on screen or in the console.
  expect(complaints[0]!.customer).toEqual({ id: 'cus_demo' })
  const shadow = document.querySelector('redress-widget')!.shadowRoot!
  await vi.waitFor(() => expect(shadow.querySelector('dialog[open]')).not.toBeNull())
  expect(shadow.innerHTML).not.toContain(token)
  expect(logged).not.toHaveBeenCalled()
})

it('hands over its refresh too: a stale token is traded for a fresh one before sending', async () => {
  const complaints = collector()
  const stale = jwt({ aud: 'pk_demo', sub: 'cus_demo', exp: now() - 60 })
  const fresh = jwt({ aud: 'pk_demo', sub: 'cus_demo', exp: now() + 3600 })
  const refresh = vi.fn(async () => fresh)
  const redress = stub()
  redress('identify', { token: stale, refresh })
  redress('submit', draft)
  redress('open')
  await runTag()
  await vi.waitFor(() => expect(complaints).toHaveLength(1))
  expect(refresh).toHaveBeenCalledOnce()
  expect(complaints[0]!.customerToken).toBe(fresh)
})

it('identify after loading reaches the SDK as well, and identify(null) forgets the token', async () => {
  const complaints = collector()
  const token = jwt({ aud: 'pk_demo', sub: 'cus_demo', exp: now() + 3600 })
  stub()('open')
  await runTag()
  const redress = page.redress!
  // Started once the dialog `open` asked for is on screen; calls now go straight to the SDK.
  const shadow = document.querySelector('redress-widget')!.shadowRoot!
  await vi.waitFor(() => expect(shadow.querySelector('dialog[open]')).not.toBeNull())
  redress('identify', { token })
  redress('submit', draft)
  await vi.waitFor(() => expect(complaints).toHaveLength(1))
  redress('identify', null)
  redress('submit', draft)
  await vi.waitFor(() => expect(complaints).toHaveLength(2))
  expect(complaints.map((complaint) => complaint.customerToken)).toEqual([token, undefined])
})

/** The page goes idle only when the test says so: call what this returns. */
const holdIdle = () => {
  const waiting: (() => void)[] = []
  vi.stubGlobal('requestIdleCallback', (callback: () => void) => waiting.push(callback))
  return () => {
    for (const callback of waiting.splice(0)) callback()
  }
}

const settingsAsked = () =>
  vi.mocked(fetch).mock.calls.some(([url]) => String(url).endsWith('/v1/sites/pk_demo'))

it('left alone, loads nothing more, even when the page goes idle', async () => {
  collector()
  const idle = holdIdle()
  stub()
  await runTag()
  idle()
  await Promise.resolve()
  expect(settingsAsked()).toBe(false)
  expect(document.querySelector('redress-widget')!.shadowRoot!.querySelector('dialog')).toBeNull()
})

it('a complaint an earlier page could not send: loaded at idle, and sent', async () => {
  // An earlier page's SDK, offline: the complaint waits in its outbox.
  const earlier = createRedress({
    site: 'pk_demo',
    adapter: { name: 'offline', submit: () => Promise.reject(new TypeError('Failed to fetch')) },
  })
  earlier.submit(draft).receipt.catch(() => {})
  earlier.destroy()
  expect(localStorage.length).toBeGreaterThan(0)

  const complaints = collector()
  const idle = holdIdle()
  stub()
  await runTag()
  expect(settingsAsked()).toBe(false)
  idle()
  await vi.waitFor(() => expect(complaints).toHaveLength(1))
  expect(complaints[0]).toMatchObject(draft)
})

it('data-preload="idle" loads the form when the page goes idle', async () => {
  collector()
  const idle = holdIdle()
  stub()
  await runTag({ preload: 'idle' })
  expect(settingsAsked()).toBe(false)
  idle()
  expect(settingsAsked()).toBe(true)
})
