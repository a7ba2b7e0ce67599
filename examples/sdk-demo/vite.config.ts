/**
 * Serves the demo page and, on the same origin, a wire-protocol v1 endpoint
 * that keeps complaints in memory (the SDK's test server), until the real
 * collector server exists. `HOST` and `PORT` choose where it listens.
 */
import type { ServerResponse } from 'node:http'
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

// Mounted on `vite preview` (what ./scripts/start runs: a production build,
// no dependency re-optimising mid-test) and on `vite` for editing the page.
const mount = (server: PreviewServer | ViteDevServer) => {
  const handler = createProtocolHandler({ adapter })
  // What the owner would see: every stored complaint, newest first.
  server.middlewares.use('/__demo/complaints', (_request, response) =>
    json(response, adapter.list().toReversed()),
  )
  server.middlewares.use((request, response, next) => void handler(request, response, next))
  server.httpServer?.once('listening', () => {
    const origin = `http://${host}:${port}`
    console.log(`\n  Redress SDK demo:     ${origin}/`)
    console.log(`  Stored complaints:    ${origin}/__demo/complaints`)
    console.log(`  Wire protocol v1 at:  ${origin}/v1/complaints\n`)
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
