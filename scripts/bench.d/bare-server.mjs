// The baseline for scripts/bench-server.mjs: Hono on @hono/node-server, the
// same stack (and copies) as the collector, answering POST /v1/complaints
// with 204 and doing nothing else. Usage: node scripts/bench.d/bare-server.mjs <port>
const from = (path) => new URL(`../../packages/server/node_modules/${path}`, import.meta.url).href
const { Hono } = await import(from('hono/dist/index.js'))
const { serve } = await import(from('@hono/node-server/dist/index.mjs'))

const app = new Hono()
app.post('/v1/complaints', (c) => c.body(null, 204))
app.get('/', (c) => c.text('ok'))
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' })
