/**
 * @module IP addresses as the server reads them from sockets, headers and its
 * configuration: one parser for addresses and CIDR ranges, one for IPv6
 * groups, shared by the rate limits, the trusted proxies and the webhook guard.
 */
import { isIP } from 'node:net'

/** An address or CIDR range, ready for `BlockList.addSubnet`. */
export interface IpRange {
  address: string
  prefix: number
  type: 'ipv4' | 'ipv6'
}

/**
 * An address (`192.168.1.5`, `[fd00::1]`) or CIDR range (`10.0.0.0/8`) as a
 * range (a bare address is its own /32 or /128), or why it is not one. A zone
 * id (`fe80::1%eth0`) names an interface of this host, so it is refused.
 *
 * @example
 * parseRange('10.0.0.0/8')  // { address: '10.0.0.0', prefix: 8, type: 'ipv4' }
 * parseRange('10.0.0.0/33') // '"10.0.0.0/33": the prefix length of an IPv4 range is 0–32'
 */
export function parseRange(entry: string): IpRange | string {
  const [text = '', prefix, ...rest] = entry.split('/')
  const address = text.replace(/^\[(.*)\]$/, '$1')
  const family = isIP(address)
  if (rest.length > 0 || family === 0 || address.includes('%'))
    return `"${entry}" is not an IP address or CIDR range`
  const bits = family === 4 ? 32 : 128
  if (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))
    return `"${entry}": the prefix length of an IPv${family} range is 0–${bits}`
  return {
    address,
    prefix: prefix === undefined ? bits : Number(prefix),
    type: family === 4 ? 'ipv4' : 'ipv6',
  }
}

/**
 * An IPv6 address's eight 16-bit groups (a dotted IPv4 tail folded into the
 * last two), or `undefined` when it is not one.
 *
 * @example
 * ipv6Groups('::ffff:127.0.0.1') // [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]
 */
export function ipv6Groups(address: string): number[] | undefined {
  const [head, tail, ...rest] = address.split('::')
  if (rest.length > 0 || head === undefined) return undefined
  const parse = (part: string) => (part === '' ? [] : part.split(':'))
  let left = parse(head)
  let right = tail === undefined ? [] : parse(tail)
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) is two groups.
  const last = (right.length ? right : left).at(-1)
  if (last?.includes('.')) {
    const bytes = last.split('.').map(Number)
    const groups = [
      ((bytes[0]! << 8) | bytes[1]!).toString(16),
      ((bytes[2]! << 8) | bytes[3]!).toString(16),
    ]
    if (right.length) right = [...right.slice(0, -1), ...groups]
    else left = [...left.slice(0, -1), ...groups]
  }
  const missing = 8 - left.length - right.length
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right]
  const numbers = groups.map((group) =>
    /^[0-9a-f]{1,4}$/i.test(group) ? Number.parseInt(group, 16) : Number.NaN,
  )
  return numbers.some(Number.isNaN) ? undefined : numbers
}
