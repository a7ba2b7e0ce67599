// Browser-side checks of what the customer and the host supply. They apply
// the limits of `@redress/protocol` without its valibot schemas, which would
// more than double the SDK's size; `_check.test.ts` proves both accept and
// refuse the same input.
import {
  type Complaint,
  CURRENCY_PATTERN,
  EMAIL_PATTERN,
  LIMITS,
  RECOVERY_KINDS,
  type Recovery,
  SEVERITIES,
} from '@redress/protocol'
import { ValidationError } from './errors'

/** Returns what is wrong with the value, to follow the field's name; nothing when it is fine. */
type Rule = (value: unknown) => string | undefined
/** A dotted path, its rule, and whether an absent value is wrong too. */
type Check = [path: string, rule: Rule, required?: 1]

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const object: Rule = (value) => (isObject(value) ? undefined : 'must be an object')

const text =
  (max: number, pattern?: RegExp, what?: string): Rule =>
  (value) =>
    typeof value !== 'string'
      ? 'must be a string'
      : value.length > max
        ? `must be at most ${max} characters`
        : pattern && !pattern.test(value)
          ? `must be ${what}`
          : undefined

// Required text must have something besides whitespace.
export const filled =
  (max: number): Rule =>
  (value) =>
    value === undefined || (typeof value === 'string' && !value.trim())
      ? 'is required'
      : text(max)(value)

const oneOf =
  (values: readonly unknown[], what = `one of ${values.join(', ')}`): Rule =>
  (value) =>
    values.includes(value) ? undefined : `must be ${what}`

const email = text(LIMITS.email, EMAIL_PATTERN, 'a valid email address')

const money: Rule = (value) =>
  !isObject(value)
    ? 'must be an object'
    : !Number.isSafeInteger(value.value) || (value.value as number) < 0
      ? 'value must be whole minor units, not negative'
      : CURRENCY_PATTERN.test(String(value.currency))
        ? undefined
        : 'currency must be an ISO 4217 code'

const metadata: Rule = (value) => {
  const entries = isObject(value) ? Object.entries(value) : []
  if (
    !isObject(value) ||
    entries.length > LIMITS.metadataEntries ||
    entries.some(
      ([key, inner]) =>
        key.length > LIMITS.metadataKey ||
        !(
          typeof inner === 'boolean' ||
          (typeof inner === 'number' && Number.isFinite(inner)) ||
          (typeof inner === 'string' && inner.length <= LIMITS.metadataValue)
        ),
    )
  ) {
    return `must be an object of at most ${LIMITS.metadataEntries} entries, each a number, boolean or string of at most ${LIMITS.metadataValue} characters`
  }
}

/** Throws a `ValidationError` listing every check the value fails. */
export function check<T>(value: unknown, checks: Check[]): T {
  const issues = []
  if (!isObject(value)) issues.push({ field: '', message: 'must be an object' })
  else {
    for (const [path, rule, required] of checks) {
      // A missing parent leaves its fields undefined; the parent's own check reports it.
      const inner = path
        .split('.')
        .reduce<unknown>((parent, key) => (parent as never)?.[key], value)
      const problem = inner === undefined && !required ? undefined : rule(inner)
      if (problem) issues.push({ field: path, message: `${path} ${problem}` })
    }
  }
  if (issues.length) throw new ValidationError(issues)
  return value as T
}

/**
 * Throws a `ValidationError` listing every field the protocol would refuse.
 * `page`, `client` and `signals` are not checked: the SDK and the widget fill
 * them, clipped to their limits.
 */
export const checkComplaint = (value: unknown): Complaint =>
  check(value, [
    ['site', filled(LIMITS.site), 1],
    ['category', filled(LIMITS.category), 1],
    ['severity', oneOf(SEVERITIES), 1],
    ['description', filled(LIMITS.description), 1],
    ['contact', object],
    ['contact.email', email],
    ['contact.name', text(LIMITS.name)],
    ['orderRef', text(LIMITS.orderRef)],
    ['orderValue', money],
    ['customer', object],
    ['customer.id', text(LIMITS.id)],
    ['customer.email', email],
    ['metadata', metadata],
  ])

/** Throws a `ValidationError` unless the value is a remedy of a known kind with its text. */
export const checkRecovery = (value: unknown): Recovery => {
  const kind = (value as Recovery | null)?.kind
  return check(value, [
    ['kind', oneOf(RECOVERY_KINDS), 1],
    ...((kind === 'coupon'
      ? [
          ['code', filled(LIMITS.couponCode), 1],
          ['label', filled(LIMITS.label), 1],
        ]
      : [['message', filled(LIMITS.message), 1]]) as Check[]),
    ...((kind === 'refund' ? [['amount', money, 1]] : []) as Check[]),
  ])
}
