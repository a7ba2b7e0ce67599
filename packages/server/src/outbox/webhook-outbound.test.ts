import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isIP } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  startWebhookReceiver,
  useServer,
} from '../_test-harness'
import { findSite } from '../sites'
import { type AddressKind, addressKind } from './_address-kind'
import {
  isAllowedAddress,
  isAllowedHost,
  type OutboundLookup,
  outboundPolicy,
  parseOutboundAllow,
  resolveOutbound,
} from './_outbound'
import { type OutboundTransport, postPinned } from './_outbound-request'
import { createWebhookEndpoint } from './webhooks'

/**
 * A resolver that knows only its table: no test here asks a real DNS server,
 * and none connects anywhere but 127.0.0.1. `set` changes an answer, the way
 * a rebinding name does between two lookups.
 */
function fakeDns(table: Record<string, string[]>) {
  const answers = new Map(Object.entries(table))
  const calls: string[] = []
  const lookup: OutboundLookup = async (hostname) => {
    calls.push(hostname)
    const addresses = answers.get(hostname)
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return addresses.map((address) => ({ address, family: isIP(address) }))
  }
  return { lookup, calls, set: (name: string, addresses: string[]) => answers.set(name, addresses) }
}

/** A public address (example.com's) that tests resolve names to but never connect to. */
const PUBLIC = '93.184.215.14'

