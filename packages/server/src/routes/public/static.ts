/**
 * @module The widget files (`/redress.js` and its chunks) and the owner's
 * inbox (`/admin/`), read from the installed `@redress/widget` and
 * `@redress/dashboard`; with `demo`, the script-tag demo page at `/` (this
 * package's `demo/` folder) and its stand-in shop backend.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CustomerTokenClaims } from '@redress/protocol'
import type { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { ensureVerificationSecret, signCustomerToken } from '../../complaints'
import type { Tables } from '../../db/schema'
import { ApiError } from '../../http/errors'
import { DEMO_SITE_KEY, findSite } from '../../sites'

/**
 * Where the files come from, and whether the demo is on.
 *
 * @example
 * const app = createApp({ db, secret, static: { widgetDir: './widget-build', demo: true } })
 */
export interface StaticOptions {
  /**
   * The widget's build output (`redress.js` and its chunks).
   * @default the `dist` folder of the installed `@redress/widget`
   */
  widgetDir?: string
  /**
   * The demo page served at `/` with `demo`, with the `.js` and `.css` files beside it.
   * @default this package's `demo` folder
   */
  pageDir?: string
  /**
   * Serve the demo page at `/` and its files, and `POST /__demo/coupon` and
   * `POST /__demo/customer-token`, the demo page's stand-in for a shop's
   * backend (what `redress serve --demo` does). @default false
   */
  demo?: boolean
  /**
   * The dashboard's build output, served at `/admin/`.
   * @default the `dist` folder of the installed `@redress/dashboard`
   */
  dashboardDir?: string
}

/**
 * The dashboard's Content-Security-Policy: its own files only, no inline
 * script or style, no plugins, no framing, no form posts elsewhere, API
 * calls to this origin only (a customer's photo is fetched with the admin
 * credentials and shown from a `blob:` URL). Customer text is rendered as text (Preact
 * escapes it); this is the second line of defence.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const DASHBOARD_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}
const DASHBOARD_ASSET = /^[A-Za-z0-9_-]+(?:-[A-Za-z0-9_-]+)?\.(?:js|css|js\.map|svg|woff2)$/

// This module runs from src/routes/public/ in development and from a chunk in
// dist/ once built: the package's folder is the nearest one holding a package.json.
const packageRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
})()

/**
 * The `dist` folder of an installed package, found the way Node finds the
 * package itself: a pnpm link in the workspace, a folder in `node_modules`
 * once installed from the registry. When it is not installed, the place it
 * would be, so that a request names what is missing.
 *
 * @example
 * installedDist('@redress/widget') // …/node_modules/@redress/widget/dist
 */
export function installedDist(name: '@redress/widget' | '@redress/dashboard'): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), 'dist')
  } catch {
    return join(packageRoot, 'node_modules', name, 'dist')
  }
}

/** Entries that keep their name across builds: revalidate them. */
const UNHASHED = new Set(['redress.js', 'redress-app.js'])
const WIDGET_FILE = /^redress(?:-[A-Za-z0-9_-]+)?\.js(?:\.map)?$/
const PAGE_FILE = /^[a-z0-9][a-z0-9_-]*\.(?:js|css)$/

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  woff2: 'font/woff2',
}

async function read(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch {
    return undefined
  }
}

const typeOf = (name: string) => TYPES[name.slice(name.lastIndexOf('.') + 1)]!

/** The demo page's customer: signed in, with one order the demo shop vouches for. */
export const DEMO_CUSTOMER = {
  sub: 'cus_demo',
  email: 'demo@example.com',
  name: 'Demo customer',
  orders: [{ ref: 'A-1001', value: 4200, currency: 'EUR', date: '2026-11-20' }],
} as const satisfies Omit<CustomerTokenClaims, 'aud' | 'exp' | 'iat'>

/**
 * Add the widget and dashboard routes to the app, and with `demo` the demo
 * page and its stand-in shop backend.
 *
 * @example
 * staticRoutes(app, { demo: true }, db)
 */
