/**
 * @module Verified customers: the site's verification secrets, and the
 * customer tokens the host's backend signs with them. A complaint's customer
 * and order facts come from a valid token only, never from the body.
 */
import {
  CURRENCY_PATTERN,
  type CustomerTokenClaims,
  LIMITS,
  type VouchedOrder,
} from '@redress/protocol'
import type { CreatedVerificationSecret, VerificationSecret } from '@redress/protocol/admin'
import { cleanText } from '@redress/protocol/schema'
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose'
import type { Kysely } from 'kysely'
import { verificationSecret as newSecret, verificationSecretId as secretId } from '../_lib/crypto'
import type { Site, Tables, VerifiedFacts } from '../db/schema'
import { UnauthorizedError } from '../errors'

/** The longest a customer token may live (`exp` after `iat`, or after now). */
export const MAX_TOKEN_LIFETIME_S = 24 * 3600
/** Clocks of the host's backend and the server may differ this much. */
export const CLOCK_TOLERANCE_S = 60
/** How long the previous secret keeps verifying after a rotation. @default 24 hours */
export const DEFAULT_OVERLAP_MS = 24 * 3600 * 1000

/** A verified complaint's facts, with every order the token vouched for. */
export interface VerifiedCustomer {
  id: string
  email: string | null
  name: string | null
  orders: VouchedOrder[]
}

const view = (row: {
  id: string
  secret: string
  created_at: Date | string
  expires_at: Date | string | null
}): VerificationSecret => ({
  id: row.id,
  hint: row.secret.slice(-4),
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
})

/**
 * The site's secrets that still verify tokens, newest first.
 *
 * @example
 * const [current] = await verificationSecrets(db, site.id)
 * current?.expiresAt // null: the one to sign with
 */
export async function verificationSecrets(
  db: Kysely<Tables>,
  siteId: string,
  now: Date = new Date(),
): Promise<VerificationSecret[]> {
  return (await activeSecrets(db, siteId, now)).map(view)
}

