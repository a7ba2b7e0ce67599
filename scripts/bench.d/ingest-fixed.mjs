/**
 * A fixed amount of work for paired timing (`farm-bench ... --vs ...`): starts
 * one checkout's built server on a fresh PGlite folder, sends 1,500 major
 * complaints over 16 connections, and stops it. Compare two checkouts by the
 * CPU the whole run takes, for instance:
 *
 *   farm-bench -n 8 --timeout 900 --vs "node scripts/bench.d/ingest-fixed.mjs /path/to/old" \
 *     -- node scripts/bench.d/ingest-fixed.mjs .
 *
 * Usage: node scripts/bench.d/ingest-fixed.mjs [CHECKOUT] [--no-demo-flag]
 * (`--no-demo-flag` for checkouts whose `redress serve` creates the demo site
 * without `--demo`).
 *
 * It prints the CPU seconds the server process alone spent on the complaints
 * (from /proc, start-up excluded): run two checkouts alternately and compare
 * medians when the load generator's own CPU would blur the difference.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const checkout = resolve(process.argv[2] ?? '.')
const demo = process.argv.includes('--no-demo-flag') ? [] : ['--demo']
const port = String(20000 + Math.floor(Math.random() * 20000))
const autocannon = createRequire(import.meta.url)('autocannon')
const env = { ...process.env, REDRESS_RATE_LIMIT_IP: '0', REDRESS_RATE_LIMIT_SITE: '0' }
delete env.DATABASE_URL
const data = mkdtempSync(join(tmpdir(), 'redress-ingest-'))
const server = spawn(
  process.execPath,
  [join(checkout, 'packages/server/dist/cli.js'), 'serve', ...demo, '--data', data, '--port', port],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
)
await new Promise((ready) =>
  server.stdout.on('data', (chunk) => {
    if (String(chunk).includes('http://')) ready()
  }),
)
// utime + stime of the server process, in seconds (Linux clock ticks of 1/100 s).
const serverCpu = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
const startCpu = serverCpu()
let n = 0
const result = await autocannon({
  url: `http://127.0.0.1:${port}/v1/complaints`,
  connections: 16,
  amount: 1500,
  requests: [
    {
      method: 'POST',
      setupRequest: (request) => {
        n++
        return {
          ...request,
          headers: { 'content-type': 'application/json', 'idempotency-key': `fixed-${n}` },
          body: JSON.stringify({
            site: 'pk_demo',
            category: 'order',
            severity: 'major',
            description: `Benchmark complaint ${n}: the parcel arrived damaged and late.`,
            orderRef: `B-${n}`,
            page: { url: 'https://shop.example/orders', title: 'Orders' },
            client: { locale: 'en', sdk: 'redress/bench' },
          }),
        }
      },
    },
  ],
})
console.log(
  `server CPU s: ${(serverCpu() - startCpu).toFixed(2)}, req/s: ${result.requests.average}`,
)
server.kill('SIGINT')
await new Promise((exited) => server.on('exit', exited))
rmSync(data, { recursive: true, force: true })
if (result.non2xx || result.errors) {
  console.error(`not all accepted: ${result.non2xx} non-2xx, ${result.errors} errors`)
  process.exitCode = 1
}
