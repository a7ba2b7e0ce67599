import { describe, expectTypeOf, it } from 'vitest'
import type { FollowUp, RecoveryKind, Score } from '../index'
import type {
  ComplaintDetail,
  CreatedWebhook,
  FairnessGroup,
  Insights,
  RemedyInput,
  RootCause,
  SiteView,
  WebhookEndpoint,
  WebhookEventType,
} from './index'

describe('the admin contract', () => {
  it('keeps its word lists as literal unions', () => {
    expectTypeOf<RootCause>().toEqualTypeOf<
      | 'people'
      | 'process'
      | 'technology'
      | 'supplier'
      | 'third_party'
      | 'external_event'
      | 'customer'
    >()
    expectTypeOf<WebhookEventType>().toEqualTypeOf<
      | 'complaint.created'
      | 'recovery.issued'
      | 'complaint.resolved'
      | 'followup.received'
      | 'reply.sent'
      | 'guarantee.broken'
      | 'alert.raised'
      | 'attachment.added'
    >()
  })

  it('answers follow-ups with null for what the customer left out', () => {
    type Answer = ComplaintDetail['followUps'][number]
    expectTypeOf<Answer['score']>().toEqualTypeOf<Score>()
    expectTypeOf<Answer['comment']>().toEqualTypeOf<string | null>()
    expectTypeOf<Answer['fairness']>().toEqualTypeOf<NonNullable<FollowUp['fairness']> | null>()
  })

  it('reuses one shape wherever the same thing is answered', () => {
    expectTypeOf<Insights['fairness'][number]>().toEqualTypeOf<FairnessGroup>()
    expectTypeOf<CreatedWebhook>().toMatchTypeOf<WebhookEndpoint>()
    expectTypeOf<RemedyInput['kind']>().toEqualTypeOf<RecoveryKind>()
  })

  it('keeps the site policy loose beyond what clients read', () => {
    type Policy = SiteView['policy']['effective']
    const caps = {} as Policy['caps']
    const goodwill = {} as Policy['goodwill']
    const policy: Policy = { currency: 'EUR', caps, goodwill, coupon: { source: 'pool' } }
    expectTypeOf(policy.caps.perSiteDay).toEqualTypeOf<number>()
    expectTypeOf(policy.coupon).toEqualTypeOf<unknown>()
    // @ts-expect-error the currency is required
    const missing: Policy = { caps, goodwill }
    void missing
  })
})
