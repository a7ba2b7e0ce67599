import { DEFAULT_CATEGORIES } from '@redress/protocol'
import {
  POLICY_SHAPE,
  PolicyOverridesSchema,
  parseAdmin,
  type RecoveryPolicy,
} from '@redress/protocol/admin'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { DEFAULT_POLICY, effectivePolicy, type Policy } from './policy'

/** A policy with every leaf replaced by the empty value of its JSON type, as `POLICY_SHAPE` is written. */
function skeleton(value: unknown): unknown {
  if (typeof value === 'string') return ''
  if (typeof value === 'number') return 0
  if (typeof value === 'boolean') return false
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, skeleton(inner)]))
}

describe('DEFAULT_POLICY and the protocol', () => {
  it("is the protocol's RecoveryPolicy, so the two cannot drift", () => {
    expectTypeOf<Policy>().toEqualTypeOf<RecoveryPolicy>()
    expectTypeOf(DEFAULT_POLICY).toEqualTypeOf<RecoveryPolicy>()
  })

  it("has exactly the fields of the protocol's shape, each of its JSON type", () => {
    // Category ids are open-ended: the shape lists none.
    expect(skeleton({ ...DEFAULT_POLICY, categories: {} })).toEqual(POLICY_SHAPE)
  })

  it('passes PolicyOverridesSchema whole, as an owner could store it', () => {
    expect(parseAdmin(PolicyOverridesSchema, DEFAULT_POLICY)).toEqual({
      ok: true,
      value: DEFAULT_POLICY,
    })
    const policy = effectivePolicy({ categories: [...DEFAULT_CATEGORIES], policy: null })
    expect(parseAdmin(PolicyOverridesSchema, policy)).toEqual({ ok: true, value: policy })
  })
})
