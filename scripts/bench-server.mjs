#!/usr/bin/env node
/**
 * Ingest throughput and latency of the collector server on 127.0.0.1, with
 * autocannon, in the same run as a baseline: a bare Hono route that answers
 * POST /v1/complaints with 204 on the same stack. Each target runs in its own
 * process; every request is a new complaint with its own Idempotency-Key, so
 * each one is validated, stored and committed. PostgreSQL is measured when
 * DATABASE_URL is set (./scripts/bench starts a throwaway cluster).
 *
 *   pnpm -r run build && node scripts/bench-server.mjs [--seconds 10] [--connections 16] [--minor]
 *
 * By default every complaint is major, so the policy issues a coupon and takes
 * the site's daily budget row lock; --minor measures the apology-only path.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`)
  return index > 0 ? Number(process.argv[index + 1]) : fallback
}
const seconds = arg('seconds', 10)
// major: every complaint gets a coupon, so every one takes the site's daily budget lock.
const severity = process.argv.includes('--minor') ? 'minor' : 'major'
const connections = arg('connections', 16)
const root = new URL('..', import.meta.url).pathname

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

async function start(name, args, env = {}) {
  const port = await freePort()
  const child = spawn(process.execPath, [...args, String(port)].filter(Boolean), {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    // Request logs go nowhere, as they would go to a file: written, not read.
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(url)).ok) break
    } catch {}
    if (tries > 300 || child.exitCode !== null) throw new Error(`${name} did not start`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { name, url, stop: () => child.kill('SIGTERM') }
}

const body = (n) =>
  JSON.stringify({
    site: 'pk_demo',
    category: 'order',
    severity,
    description: `Benchmark complaint ${n}: the parcel arrived damaged and late.`,
    orderRef: `B-${n}`,
    page: { url: 'https://shop.example/orders', title: 'Orders' },
    client: { locale: 'en', sdk: 'redress/bench' },
  })

function load(url, duration) {
  let n = 0
  return autocannon({
    url: `${url}/v1/complaints`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          n++
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              'idempotency-key': `bench-${process.pid}-${n}`,
            },
            body: body(n),
          }
        },
      },
    ],
  })
}

async function measure(target) {
  await load(target.url, 2) // warm up: JIT, connection pools, first pages of the tables
  const result = await load(target.url, seconds)
  return {
    target: target.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'redress-bench-'))
// One client on 127.0.0.1 sends everything: rate limits would turn the run into
// a measure of 429s. Webhooks have no endpoints here, so their worker idles.
const unlimited = { REDRESS_RATE_LIMIT_IP: '0', REDRESS_RATE_LIMIT_SITE: '0' }
const targets = [
  ['bare Hono route (baseline)', ['scripts/bench.d/bare-server.mjs']],
  [
    'server on PGlite',
    ['packages/server/dist/cli.js', 'serve', '--demo', '--data', dataDir, '--port'],
    { ...unlimited, DATABASE_URL: '' },
  ],
]
if (process.env.DATABASE_URL) {
  targets.push([
    'server on PostgreSQL',
    ['packages/server/dist/cli.js', 'serve', '--demo', '--port'],
    unlimited,
  ])
} else {
  console.error(
    'DATABASE_URL is not set: PostgreSQL is not measured (./scripts/bench server starts one)',
  )
}

const results = []
try {
  for (const [name, args, env] of targets) {
    const target = await start(name, args, env)
    try {
      results.push(await measure(target))
    } finally {
      target.stop()
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}

const [baseline] = results
for (const result of results) {
  result.throughputVsBaseline =
    Math.round((result.requestsPerSecond / baseline.requestsPerSecond) * 1000) / 1000
  result.p50VsBaseline = Math.round((result.p50Ms / Math.max(baseline.p50Ms, 0.5)) * 10) / 10
}
console.log(JSON.stringify({ seconds, connections, severity, results }, null, 2))
if (results.some((result) => result.errors > 0)) {
  console.error('some requests failed: the figures above are not valid')
  process.exitCode = 1
}