describe('addressKind', () => {
  const table: [string, AddressKind | undefined][] = [
    // IPv4
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['8.8.8.8', undefined],
    [PUBLIC, undefined],
    ['172.32.0.1', undefined],
    ['100.128.0.1', undefined],
    ['169.253.255.255', undefined],
    // IPv6
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['FD00:EC2::254', 'metadata'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['2606:4700:4700::1111', undefined],
    ['2a00:1450:4001:80b::200e', undefined],
    // IPv6 spellings of IPv4 addresses are judged by the IPv4 address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:7F00:0001', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::169.254.169.254', 'metadata'],
    ['64:ff9b:1::7f00:1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    ['::ffff:8.8.8.8', undefined],
    ['64:ff9b::808:808', undefined],
    ['2002:808:808::1', undefined],
    // not an address at all: refused, not trusted
    ['localhost', 'reserved'],
    ['', 'reserved'],
  ]
  it.each(table)('%s → %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind)
  })
})

describe('parseOutboundAllow', () => {
  it('allows names exactly, CIDR ranges, single addresses and their IPv6 spellings', () => {
    const allow = parseOutboundAllow('127.0.0.1/32, localhost ,hooks.internal,,10.1.0.0/16')
    expect(allow.entries).toEqual(['127.0.0.1/32', 'localhost', 'hooks.internal', '10.1.0.0/16'])
    const addresses: [string, boolean][] = [
      ['127.0.0.1', true],
      ['::ffff:127.0.0.1', true],
      ['::ffff:7f00:1', true],
      ['127.0.0.2', false],
      ['10.1.255.255', true],
      ['10.2.0.0', false],
      ['::1', false],
      ['not-an-ip', false],
    ]
    for (const [address, allowed] of addresses)
      expect(isAllowedAddress(address, allow), address).toBe(allowed)
    const hosts: [string, boolean][] = [
      ['localhost', true],
      ['LOCALHOST.', true],
      ['hooks.internal', true],
      ['a.hooks.internal', false],
      ['a.localhost', false],
      ['internal', false],
    ]
    for (const [host, allowed] of hosts) expect(isAllowedHost(host, allow), host).toBe(allowed)
  })

  it('allows the names below a *.name, and IPv6 ranges and bracketed addresses', () => {
    const allow = parseOutboundAllow(['*.hooks.internal', 'fd00::/8', '[::1]'])
    expect(isAllowedHost('a.hooks.internal', allow)).toBe(true)
    expect(isAllowedHost('a.b.hooks.internal', allow)).toBe(true)
    expect(isAllowedHost('hooks.internal', allow)).toBe(false)
    expect(isAllowedHost('xhooks.internal', allow)).toBe(false)
    expect(isAllowedAddress('fd12::1', allow)).toBe(true)
    expect(isAllowedAddress('fe80::1', allow)).toBe(false)
    expect(isAllowedAddress('::1', allow)).toBe(true)
  })

  it('allows nothing when empty', () => {
    for (const empty of ['', ' , ', [], undefined]) {
      const allow = parseOutboundAllow(empty)
      expect(isAllowedAddress('127.0.0.1', allow)).toBe(false)
      expect(isAllowedHost('localhost', allow)).toBe(false)
    }
  })

  it.each([
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/x',
    '10.0.0.0/',
    'hooks.internal/8',
    'http://hooks.internal',
    'hooks internal',
    '*.',
    '*',
    'a..b',
  ])('refuses %j, naming the variable', (entry) => {
    expect(() => parseOutboundAllow(`127.0.0.1,${entry}`)).toThrow(/^REDRESS_WEBHOOK_ALLOW: /)
  })
})

describe('resolveOutbound', () => {
  const dns = fakeDns({
    'public.hooks.test': [PUBLIC, '2606:4700:4700::1111'],
    'mixed.hooks.test': [PUBLIC, '10.0.0.1'],
    'loop.hooks.test': ['127.0.0.1'],
    'mapped.hooks.test': ['::ffff:169.254.169.254'],
    'private.hooks.test': ['10.0.0.7'],
    localhost: ['127.0.0.1'],
    'nonsense.hooks.test': ['not an address'],
    'empty.hooks.test': [],
  })
  const policy = (allow: string) => outboundPolicy({ allow, lookup: dns.lookup })
  const resolve = (url: string, allow = '') => resolveOutbound(new URL(url), policy(allow))

  it('pins the first address of a public name', async () => {
    expect(await resolve('https://public.hooks.test/hook')).toEqual({
      outcome: 'allowed',
      host: 'public.hooks.test',
      address: PUBLIC,
      family: 4,
    })
  })

  it('refuses a name when any of its addresses is refused', async () => {
    expect(await resolve('https://mixed.hooks.test/')).toEqual({
      outcome: 'refused',
      refusal: { host: 'mixed.hooks.test', address: '10.0.0.1', kind: 'private', literal: false },
    })
    expect(await resolve('https://mapped.hooks.test/')).toMatchObject({
      outcome: 'refused',
      refusal: { address: '::ffff:169.254.169.254', kind: 'metadata' },
    })
    // A resolver's nonsense is not passed on to the socket layer, allowed name or not.
    for (const allow of ['', 'nonsense.hooks.test'])
      expect(await resolve('https://nonsense.hooks.test/', allow)).toMatchObject({
        outcome: 'refused',
        refusal: { address: 'not an address', kind: 'reserved' },
      })
  })

  it('decides a literal address as written, without a lookup', async () => {
    dns.calls.length = 0
    expect(await resolve('http://[::ffff:127.0.0.1]:8080/')).toEqual({
      outcome: 'refused',
      refusal: { host: '::ffff:7f00:1', address: '::ffff:7f00:1', kind: 'loopback', literal: true },
    })
    expect(await resolve('http://0x7f.1/')).toMatchObject({
      outcome: 'refused',
      refusal: { address: '127.0.0.1', literal: true },
    })
    expect(await resolve(`https://${PUBLIC}/`)).toMatchObject({ outcome: 'allowed' })
    expect(await resolve('http://[2606:4700:4700::1111]/')).toEqual({
      outcome: 'allowed',
      host: '2606:4700:4700::1111',
      address: '2606:4700:4700::1111',
      family: 6,
    })
    expect(dns.calls).toEqual([])
  })

  it('refuses localhost and its subdomains by name, unless allowed', async () => {
    dns.calls.length = 0
    for (const url of ['http://localhost:8080/', 'http://LOCALHOST./', 'http://a.b.localhost/'])
      expect(await resolve(url)).toMatchObject({
        outcome: 'refused',
        refusal: { address: undefined, kind: 'loopback' },
      })
    expect(dns.calls).toEqual([])
    expect(await resolve('http://localhost:8080/', 'localhost')).toMatchObject({
      outcome: 'allowed',
      address: '127.0.0.1',
    })
  })

  it('lets an allowed name or range through', async () => {
    expect(await resolve('http://private.hooks.test/', 'private.hooks.test')).toMatchObject({
      outcome: 'allowed',
      address: '10.0.0.7',
    })
    expect(await resolve('http://private.hooks.test/', '*.hooks.test')).toMatchObject({
      outcome: 'allowed',
    })
    expect(await resolve('http://private.hooks.test/', '10.0.0.0/29')).toMatchObject({
      outcome: 'allowed',
    })
    expect(await resolve('http://private.hooks.test/', '10.0.0.0/30')).toMatchObject({
      outcome: 'refused',
    })
    expect(await resolve('http://loop.hooks.test/', '127.0.0.1/32')).toMatchObject({
      outcome: 'allowed',
      address: '127.0.0.1',
    })
    expect(await resolve('http://10.0.0.1/', '10.0.0.1')).toMatchObject({ outcome: 'allowed' })
  })

  it('says when a name does not resolve, or not in time', async () => {
    expect(await resolve('https://nowhere.hooks.test/')).toEqual({
      outcome: 'unresolved',
      host: 'nowhere.hooks.test',
      error: 'cannot resolve nowhere.hooks.test: ENOTFOUND',
    })
    expect(await resolve('https://empty.hooks.test/')).toMatchObject({
      outcome: 'unresolved',
      error: 'cannot resolve empty.hooks.test: no address',
    })
    const stuck = outboundPolicy({ allow: '', lookup: () => new Promise(() => {}) })
    const controller = new AbortController()
    const pending = resolveOutbound(new URL('https://slow.hooks.test/'), stuck, controller.signal)
    controller.abort()
    expect(await pending).toMatchObject({
      outcome: 'unresolved',
      error: 'cannot resolve slow.hooks.test: no answer in time',
    })
  })
})

describeEachDatabase('webhooks never reach inside: no allowance', (database) => {
  const dns = fakeDns({
    'loop.hooks.test': ['127.0.0.1'],
    'mixed.hooks.test': [PUBLIC, '10.0.0.1'],
    'public.hooks.test': [PUBLIC],
    'rebind.hooks.test': [PUBLIC],
  })
  // Nothing in this suite may open a connection.
  const transport = vi.fn<OutboundTransport>(async () => {
    throw new Error('no connection may be opened here')
  })
  const server = useServer(database, {
    webhookAllow: [],
    webhookLookup: dns.lookup,
    webhooks: { interval: false, transport },
  })
  const admin = (path: string, init: Parameters<typeof adminFetch>[3] = {}) =>
    adminFetch(server().url, 'test-admin-token', path, init)
  const save = (url: string) => admin('/webhooks', { method: 'POST', body: { url } })
  const deliveries = async (id: string) =>
    (await expectJson(await admin(`/webhooks/${id}/deliveries`))).items
  /** Send a test to `id` and run one round of the worker. */
  const testSend = async (id: string) => {
    await expectJson(await admin(`/webhooks/${id}/test`, { method: 'POST' }), 202)
    expect(await server().webhooks!.runOnce()).toBe(1)
  }

  it.each([
    ['http://127.0.0.1:8787/hooks', 'url points to a loopback address 127.0.0.1'],
    ['http://10.0.0.1/', 'url points to a private address 10.0.0.1'],
    [
      'http://169.254.169.254/latest/meta-data',
      'url points to a cloud metadata address 169.254.169.254',
    ],
    ['http://[::1]/', 'url points to a loopback address ::1'],
    ['http://[fd00:ec2::254]/', 'url points to a cloud metadata address fd00:ec2::254'],
    ['http://[::ffff:127.0.0.1]/', 'url points to a loopback address ::ffff:7f00:1'],
    ['http://2130706433/', 'url points to a loopback address 127.0.0.1'],
    ['http://0.0.0.0:8787/', 'url points to an unspecified address 0.0.0.0'],
    ['https://100.100.100.200/', 'url points to a cloud metadata address 100.100.100.200'],
    ['http://localhost:8787/', "url's host localhost is a loopback name"],
    ['http://hooks.localhost/', "url's host hooks.localhost is a loopback name"],
    [
      'http://loop.hooks.test:8787/',
      "url's host loop.hooks.test resolves to a loopback address 127.0.0.1",
    ],
    [
      'https://mixed.hooks.test/hook',
      "url's host mixed.hooks.test resolves to a private address 10.0.0.1",
    ],
  ])('refuses %s when it is saved', async (url, reason) => {
    const body = await expectJson(await save(url), 400)
    expect(body.error).toEqual({
      code: 'invalid_request',
      field: 'url',
      message: `${reason}; allow it with REDRESS_WEBHOOK_ALLOW`,
    })
  })

  it('saved nothing it refused, looked up names only, and connected nowhere', async () => {
    expect((await expectJson(await admin('/webhooks'))).items).toEqual([])
    expect(dns.calls.sort()).toEqual(['loop.hooks.test', 'mixed.hooks.test'])
    expect(transport).not.toHaveBeenCalled()
  })

  it('saves a public name, and one that does not resolve yet (checked when sent)', async () => {
    await expectJson(await save('https://public.hooks.test/hook'), 201)
    const unresolved = await expectJson(await save('https://nowhere.hooks.test/hook'), 201)
    // The worker tries again later: the name may come to exist.
    await testSend(unresolved.id)
    expect(await deliveries(unresolved.id)).toMatchObject([
      {
        status: 'pending',
        attempts: 1,
        lastStatus: null,
        lastError: 'cannot resolve nowhere.hooks.test: ENOTFOUND',
      },
    ])
    expect(transport).not.toHaveBeenCalled()
  })

  it('refuses a delivery when the name has come to resolve inside (DNS rebinding)', async () => {
    const saved = await expectJson(await save('https://rebind.hooks.test/hook'), 201)
    dns.set('rebind.hooks.test', ['10.0.0.1'])
    dns.calls.length = 0
    await testSend(saved.id)
    // Resolved once, refused, and never handed to the transport that connects.
    expect(dns.calls).toEqual(['rebind.hooks.test'])
    expect(transport).not.toHaveBeenCalled()
    const [delivery] = await deliveries(saved.id)
    expect(delivery).toMatchObject({
      type: 'webhook.test',
      status: 'failed',
      attempts: 1,
      lastStatus: null,
      lastError:
        'refused: 10.0.0.1 is a private address (rebind.hooks.test resolves to it); ' +
        'allow it with REDRESS_WEBHOOK_ALLOW',
      deliveredAt: null,
    })
    // Final: not retried, whatever the clock says.
    expect(await server().webhooks!.runOnce()).toBe(0)
    // The endpoint stays: once the name (or the allowance) is fixed, a replay goes out.
    const endpoint = (await expectJson(await admin('/webhooks'))).items.find(
      (item: { id: string }) => item.id === saved.id,
    )
    expect(endpoint.enabled).toBe(true)
  })

  it('refuses a delivery to an inside address saved before the check existed', async () => {
    const db = server().database.db
    const site = (await findSite(db, 'pk_demo'))!
    const { id } = await createWebhookEndpoint(
      db,
      site.id,
      'http://169.254.169.254/latest/meta-data',
    )
    dns.calls.length = 0
    await testSend(id)
    expect(dns.calls).toEqual([])
    expect(transport).not.toHaveBeenCalled()
    expect(await deliveries(id)).toMatchObject([
      {
        status: 'failed',
        attempts: 1,
        lastError:
          'refused: 169.254.169.254 is a cloud metadata address; allow it with REDRESS_WEBHOOK_ALLOW',
      },
    ])
  })
})

describeEachDatabase('webhooks never reach inside: allowed by name', (database) => {
  // The system resolver has never heard of this name: a delivery that reaches
  // the receiver went to the address the check saw, not to a second lookup.
  const dns = fakeDns({ 'pinned.hooks.test': ['127.0.0.1'] })
  const transport = vi.fn<OutboundTransport>(postPinned)
  const server = useServer(database, {
    webhookAllow: 'pinned.hooks.test',
    webhookLookup: dns.lookup,
    webhooks: { interval: false, transport },
  })
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  /** Answers with a body and headers no admin may see. */
  let chatty: { port: number; close: () => Promise<void> }
  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    const http = createServer((request, response) => {
      request.resume()
      if (request.url === '/moved')
        response.writeHead(302, { location: 'http://10.0.0.1/private-location' }).end()
      else response.writeHead(500, { 'content-type': 'text/plain' }).end('db password: hunter2')
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    chatty = {
      port: (http.address() as AddressInfo).port,
      close: () => new Promise<void>((resolve) => http.close(() => resolve())),
    }
  })
  afterAll(async () => {
    await receiver?.close()
    await chatty?.close()
  })
  const admin = (path: string, init: Parameters<typeof adminFetch>[3] = {}) =>
    adminFetch(server().url, 'test-admin-token', path, init)
  const save = (url: string) => admin('/webhooks', { method: 'POST', body: { url } })
  const deliveries = async (id: string) =>
    (await expectJson(await admin(`/webhooks/${id}/deliveries`))).items
  const testSend = async (id: string) => {
    await expectJson(await admin(`/webhooks/${id}/test`, { method: 'POST' }), 202)
    expect(await server().webhooks!.runOnce()).toBe(1)
  }

  it('refuses the receiver by its address, which is not allowed', async () => {
    const body = await expectJson(await save(`${receiver.url}/literal`), 400)
    expect(body.error).toMatchObject({ field: 'url', code: 'invalid_request' })
    expect(body.error.message).toContain('loopback address 127.0.0.1')
  })

  it('delivers to the checked address, signed, with the Host of the URL', async () => {
    const port = new URL(receiver.url).port
    const created = await expectJson(await save(`http://pinned.hooks.test:${port}/named`), 201)
    receiver.route('/named', created.secret)
    dns.calls.length = 0
    await testSend(created.id)

    expect(receiver.errors).toEqual([])
    const [got] = receiver.received.get('/named')!
    expect(got!.headers.host).toBe(`pinned.hooks.test:${port}`)
    expect(got!.headers['webhook-signature']).toMatch(/^v1,/)
    expect(got!.payload).toMatchObject({ type: 'webhook.test' })
    expect(dns.calls).toEqual(['pinned.hooks.test'])
    expect(transport).toHaveBeenCalledTimes(1)
    expect(transport.mock.calls[0]![0]).toMatchObject({ address: '127.0.0.1', family: 4 })
    expect(await deliveries(created.id)).toMatchObject([
      { status: 'delivered', attempts: 1, lastStatus: 204, lastError: null },
    ])
  })

  it("shows the status of an answer, never the receiver's body or Location", async () => {
    const base = `http://pinned.hooks.test:${chatty.port}`
    const failing = await expectJson(await save(`${base}/fails`), 201)
    const moved = await expectJson(await save(`${base}/moved`), 201)
    await testSend(failing.id)
    await testSend(moved.id)
    const listed = [...(await deliveries(failing.id)), ...(await deliveries(moved.id))]
    expect(listed).toMatchObject([
      { status: 'pending', lastStatus: 500, lastError: 'HTTP 500' },
      { status: 'pending', lastStatus: 302, lastError: 'redirect not followed: HTTP 302' },
    ])
    const text = JSON.stringify(listed)
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('private-location')
  })
})
