import type * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import type {
  Complaint,
  ErrorBody,
  FollowUp,
  Money,
  Receipt,
  Recovery,
  Reply,
  Severity,
  SiteConfig,
  Status,
  StatusReport,
} from './index'
import type {
  ComplaintSchema,
  ErrorBodySchema,
  FollowUpSchema,
  ReceiptSchema,
  RecoverySchema,
  ReplySchema,
  SiteConfigSchema,
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
    expectTypeOf<v.InferOutput<typeof ReplySchema>>().toEqualTypeOf<Reply>()
    expectTypeOf<v.InferOutput<typeof StatusReportSchema>>().toEqualTypeOf<StatusReport>()
    expectTypeOf<v.InferOutput<typeof FollowUpSchema>>().toEqualTypeOf<FollowUp>()
    expectTypeOf<v.InferOutput<typeof ErrorBodySchema>>().toEqualTypeOf<ErrorBody>()
    expectTypeOf<v.InferOutput<typeof SiteConfigSchema>>().toEqualTypeOf<SiteConfig>()
  })

  it('keeps the enums as literal unions', () => {
    expectTypeOf<Severity>().toEqualTypeOf<'minor' | 'major' | 'critical'>()
    expectTypeOf<Status>().toEqualTypeOf<
      'received' | 'in_progress' | 'resolved' | 'closed' | 'reopened'
    >()
  })
})

describe('StatusReport', () => {
  it('may carry the owner’s replies, each with an optional author', () => {
    expectTypeOf<StatusReport['replies']>().toEqualTypeOf<Reply[] | undefined>()
    expectTypeOf<Reply['author']>().toEqualTypeOf<string | undefined>()
    const before: StatusReport = {
      id: 'cmp_1',
      reference: 'R-7K3Q9',
      status: 'received',
      recoveries: [],
      updatedAt: '2026-11-23T10:00:00Z',
    }
    const after: StatusReport = {
      ...before,
      status: 'in_progress',
      replies: [{ message: 'We are on it', author: 'Ana', at: '2026-11-23T10:05:00Z' }],
    }
    // @ts-expect-error a reply needs its time
    const undated: Reply = { message: 'Soon' }
    void after
    void undated
  })
})
