/** Ids, tokens and hashes. Every random value comes from the CSPRNG. */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** Upper case without 0/O, 1/I/L and U: easy to read out over the phone. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'
const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

const randomString = (length: number, alphabet: string) => {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

/** `cmp_` + 20 base-36 characters (about 103 bits). */
export const complaintId = () => `cmp_${randomString(20, ID_ALPHABET)}`
/** `R-` + 5 unambiguous characters (24 million per site; unique per site in the database). */
export const reference = () => `R-${randomString(5, REFERENCE_ALPHABET)}`
/** `pk_` + 24 base-36 characters (about 124 bits): public, but not guessable. */
export const publicKey = () => `pk_${randomString(24, ID_ALPHABET)}`
/** `att_` + 20 base-36 characters: a complaint's photo. */
export const attachmentId = () => `att_${randomString(20, ID_ALPHABET)}`
/** Where a photo's bytes are stored: `att/` + 32 base-36 characters (about 165 bits). */
export const blobKey = () => `att/${randomString(32, ID_ALPHABET)}`
/** `rcv_` + 20 base-36 characters: a row in the recoveries ledger. */
export const recoveryId = () => `rcv_${randomString(20, ID_ALPHABET)}`
/**
 * A coupon code: 20 unambiguous characters (about 98 bits), so codes cannot be
 * guessed or enumerated, and can still be read out over the phone.
 */
export const couponCode = () => randomString(20, REFERENCE_ALPHABET)
export const COUPON_CODE_PATTERN = /^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{20}$/
/** `msg_` + 24 base-36 characters (about 124 bits): a webhook message, the `webhook-id`. */
export const webhookMessageId = () => `msg_${randomString(24, ID_ALPHABET)}`
/** `whe_` + 20 base-36 characters: a webhook endpoint. */
export const webhookEndpointId = () => `whe_${randomString(20, ID_ALPHABET)}`
/** `usr_…`, a person of a site's team. */
export const userId = () => `usr_${randomString(20, ID_ALPHABET)}`
/** `tok_…`, an API token's id; `rdt_` + 32 random bytes, its secret. */
export const apiTokenId = () => `tok_${randomString(20, ID_ALPHABET)}`
export const apiTokenSecret = () => `rdt_${randomBytes(32).toString('base64url')}`
/** 32 random bytes, base64url: a session id or a one-time link's token. */
export const opaqueToken = () => randomBytes(32).toString('base64url')
/** `ntc_…`, a known-issue notice. */
export const noticeId = () => `ntc_${randomString(20, ID_ALPHABET)}`
/** `alt_…`, an early-warning alert. */
export const alertId = () => `alt_${randomString(20, ID_ALPHABET)}`
/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export const webhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`
/** A site's customer-verification secret: `vsk_` id, `vsec_` + 256 random bits. */
export const verificationSecretId = () => `vsk_${randomString(20, ID_ALPHABET)}`
export const verificationSecret = () => `vsec_${randomBytes(32).toString('base64url')}`
export const siteId = () => `site_${randomString(20, ID_ALPHABET)}`
/** `rdk_` + 32 random bytes, base64url: an admin token. */
export const adminToken = () => `rdk_${randomBytes(32).toString('base64url')}`
/** 32 random bytes, base64url: the secret status tokens are derived from. */
export const secret = () => randomBytes(32).toString('base64url')

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/**
 * A complaint's status token: an HMAC of its id under the server secret. The
 * database keeps only its SHA-256, yet a replay can hand back the same token.
 */
export const statusToken = (serverSecret: string, id: string) =>
  createHmac('sha256', serverSecret).update(`status-token:${id}`).digest('base64url')

/** Compare a presented secret with a stored SHA-256 (hex) in constant time. */
export function matchesHash(presented: string, storedHex: string): boolean {
  const a = Buffer.from(sha256(presented), 'hex')
  const b = Buffer.from(storedHex, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}
