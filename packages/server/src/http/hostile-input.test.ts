// Hostile input against a real server: control characters, unpaired
// surrogates, deep nesting, huge numbers and wrong types in every body the
// public and admin routes take. First examples that pin the refusals, then
// properties over thousands of generated bodies: never a 5xx, and every 4xx
// the protocol's error body with a known code.
import { ERROR_CODES, type Receipt } from '@redress/protocol'
import fc from 'fast-check'
import { beforeAll, expect, it } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
} from '../_test-harness'
import { JSON_LIMITS } from './body'

const TOKEN = 'test-admin-token'
const KNOWN_CODES = new Set<string>([...ERROR_CODES, 'conflict', 'cap_exceeded'])

/** What is wrong with a response, or `undefined`: no 5xx, and a 4xx has `{ error: { code, message, field? } }`. */
async function problemWith(response: Response): Promise<string | undefined> {
  const text = await response.text()
  if (response.status >= 500) return `${response.status} ${text}`
  if (response.status < 400) return undefined
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `${response.status} is not JSON: ${text}`
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error
  const shaped =
    typeof body === 'object' &&
    body !== null &&
    Object.keys(body).length === 1 &&
    typeof error === 'object' &&
    error !== null &&
    Object.keys(error).every((key) => ['code', 'message', 'field'].includes(key)) &&
    KNOWN_CODES.has(error.code as string) &&
    typeof error.message === 'string' &&
    error.message.length > 0 &&
    (error.field === undefined || typeof error.field === 'string')
  return shaped ? undefined : `${response.status} has the wrong shape: ${text}`
}

// ---------------------------------------------------------------------------
// Generators

const char = (code: number) => String.fromCharCode(code)

/** Code units chosen to hurt: controls, surrogate halves, combining marks, quotes, what NFC changes. */
const nastyUnit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'aZ0 -_.@/:,"\\'.split('')) },
  fc.integer({ min: 0, max: 0x1f }).map(char),
  fc.integer({ min: 0x7f, max: 0x9f }).map(char),
  fc.integer({ min: 0xd800, max: 0xdfff }).map(char),
  fc.integer({ min: 0x300, max: 0x36f }).map(char),
  fc.constantFrom('\u0958', '\ufb2c', '\u212b', '\u2000', '\ufeff', '\u2028', '\u{1f600}'),
  fc.nat(0xffff).map(char),
)
/** What PostgreSQL refuses (U+0000), what has no UTF-8 form, what corrupts logs. */
const forbidden = fc.oneof(
  { weight: 3, arbitrary: fc.constant('\u0000') },
  fc.constantFrom('\ud800', '\udfff', '\u0085', '\u007f', '\n', '\t', '\u001b'),
)
/** A string with at least one forbidden character: random units alone rarely hit U+0000. */
const tainted = fc
  .tuple(fc.string({ unit: nastyUnit, maxLength: 10 }), forbidden, fc.string({ maxLength: 10 }))
  .map((parts) => parts.join(''))
const hostileString = fc.oneof(
  fc.string({ unit: nastyUnit, maxLength: 30 }),
  tainted,
  // Long enough to pass limits, once NFC has lengthened it (U+FB2C is three units in NFC).
  fc.constantFrom('x'.repeat(5001), '\ufb2c'.repeat(1700), '\u0958'.repeat(201), ''),
)

/**
 * Numbers JSON can carry but JavaScript cannot hold: a placeholder string
 * that `serialize` turns into the bare literal.
 */
const RAW = ['1e999', '-1e999', '1e-999', '123456789012345678901234567890', '-0', '0.1e1']
const rawNumber = fc.constantFrom(...RAW).map((literal) => `@@raw:${literal}@@`)
const serialize = (value: unknown) =>
  JSON.stringify(value).replace(/"@@raw:([-+.\de]+)@@"/g, (_, literal: string) => literal)

const hugeNumber = fc.oneof(
  fc.constantFrom(
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER + 2,
    -1,
    0,
    0.5,
    2 ** 31,
    2 ** 63,
    5e-324,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  rawNumber,
)

/** Arrays or objects nested far deeper than any route takes (and, some, than any body may be). */
const deep = fc
  .tuple(fc.integer({ min: 2, max: 40 }), fc.boolean(), hostileString)
  .map(([depth, arrays, leaf]) => {
    let value: unknown = leaf
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value }
    return value
  })

const json = fc.jsonValue({ stringUnit: nastyUnit, maxDepth: 4 })

const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
)

/** A replacement for one field: each kind of hostility. */
const badValue = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  wrongType,
  hugeNumber,
  deep,
  json,
)

