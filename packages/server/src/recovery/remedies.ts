/**
 * @module Making remedies: a coupon (a fresh code, or one of the site's
 * pool), a refund, a replacement, a correction, an apology or an escalation,
 * worded by the policy in the complaint's locale unless the caller words it.
 */
import { formatMoney, type Locale, type Recovery, type RecoveryKind } from '@redress/protocol'
import type { Transaction } from 'kysely'
import { couponCode } from '../_lib/crypto'
import type { Site, Tables } from '../db/schema'
import { ConflictError } from '../errors'
import { takePoolCode } from './coupon-pool'
import { DAY_MS, type Policy } from './policy'
import { type Voice, voice } from './texts'

/** A remedy ready to be written: its value (a pool code's, for pooled coupons) and its `Recovery`. */
export interface Made {
  value: number
  code: string | null
  expiresAt: Date | null
  recovery: Recovery
  poolCode: string | null
}

/**
 * What a remedy says, when the caller does not use the policy's text: the
 * owner's own words, used as given (`{amount}` of a label still filled).
 */
export interface Wording {
  message?: string | undefined
  label?: string | undefined
  contactWithin?: string | undefined
}

/**
 * Make a remedy worth `value`: a coupon (a fresh code, or the largest fitting
 * code of the site's pool, which sets the value; with `exact`, for a
 * guarantee, only a code worth exactly `value`), a refund, a replacement, a
 * correction, an apology or an escalation, in the policy's texts of
 * `locale` (the complaint's) unless `wording` gives the owner's own.
 * `undefined` when the policy takes coupons from the pool and no free code fits.
 *
 * @example
 * const made = await makeRemedy(trx, { site, policy, locale: 'en', kind: 'coupon', value: 500, now, orderRef: null })
 * made?.recovery // { kind: 'coupon', code: '…', label: '€5.00 off your next order', … }
 */
export async function makeRemedy(
  trx: Transaction<Tables>,
  input: {
    site: Site
    policy: Policy
    /** The complaint's locale (`complaintLocale`): the customer reads the remedy in it. */
    locale: Locale
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
  const say = voice(policy, input.locale)
  const { texts } = say
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
        return { ...newCoupon(policy, say, value, now, wording.label), poolCode: null, value }
      }
      const pooled = await takePoolCode(trx, site.id, value, now, input.exact ?? false)
      if (!pooled) return undefined
      const coupon = couponRecovery(say, {
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
        message: say.amount(wording.message ?? texts.refund, value),
      })
    case 'replacement':
      return made({
        kind: 'replacement',
        message: wording.message || say.order(texts.replacement, orderRef),
      })
    case 'correction':
      return made({ kind: 'correction', message: wording.message ?? texts.correction })
    case 'apology':
      return made({ kind: 'apology', message: wording.message ?? texts.apology })
    case 'escalation':
      return made({
        kind: 'escalation',
        message: wording.message ?? texts.escalation,
        contactWithin: wording.contactWithin ?? policy.escalation.contactWithin,
      })
  }
}

const earlier = (a: Date | null, b: Date) => (a && a < b ? a : b)

/** A coupon `Recovery` with the policy's label (or `label`) and terms, in the voice's locale. */
function couponRecovery(
  say: Voice,
  coupon: { code: string; value: number; expiresAt: Date; label?: string | undefined },
): { code: string; expiresAt: Date; recovery: Recovery } {
  const { code, value, expiresAt } = coupon
  return {
    code,
    expiresAt,
    recovery: {
      kind: 'coupon',
      code,
      label: say.amount(coupon.label ?? say.texts.couponLabel, value),
      expiresAt: expiresAt.toISOString(),
      terms: say.date(say.texts.couponTerms, expiresAt),
    },
  }
}

/** A fresh coupon worth `value` minor units of the policy's currency. */
function newCoupon(
  policy: Policy,
  say: Voice,
  value: number,
  now: Date,
  label?: string,
): { code: string; expiresAt: Date; recovery: Recovery } {
  const expiresAt = new Date(now.getTime() + policy.coupon.validDays * DAY_MS)
  return couponRecovery(say, { code: couponCode(), value, expiresAt, label })
}

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
