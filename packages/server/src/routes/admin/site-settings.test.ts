import { type ChildProcess, spawn } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Complaint, parseDuration, type Receipt, type StatusReport } from '@redress/protocol'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  type AdminInit,
  adminFetch,
  describeEachDatabase,
  expectJson,
  refusal,
  sendComplaint,
  useServer,
  verifiedComplaint,
} from '../../_test-harness'
import { suspicionOf } from '../../complaints'
import { LOCK_FILE, openDatabase } from '../../db'
import type { Site } from '../../db/schema'
import { createSite } from '../../sites'

let counter = 0
const key = () => `set-${Date.now().toString(36)}-${++counter}`

describe('suspicionOf', () => {
  const complaint = (signals?: Complaint['signals']): Complaint => ({
    site: 'pk_x',
    category: 'order',
    severity: 'major',
    description: 'It broke',
    ...(signals ? { signals } : {}),
  })
  it('flags a filled honeypot and a form sent faster than a person types', () => {
    expect(suspicionOf(complaint({ honeypot: 'http://spam.example' }), 1500)).toBe('honeypot')
    expect(suspicionOf(complaint({ honeypot: '', fillMs: 400 }), 1500)).toBe('too_fast')
    expect(suspicionOf(complaint({ honeypot: '', fillMs: 9000 }), 1500)).toBeNull()
    // An SDK caller without a form sends no signals: nothing to weigh.
    expect(suspicionOf(complaint(), 1500)).toBeNull()
  })
})

describe('parseDuration and GuaranteeSchema', () => {
  it('reads fixed-length ISO 8601 durations only', () => {
    const durationMs = (text: string) => parseDuration(text) ?? undefined
    expect(durationMs('PT2H')).toBe(7_200_000)
    expect(durationMs('P1DT30M')).toBe(88_200_000)
    expect(durationMs('P1W')).toBe(604_800_000)
    expect(durationMs('P1M')).toBeUndefined()
    expect(durationMs('PT')).toBeUndefined()
    expect(durationMs('2 hours')).toBeUndefined()
  })

  it('names the bad field of a guarantee', () => {
    const field = (value: unknown) => refusal('guarantee', value)?.field
    const good = {
      text: 'A reply in 2 h',
      firstReplyWithin: 'PT2H',
      remedy: { kind: 'coupon', value: 500 },
    }
    expect(field(good)).toBeUndefined()
    expect(field({ ...good, text: '' })).toBe('guarantee.text')
    expect(field({ ...good, firstReplyWithin: 'PT10S' })).toBe('guarantee.firstReplyWithin')
    expect(field({ ...good, firstReplyWithin: 'P1M' })).toBe('guarantee.firstReplyWithin')
    expect(field({ ...good, remedy: { kind: 'refund', value: 5 } })).toBe('guarantee.remedy')
    expect(field({ ...good, remedy: { kind: 'coupon', value: 0 } })).toBe('guarantee.remedy.value')
    expect(field({ ...good, extra: 1 })).toBe('guarantee.extra')
  })
})

