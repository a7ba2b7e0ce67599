// What `createRedress` takes: its options, and who the customer is, with the
// customer token that proves it and how a fresh one is got.
import type { Metadata } from '@redress/protocol'
import type { Adapter } from './adapter'
import type { RedressEvents } from './events'
import type { KeyValueStorage } from './storage'

/**
 * Who the customer is, as far as the host knows, and the customer token that
 * proves it. `id` and `email` travel as `complaint.customer`, the customer's
 * word, never trusted for money; `token` travels as `complaint.customerToken`.
 *
 * @example
 * redress.identify({ id: 'cus_42', token: await myBackend.redressToken(), refresh: myBackend.redressToken })
 */
export interface Customer {
  id?: string
  email?: string
  /**
   * A customer token your backend signed for this customer: a compact JWT
   * (HS256, the site's verification secret; see `CustomerTokenClaims`). The
   * server then trusts the customer and the orders it vouches for, and may
   * give a remedy at once. Each complaint keeps the token it was written under.
   */
  token?: string
  /**
   * Gets a fresh token for this customer when `token` is about to expire or
   * was refused. Used only if it names the same customer (`sub`).
   * @default the `refreshCustomerToken` given to `createRedress`
   */
  refresh?: RefreshCustomerToken
}

/**
 * What a token refresh is told: one object, so fields can be added later.
 *
 * @example
 * // Only the customer who wrote the complaint; anyone else gets it sent unverified.
 * refreshCustomerToken: async ({ sub }) => (sub === session.customerId ? myBackend.redressToken() : null)
 */
export interface CustomerTokenRefresh {
  /** The token to replace: about to expire, or refused by the backend. */
  token: string
  /** The customer it names (its `sub`); a fresh token for anyone else is not used. */
  sub: string
}

/**
 * Asks your backend for a fresh customer token. Resolve with nothing (or
 * throw) when there is none, e.g. the customer signed out: the complaint is
 * then sent without a token, as an unverified one, never lost.
 *
 * @example
 * const refresh: RefreshCustomerToken = () =>
 *   fetch('/api/redress-token', { method: 'POST' }).then((r) => r.json()).then((j) => j.token)
 */
export type RefreshCustomerToken = (
  state: CustomerTokenRefresh,
) => Promise<string | null | undefined>

export interface RetryOptions {
  /** Delay before the second attempt, in ms; it doubles each time. @default 1000 */
  baseDelay?: number
  /** The longest wait between attempts, in ms. @default 300000 */
  maxDelay?: number
}

export interface RedressOptions {
  /** The site's public key, `pk_…`. */
  site: string
  /** Where complaints go. */
  adapter: Adapter
  /** The customer's language, sent with each complaint. @default the browser's language */
  locale?: string
  /** Who the customer is; change it later with `identify`. */
  user?: Customer
  /**
   * The customer token of `user` (see `Customer.token`); `identify` replaces it.
   * @default user.token
   */
  customerToken?: string
  /**
   * Gets a fresh customer token when one is about to expire or the backend
   * refuses it (see `Customer.refresh`, which takes precedence).
   * @default none: such a complaint is sent without its token
   */
  refreshCustomerToken?: RefreshCustomerToken
  /** Facts attached to every complaint, e.g. `{ plan: 'pro' }`. */
  metadata?: Metadata
  /** Where the outbox lives. @default localStorage when usable, memory otherwise */
  storage?: KeyValueStorage
  retry?: RetryOptions
  /** Told about listeners that throw. @default console.error */
  onError?: (error: unknown, context: { event: keyof RedressEvents }) => void
}
