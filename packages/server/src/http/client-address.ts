/**
 * @module Who the client is: the socket's peer, or behind trusted reverse
 * proxies the address they report in `X-Forwarded-For`. The per-IP rate limit
 * and the per-client goodwill cap count by it, so a client must not be able to
 * pick it: the header is only believed as far as the proxies that wrote it are
 * trusted.
 */
import { BlockList, isIP } from 'node:net'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { parseRange } from '../_lib/ip'

/**
 * Which proxies in front of the server to believe about the client's address:
 * `false` (or `0`) for none, the socket's peer is the client; a number of hops
 * (`true` for one), each of which appends what it saw to `X-Forwarded-For`;
 * or the proxies' own IPs and CIDR ranges (`['10.0.0.0/8', 'fd00::/8']`), the
 * client being the rightmost address that is not one of them.
 *
 * @example
 * const behindOneProxy: TrustProxy = 1
 * const behindTheLoadBalancers: TrustProxy = ['10.0.0.0/8', 'fd00::/8']
 */
export type TrustProxy = boolean | number | readonly string[]

/** What `clientAddress` answers when there is no socket to ask (e.g. `app.request`). */
const UNKNOWN = 'unknown'

const EXPECTED =
  'expected a number of proxies (1) or their IPs and CIDR ranges (10.0.0.0/8,192.168.1.5,fd00::/8)'

/** Why one proxy entry (`192.168.1.5`, `10.0.0.0/8`, `fd00::/8`) is not valid, or `undefined`. */
function ruleProblem(entry: string): string | undefined {
  if (entry === '') return 'an empty entry'
  const range = parseRange(entry)
  return typeof range === 'string' ? range : undefined
}

/** Compiled lists, so that each request is one lookup and not a parse. */
const compiled = new WeakMap<readonly string[], BlockList>()

function trustedList(rules: readonly string[]): BlockList {
  let list = compiled.get(rules)
  if (list) return list
  list = new BlockList()
  for (const rule of rules) {
    const entry = rule.trim()
    const range = entry === '' ? 'an empty entry' : parseRange(entry)
    if (typeof range === 'string') throw new TypeError(`trustProxy: ${range}; ${EXPECTED}`)
    list.addSubnet(range.address, range.prefix, range.type)
  }
  compiled.set(rules, list)
  return list
}

/**
 * Parse `REDRESS_TRUST_PROXY`: a number of proxies in front of the server, or
 * a comma-separated list of the proxies' IPs and CIDR ranges (IPv4 or IPv6).
 * Throws a `TypeError` that names the bad entry.
 *
 * @example
 * parseTrustProxy('1')                               // 1
 * parseTrustProxy('10.0.0.0/8, 192.168.1.5,fd00::/8') // ['10.0.0.0/8', '192.168.1.5', 'fd00::/8']
 * parseTrustProxy('10.0.0.0/33')                     // throws: the prefix length of an IPv4 range is 0–32
 */
export function parseTrustProxy(value: string): number | string[] {
  const text = value.trim()
  if (/^\d+$/.test(text)) {
    const hops = Number(text)
    if (!Number.isSafeInteger(hops)) throw new TypeError(`${text} is too many proxies; ${EXPECTED}`)
    return hops
  }
  const rules = text.split(',').map((entry) => entry.trim())
  for (const rule of rules) {
    const problem = ruleProblem(rule)
    if (problem) throw new TypeError(`${problem}; ${EXPECTED}`)
  }
  return rules
}

/**
 * Throw a `TypeError` when `trustProxy` cannot be used (a bad CIDR range, a
 * negative or fractional hop count), so that a server fails when it starts
 * rather than on its first complaint.
 *
 * @example
 * checkTrustProxy(['10.0.0.0/8'])  // fine
 * checkTrustProxy(-1)              // throws
 */
export function checkTrustProxy(trustProxy: TrustProxy | undefined): void {
  if (typeof trustProxy === 'number') {
    if (!Number.isSafeInteger(trustProxy) || trustProxy < 0)
      throw new TypeError(`trustProxy: ${trustProxy} is not a whole number ≥ 0; ${EXPECTED}`)
  } else if (Array.isArray(trustProxy)) {
    trustedList(trustProxy)
  }
}

/**
 * One `X-Forwarded-For` entry as a bare IP address, or `undefined` when it is
 * not one. Brackets and a port, which some proxies add (`[2001:db8::1]:443`,
 * `203.0.113.7:51234`), are dropped, and so is an IPv6 zone id.
 */