describe('the PGlite folder lock', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redress-lock-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('refuses a second opening while the first is open, and frees the folder on close', async () => {
    const first = await openDatabase({ dataDir: dir })
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid))
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by process/)
    await first.close()
    const again = await openDatabase({ dataDir: dir })
    await again.close()
  })

  it('refuses a folder a live process holds and takes over one a dead process left', async () => {
    // The parent of this test process is alive for as long as the test runs.
    await writeFile(join(dir, LOCK_FILE), `${process.ppid}\n`)
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(
      new RegExp(`in use by process ${process.ppid}`),
    )
    // A pid no process has (above the kernel's maximum): what a SIGKILL leaves behind.
    await writeFile(join(dir, LOCK_FILE), '99999999\n')
    const taken = await openDatabase({ dataDir: dir })
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid))
    await taken.close()
  })

  it('lets only one of two openings in this process at the same time have the folder', async () => {
    const results = await Promise.allSettled([
      openDatabase({ dataDir: dir }),
      openDatabase({ dataDir: dir }),
    ])
    const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    for (const database of opened) await database.close()
    expect(opened).toHaveLength(1)
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: expect.objectContaining({ message: expect.stringMatching(/in use by process/) }),
    })
  })

  it('takes an empty lock file as being written for a moment, then as left behind', async () => {
    // Created, the pid not written yet: a process that is starting.
    await writeFile(join(dir, LOCK_FILE), '')
    setTimeout(() => writeFile(join(dir, LOCK_FILE), `${process.ppid}\n`).catch(() => {}), 300)
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(
      new RegExp(`in use by process ${process.ppid}`),
    )
    // Still empty after the grace: what a crash between creating and writing leaves.
    await writeFile(join(dir, LOCK_FILE), '')
    const started = Date.now()
    const taken = await openDatabase({ dataDir: dir })
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    await taken.close()
  })

  it('on close removes the lock only while it is still its own', async () => {
    const database = await openDatabase({ dataDir: dir })
    // Another process took the folder over (this one looked dead to it).
    await writeFile(join(dir, LOCK_FILE), `${process.ppid}\n`)
    await database.close()
    expect(await readFile(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.ppid}\n`)
    await rm(join(dir, LOCK_FILE))
  })
})

describe('the PGlite folder lock across processes [the built package]', () => {
  const dist = fileURLToPath(new URL('../../../dist/index.js', import.meta.url))
  // Imports the package, says `ready`, opens the folder on `go`, says `opened`
  // or `failed <message>`, and closes once its stdin ends.
  const child = `
    import { createInterface } from 'node:readline'
    const { openDatabase } = await import(process.env.REDRESS_DIST)
    const lines = createInterface({ input: process.stdin })
    const next = () => new Promise((resolve) => {
      lines.once('line', resolve)
      lines.once('close', resolve)
    })
    console.log('ready')
    await next()
    try {
      const database = await openDatabase({ dataDir: process.env.REDRESS_DATA })
      console.log('opened')
      await next()
      await database.close()
    } catch (error) {
      console.log('failed ' + String(error?.message ?? error).split('\\n')[0])
    }
    process.exit(0)
  `
  let dir: string
  const children: ChildProcess[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redress-lock-race-'))
    await cp(inject('pgliteTemplate'), dir, { recursive: true })
  })
  afterAll(async () => {
    for (const proc of children) proc.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  })

  /** Start `count` processes, let them open the folder at once; each one's outcome. */
  async function race(count: number): Promise<string[]> {
    const started = Array.from({ length: count }, () => {
      const proc = spawn(process.execPath, ['--input-type=module', '-e', child], {
        env: { ...process.env, REDRESS_DIST: dist, REDRESS_DATA: dir },
        stdio: ['pipe', 'pipe', 'inherit'],
      })
      children.push(proc)
      let output = ''
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
      const said = (pattern: RegExp) =>
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`Nothing like ${pattern}: ${output}`)),
            15_000,
          )
          const check = () => {
            const line = output.split('\n').find((l) => pattern.test(l))
            if (line === undefined) return
            clearTimeout(timer)
            proc.stdout!.off('data', onData)
            resolve(line)
          }
          const onData = (chunk: Buffer) => {
            output += chunk
            check()
          }
          proc.stdout!.on('data', onData)
          check()
        })
      return { process: proc, said, exited }
    })
    await Promise.all(started.map((s) => s.said(/^ready$/)))
    for (const s of started) s.process.stdin!.write('go\n')
    const outcomes = await Promise.all(started.map((s) => s.said(/^(opened|failed)/)))
    for (const s of started) s.process.stdin!.end()
    await Promise.all(started.map((s) => s.exited))
    return outcomes
  }

  it('lets exactly one of several processes starting at once take over a dead process’s lock', async () => {
    for (let round = 0; round < 4; round++) {
      // A pid no process has: what a SIGKILL leaves behind.
      await writeFile(join(dir, LOCK_FILE), '99999999\n')
      const outcomes = await race(6)
      expect(
        outcomes.filter((o) => o === 'opened'),
        outcomes.join('; '),
      ).toHaveLength(1)
      for (const outcome of outcomes.filter((o) => o !== 'opened'))
        expect(outcome).toMatch(/^failed The data folder .* is in use by process \d+/)
    }
  }, 90_000)
})

describeEachDatabase(
  'site settings: categories, bots, rate limits, audit, guarantees',
  (database) => {
    // The guarantee worker runs only when a test says so, on a clock the test moves.
    let clock = Date.now()
    const server = useServer(database, {
      minFillMs: 1500,
      guarantees: { interval: false, now: () => new Date(clock) },
    })
    const db = () => server().database.db
    let mine: { site: Site; adminToken: string }

    beforeAll(async () => {
      mine = await createSite(db(), {
        name: 'Settings shop',
        origins: ['https://shop.example'],
        adminToken: `settings-${key()}`,
      })
    })

    const admin = (path: string, init: AdminInit = {}) =>
      adminFetch(server().url, mine.adminToken, path, init)

    const complain = (body: Partial<Complaint>) =>
      sendComplaint(server().url, { site: mine.site.public_key, severity: 'major', ...body })

    /** A complaint from a signed-in customer, whose token vouches for a €20 order unless told otherwise. */
    const vouched = (body: Partial<Complaint> = {}) =>
      verifiedComplaint(db(), mine.site, { orderValue: { value: 2000, currency: 'EUR' }, ...body })

    const count = async () =>
      Number(
        (
          await db()
            .selectFrom('complaints')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('site_id', '=', mine.site.id)
            .executeTakeFirstOrThrow()
        ).n,
      )

    it('keeps a complaint whose category the site no longer lists, as the policy’s unknown type', async () => {
      const before = await count()
      const receipt = (await expectJson(
        await complain(
          await vouched({ category: 'teleport', signals: { honeypot: '', fillMs: 20_000 } }),
        ),
        201,
      )) as Receipt
      expect(await count()).toBe(before + 1)
      // Process, the default unknownCategory: a coupon for a major failure.
      expect(receipt.recovery?.kind).toBe('coupon')
      const { items } = await expectJson(await admin('/complaints?category=teleport'))
      expect(items).toMatchObject([
        { id: receipt.id, category: 'teleport', failureType: 'process' },
      ])
    })

    it('keeps a complaint that looks sent by a bot, apologises, gives no remedy, and flags it', async () => {
      const bot = (await expectJson(
        await complain({ signals: { honeypot: 'buy now', fillMs: 5000 } }),
        201,
      )) as Receipt
      expect(bot.recovery?.kind).toBe('apology')
      // No remedy at all, not even one waiting for the owner's approval.
      const botDetail = await expectJson(await admin(`/complaints/${bot.id}`))
      expect(botDetail.recoveries.map((r: { kind: string }) => r.kind)).toEqual(['apology'])
      const fast = (await expectJson(
        await complain({ signals: { honeypot: '', fillMs: 200 } }),
        201,
      )) as Receipt
      expect(fast.recovery?.kind).toBe('apology')
      const person = (await expectJson(
        await complain(await vouched({ signals: { honeypot: '', fillMs: 20_000 } })),
        201,
      )) as Receipt
      expect(person.recovery?.kind).toBe('coupon')

      const flagged = await expectJson(await admin('/complaints?suspected=true'))
      const ids = flagged.items.map((item: { id: string }) => item.id)
      expect(ids).toEqual(expect.arrayContaining([bot.id, fast.id]))
      expect(ids).not.toContain(person.id)
      const one = flagged.items.find((item: { id: string }) => item.id === bot.id)
      expect(one.suspicion).toBe('honeypot')
      const detail = await expectJson(await admin(`/complaints/${fast.id}`))
      expect(detail.suspicion).toBe('too_fast')
      expect(detail.timeline[0]).toMatchObject({
        type: 'received',
        data: { suspicion: 'too_fast' },
      })
    })

    it('filters the list by failure type, remedy, page and severity together', async () => {
      const page = `https://shop.example/checkout/${key()}`
      const coupon = (await expectJson(
        await complain(await vouched({ category: 'slow', page: { url: page } })),
        201,
      )) as Receipt
      const staff = (await expectJson(
        await complain({ category: 'staff', page: { url: page } }),
        201,
      )) as Receipt
      const list = async (query: string) =>
        (await expectJson(await admin(`/complaints?${query}`))).items.map(
          (item: { id: string }) => item.id,
        )
      const onPage = `page=${encodeURIComponent(page.slice(-12))}`
      expect(await list(onPage)).toEqual([staff.id, coupon.id])
      expect(await list(`${onPage}&failureType=interaction`)).toEqual([staff.id])
      expect(await list(`${onPage}&failureType=process`)).toEqual([coupon.id])
      expect(await list(`${onPage}&hasRemedy=true`)).toEqual([coupon.id])
      expect(await list(`${onPage}&hasRemedy=false`)).toEqual([staff.id])
      expect(await list(`${onPage}&pending=true`)).toEqual([])
      expect(await list(`${onPage}&severity=critical`)).toEqual([])
      const items = (await expectJson(await admin(`/complaints?${onPage}`))).items
      expect(items[0]).toMatchObject({
        failureType: 'interaction',
        pageUrl: page,
        remedyGiven: false,
        pendingApproval: false,
      })
      expect(items[1]).toMatchObject({ failureType: 'process', remedyGiven: true })
      const bad = await expectJson(await admin('/complaints?hasRemedy=yes'), 400)
      expect(bad.error.field).toBe('hasRemedy')
      const badType = await expectJson(await admin('/complaints?failureType=people'), 400)
      expect(badType.error.field).toBe('failureType')
    })

    it('edits the site’s rate limits, refuses bad ones, and resets them with null', async () => {
      const bad = await expectJson(
        await admin('/site', { method: 'PATCH', body: { rateLimits: { perIp: { limit: -1 } } } }),
        400,
      )
      expect(bad.error.field).toBe('rateLimits.perIp')
      const unknown = await expectJson(
        await admin('/site', { method: 'PATCH', body: { rateLimits: { perMinute: 5 } } }),
        400,
      )
      expect(unknown.error.field).toBe('rateLimits.perMinute')

      const set = await expectJson(
        await admin('/site', {
          method: 'PATCH',
          body: { rateLimits: { perIp: { limit: 1, windowSeconds: 3600 }, perSite: false } },
        }),
      )
      expect(set.rateLimits.effective).toEqual({
        perIp: { limit: 1, windowSeconds: 3600 },
        perSite: false,
      })
      // One complaint an hour from this address: the second is refused, whatever came before.
      await complain({})
      const limited = await complain({})
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)

      const reset = await expectJson(
        await admin('/site', { method: 'PATCH', body: { rateLimits: null } }),
      )
      expect(reset.rateLimits.overrides).toBeNull()
      expect((await complain({})).status).toBe(201)
    })

    it('keeps an audit trail of every change to the site, before and after', async () => {
      const before = (await expectJson(await admin('/site'))).origins
      await expectJson(
        await admin('/site', {
          method: 'PATCH',
          body: { origins: [...before, 'https://www.shop.example'] },
        }),
      )
      // The same value again changes nothing and records nothing.
      await expectJson(
        await admin('/site', {
          method: 'PATCH',
          body: { origins: [...before, 'https://www.shop.example'] },
        }),
      )
      const hook = await expectJson(
        await admin('/webhooks', { method: 'POST', body: { url: 'https://shop.example/hooks' } }),
        201,
      )
      const { items } = await expectJson(await admin('/site/changes?limit=10'))
      expect(items[0].changes.webhooks).toEqual({
        before: null,
        after: { id: hook.id, url: 'https://shop.example/hooks', types: expect.any(Array) },
      })
      expect(JSON.stringify(items)).not.toContain(hook.secret)
      expect(items[1].changes).toEqual({
        origins: { before, after: [...before, 'https://www.shop.example'] },
      })
      // Earlier tests' rate limit changes are there too, newest first.
      expect(items[2].changes.rateLimits.after).toBeNull()
      // Another site's token sees only its own trail.
      const other = await createSite(db(), {
        name: 'Other',
        origins: [],
        adminToken: `other-${key()}`,
      })
      const theirs = await expectJson(
        await adminFetch(server().url, other.adminToken, '/site/changes'),
      )
      expect(theirs.items).toEqual([])
    })

    it('keeps a service guarantee: a late first reply issues the promised coupon once', async () => {
      const guarantee = {
        text: 'A reply within 2 hours, or €5 off',
        firstReplyWithin: 'PT2H',
        remedy: { kind: 'coupon', value: 500 },
      }
      const set = await expectJson(await admin('/site', { method: 'PATCH', body: { guarantee } }))
      expect(set.guarantee).toEqual(guarantee)

      clock = Date.now()
      const late = (await expectJson(
        await complain(await vouched({ severity: 'minor', customer: { id: `c-${key()}` } })),
        201,
      )) as Receipt
      const answered = (await expectJson(
        await complain(await vouched({ severity: 'minor', customer: { id: `c-${key()}` } })),
        201,
      )) as Receipt
      await expectJson(
        await admin(`/complaints/${answered.id}/replies`, {
          method: 'POST',
          body: { message: 'We are on it.' },
        }),
        201,
      )

      const worker = server().guarantees!
      // Not yet due: nothing is settled.
      expect(await worker.runOnce()).toBe(0)
      clock += 2 * 3_600_000 + 1000
      expect(await worker.runOnce()).toBeGreaterThanOrEqual(2)
      expect(await worker.runOnce()).toBe(0)

      const status = (await expectJson(
        await fetch(`${server().url}/v1/complaints/${late.id}`, {
          headers: { authorization: `Bearer ${late.token}` },
        }),
      )) as StatusReport
      const coupons = status.recoveries.filter((recovery) => recovery.kind === 'coupon')
      expect(coupons).toHaveLength(1)
      expect(coupons[0]).toMatchObject({ kind: 'coupon', label: expect.stringContaining('5.00') })

      const lateDetail = await expectJson(await admin(`/complaints/${late.id}`))
      expect(lateDetail.guarantee).toMatchObject({ state: 'broken', text: guarantee.text })
      expect(lateDetail.timeline.map((event: { type: string }) => event.type)).toContain(
        'guarantee_broken',
      )
      const answeredDetail = await expectJson(await admin(`/complaints/${answered.id}`))
      expect(answeredDetail.guarantee.state).toBe('kept')
      expect(
        answeredDetail.recoveries.filter((r: { policyKey: string }) => r.policyKey === 'guarantee'),
      ).toEqual([])

      // A bot's complaint is not covered; switching the guarantee off leaves old promises standing.
      const bot = (await expectJson(await complain({ signals: { honeypot: 'x' } }), 201)) as Receipt
      expect((await expectJson(await admin(`/complaints/${bot.id}`))).guarantee).toBeNull()
      const off = await expectJson(
        await admin('/site', { method: 'PATCH', body: { guarantee: null } }),
      )
      expect(off.guarantee).toBeNull()
    })
  },
)
