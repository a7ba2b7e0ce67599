import { describe, expect, it } from 'vitest'
import * as admin from './index'

describe('@redress/protocol/admin', () => {
  it('holds the constant lists, the policy defaults, the request schemas and their helpers', () => {
    // Everything else is a type. Each schema is a module-level constant built
    // by pure calls, so a bundle keeps only those it uses.
    expect(Object.keys(admin).sort()).toEqual([
      'ADMIN_ERROR_CODES',
      'ADMIN_LIMITS',
      'ALERT_LIMITS',
      'AlertQuerySchema',
      'AlertRulesSchema',
      'ApproveBodySchema',
      'CATEGORY_ID',
      'COUPON_SOURCES',
      'CategoriesSchema',
      'ComplaintFiltersSchema',
      'ComplaintListQuerySchema',
      'ComplaintPatchSchema',
      'CouponCodeParamsSchema',
      'DEFAULT_ALERT_RULES',
      'DEFAULT_CAPS',
      'DEFAULT_CURRENCY',
      'DEFAULT_GOODWILL',
      'DEFAULT_POLICY_TEXTS',
      'GuaranteeSchema',
      'HARD_CAP_PERCENT',
      'IdParamsSchema',
      'InsightsQuerySchema',
      'LimitQuerySchema',
      'LiveQuerySchema',
      'MailSettingsSchema',
      'NOTICES_MAX',
      'NoticeCreateSchema',
      'NoticePatchSchema',
      'OriginsSchema',
      'POLICY_REMEDY_KINDS',
      'POLICY_SHAPE',
      'POLICY_TEXT_KEYS',
      'POLICY_TEXT_PLACEHOLDERS',
      'PolicyOverridesSchema',
      'ROOT_CAUSES',
      'RateLimitsSchema',
      'RemedyHeadersSchema',
      'RemedyRequestSchema',
      'ReplyBodySchema',
      'ReplyHeadersSchema',
      'RotationBodySchema',
      'SitePatchSchema',
      'WEBHOOK_EVENT_TYPES',
      'WebhookCreateSchema',
      'alertWindowMs',
      'couponCsvSchema',
      'decodeCursor',
      'isMailAddress',
      'issueField',
      'normalizeOrigin',
      'parseAdmin',
    ])
    expect(admin.ROOT_CAUSES).toContain('third_party')
    expect(admin.WEBHOOK_EVENT_TYPES).toContain('complaint.created')
  })
})