function activeSecrets(db: Kysely<Tables>, siteId: string, now: Date) {
  return db
    .selectFrom('site_verification_secrets')
    .selectAll()
    .where('site_id', '=', siteId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

/**
 * Make a new verification secret for the site and return it, the only time
 * it is shown. Secrets made before it keep verifying for `overlapMs` (so
 * tokens signed a moment ago, and backends not yet redeployed, still work),
 * or stop at once with `overlapMs: 0`. Run it in a transaction: the site's
 * row is locked, so two rotations at once leave one current secret.
 *
 * @example
 * const created = await db.transaction().execute((trx) => rotateVerificationSecret(trx, site.id))
 * created.secret // 'vsec_…': put it in your backend's configuration
 */
export async function rotateVerificationSecret(
  trx: Kysely<Tables>,
  siteId: string,
  options: { overlapMs?: number | undefined; now?: Date | undefined } = {},
): Promise<CreatedVerificationSecret> {
  const now = options.now ?? new Date()
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS
  await trx.selectFrom('sites').select('id').where('id', '=', siteId).forUpdate().execute()
  const until = new Date(now.getTime() + overlapMs)
  await trx
    .updateTable('site_verification_secrets')
    .set({ expires_at: until })
    .where('site_id', '=', siteId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', until)]))
    .execute()
  const row = await trx
    .insertInto('site_verification_secrets')
    .values({ id: secretId(), site_id: siteId, secret: newSecret(), created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { ...view(row), secret: row.secret }
}

/**
 * The site's current secret, made on first use (the demo site's, and tests').
 * Safe when several processes ask at once: a rotation locks the site's row.
 *
 * @example
 * const secret = await ensureVerificationSecret(db, site.id) // 'vsec_…'
 */
export async function ensureVerificationSecret(
  db: Kysely<Tables>,
  siteId: string,
): Promise<string> {
  const current = async (trx: Kysely<Tables>) =>
    (
      await trx
        .selectFrom('site_verification_secrets')
        .select('secret')
        .where('site_id', '=', siteId)
        .where('expires_at', 'is', null)
        .executeTakeFirst()
    )?.secret
  return (
    (await current(db)) ??
    db.transaction().execute(async (trx) => {
      await trx.selectFrom('sites').select('id').where('id', '=', siteId).forUpdate().execute()
      return (await current(trx)) ?? (await rotateVerificationSecret(trx, siteId)).secret
    })
  )
}

const invalid = (message: string) => new UnauthorizedError('invalid_customer_token', message)

/** A claim's text, NFC as the complaint's own fields are; `undefined` when it may not be one. */
const claimText = (value: unknown, max: number, field: string): string | undefined => {
  if (typeof value !== 'string' || value.length === 0) return undefined
  const result = cleanText(value, field)
  return result.success && result.output.length <= max ? result.output : undefined
}

/** The orders of a token's `orders` claim, checked; a bad entry refuses the token. */
function vouchedOrders(claim: unknown): VouchedOrder[] {
  if (claim === undefined) return []
  if (!Array.isArray(claim) || claim.length > LIMITS.vouchedOrders) {
    throw invalid(`orders must be an array of at most ${LIMITS.vouchedOrders} orders`)
  }
  return claim.map((order: unknown, index) => {
    const entry = order as Partial<VouchedOrder> | null
    const where = `orders[${index}]`
    if (!entry || typeof entry !== 'object') throw invalid(`${where} must be an object`)
    const ref = claimText(entry.ref, LIMITS.orderRef, `${where}.ref`)
    if (ref === undefined)
      throw invalid(`${where}.ref must be the order reference (1–${LIMITS.orderRef} characters)`)
    if (!Number.isSafeInteger(entry.value) || (entry.value as number) < 0)
      throw invalid(`${where}.value must be whole minor units (cents, fen), 0 or more`)
    if (typeof entry.currency !== 'string' || !CURRENCY_PATTERN.test(entry.currency))
      throw invalid(`${where}.currency must be an ISO 4217 code such as EUR`)
    if (
      entry.date !== undefined &&
      (typeof entry.date !== 'string' || Number.isNaN(Date.parse(entry.date)))
    )
      throw invalid(`${where}.date must be an ISO 8601 date`)
    return {
      ref,
      value: entry.value as number,
      currency: entry.currency,
      ...(entry.date === undefined ? {} : { date: entry.date }),
    }
  })
}

/**
 * Verify a customer token for `site` against the site's active secrets (see
 * `checkCustomerToken`).
 *
 * @example
 * const customer = await verifyCustomerToken(db, site, complaint.customerToken)
 * customer.orders // [{ ref: 'A-1001', value: 4200, currency: 'EUR' }]
 */
export async function verifyCustomerToken(
  db: Kysely<Tables>,
  site: Pick<Site, 'id' | 'public_key'>,
  token: string,
  now: Date = new Date(),
): Promise<VerifiedCustomer> {
  const secrets = await activeSecrets(db, site.id, now)
  return checkCustomerToken(token, { publicKey: site.public_key, secrets }, now)
}

/**
 * Check a customer token: HS256 with one of `secrets` (the header's `kid`
 * picks one when it names it), `aud` the site's public key, `exp` present, in
 * the future (within `CLOCK_TOLERANCE_S`) and at most `MAX_TOKEN_LIFETIME_S`
 * after `iat`, `sub` the customer id, the optional claims well-formed. Throws
 * `401 customer_token_expired` for an expired token and
 * `401 invalid_customer_token` for anything else wrong, with a message a
 * developer can act on.
 *
 * @example
 * await checkCustomerToken(token, { publicKey: 'pk_demo', secrets: [{ id: 'vsk_1', secret }] })
 * // { id: 'cus_42', email: 'ana@example.com', name: null, orders: [{ ref: 'A-1001', … }] }
 */
export async function checkCustomerToken(
  token: string,
  site: { publicKey: string; secrets: ReadonlyArray<{ id: string; secret: string }> },
  now: Date = new Date(),
): Promise<VerifiedCustomer> {
  const { secrets } = site
  let kid: string | undefined
  try {
    const header = decodeProtectedHeader(token)
    if (header.alg !== 'HS256') throw invalid('Sign customer tokens with HS256')
    kid = typeof header.kid === 'string' ? header.kid : undefined
  } catch (error) {
    if (error instanceof UnauthorizedError) throw error
    throw invalid('The customer token is not a compact JWT (header.payload.signature)')
  }
  if (secrets.length === 0) {
    throw invalid('This site has no verification secret yet: create one in Settings')
  }
  const named = secrets.filter((secret) => secret.id === kid)
  const candidates = named.length > 0 ? named : secrets
  const options = {
    algorithms: ['HS256'],
    audience: site.publicKey,
    clockTolerance: CLOCK_TOLERANCE_S,
    currentDate: now,
    requiredClaims: ['exp', 'sub'],
  }
  let lastError: unknown
  for (const { secret } of candidates) {
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), options)
      const issuedAt = typeof payload.iat === 'number' ? payload.iat : now.getTime() / 1000
      if (payload.exp! - issuedAt > MAX_TOKEN_LIFETIME_S + CLOCK_TOLERANCE_S) {
        throw invalid('The customer token lives longer than 24 hours: sign short-lived tokens')
      }
      const sub = claimText(payload.sub, LIMITS.id, 'sub')
      if (sub === undefined)
        throw invalid(`sub must be the customer's id (1–${LIMITS.id} characters)`)
      const email =
        payload.email === undefined ? null : claimText(payload.email, LIMITS.email, 'email')
      const name = payload.name === undefined ? null : claimText(payload.name, LIMITS.name, 'name')
      if (email === undefined)
        throw invalid(`email must be text of at most ${LIMITS.email} characters`)
      if (name === undefined)
        throw invalid(`name must be text of at most ${LIMITS.name} characters`)
      return {
        id: sub,
        email,
        name,
        orders: vouchedOrders(payload.orders),
      }
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error
      if (error instanceof errors.JWTExpired) {
        throw new UnauthorizedError(
          'customer_token_expired',
          'The customer token has expired: ask your backend for a fresh one',
        )
      }
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
        throw invalid(`The customer token is for another site (aud must be ${site.publicKey})`)
      }
      if (error instanceof errors.JWTClaimValidationFailed) {
        throw invalid(
          `The customer token's ${error.claim} claim is missing or wrong: ${error.reason}`,
        )
      }
      lastError = error
    }
  }
  if (lastError instanceof errors.JWSSignatureVerificationFailed) {
    throw invalid("The customer token's signature does not match any of the site's secrets")
  }
  throw invalid('The customer token could not be read as a signed JWT')
}

/**
 * The facts a complaint keeps from its customer's token: the vouched order it
 * names by `orderRef`, or, when it names none and the token vouches for one
 * order only, that order.
 *
 * @example
 * verifiedFacts(customer, 'A-1001').order // { ref: 'A-1001', value: 4200, currency: 'EUR' }
 */
export function verifiedFacts(
  customer: VerifiedCustomer,
  orderRef: string | undefined,
): VerifiedFacts {
  const order = orderRef
    ? customer.orders.find((candidate) => candidate.ref === orderRef)
    : customer.orders.length === 1
      ? customer.orders[0]
      : undefined
  return {
    customerId: customer.id,
    email: customer.email,
    name: customer.name,
    order: order ?? null,
  }
}

/**
 * Sign a customer token, as a host's backend does (any HS256 JWT library
 * does the same): `claims` without `exp`/`iat`, which are set from `now` and
 * `lifetimeS`. For Node backends, tests and the demo page.
 *
 * @example
 * const token = await signCustomerToken(process.env.REDRESS_VERIFICATION_SECRET, {
 *   aud: 'pk_live_…', sub: user.id, email: user.email,
 *   orders: [{ ref: 'A-1001', value: 4200, currency: 'EUR' }],
 * })
 */
export function signCustomerToken(
  secret: string,
  claims: Omit<CustomerTokenClaims, 'exp' | 'iat'>,
  options: { lifetimeS?: number; now?: Date; kid?: string } = {},
): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000)
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetimeS ?? 3600))
    .sign(new TextEncoder().encode(secret))
}
