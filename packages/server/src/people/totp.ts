/**
 * @module Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second
 * steps, six digits), the optional second factor of a sign-in.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 without padding, as authenticator apps read secrets. */
export function base32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out
}

function fromBase32(text: string): Buffer {
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const digit = BASE32.indexOf(char)
    if (digit < 0) throw new TypeError('not base32')
    value = (value << 5) | digit
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

/** A new secret: 20 random bytes, base32 (what the authenticator app is given). */
export const totpSecret = (): string => base32(randomBytes(20))

/**
 * The six-digit code of `secret` for the 30-second step containing `time`.
 *
 * @example
 * totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000) // '287082' (RFC 6238's vector, last six digits)
 */
export function totpCode(secret: string, time: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 30_000)))
  const mac = createHmac('sha1', fromBase32(secret)).update(counter).digest()
  const offset = mac[mac.length - 1]! & 15
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000
  return String(number).padStart(6, '0')
}

/**
 * Whether `code` is the secret's code now or one step either side (a clock a
 * little off, a code typed as it changed), compared in constant time.
 *
 * @example
 * checkTotp(user.totp_secret, body.totp, Date.now())
 */
export function checkTotp(secret: string, code: string, now: number): boolean {
  let ok = false
  for (const step of [-1, 0, 1]) {
    const expected = Buffer.from(totpCode(secret, now + step * 30_000))
    const given = Buffer.from(code.padEnd(6).slice(0, 6))
    ok = timingSafeEqual(expected, given) || ok
  }
  return ok
}

/**
 * The `otpauth://` URL an authenticator app takes (as a QR code or pasted).
 *
 * @example
 * otpauthUrl(secret, 'ana@shop.example', 'Acme Mugs')
 */
export const otpauthUrl = (secret: string, account: string, issuer: string): string =>
  `otpauth://totp/${encodeURIComponent(`${issuer}:${account}`)}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`
