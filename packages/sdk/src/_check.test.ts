import type { Complaint } from '@redress/protocol'
import { validateComplaint, validateRecovery } from '@redress/protocol/schema'
import { describe, expect, it } from 'vitest'
import { checkComplaint, checkRecovery } from './_check'
import { isValidationError } from './errors'

const valid: Complaint = {
  site: 'pk_demo',
  category: 'delivery',
  severity: 'critical',
  description: 'Never arrived',
  contact: { email: 'ada@example.com', name: 'Ada' },
  orderRef: 'A-1',
  orderValue: { value: 1299, currency: 'EUR' },
  customer: { id: 'u1', email: 'ada@example.com' },
  metadata: { plan: 'pro', seats: 3, trial: false },
}

const long = (n: number) => 'x'.repeat(n)

// Each case changes one thing about a valid complaint.
const cases: [string, Partial<Record<keyof Complaint, unknown>>][] = [
  ['valid as is', {}],
  [
    'no optional fields',
    {
      contact: undefined,
      orderRef: undefined,
      orderValue: undefined,
      customer: undefined,
      metadata: undefined,
    },
  ],
  ['missing category', { category: undefined }],
  ['blank category', { category: '  ' }],
  ['category too long', { category: long(65) }],
  ['category at the limit', { category: long(64) }],
  ['unknown severity', { severity: 'awful' }],
  ['numeric severity', { severity: 2 }],
  ['missing description', { description: undefined }],
  ['whitespace description', { description: ' \n ' }],
  ['description at the limit', { description: long(5000) }],
  ['description too long', { description: long(5001) }],
  ['description not a string', { description: 42 }],
  ['contact not an object', { contact: 'ada@example.com' }],
  ['contact email without domain', { contact: { email: 'ada@' } }],
  ['contact email with a space', { contact: { email: 'ada lovelace@example.com' } }],
  ['contact name too long', { contact: { name: long(201) } }],
  ['order reference too long', { orderRef: long(129) }],
  ['order reference a number', { orderRef: 1001 }],
  ['order value negative', { orderValue: { value: -1, currency: 'EUR' } }],
  ['order value fractional', { orderValue: { value: 12.5, currency: 'EUR' } }],
  ['order value lower-case currency', { orderValue: { value: 100, currency: 'eur' } }],
  ['order value not an object', { orderValue: 100 }],
  ['customer email invalid', { customer: { email: 'nope' } }],
  ['customer id too long', { customer: { id: long(201) } }],
  [
    'metadata with 20 entries',
    { metadata: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])) },
  ],
  [
    'metadata with 21 entries',
    { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) },
  ],
  ['metadata with a nested object', { metadata: { cart: { items: 2 } } }],
  ['metadata with a long value', { metadata: { note: long(501) } }],
  ['metadata with a long key', { metadata: { [long(65)]: 1 } }],
  ['metadata an array', { metadata: ['a'] }],
]

const accepts = (check: (value: unknown) => unknown, value: unknown) => {
  try {
    check(value)
    return true
  } catch (error) {
    if (!isValidationError(error)) throw error
    return false
  }
}

describe('the SDK accepts exactly what the protocol schema accepts', () => {
  it.each(cases)('%s', (_, change) => {
    const complaint = { ...valid, ...change }
    for (const key of Object.keys(complaint) as (keyof Complaint)[]) {
      if (complaint[key] === undefined) delete complaint[key]
    }
    expect(accepts(checkComplaint, complaint)).toBe(validateComplaint(complaint).success)
  })

  it.each([
    [{ kind: 'apology', message: 'Sorry' }],
    [{ kind: 'apology', message: '' }],
    [{ kind: 'apology' }],
    [{ kind: 'coupon', code: 'SAVE10', label: '10% off' }],
    [{ kind: 'coupon', code: 'SAVE10' }],
    [{ kind: 'refund', amount: { value: 500, currency: 'CNY' }, message: 'Refunded' }],
    [{ kind: 'refund', message: 'Refunded' }],
    [{ kind: 'escalation', message: 'We will call' }],
    [{ kind: 'cash', message: 'Here' }],
    ['apology'],
  ])('recovery %j', (recovery) => {
    expect(accepts(checkRecovery, recovery)).toBe(validateRecovery(recovery).success)
  })

  it('names the field and the limit in the message', () => {
    expect(() => checkComplaint({ ...valid, description: long(5001) })).toThrow(
      'description must be at most 5000 characters',
    )
    expect(() => checkComplaint({ ...valid, contact: { email: 'ada@' } })).toThrow(
      'contact.email must be a valid email address',
    )
  })
})