function parseAddress(text: string): string | undefined {
  let address = text.trim()
  const bracketed = /^\[([^\]]*)\](?::\d{1,5})?$/.exec(address)
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(address)
  if (bracketed) address = bracketed[1]!
  else if (withPort) address = withPort[1]!
  const family = isIP(address)
  if (family === 0) return undefined
  return family === 6 ? address.replace(/%.*$/, '') : address
}

/** Whether `address` (a valid IP) is one of the trusted proxies; IPv4-mapped IPv6 matches IPv4 ranges. */
function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4')
}

/**
 * The client's address from the socket's peer and the `X-Forwarded-For`
 * header, believing the header only as far as `trustProxy` says (the rule of
 * `clientAddress`, without a request to read them from).
 *
 * @example
 * forwardedClient({ peer: '127.0.0.1', forwardedFor: '203.0.113.9' })          // '127.0.0.1'
 * forwardedClient({ peer: '10.0.0.2', forwardedFor: '6.6.6.6, 203.0.113.9' }, ['10.0.0.0/8'])
 * // '203.0.113.9': the proxy 10.0.0.2 saw it; '6.6.6.6' is what the client claims
 */
export function forwardedClient(
  request: { peer?: string | undefined; forwardedFor?: string | undefined },
  trustProxy: TrustProxy = false,
): string {
  const peer = request.peer === undefined ? undefined : (parseAddress(request.peer) ?? request.peer)
  if (trustProxy === false || trustProxy === 0 || request.forwardedFor === undefined)
    return peer ?? UNKNOWN
  // Each proxy appends the address it saw, so the header is read from the right:
  // the entries nearest the server were written by the proxies nearest it, and
  // those at the far left are whatever the client sent. Empty entries say nothing.
  const entries = request.forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  let current = peer

  if (typeof trustProxy === 'boolean' || typeof trustProxy === 'number') {
    // A count trusts that many hops whatever their addresses. A garbled entry
    // ends the walk at the last address a hop reported, so the key is always an
    // IP; a header shorter than the count stops at its leftmost entry.
    const hops = trustProxy === true ? 1 : Math.floor(trustProxy)
    for (let step = 1; step <= hops && step <= entries.length; step++) {
      const next = parseAddress(entries[entries.length - step]!)
      if (next === undefined) break
      current = next
    }
    return current ?? UNKNOWN
  }

  // A list trusts addresses, not positions: step left only while the current
  // hop is a trusted proxy. A peer that is not one (a client that reached the
  // server around the proxy) wrote the whole header itself, so none of it counts.
  const trusted = trustedList(trustProxy)
  if (current === undefined || isIP(current) === 0 || !isTrusted(trusted, current))
    return current ?? UNKNOWN
  for (let index = entries.length - 1; index >= 0; index--) {
    const next = parseAddress(entries[index]!)
    // A trusted proxy that reports garbage: the client is beyond what can be known,
    // so it counts as that proxy (a shared key, never a string someone chose).
    if (next === undefined) break
    current = next
    if (!isTrusted(trusted, current)) break
  }
  return current
}

/**
 * The client's address: by default the socket's peer, whatever
 * `X-Forwarded-For` says. With `trustProxy` a number of hops (`true` for
 * one), the entry the outermost of them saw; with a list of proxy IPs and
 * CIDR ranges, the rightmost address in the chain (socket peer, then the
 * header from the right) that is not a trusted proxy. Entries a client
 * prepends are never reached, so forging them changes nothing; the answer is
 * always an IP address, or `'unknown'` without a socket (`app.request`).
 *
 * @example
 * clientAddress(c)                   // '127.0.0.1': the socket's peer
 * clientAddress(c, 1)                // the last X-Forwarded-For entry
 * clientAddress(c, ['10.0.0.0/8'])   // the first address left of the 10.x proxies
 */
export function clientAddress(c: Context, trustProxy: TrustProxy = false): string {
  let peer: string | undefined
  try {
    peer = getConnInfo(c).remote.address
  } catch {
    // Not served by @hono/node-server (e.g. `app.request` in a test): no socket.
  }
  return forwardedClient(
    { peer, forwardedFor: trustProxy ? c.req.header('x-forwarded-for') : undefined },
    trustProxy,
  )
}