/** Keys that are not fields, or are fields spelled with hostile characters. */
const badKey = fc.oneof(fc.string({ unit: nastyUnit, maxLength: 8 }), fc.constant('__proto__'))

/**
 * `base` changed at one to three places: a known field (a dotted path) set to
 * a bad value or removed, or a new key added; the known paths are the fields
 * the route takes.
 */
function mutations(base: Record<string, unknown>, paths: string[]) {
  const change = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...paths), badValue) },
    fc.tuple(fc.constantFrom(...paths), fc.constant(undefined)),
    fc.tuple(badKey, badValue),
  )
  return fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) => {
    const body = structuredClone(base)
    for (const [path, value] of changes) {
      const keys = path.split('.')
      let parent: Record<string, unknown> = body
      for (const key of keys.slice(0, -1)) {
        const next = parent[key]
        if (typeof next !== 'object' || next === null) parent[key] = {}
        parent = parent[key] as Record<string, unknown>
      }
      const last = keys[keys.length - 1]!
      if (value === undefined) delete parent[last]
      // Own data property, so `__proto__` stays a key in the JSON.
      else
        Object.defineProperty(parent, last, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        })
    }
    return body
  })
}

/** `base` with one of its strings (a dotted path) replaced by a tainted one: each field's own check, alone. */
function taint(base: Record<string, unknown>, paths: string[]) {
  const strings = paths.filter(
    (path) =>
      typeof path.split('.').reduce<unknown>((at, key) => (at as never)?.[key], base) === 'string',
  )
  return fc.tuple(fc.constantFrom(...strings), tainted).map(([path, value]) => {
    const body = structuredClone(base)
    const keys = path.split('.')
    const parent = keys
      .slice(0, -1)
      .reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, body)
    parent[keys[keys.length - 1]!] = value
    return body
  })
}

/**
 * A body as the route sees it: mostly mutations of a valid one (one string
 * tainted, or anything changed at up to three places), some plain JSON, some
 * not JSON at all.
 */
type Body = { json: unknown } | { raw: string | ArrayBuffer }

function bodies(base: Record<string, unknown>, paths: string[]): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 5, arbitrary: taint(base, paths).map((json) => ({ json })) },
    { weight: 8, arbitrary: mutations(base, paths).map((json) => ({ json })) },
    { weight: 2, arbitrary: json.map((json) => ({ json })) },
    fc
      .oneof(
        fc.string({ unit: nastyUnit, maxLength: 50 }),
        fc.uint8Array({ maxLength: 50 }).map((bytes) => Uint8Array.from(bytes).buffer),
        fc.constant(`${'['.repeat(30_000)}${']'.repeat(30_000)}`),
        fc.constant(`{${Array.from({ length: 1500 }, (_, i) => `"k${i}":0`).join(',')}}`),
      )
      .map((raw) => ({ raw })),
  )
}

const payload = (body: Body) => ('json' in body ? serialize(body.json) : body.raw)

/** Send a batch concurrently; fails with every response that breaks the rules. */
async function sendAll(
  batch: Body[],
  send: (body: string | ArrayBuffer) => Promise<Response>,
): Promise<void> {
  const problems = await Promise.all(
    batch.map(async (body) => {
      const problem = await problemWith(await send(payload(body)))
      return problem && `${problem}\n  body: ${String(payload(body)).slice(0, 300)}`
    }),
  )
  expect(problems.filter(Boolean)).toEqual([])
}

const BATCH = 25
/**
 * Each route's property, in batches of `BATCH` concurrent requests. No
 * shrinking against a live server: the failure lists every offending body
 * of the batch, and the seed replays it.
 */
const fuzz = (runs: number) => ({ numRuns: Math.ceil(runs / BATCH), endOnFailure: true })
const batchOf = (body: fc.Arbitrary<Body>) => fc.array(body, { minLength: BATCH, maxLength: BATCH })

// ---------------------------------------------------------------------------

