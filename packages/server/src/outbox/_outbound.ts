/**
 * @module Where the server's own requests (webhooks) may go. Never to the
 * server itself, its network or a cloud metadata service: an admin token is
 * enough to register an endpoint, and a webhook sent inward would let its
 * holder probe or poke whatever listens there. The operator can let named
 * hosts or address ranges through (`REDRESS_WEBHOOK_ALLOW`).
 *
 * The decision is made on addresses, not on how a URL spells them: a name is
 * resolved and every address it resolves to is checked, and the caller
 * connects to the checked address only (see `_outbound-request.ts`), so a
 * name that changes its answer between the check and the connection
 * (DNS rebinding) cannot redirect the request.
 */
import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { parseRange } from '../_lib/ip'
import {
  type AddressKind,
  addressKind,
  describeKind,
  embeddedIPv4,
  groupsOf,
} from './_address-kind'

/** The environment variable with the operator's allowance. */
export const WEBHOOK_ALLOW_ENV = 'REDRESS_WEBHOOK_ALLOW'

// ---------------------------------------------------------------------------
// The operator's allowance

/** What the operator lets through although it is refused by default. */
export interface OutboundAllow {
  /** Host names allowed exactly, lower case, without a trailing dot. */
  readonly names: ReadonlySet<string>
  /** From `*.hooks.internal`: `.hooks.internal`, any name below it. */
  readonly suffixes: readonly string[]
  /** Addresses and CIDR ranges. */
  readonly ranges: BlockList
  /** The entries as written, for messages. */
  readonly entries: readonly string[]
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/

/**
 * Parse an allowance: host names (`hooks.internal`, or `*.hooks.internal` for
 * the names below it), IP addresses and CIDR ranges, comma-separated or as a
 * list. Throws on an entry that is none of these, so a typo stops the server
 * at start instead of quietly allowing nothing.
 *
 * @example
 * const allow = parseOutboundAllow('127.0.0.1/32, localhost, hooks.internal')
 * isAllowedAddress('127.0.0.1', allow) // true
 * isAllowedHost('hooks.internal', allow) // true
 */
export function parseOutboundAllow(value: string | readonly string[] | undefined): OutboundAllow {
  const entries = (typeof value === 'string' ? value.split(',') : (value ?? []))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  const names = new Set<string>()
  const suffixes: string[] = []
  const ranges = new BlockList()
  for (const entry of entries) {
    const text = entry.toLowerCase()
    const range = parseRange(text)
    if (typeof range !== 'string') {
      ranges.addSubnet(range.address, range.prefix, range.type)
      continue
    }
    // An address with a bad prefix is an address, not a host name: say what is wrong with it.
    if (isIP(text.split('/')[0]!.replace(/^\[(.*)\]$/, '$1')) !== 0)
      throw new Error(`${WEBHOOK_ALLOW_ENV}: ${range}`)
    const name = text.replace(/\.$/, '')
    if (name.startsWith('*.') && HOST_NAME.test(name.slice(2))) {
      suffixes.push(name.slice(1))
    } else if (HOST_NAME.test(name)) {
      names.add(name)
    } else {
      throw new Error(
        `${WEBHOOK_ALLOW_ENV}: ${JSON.stringify(entry)} is not a host name, an IP address or a CIDR range`,
      )
    }
  }
  return { names, suffixes, ranges, entries }
}

/**
 * Whether the operator allowed the host name `host`.
 *
 * @example
 * isAllowedHost('a.hooks.internal', parseOutboundAllow('*.hooks.internal')) // true
 */
export function isAllowedHost(host: string, allow: OutboundAllow): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  return allow.names.has(name) || allow.suffixes.some((suffix) => name.endsWith(suffix))
}

/**
 * Whether the operator allowed `address`; an IPv6 form of an IPv4 address
 * (`::ffff:127.0.0.1`) is allowed when its IPv4 address is.
 *
 * @example
 * isAllowedAddress('::ffff:7f00:1', parseOutboundAllow('127.0.0.0/8')) // true
 */
export function isAllowedAddress(address: string, allow: OutboundAllow): boolean {
  const family = isIP(address)
  if (family === 4) return allow.ranges.check(address, 'ipv4')
  if (family !== 6) return false
  const bare = address.replace(/%.*$/, '')
  if (allow.ranges.check(bare, 'ipv6')) return true
  const embedded = embeddedIPv4(groupsOf(bare))
  return embedded !== undefined && allow.ranges.check(embedded.address, 'ipv4')
}

// ---------------------------------------------------------------------------
// Deciding on a URL

/**
 * Resolves a host name to all its addresses, like `dns.promises.lookup(host, { all: true })`.
 *
 * @example
 * const lookup: OutboundLookup = async (hostname) =>
 *   hostname === 'hooks.test' ? [{ address: '127.0.0.1', family: 4 }] : []
 */
export type OutboundLookup = (
  hostname: string,
) => Promise<readonly { address: string; family: number }[]>

/**
 * The allowance and the resolver, decided once for the process (or per test).
 *
 * @example
 * const outbound: OutboundPolicy = outboundPolicy({ allow: '127.0.0.1/32', lookup })
 */
export interface OutboundPolicy {
  readonly allow: OutboundAllow
  readonly lookup: OutboundLookup
}

const systemLookup: OutboundLookup = (hostname) => dnsLookup(hostname, { all: true })

