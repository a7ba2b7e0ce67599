import { type ChildProcess, spawn } from 'node:child_process'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, inject, it } from 'vitest'

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })

/** `node dist/cli.js serve` on a free port; resolves once it prints its URL. */
async function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort()
  // Always the embedded database, whatever the environment says.
  // More complaints than the default 10 a minute from one IP (rate-limit.test.ts covers those).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDRESS_ADMIN_TOKEN: 'restart-test',
    REDRESS_RATE_LIMIT_IP: '1000',
  }
  delete env.DATABASE_URL
  // --demo: the complaints go to the demo site, pk_demo.
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--demo', '--port', String(port), '--data', dataDir],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 20 s:\n${output}`)), 20_000)
    const seen = (chunk: Buffer) => {
      output += chunk
      if (output.includes('listening on')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', seen)
    child.stderr!.on('data', seen)
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
  return { child, url: `http://127.0.0.1:${port}` }
}

const kill = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
    child.once('exit', (code) => resolve(code))
    child.kill(signal)
  })

describe('restart durability [PGlite, the built CLI]', () => {
  const children: ChildProcess[] = []
  let dataDir: string
  afterAll(async () => {
    for (const child of children) await kill(child, 'SIGKILL')
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it('keeps every acknowledged complaint across a SIGKILL, and replays them', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'redress-restart-'))
    await cp(inject('pgliteTemplate'), dataDir, { recursive: true })
    const first = await serve(dataDir)
    children.push(first.child)

    const send = (url: string, i: number) =>
      fetch(`${url}/v1/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `restart-${i}` },
        body: JSON.stringify({
          site: 'pk_demo',
          category: 'slow',
          severity: 'minor',
          description: `Complaint number ${i}`,
        }),
      })
    const N = 12
    const firstReplies = await Promise.all(Array.from({ length: N }, (_, i) => send(first.url, i)))
    expect(firstReplies.map((reply) => reply.status)).toEqual(Array(N).fill(201))
    const receipts = await Promise.all(firstReplies.map((reply) => reply.text()))

    await kill(first.child, 'SIGKILL')

    const second = await serve(dataDir)
    children.push(second.child)
    const replays = await Promise.all(Array.from({ length: N }, (_, i) => send(second.url, i)))
    expect(replays.map((reply) => reply.status)).toEqual(Array(N).fill(200))
    expect(await Promise.all(replays.map((reply) => reply.text()))).toEqual(receipts)

    for (const text of receipts) {
      const { id, token } = JSON.parse(text) as { id: string; token: string }
      const status = await fetch(`${second.url}/v1/complaints/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(status.status).toBe(200)
    }

    // SIGTERM: a graceful stop, exit code 0.
    expect(await kill(second.child, 'SIGTERM')).toBe(0)
  })
})