describeEachDatabase('hostile input', (database) => {
  const server = useServer(database)
  const base = () => server().url
  const admin = (path: string, init: Parameters<typeof adminFetch>[3] = {}) =>
    adminFetch(base(), TOKEN, path, init)
  const refusal = async (response: Response) =>
    (
      (await expectJson(response, 400)) as {
        error: { code: string; field?: string; message: string }
      }
    ).error
  let receipts: Receipt[] = []
  let keys = 0

  const postComplaint = (body: string | ArrayBuffer) =>
    fetch(`${base()}/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `fuzz-${++keys}` },
      body,
    })

  beforeAll(async () => {
    receipts = await Promise.all(Array.from({ length: 5 }, () => submitComplaint(base())))
  })

  it('refuses a NUL or an unpaired surrogate in a complaint with 400, naming the field', async () => {
    const send = (body: Record<string, unknown>) =>
      postComplaint(
        JSON.stringify({ site: 'pk_demo', category: 'order', severity: 'minor', ...body }),
      )
    expect(await refusal(await send({ description: 'Broken\u0000' }))).toEqual({
      code: 'invalid_request',
      message: 'description contains a control character (U+0000)',
      field: 'description',
    })
    expect(await refusal(await send({ description: 'x', contact: { name: 'A\ud800' } }))).toEqual({
      code: 'invalid_request',
      message: 'name contains an unpaired surrogate (U+D800)',
      field: 'contact.name',
    })
    expect(
      (await refusal(await send({ description: 'x', metadata: { note: '\u0000' } }))).field,
    ).toBe('metadata.note')
    // A key that cannot exist is not looked up (PostgreSQL would refuse it, not miss it).
    expect((await fetch(`${base()}/v1/sites/pk_%00`)).status).toBe(404)
  })

  it('bounds every JSON body: depth, keys, and keys that are not one clean line', async () => {
    let deepBody: unknown = 1
    for (let i = 0; i < JSON_LIMITS.depth; i++) deepBody = { a: deepBody }
    expect(await refusal(await postComplaint(JSON.stringify({ description: deepBody })))).toEqual({
      code: 'invalid_request',
      message: `The body nests deeper than ${JSON_LIMITS.depth} levels`,
      field: 'description',
    })
    const wide = Object.fromEntries(
      Array.from({ length: JSON_LIMITS.keys + 1 }, (_, i) => [`k${i}`, 0]),
    )
    expect((await refusal(await postComplaint(JSON.stringify(wide)))).message).toBe(
      `The body has more than ${JSON_LIMITS.keys} keys`,
    )
    expect(
      await refusal(await postComplaint(JSON.stringify({ contact: { 'x\u0085': 1 } }))),
    ).toEqual({
      code: 'invalid_request',
      message: 'A key of contact contains a control character (U+0085)',
      field: 'contact',
    })
    // 30 000 levels parse, then are refused before anything recursive sees them.
    const response = await postComplaint(`${'['.repeat(30_000)}${']'.repeat(30_000)}`)
    expect((await refusal(response)).message).toMatch(/nests deeper/)
  })

  it('bounds and cleans the site’s policy overrides', async () => {
    let nested: unknown = 'x'
    for (let i = 0; i < 8; i++) nested = { a: nested }
    const patch = (policy: unknown) => admin('/site', { method: 'PATCH', body: { policy } })
    expect(await refusal(await patch({ texts: nested }))).toEqual({
      code: 'invalid_request',
      message: 'policy nests deeper than 8 levels',
      field: 'policy',
    })
    const categories = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`c${i}`, 'outcome']),
    )
    expect(await refusal(await patch({ categories }))).toEqual({
      code: 'invalid_request',
      message: 'policy has more than 200 keys',
      field: 'policy',
    })
    expect(await refusal(await patch({ texts: { en: { apology: 'Sorry\u0000' } } }))).toEqual({
      code: 'invalid_request',
      message: 'policy.texts.en.apology contains a control character (U+0000)',
      field: 'policy.texts.en.apology',
    })
    const saved = await expectJson(
      await patch({ texts: { en: { apology: 'Sorry.\nWe are on it, cafe\u0301 included.' } } }),
    )
    expect(saved.policy.overrides.texts.en.apology).toBe('Sorry.\nWe are on it, café included.')
    await expectJson(await patch(null))
  })

  it('holds the admin API’s texts to the same rules', async () => {
    const id = receipts[0]!.id
    const field = async (response: Response) => (await refusal(response)).field
    const post = (path: string, body: unknown) => admin(path, { method: 'POST', body })
    expect(await refusal(await post(`/complaints/${id}/replies`, { message: 'Hi\u0000' }))).toEqual(
      {
        code: 'invalid_request',
        message: 'message contains a control character (U+0000)',
        field: 'message',
      },
    )
    expect(
      await field(await post(`/complaints/${id}/replies`, { message: 'Hi', author: 'Ana\nB' })),
    ).toBe('author')
    const reply = await expectJson(
      await post(`/complaints/${id}/replies`, { message: 'Line 1\n\tLine 2', author: '\u212bsa' }),
      201,
    )
    expect(reply).toMatchObject({ message: 'Line 1\n\tLine 2', author: 'Åsa' })
    expect(
      await field(
        await post(`/complaints/${id}/recoveries`, { kind: 'apology', message: '\ud800' }),
      ),
    ).toBe('message')
    expect(
      await field(
        await post(`/complaints/${id}/recoveries`, { kind: 'coupon', value: 100, label: 'a\nb' }),
      ),
    ).toBe('label')
    const patch = (body: unknown) => admin(`/complaints/${id}`, { method: 'PATCH', body })
    expect(await field(await patch({ assignee: 'Ana\u009b' }))).toBe('assignee')
    // 201 units in, 402 in NFC: over the column's CHECK, so refused rather than failing in the database.
    expect(await field(await patch({ assignee: '\u0958'.repeat(201) }))).toBe('assignee')
    const site = (body: unknown) => admin('/site', { method: 'PATCH', body })
    expect(await field(await site({ origins: ['https://shop.example\u0000'] }))).toBe('origins[0]')
    expect(
      await field(
        await site({ categories: [{ id: 'late', failureType: 'process', label: 'Late\r\n' }] }),
      ),
    ).toBe('categories[0].label')
    expect(
      await field(
        await site({
          guarantee: {
            text: 'A reply\u0007',
            firstReplyWithin: 'PT2H',
            remedy: { kind: 'coupon', value: 500 },
          },
        }),
      ),
    ).toBe('guarantee.text')
    expect(await field(await admin('/complaints?q=%00'))).toBe('q')
    expect(await field(await admin('/complaints/cmp_%00'))).toBe('id')
    expect(await field(await admin('/recoveries/rec_%C2%85/approve', { method: 'POST' }))).toBe(
      'id',
    )
    const csv = await fetch(`${base()}/v1/admin/coupon-pool`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
      body: 'code,value\nSAVE\u00005,500\n',
    })
    expect((await refusal(csv)).message).toBe(
      '1 bad line, nothing was stored: line 2: code contains a control character (U+0000)',
    )
  })

  // -------------------------------------------------------------------------
  // Properties

  const complaint = {
    site: 'pk_demo',
    category: 'order',
    severity: 'major',
    description: 'The parcel never came',
    contact: { email: 'ada@example.com', name: 'Ada' },
    orderRef: 'A-1001',
    orderValue: { value: 4200, currency: 'EUR' },
    customer: { id: 'u-1', email: 'ada@example.com' },
    page: { url: 'https://shop.example/a', title: 'Order', referrer: '' },
    client: { locale: 'en', userAgent: 'Mozilla/5.0', sdk: 'redress/0.1.0' },
    metadata: { plan: 'pro', seats: 3, trial: false },
    occurredAt: '2026-11-23T10:00:00Z',
    signals: { honeypot: '', fillMs: 8000 },
  }
  const complaintPaths = [
    'site',
    'category',
    'severity',
    'description',
    'contact',
    'contact.email',
    'contact.name',
    'orderRef',
    'orderValue',
    'orderValue.value',
    'orderValue.currency',
    'customer.id',
    'customer.email',
    'customerToken',
    'page.url',
    'page.title',
    'client.userAgent',
    'metadata',
    'metadata.plan',
    'metadata.seats',
    'occurredAt',
    'signals.honeypot',
    'signals.fillMs',
  ]

  it(
    'POST /v1/complaints: 1000 hostile bodies, no 5xx, every refusal well formed',
    () =>
      fc.assert(
        fc.asyncProperty(batchOf(bodies(complaint, complaintPaths)), (batch) =>
          sendAll(batch, postComplaint),
        ),
        fuzz(1000),
      ),
    60_000,
  )

  it(
    'POST /v1/complaints/:id/follow-up: hostile answers',
    () =>
      fc.assert(
        fc.asyncProperty(
          batchOf(
            bodies(
              { score: 4, resolved: true, comment: 'Thanks', fairness: { remedy: 4, process: 5 } },
              ['score', 'resolved', 'comment', 'fairness', 'fairness.remedy', 'fairness.treatment'],
            ),
          ),
          fc.constantFrom(...receipts.keys()),
          (batch, which) => {
            const receipt = receipts[which]!
            return sendAll(batch, (body) =>
              fetch(`${base()}/v1/complaints/${receipt.id}/follow-up`, {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  authorization: `Bearer ${receipt.token}`,
                },
                body,
              }),
            )
          },
        ),
        fuzz(300),
      ),
    60_000,
  )

  const adminSend = (method: string, path: string) => (body: string | ArrayBuffer) =>
    fetch(`${base()}/v1/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
    })

  it(
    'POST /v1/admin/complaints/:id/replies: hostile replies',
    () =>
      fc.assert(
        fc.asyncProperty(
          batchOf(
            bodies({ message: 'We found it.\nSorry.', author: 'Ana' }, ['message', 'author']),
          ),
          (batch) => sendAll(batch, adminSend('POST', `/complaints/${receipts[1]!.id}/replies`)),
        ),
        fuzz(300),
      ),
    60_000,
  )

  it(
    'POST /v1/admin/complaints/:id/recoveries: hostile remedies',
    () =>
      fc.assert(
        fc.asyncProperty(
          batchOf(
            fc.oneof(
              bodies({ kind: 'coupon', value: 100, label: '1 € off' }, ['kind', 'value', 'label']),
              bodies({ kind: 'escalation', message: 'We will call', contactWithin: 'PT2H' }, [
                'kind',
                'message',
                'contactWithin',
              ]),
            ),
          ),
          (batch) => sendAll(batch, adminSend('POST', `/complaints/${receipts[2]!.id}/recoveries`)),
        ),
        fuzz(300),
      ),
    60_000,
  )

  it(
    'PATCH /v1/admin/complaints/:id: hostile changes',
    () =>
      fc.assert(
        fc.asyncProperty(
          batchOf(
            bodies(
              // `force`, so each new assignee is written rather than refused as a takeover.
              {
                status: 'in_progress',
                assignee: 'Ana',
                force: true,
                rootCause: null,
                recoveryAppropriate: true,
              },
              ['status', 'assignee', 'rootCause', 'recoveryAppropriate', 'force'],
            ),
          ),
          (batch) => sendAll(batch, adminSend('PATCH', `/complaints/${receipts[3]!.id}`)),
        ),
        fuzz(300),
      ),
    60_000,
  )

  it('POST /v1/admin/coupon-pool: hostile CSV', () => {
    const cell = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('SAVE5-A1', '500', '2099-12-31', '', '"a,b"') },
      fc.string({ unit: nastyUnit, maxLength: 12 }),
      tainted.map((text) => `SAVE-${text}`),
      fc.constantFrom(...RAW),
    )
    const random = fc
      .array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 6 })
      .chain((rows) =>
        fc
          .constantFrom('code,value,expires_at', 'code,value', 'nonsense', '')
          .map((header) => [header, ...rows.map((row) => row.join(','))].join('\n')),
      )
    // A good file but for one code: any other bad line refuses the file before the codes are read.
    const oneBad = fc
      .tuple(fc.nat(5), fc.nat(), forbidden)
      .map(([count, run, bad]) =>
        [
          'code,value,expires_at',
          `BAD-${run}${bad}X,500,`,
          ...Array.from({ length: count }, (_, i) => `OK-${run}-${i},500,2099-12-31`),
        ].join('\n'),
      )
    const csv = fc.oneof(random, oneBad)
    const send = (body: string) =>
      fetch(`${base()}/v1/admin/coupon-pool`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
        body,
      })
    return fc.assert(
      fc.asyncProperty(fc.array(csv, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const problems = await Promise.all(
          batch.map(async (body) => (await problemWith(await send(body))) ?? ''),
        )
        expect(problems.filter(Boolean)).toEqual([])
      }),
      fuzz(300),
    )
  }, 60_000)

  // Last: it changes the site's settings (rate limits, policy) under everything above.
  it(
    'PATCH /v1/admin/site: hostile settings',
    () =>
      fc.assert(
        fc.asyncProperty(
          batchOf(
            bodies(
              {
                origins: ['http://localhost:*', 'https://shop.example'],
                categories: [{ id: 'late', failureType: 'process', label: 'Late delivery' }],
                policy: {
                  currency: 'EUR',
                  texts: { en: { apology: 'Sorry.' }, 'zh-CN': { couponLabel: '立减{amount}' } },
                  coupon: { percent: { major: 20 } },
                  categories: { late: 'process' },
                },
                rateLimits: { perIp: { limit: 100_000 }, perSite: false },
                guarantee: {
                  text: 'A reply within 2 hours',
                  firstReplyWithin: 'PT2H',
                  remedy: { kind: 'coupon', value: 500 },
                },
              },
              [
                'origins',
                'categories',
                'policy',
                'policy.currency',
                'policy.texts.en.apology',
                'policy.coupon.percent.major',
                'policy.texts.zh-CN.couponLabel',
                'policy.categories.late',
                'policy.escalation',
                'rateLimits',
                'rateLimits.perIp.limit',
                'rateLimits.perIp.windowSeconds',
                'guarantee',
                'guarantee.text',
                'guarantee.firstReplyWithin',
                'guarantee.remedy.value',
              ],
            ),
          ),
          (batch) => sendAll(batch, adminSend('PATCH', '/site')),
        ),
        fuzz(300),
      ),
    60_000,
  )
})