export function staticRoutes(
  app: Hono<{ Variables: { requestId: string } }>,
  options: StaticOptions,
  /** The demo's customer tokens are signed with the demo site's secret, kept here. */
  db?: Kysely<Tables>,
): void {
  const widgetDir = options.widgetDir ?? installedDist('@redress/widget')
  const pageDir = options.pageDir ?? join(packageRoot, 'demo')
  const dashboardDir = options.dashboardDir ?? installedDist('@redress/dashboard')
  const demo = options.demo === true

  // The dashboard: one page (routes live in the URL hash) and its hashed assets.
  const dashboardPage = async () => {
    const html = await read(join(dashboardDir, 'index.html'))
    if (!html)
      throw new ApiError(
        404,
        'not_found',
        `No dashboard in ${dashboardDir}: build it (pnpm -r run build)`,
      )
    return new Response(new Uint8Array(html), {
      headers: { 'content-type': TYPES.html!, 'cache-control': 'no-cache', ...DASHBOARD_HEADERS },
    })
  }
  app.get('/admin', (c) => c.redirect('/admin/', 301))
  app.get('/admin/', dashboardPage)
  app.get('/admin/assets/:file', async (c) => {
    const name = c.req.param('file')
    const file = DASHBOARD_ASSET.test(name)
      ? await read(join(dashboardDir, 'assets', name))
      : undefined
    if (!file) throw new ApiError(404, 'not_found', `No dashboard asset ${name}`)
    return c.body(new Uint8Array(file), 200, {
      'content-type': typeOf(name),
      'cache-control': 'public, max-age=31536000, immutable',
      ...DASHBOARD_HEADERS,
    })
  })

  app.get('/:file', async (c, next) => {
    const name = c.req.param('file')
    if (WIDGET_FILE.test(name)) {
      const file = await read(join(widgetDir, name))
      if (!file) {
        throw new ApiError(404, 'not_found', `No ${name}: build the widget (pnpm -r run build)`)
      }
      const entry = UNHASHED.has(name.replace(/\.map$/, ''))
      return c.body(new Uint8Array(file), 200, {
        'content-type': typeOf(name),
        'cache-control': entry ? 'no-cache' : 'public, max-age=31536000, immutable',
        'access-control-allow-origin': '*',
      })
    }
    if (demo && PAGE_FILE.test(name)) {
      const file = await read(join(pageDir, name))
      if (file) {
        return c.body(new Uint8Array(file), 200, {
          'content-type': typeOf(name),
          'cache-control': 'no-cache',
        })
      }
    }
    await next()
  })

  if (demo) {
    app.get('/', async (c) => {
      const html = await read(join(pageDir, 'index.html'))
      if (!html) throw new ApiError(404, 'not_found', `No demo page in ${pageDir}`)
      return c.body(new Uint8Array(html), 200, {
        'content-type': TYPES.html!,
        'cache-control': 'no-cache',
      })
    })
    // The demo page's "shop backend": a random coupon code for a critical complaint.
    app.post('/__demo/coupon', (c) =>
      c.json({
        code: `SORRY-${randomBytes(4).toString('hex').toUpperCase()}`,
        label: '15% off your next order',
        expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
      }),
    )
    // What a shop's backend does for its signed-in customer: sign who they are
    // and the orders they may complain about, with the site's verification secret.
    app.post('/__demo/customer-token', async (c) => {
      const site = db && (await findSite(db, DEMO_SITE_KEY))
      if (!site) throw new ApiError(404, 'not_found', 'The demo site is off')
      const secret = await ensureVerificationSecret(db!, site.id)
      c.header('cache-control', 'no-store')
      return c.json({
        token: await signCustomerToken(secret, { aud: DEMO_SITE_KEY, ...DEMO_CUSTOMER }),
      })
    })
  }
}
