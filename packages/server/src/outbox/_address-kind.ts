/**
 * @module What kind of address an IP address is, for the outbound check
 * (`_outbound.ts`): loopback, private, link-local, cloud metadata and the
 * other ranges a webhook may not reach, also when an IPv6 form carries an
 * IPv4 address.
 */
import { BlockList, isIP } from 'node:net'
import { ipv6Groups } from '../_lib/ip'

/** Why an address is refused. */
export type AddressKind =
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'carrier-grade NAT'
  | 'link-local'
  | 'unique-local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'reserved'

const KIND_TEXT: Record<AddressKind, string> = {
  loopback: 'a loopback address',
  unspecified: 'an unspecified address',
  private: 'a private address',
  'carrier-grade NAT': 'a carrier-grade NAT address',
  'link-local': 'a link-local address',
  'unique-local': 'a unique-local address',
  metadata: 'a cloud metadata address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
}

/**
 * An address kind in words.
 *
 * @example
 * describeKind('private') // 'a private address'
 */
export const describeKind = (kind: AddressKind): string => KIND_TEXT[kind]

type Ranges = readonly (readonly [AddressKind, readonly string[]])[]

// First match wins: the metadata addresses sit inside link-local and
// unique-local ranges but deserve their own name in an error message.
const IPV4_RANGES: Ranges = [
  [
    'metadata',
    [
      '169.254.169.254/32', // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
      '169.254.170.2/32', // AWS ECS task metadata
      '100.100.100.200/32', // Alibaba Cloud
      '168.63.129.16/32', // Azure WireServer: a public address that answers only inside Azure
    ],
  ],
  ['unspecified', ['0.0.0.0/32']],
  ['loopback', ['127.0.0.0/8']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  ['carrier-grade NAT', ['100.64.0.0/10']],
  ['link-local', ['169.254.0.0/16']],
  ['multicast', ['224.0.0.0/4']],
  ['broadcast', ['255.255.255.255/32']],
  [
    'reserved',
    [
      '0.0.0.0/8', // "this network": Linux connects 0.x to the host itself
      '192.0.0.0/24', // IETF protocol assignments
      '192.0.2.0/24', // documentation
      '192.88.99.0/24', // former 6to4 relays
      '198.18.0.0/15', // benchmarking
      '198.51.100.0/24', // documentation
      '203.0.113.0/24', // documentation
      '240.0.0.0/4', // future use
    ],
  ],
]

// Decided before looking for an IPv4 address inside: `::` and `::1` are in `::/96`.
const IPV6_EXACT: Ranges = [
  ['metadata', ['fd00:ec2::254/128']],
  ['unspecified', ['::/128']],
  ['loopback', ['::1/128']],
]

const IPV6_RANGES: Ranges = [
  [
    'reserved',
    [
      '100::/64', // discard
      '2001::/32', // Teredo: the IPv4 it reaches is hidden in the address
      '2001:2::/48', // benchmarking
      '2001:db8::/32', // documentation
      '3fff::/20', // documentation
    ],
  ],
  ['unique-local', ['fc00::/7']],
  ['link-local', ['fe80::/10']],
  ['private', ['fec0::/10']], // the deprecated site-local range, private in practice
  ['multicast', ['ff00::/8']],
]

function blockLists(ranges: Ranges, family: 'ipv4' | 'ipv6') {
  return ranges.map(([kind, cidrs]) => {
    const list = new BlockList()
    for (const cidr of cidrs) {
      const [address, bits] = cidr.split('/') as [string, string]
      list.addSubnet(address, Number(bits), family)
    }
    return [kind, list] as const
  })
}

const IPV4_LISTS = blockLists(IPV4_RANGES, 'ipv4')
const IPV6_EXACT_LISTS = blockLists(IPV6_EXACT, 'ipv6')
const IPV6_LISTS = blockLists(IPV6_RANGES, 'ipv6')

/** The eight 16-bit groups of a valid IPv6 address, its zone dropped. */
export const groupsOf = (address: string): number[] =>
  ipv6Groups(address.toLowerCase().replace(/%.*$/, '')) ?? []

const dottedQuad = (high: number, low: number) =>
  `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`

/**
 * The IPv4 address an IPv6 address reaches, for the forms that carry one:
 * IPv4-mapped (`::ffff:a.b.c.d`, what a dual-stack socket connects to as
 * IPv4), IPv4-translated, NAT64 (`64:ff9b::/96`, `64:ff9b:1::/48`), 6to4
 * (`2002::/16`) and the deprecated IPv4-compatible (`::a.b.c.d`).
 */
export function embeddedIPv4(g: number[]): { address: string; deprecated: boolean } | undefined {
  const zero = (from: number, to: number) => g.slice(from, to).every((group) => group === 0)
  const last = () => dottedQuad(g[6]!, g[7]!)
  if (zero(0, 5) && g[5] === 0xffff) return { address: last(), deprecated: false }
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return { address: last(), deprecated: false }
  if (g[0] === 0x64 && g[1] === 0xff9b && (zero(2, 6) || g[2] === 1))
    return { address: last(), deprecated: false }
  if (g[0] === 0x2002) return { address: dottedQuad(g[1]!, g[2]!), deprecated: false }
  // `::` and `::1` are in this range too, but `IPV6_EXACT` has named them already.
  if (zero(0, 6)) return { address: last(), deprecated: true }
  return undefined
}

/**
 * Why `address` is no place for a webhook, or `undefined` when it is a public
 * unicast address. IPv6 forms that carry an IPv4 address are judged by it;
 * IPv6 outside the global unicast range `2000::/3` is reserved. Anything that
 * is not an IP address is `'reserved'`: a resolver that answers nonsense is
 * refused, not trusted.
 *
 * @example
 * addressKind('10.0.0.1') // 'private'
 * addressKind('::ffff:7f00:1') // 'loopback'
 * addressKind('169.254.169.254') // 'metadata'
 * addressKind('93.184.215.14') // undefined
 */
export function addressKind(address: string): AddressKind | undefined {
  const family = isIP(address)
  if (family === 4) return IPV4_LISTS.find(([, list]) => list.check(address, 'ipv4'))?.[0]
  if (family !== 6) return 'reserved'
  const bare = address.replace(/%.*$/, '')
  const named = IPV6_EXACT_LISTS.find(([, list]) => list.check(bare, 'ipv6'))
  if (named) return named[0]
  const groups = groupsOf(bare)
  const embedded = embeddedIPv4(groups)
  if (embedded)
    return addressKind(embedded.address) ?? (embedded.deprecated ? 'reserved' : undefined)
  const kind = IPV6_LISTS.find(([, list]) => list.check(bare, 'ipv6'))?.[0]
  if (kind) return kind
  return (groups[0]! & 0xe000) === 0x2000 ? undefined : 'reserved'
}
