/**
 * @module One POST to an address `resolveOutbound` has checked. The socket
 * connects to that address and nowhere else (a second lookup could answer
 * differently: DNS rebinding), while the Host header, the TLS server name
 * and the certificate check keep the URL's host name. Redirects are not
 * followed, and the response body is never read.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'

/** A URL and the checked address its connection must go to. */
export interface PinnedTarget {
  url: URL
  address: string
  family: 4 | 6
}

export interface PinnedRequest {
  headers: Record<string, string>
  body: string
  /** Aborts the attempt (the caller's timeout). */
  signal?: AbortSignal | undefined
}

/** What an attempt learns: the status, nothing the receiver wrote. */
export interface PinnedResponse {
  status: number
}

/** Sends one attempt to a checked address; `postPinned` unless a test wraps it. */
export type OutboundTransport = (
  target: PinnedTarget,
  request: PinnedRequest,
) => Promise<PinnedResponse>

/**
 * POST `request.body` to `target.url` over a new connection to
 * `target.address`. Resolves with the status once the response headers
 * arrive; rejects on a network error or when `signal` aborts.
 *
 * @example
 * const target = await resolveOutbound(url, outbound)
 * if (target.outcome === 'allowed') {
 *   const { status } = await postPinned(
 *     { url, address: target.address, family: target.family },
 *     { headers, body, signal: AbortSignal.timeout(10_000) },
 *   )
 * }
 */
export const postPinned: OutboundTransport = (target, init) =>
  new Promise<PinnedResponse>((resolve, reject) => {
    const { url, address, family } = target
    // Node calls this instead of the resolver for a host name (never for a literal
    // address, which is connected to as written and was checked as written).
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [{ address, family }])
      else callback(null, address, family)
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const request = send({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: {
        ...init.headers,
        'content-length': String(Buffer.byteLength(init.body)),
        connection: 'close',
      },
      lookup: pinned,
      // A fresh connection every time: a pooled socket may have been opened
      // for another attempt, to an address checked back then.
      agent: false,
      signal: init.signal,
    })
    request.on('response', (response: IncomingMessage) => {
      resolve({ status: response.statusCode ?? 0 })
      // The receiver's answer is not ours to keep or to show anyone: dropped unread.
      response.on('error', () => {})
      response.destroy()
    })
    // `on`, not `once`: destroying the response can make the request report a second error.
    request.on('error', reject)
    request.end(init.body)
  })
