import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isApiError } from '../../http/errors'
import { DASHBOARD_CSP, installedDist, staticRoutes } from './static'

describe('the dashboard at /admin/', () => {
  let dir: string
  let empty: string
  const app = new Hono<{ Variables: { requestId: string } }>()
  const bare = new Hono<{ Variables: { requestId: string } }>()

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redress-dashboard-'))
    empty = await mkdtemp(join(tmpdir(), 'redress-no-dashboard-'))
    await mkdir(join(dir, 'assets'))
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>inbox</title>')
    await writeFile(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)')
    await writeFile(join(dir, 'secret.txt'), 'not for the web')
    for (const [target, dashboardDir] of [
      [app, dir],
      [bare, empty],
    ] as const) {
      staticRoutes(target, { dashboardDir, demo: false })
      // As the app does: an ApiError is its status and JSON body.
      target.onError((error, c) =>
        isApiError(error) ? c.json(error.toJSON(), error.status as 404) : c.text('bug', 500),
      )
    }
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
    await rm(empty, { recursive: true, force: true })
  })

  it('serves the page with a strict Content-Security-Policy and no caching', async () => {
    const response = await app.request('/admin/')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<title>inbox</title>')
    const csp = response.headers.get('content-security-policy')
    expect(csp).toBe(DASHBOARD_CSP)
    // No inline script or style, nothing from elsewhere, no framing.
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('redirects /admin to /admin/ and serves hashed assets for a year', async () => {
    const redirect = await app.request('/admin')
    expect(redirect.status).toBe(301)
    expect(redirect.headers.get('location')).toBe('/admin/')
    const asset = await app.request('/admin/assets/index-AbC123.js')
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(asset.headers.get('cache-control')).toContain('immutable')
  })

  it('serves nothing outside the build’s assets, and says how to build a missing dashboard', async () => {
    for (const path of [
      '/admin/assets/..%2Fsecret.txt',
      '/admin/assets/secret.txt',
      '/admin/assets/missing-1.js',
    ]) {
      expect((await app.request(path)).status, path).toBe(404)
    }
    const missing = await bare.request('/admin/')
    expect(missing.status).toBe(404)
    expect((await missing.json()).error.message).toContain('build it')
  })
})

describe('where the files come from', () => {
  // As the app does: an ApiError is its status and JSON body.
  const withErrors = (app: Hono<{ Variables: { requestId: string } }>) => {
    app.onError((error, c) =>
      isApiError(error) ? c.json(error.toJSON(), error.status as 404) : c.text('bug', 500),
    )
    return app
  }

  it('finds the widget and the inbox through the installed @redress/widget and @redress/dashboard', async () => {
    const require = createRequire(import.meta.url)
    for (const name of ['@redress/widget', '@redress/dashboard'] as const) {
      const root = dirname(require.resolve(`${name}/package.json`))
      expect(installedDist(name)).toBe(join(root, 'dist'))
      expect(JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).name).toBe(name)
    }
    // Both are built before the server (its dependencies), so they are there to serve.
    const app = withErrors(new Hono())
    staticRoutes(app, {})
    const widget = await app.request('/redress.js')
    expect(widget.status).toBe(200)
    expect(widget.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const inbox = await app.request('/admin/')
    expect(inbox.status).toBe(200)
    expect(await inbox.text()).toContain('/admin/assets/')
  })

  it('serves no demo page and no stand-in shop backend unless asked', async () => {
    const app = withErrors(new Hono())
    staticRoutes(app, {})
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/shop.js'],
      ['GET', '/stub.js'],
      ['POST', '/__demo/coupon'],
      ['POST', '/__demo/customer-token'],
    ] as const) {
      expect((await app.request(path, { method })).status, `${method} ${path}`).toBe(404)
    }
  })

  it("serves the demo page from the package's own demo folder with demo: true", async () => {
    const app = withErrors(new Hono())
    staticRoutes(app, { demo: true })
    const page = await app.request('/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toContain('data-site="pk_demo"')
    const shop = await app.request('/shop.js')
    expect(shop.status).toBe(200)
    expect(shop.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const coupon = await app.request('/__demo/coupon', { method: 'POST' })
    expect(coupon.status).toBe(200)
    expect((await coupon.json()).code).toMatch(/^SORRY-[0-9A-F]{8}$/)
  })
})