/**
 * The policy webhooks go out under. `allow` defaults to `REDRESS_WEBHOOK_ALLOW`
 * (an empty allowance, `''` or `[]`, allows nothing); `lookup` to the system
 * resolver.
 *
 * @example
 * const outbound = outboundPolicy({ allow: process.env.REDRESS_WEBHOOK_ALLOW })
 * startWebhookWorker({ db, outbound })
 */
export function outboundPolicy(
  options: {
    allow?: string | readonly string[] | undefined
    lookup?: OutboundLookup | undefined
  } = {},
): OutboundPolicy {
  return {
    allow: parseOutboundAllow(options.allow ?? process.env[WEBHOOK_ALLOW_ENV]),
    lookup: options.lookup ?? systemLookup,
  }
}

/** Why a URL may not be called. */
export interface OutboundRefusal {
  /** The URL's host: a name, or the address it spells. */
  host: string
  /** The refused address; `undefined` when the name itself is refused (`localhost`). */
  address: string | undefined
  kind: AddressKind
  /** The URL spelled the address itself: nothing was resolved. */
  literal: boolean
}

/** Where to connect for a URL, or why not. */
export type OutboundTarget =
  | { outcome: 'allowed'; host: string; address: string; family: 4 | 6 }
  | { outcome: 'refused'; refusal: OutboundRefusal }
  | { outcome: 'unresolved'; host: string; error: string }

/** `localhost` and its subdomains: loopback by definition (RFC 6761), whatever a resolver says. */
const isLocalhostName = (name: string) => name === 'localhost' || name.endsWith('.localhost')

/** `promise`, or the signal's abort, whichever comes first. */
function racing<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason)
    if (signal.aborted) abort()
    else signal.addEventListener('abort', abort, { once: true })
    // Always settled through here, so a lookup that fails after the abort is not unhandled.
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/**
 * Decide where a request to `url` may go: its host's addresses (the literal
 * one, or all the name resolves to) must each be public or allowed; then the
 * first is the one to connect to. A host name the operator allowed is
 * resolved but not checked.
 *
 * @example
 * const target = await resolveOutbound(new URL(endpoint.url), outbound, AbortSignal.timeout(10_000))
 * if (target.outcome === 'allowed') await postPinned({ url, address: target.address, family: target.family }, init)
 */
export async function resolveOutbound(
  url: URL,
  policy: OutboundPolicy,
  signal?: AbortSignal,
): Promise<OutboundTarget> {
  const { allow } = policy
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const literal = isIP(host)
  if (literal === 4 || literal === 6) {
    const kind = isAllowedAddress(host, allow) ? undefined : addressKind(host)
    return kind
      ? { outcome: 'refused', refusal: { host, address: host, kind, literal: true } }
      : { outcome: 'allowed', host, address: host, family: literal }
  }
  const name = host.replace(/\.$/, '')
  const named = isAllowedHost(name, allow)
  if (!named && isLocalhostName(name))
    return {
      outcome: 'refused',
      refusal: { host: name, address: undefined, kind: 'loopback', literal: false },
    }
  let addresses: readonly { address: string; family: number }[]
  try {
    addresses = await racing(policy.lookup(name), signal)
  } catch (error) {
    const code = signal?.aborted
      ? 'no answer in time'
      : ((error as NodeJS.ErrnoException).code ?? String(error))
    return { outcome: 'unresolved', host: name, error: `cannot resolve ${name}: ${code}` }
  }
  if (addresses.length === 0)
    return { outcome: 'unresolved', host: name, error: `cannot resolve ${name}: no address` }
  for (const { address } of addresses) {
    // Even an allowed name must resolve to IP addresses: anything else would reach the socket layer unchecked.
    const kind = isIP(address) === 0 ? 'reserved' : named ? undefined : refusedKind(address, allow)
    if (kind) return { outcome: 'refused', refusal: { host: name, address, kind, literal: false } }
  }
  const first = addresses[0]!.address
  return { outcome: 'allowed', host: name, address: first, family: isIP(first) as 4 | 6 }
}

const refusedKind = (address: string, allow: OutboundAllow) =>
  isAllowedAddress(address, allow) ? undefined : addressKind(address)

/**
 * The refusal in words, for the admin API's answer to a refused endpoint:
 * `points to a private address 10.0.0.1`, `hooks.example resolves to a
 * private address 10.0.0.1`, `localhost is a loopback name`.
 *
 * @example
 * `url ${explainRefusal(refusal)}; allow it with REDRESS_WEBHOOK_ALLOW`
 */
export function explainRefusal(refusal: OutboundRefusal): string {
  const { host, address, kind, literal } = refusal
  if (address === undefined) return `${host} is a ${kind} name`
  if (literal) return `points to ${describeKind(kind)} ${address}`
  return `${host} resolves to ${describeKind(kind)} ${address}`
}

/**
 * The refusal as a fact about the address, for a failed delivery:
 * `10.0.0.1 is a private address (hooks.example resolves to it)`.
 *
 * @example
 * `refused: ${refusalReason(refusal)}; allow it with REDRESS_WEBHOOK_ALLOW`
 */
export function refusalReason(refusal: OutboundRefusal): string {
  const { host, address, kind, literal } = refusal
  if (address === undefined) return `${host} is a ${kind} name`
  return `${address} is ${describeKind(kind)}${literal ? '' : ` (${host} resolves to it)`}`
}

/** How to let a refused target through, appended to every refusal message. */
export const ALLOW_HINT = `allow it with ${WEBHOOK_ALLOW_ENV}`
