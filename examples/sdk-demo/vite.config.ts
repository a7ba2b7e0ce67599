/**
 * The demo server, until the real collector server exists. On one origin:
 * the SDK demo page (`/`), the script-tag example (`/script-tag/`), the
 * widget's built files (`/redress.js` and its chunks), a wire-protocol v1
 * endpoint that keeps complaints in memory (the SDK's test server), a coupon
 * endpoint standing in for a shop's backend, and the widget's browser-test
 * pages (`/__fixtures/`). `HOST` and `PORT` choose where it listens.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { memoryAdapter } from '@redress/sdk'
import { defineConfig, type Plugin, type PreviewServer, type ViteDevServer } from 'vite'
import { createProtocolHandler } from '../../packages/sdk/test/protocol-server'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 8787)

// The demo backend's "policy": a coupon for major problems, a person for
// critical ones. Money is decided here, on the server, never in the page.
const adapter = memoryAdapter({
  recover: (complaint) =>
    complaint.severity === 'critical'
      ? {
          kind: 'escalation',
          message: 'A person from our team will contact you.',
          contactWithin: 'PT2H',
        }
      : complaint.severity === 'major'
        ? {
            kind: 'coupon',
            code: `SORRY-${crypto.randomUUID().slice(0, 8).toUpperCase()}`,
            label: '15% off your next order',
            expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          }
        : null,
})

const json = (response: ServerResponse, body: unknown) => {
  response.writeHead(200, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body, null, 2))
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
}

/**
 * Serve files under `dir` for paths matching `pattern` (its first group is the
 * file's path). `headers` adds response headers per file name.
 */
const files =
  (pattern: RegExp, dir: string, headers: (name: string) => Record<string, string> = () => ({})) =>
  (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    const match = pattern.exec(new URL(request.url ?? '/', 'http://x').pathname)
    const name = decodeURIComponent(match?.[1] || 'index.html')
    const path = resolve(dir, name)
    if (!match || !path.startsWith(dir + sep) || !existsSync(path) || !statSync(path).isFile()) {
      return next()
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'access-control-allow-origin': '*',
      ...headers(name),
    })
    response.end(readFileSync(path))
  }

const root = resolve(import.meta.dirname, '../..')
const widgetDist = join(root, 'packages/widget/dist')
const fixtures = join(root, 'packages/widget/e2e/fixtures')
const fixtureHeaders = (name: string): Record<string, string> => {
  const path = join(fixtures, '_headers.json')
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8'))[name] ?? {}) : {}
}

// Mounted on `vite preview` (what ./scripts/start runs: a production build,
// no dependency re-optimising mid-test) and on `vite` for editing the page.
const mount = (server: PreviewServer | ViteDevServer) => {
  const handler = createProtocolHandler({ adapter })
  // What the owner would see: every stored complaint, newest first.
  server.middlewares.use('/__demo/complaints', (_request, response) =>
    json(response, adapter.list().toReversed()),
  )
  // A shop's own backend issuing an apology coupon: money is decided on a server.
  server.middlewares.use('/__demo/coupon', (_request, response) =>
    json(response, {
      code: `WELCOME-BACK-${crypto.randomUUID().slice(0, 6).toUpperCase()}`,
      label: '10% off your next order',
      expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    }),
  )
  // The entry and app names are stable, so they must be revalidated; the
  // other chunks carry a hash in their names and never change.
  server.middlewares.use(
    files(/^\/(redress[\w.-]*\.js(?:\.map)?)$/, widgetDist, (name) => ({
      'cache-control': /^redress(-app)?\.js/.test(name)
        ? 'no-cache'
        : 'public, max-age=31536000, immutable',
    })),
  )
  server.middlewares.use(files(/^\/script-tag\/(.*)$/, join(root, 'packages/server/demo')))
  server.middlewares.use(files(/^\/__fixtures\/(.*)$/, fixtures, fixtureHeaders))
  server.middlewares.use((request, response, next) => void handler(request, response, next))
  server.httpServer?.once('listening', () => {
    const origin = `http://${host}:${port}`
    console.log(`\n  Redress script-tag example:  ${origin}/script-tag/`)
    console.log(`  Redress SDK demo:            ${origin}/`)
    console.log(`  Stored complaints:           ${origin}/__demo/complaints`)
    console.log(`  Wire protocol v1 at:         ${origin}/v1/complaints\n`)
  })
}

const demoBackend = (): Plugin => ({
  name: 'redress-demo-backend',
  configureServer: mount,
  configurePreviewServer: mount,
})

export default defineConfig({
  plugins: [demoBackend()],
  server: { host, port, strictPort: true },
  preview: { host, port, strictPort: true },
  clearScreen: false,
})
