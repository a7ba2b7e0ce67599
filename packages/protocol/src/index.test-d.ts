import type * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import type {
  Complaint,
  ErrorBody,
  FollowUp,
  Money,
  Receipt,
  Recovery,
  Severity,
  Status,
  StatusReport,
} from './index'
import type {
  ComplaintSchema,
  ErrorBodySchema,
  FollowUpSchema,
  ReceiptSchema,
  RecoverySchema,
  StatusReportSchema,
} from './schema'

describe('Recovery', () => {
  it('narrows on kind', () => {
    const show = (recovery: Recovery) => {
      switch (recovery.kind) {
        case 'coupon':
          expectTypeOf(recovery.code).toEqualTypeOf<string>()
          expectTypeOf(recovery.expiresAt).toEqualTypeOf<string | undefined>()
          // @ts-expect-error a coupon has no message
          void recovery.message
          return recovery.label
        case 'refund':
          expectTypeOf(recovery.amount).toEqualTypeOf<Money>()
          return recovery.message
        case 'escalation':
          expectTypeOf(recovery.contactWithin).toEqualTypeOf<string | undefined>()
          return recovery.message
        case 'apology':
        case 'replacement':
        case 'correction':
          return recovery.message
        default:
          // Every kind is handled above.
          expectTypeOf(recovery).toEqualTypeOf<never>()
          return ''
      }
    }
    expectTypeOf(show).returns.toEqualTypeOf<string>()
  })

  it('refuses a kind that does not exist, or a coupon without a code', () => {
    // @ts-expect-error not a kind of remedy
    const cash: Recovery = { kind: 'cash', message: 'Here you go' }
    // @ts-expect-error a coupon needs a code
    const coupon: Recovery = { kind: 'coupon', label: '10% off' }
    void cash
    void coupon
  })
})

describe('the validators produce exactly the protocol types', () => {
  it('for every message of the protocol', () => {
    expectTypeOf<v.InferOutput<typeof ComplaintSchema>>().toEqualTypeOf<Complaint>()
    expectTypeOf<v.InferOutput<typeof RecoverySchema>>().toEqualTypeOf<Recovery>()
    expectTypeOf<v.InferOutput<typeof ReceiptSchema>>().toEqualTypeOf<Receipt>()
    expectTypeOf<v.InferOutput<typeof StatusReportSchema>>().toEqualTypeOf<StatusReport>()
    expectTypeOf<v.InferOutput<typeof FollowUpSchema>>().toEqualTypeOf<FollowUp>()
    expectTypeOf<v.InferOutput<typeof ErrorBodySchema>>().toEqualTypeOf<ErrorBody>()
  })

  it('keeps the enums as literal unions', () => {
    expectTypeOf<Severity>().toEqualTypeOf<'minor' | 'major' | 'critical'>()
    expectTypeOf<Status>().toEqualTypeOf<
      'received' | 'in_progress' | 'resolved' | 'closed' | 'reopened'
    >()
  })
})
