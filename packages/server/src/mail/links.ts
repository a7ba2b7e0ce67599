/**
 * @module The links in customer mails: signed, so that holding one is the
 * only way to use it. A link names one mail (never a complaint id or
 * reference, so nothing can be enumerated), what it is for, when it expires
 * and, for a follow-up answer, which answer it preselects; an HMAC-SHA256
 * under a key derived from the server secret covers all of it.
 *
 *   r.mail_0123456789abcdefghijklmn.t2x1k0.4.<43 characters of base64url>
 *   ^ what for ^ the mail            ^ expiry ^ answer ^ signature
 *
 * `r` opens the status page (with the follow-up form for a follow-up mail),
 * `u` unsubscribes the mail's recipient from the site's mail. Expiry is in
 * Unix seconds, base 36; `0` (unsubscribe links only) never expires.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** What a link does: `r` reads the status (and answers the follow-up), `u` unsubscribes. */
export type LinkPurpose = 'r' | 'u'

/** The answer a follow-up link preselects: a score, solved (`y`) or not (`n`), or none (`-`). */
export type LinkAnswer = '1' | '2' | '3' | '4' | '5' | 'y' | 'n' | '-'

/** How long a status or follow-up link works, from the mail's creation: 14 days. */
export const LINK_LIFETIME_MS = 14 * 86_400_000

const TOKEN = /^([ru])\.(mail_[0-9a-z]{24})\.([0-9a-z]{1,10})\.([1-5yn-])\.([A-Za-z0-9_-]{43})$/
/** The longest token `readLink` looks at; anything longer is refused before any work. */
export const MAX_TOKEN_LENGTH = 100

/**
 * The links' signing key: an HMAC of a fixed label under the server secret
 * (`loadSecret`), so it is as durable as the status tokens' and never
 * equal to it.
 *
 * @example
 * const key = linkKey(await loadSecret(db))
 */
export const linkKey = (serverSecret: string): Buffer =>
  createHmac('sha256', serverSecret).update('redress mail links v1').digest()

const signature = (key: Buffer, body: string) =>
  createHmac('sha256', key).update(body).digest('base64url')

/**
 * A link's token.
 *
 * @example
 * signLink(key, { purpose: 'r', mailId, expiresAt: new Date(Date.now() + LINK_LIFETIME_MS), answer: '4' })
 * signLink(key, { purpose: 'u', mailId, expiresAt: null, answer: '-' })
 */
export function signLink(
  key: Buffer,
  link: { purpose: LinkPurpose; mailId: string; expiresAt: Date | null; answer: LinkAnswer },
): string {
  const expires = link.expiresAt ? Math.ceil(link.expiresAt.getTime() / 1000).toString(36) : '0'
  const body = `${link.purpose}.${link.mailId}.${expires}.${link.answer}`
  return `${body}.${signature(key, body)}`
}

/** What `readLink` found: the link's parts, or why it is no good. */
export type ReadLink =
  | { ok: true; mailId: string; answer: LinkAnswer; expiresAt: Date | null }
  /** `invalid`: not a token, not ours, changed, or for another purpose; `expired`: ours, but too late. */
  | { ok: false; reason: 'invalid' | 'expired' }

/**
 * Check a token for `purpose`: its shape, then its signature (compared in
 * constant time), then its expiry. Nothing is read from the database, so a
 * forged or tampered token costs one HMAC and learns nothing. An expired
 * token is reported only when its signature is right.
 *
 * @example
 * const link = readLink(key, token, 'r', new Date())
 * if (!link.ok) return page(link.reason === 'expired' ? 410 : 404)
 */
export function readLink(key: Buffer, token: string, purpose: LinkPurpose, now: Date): ReadLink {
  const parts = token.length <= MAX_TOKEN_LENGTH ? TOKEN.exec(token) : null
  if (!parts) return { ok: false, reason: 'invalid' }
  const [, kind, mailId, expires, answer, presented] = parts as unknown as string[]
  const body = token.slice(0, token.lastIndexOf('.'))
  // The text, not its decoded bytes: base64url's last character has spare bits,
  // and only the one spelling this server writes is its token.
  const expected = Buffer.from(signature(key, body))
  const given = Buffer.from(presented!)
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid' }
  if (kind !== purpose) return { ok: false, reason: 'invalid' }
  const seconds = Number.parseInt(expires!, 36)
  if (seconds === 0 && purpose !== 'u') return { ok: false, reason: 'invalid' }
  const expiresAt = seconds === 0 ? null : new Date(seconds * 1000)
  if (expiresAt && now.getTime() > expiresAt.getTime()) return { ok: false, reason: 'expired' }
  return { ok: true, mailId: mailId!, answer: answer as LinkAnswer, expiresAt }
}

/**
 * The page a token opens, under the server's public URL (`REDRESS_PUBLIC_URL`).
 *
 * @example
 * linkUrl('https://care.shop.example', 'r', token) // 'https://care.shop.example/v1/r/r.mail_…'
 */
export const linkUrl = (publicUrl: string, purpose: LinkPurpose, token: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/v1/${purpose}/${token}`
