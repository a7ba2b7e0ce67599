/**
 * @module The strict check of policy overrides, as the admin API stores them:
 * every key must exist in `Policy`, with a value of the right type and range.
 */
import { FAILURE_TYPES } from '@redress/protocol'
import {
  COUPON_SOURCES,
  type CouponSource,
  DEFAULT_POLICY,
  HARD_CAP_PERCENT,
  isFailureType,
  isObject,
  REMEDY_KINDS,
  type RemedyKind,
} from './policy'

/** A problem with a policy override: the dotted path of the field and why. */
export interface PolicyProblem {
  field: string
  message: string
}

/** Amounts in minor units: whole numbers from 0. */
const MONEY_FIELDS = new Set([
  'policy.coupon.fixed.major',
  'policy.coupon.fixed.critical',
  'policy.caps.perComplaintMax',
  'policy.caps.perCustomer30Days',
  'policy.caps.perSiteDay',
  'policy.goodwill.value',
  'policy.goodwill.perDay',
])
const WHOLE_FIELDS = new Set([
  'policy.repeatWindowDays',
  'policy.coupon.validDays',
  'policy.goodwill.perIpDay',
])
/** An ISO 8601 duration such as `PT2H` or `P1D`. */
export const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/
/** Category ids as the admin API accepts them. */
export const CATEGORY_ID = /^[a-z0-9_-]{1,64}$/
const TEXT_MAX = 1000

function checkValue(base: unknown, over: unknown, path: string): PolicyProblem | undefined {
  const problem = (message: string) => ({ field: path, message: `${path} ${message}` })
  if (path === 'policy.categories') {
    if (!isObject(over)) return problem('is an object of category id → failure type')
    for (const [id, type] of Object.entries(over)) {
      if (!CATEGORY_ID.test(id))
        return { field: `${path}.${id}`, message: `${path}: ${id} is not a category id` }
      if (!isFailureType(type))
        return {
          field: `${path}.${id}`,
          message: `${path}.${id} must be one of ${FAILURE_TYPES.join(', ')}`,
        }
    }
    return undefined
  }
  if (isObject(base)) {
    if (!isObject(over)) return problem('is an object')
    for (const [key, value] of Object.entries(over)) {
      const field = `${path}.${key}`
      if (!Object.hasOwn(base, key)) return { field, message: `Unknown policy field ${field}` }
      const inner = checkValue(base[key], value, field)
      if (inner) return inner
    }
    return undefined
  }
  if (path === 'policy.unknownCategory' && !isFailureType(over))
    return problem(`must be one of ${FAILURE_TYPES.join(', ')}`)
  if (/^policy\.remedies\.\w+\.kind$/.test(path) && !REMEDY_KINDS.includes(over as RemedyKind))
    return problem(`must be one of ${REMEDY_KINDS.join(', ')}`)
  if (path === 'policy.coupon.source' && !COUPON_SOURCES.includes(over as CouponSource))
    return problem(`must be one of ${COUPON_SOURCES.join(', ')}`)
  if (path === 'policy.currency' && !(typeof over === 'string' && /^[A-Z]{3}$/.test(over)))
    return problem('is an ISO 4217 code such as EUR')
  if (
    path === 'policy.escalation.contactWithin' &&
    !(typeof over === 'string' && ISO_DURATION.test(over))
  )
    return problem('is an ISO 8601 duration such as PT2H')
  switch (typeof base) {
    case 'boolean':
      return typeof over === 'boolean' ? undefined : problem('is true or false')
    case 'string':
      return typeof over === 'string' && over.trim() && over.length <= TEXT_MAX
        ? undefined
        : problem(`is a text of 1–${TEXT_MAX} characters`)
    case 'number': {
      if (typeof over !== 'number' || !Number.isFinite(over) || over < 0)
        return problem('is a number from 0')
      if ((MONEY_FIELDS.has(path) || WHOLE_FIELDS.has(path)) && !Number.isSafeInteger(over))
        return problem('is a whole number')
      if (path === 'policy.coupon.validDays' && over < 1) return problem('is at least 1')
      if (path === 'policy.caps.perComplaintPercent' && over > HARD_CAP_PERCENT)
        return problem(`may not exceed the hard cap of ${HARD_CAP_PERCENT}`)
      return undefined
    }
    default:
      return problem('is not supported')
  }
}

/**
 * Check policy overrides strictly, as the admin API stores them: every key
 * must exist in `Policy` with a value of the right type and range, and the
 * per-complaint cap may not exceed `HARD_CAP_PERCENT` (`effectivePolicy`
 * clamps silently; this refuses). `undefined` when the overrides are valid.
 *
 * @example
 * policyOverridesProblem({ caps: { perComplaintPercent: 400 } })?.field // 'policy.caps.perComplaintPercent'
 */
export function policyOverridesProblem(value: unknown): PolicyProblem | undefined {
  return checkValue(DEFAULT_POLICY, value, 'policy')
}
