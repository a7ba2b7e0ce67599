/**
 * @module Making remedies: a coupon (a fresh code, or one of the site's
 * pool), a refund, a replacement, a correction, an apology or an escalation,
 * worded by the policy unless the caller words it.
 */
import { formatMoney, type Recovery, type RecoveryKind } from '@redress/protocol'
import type { Transaction } from 'kysely'
import { couponCode } from '../_lib/crypto'
import type { Site, Tables } from '../db/schema'
import { ConflictError } from '../errors'
import { takePoolCode } from './coupon-pool'
import { DAY_MS, type Policy } from './policy'

/** A remedy ready to be written: its value (a pool code's, for pooled coupons) and its `Recovery`. */
export interface Made {
  value: number
  code: string | null
  expiresAt: Date | null
  recovery: Recovery
  poolCode: string | null
}

/** What a remedy says, when the caller does not use the policy's text. */
export interface Wording {
  message?: string | undefined
  label?: string | undefined
  contactWithin?: string | undefined
}

/**
 * Make a remedy worth `value`: a coupon (a fresh code, or the largest fitting
 * code of the site's pool, which sets the value; with `exact`, for a
 * guarantee, only a code worth exactly `value`), a refund, a replacement, a
 * correction, an apology or an escalation. `undefined` when the policy takes
 * coupons from the pool and no free code fits.
 *
 * @example
 * const made = await makeRemedy(trx, { site, policy, kind: 'coupon', value: 500, now, orderRef: null })
 * made?.recovery // { kind: 'coupon', code: '…', label: '€5.00 off your next order', … }
 */
export async function makeRemedy(
  trx: Transaction<Tables>,
  input: {
    site: Site
    policy: Policy
    kind: RecoveryKind
    value: number
    now: Date
    orderRef: string | null
    wording?: Wording
    /** A pooled coupon must be worth exactly `value` (a guarantee pays what it promised). */
    exact?: boolean
  },
): Promise<Made | undefined> {
  const { site, policy, kind, value, now, orderRef } = input
  const wording = input.wording ?? {}
  const made = (recovery: Recovery): Made => ({
    value,
    code: null,
    expiresAt: null,
    recovery,
    poolCode: null,
  })
  switch (kind) {
    case 'coupon': {
      if (policy.coupon.source === 'generated') {
        return { ...newCoupon(policy, value, now, wording.label), poolCode: null, value }
      }
      const pooled = await takePoolCode(trx, site.id, value, now, input.exact ?? false)
      if (!pooled) return undefined
      const coupon = couponRecovery(policy, {
        code: pooled.code,
        value: pooled.value,
        expiresAt: earlier(
          pooled.expiresAt,
          new Date(now.getTime() + policy.coupon.validDays * DAY_MS),
        ),
        label: wording.label,
      })
      return { ...coupon, value: pooled.value, poolCode: pooled.code }
    }
    case 'refund':
      return made({
        kind: 'refund',
        amount: { value, currency: policy.currency },
        message: (wording.message ?? policy.refund.message).replaceAll(
          '{amount}',
          formatMoney(value, policy.currency),
        ),
      })
    case 'replacement':
      return made(
        wording.message
          ? { kind: 'replacement', message: wording.message }
          : replacementRecovery(policy, orderRef),
      )
    case 'correction':
      return made({ kind: 'correction', message: wording.message ?? policy.messages.correction })
    case 'apology':
      return made({ kind: 'apology', message: wording.message ?? policy.messages.apology })
    case 'escalation':
      return made({
        kind: 'escalation',
        message: wording.message ?? policy.escalation.message,
        contactWithin: wording.contactWithin ?? policy.escalation.contactWithin,
      })
  }
}

const earlier = (a: Date | null, b: Date) => (a && a < b ? a : b)

/** A coupon `Recovery` with the policy's label (or `label`) and terms. */
function couponRecovery(
  policy: Policy,
  coupon: { code: string; value: number; expiresAt: Date; label?: string | undefined },
): { code: string; expiresAt: Date; recovery: Recovery } {
  const { code, value, expiresAt } = coupon
  return {
    code,
    expiresAt,
    recovery: {
      kind: 'coupon',
      code,
      label: (coupon.label ?? policy.coupon.label).replaceAll(
        '{amount}',
        formatMoney(value, policy.currency),
      ),
      expiresAt: expiresAt.toISOString(),
      terms: policy.coupon.terms.replaceAll('{date}', expiresAt.toISOString().slice(0, 10)),
    },
  }
}

/** A fresh coupon worth `value` minor units of the policy's currency. */
function newCoupon(
  policy: Policy,
  value: number,
  now: Date,
  label?: string,
): { code: string; expiresAt: Date; recovery: Recovery } {
  const expiresAt = new Date(now.getTime() + policy.coupon.validDays * DAY_MS)
  return couponRecovery(policy, { code: couponCode(), value, expiresAt, label })
}

const replacementRecovery = (policy: Policy, orderRef: string | undefined | null): Recovery => ({
  kind: 'replacement',
  message: policy.messages.replacement.replaceAll(
    '{orderRef}',
    orderRef ? ` for order ${orderRef}` : '',
  ),
})

/**
 * The refusal when the pool has no code for a remedy worth `value` (with
 * `exact`, worth exactly `value`).
 *
 * @example
 * if (!made) throw poolEmpty(policy, 500)
 */
export const poolEmpty = (policy: Policy, value: number, exact = false) =>
  new ConflictError(
    `The coupon pool has no free code worth ${exact ? 'exactly' : 'at most'} ${formatMoney(value, policy.currency)} ` +
      'that is valid for at least a day: upload codes (POST /v1/admin/coupon-pool) or choose another value',
    'value',
  )
