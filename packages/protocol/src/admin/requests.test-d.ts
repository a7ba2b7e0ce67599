import type * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import type { RecoveryKind, Status } from '../index'
import type {
  AdminErrorBody,
  AdminErrorCode,
  AdminParseResult,
  ComplaintFiltersSchema,
  ComplaintPatch,
  Guarantee,
  ListCursor,
  ListFilters,
  LiveQuerySchema,
  ParsedComplaintListQuery,
  ParsedComplaintPatch,
  ParsedRemedyRequest,
  ParsedReplyBody,
  ParsedSitePatch,
  ParsedWebhookCreate,
  PolicyOverrides,
  RemedyInput,
  RemedyRequest,
  RootCause,
  SiteCategory,
  SitePatch,
  WebhookEventType,
} from './index'
import { parseAdmin, ReplyBodySchema } from './index'

describe('the request types', () => {
  it('types a complaint patch as the server reads it', () => {
    expectTypeOf<ParsedComplaintPatch>().toEqualTypeOf<{
      status?: Status | undefined
      assignee?: string | null | undefined
      rootCause?: RootCause | null | undefined
      recoveryAppropriate?: boolean | null | undefined
      force?: boolean | undefined
    }>()
    const patch: ComplaintPatch = { status: 'resolved', assignee: null }
    void patch
    // @ts-expect-error not a status
    const wrong: ComplaintPatch = { status: 'done' }
    void wrong
  })

  it('reads the list query as ListFilters with a limit and a cursor', () => {
    expectTypeOf<v.InferOutput<typeof ComplaintFiltersSchema>>().toExtend<ListFilters>()
    expectTypeOf<ParsedComplaintListQuery>().toExtend<ListFilters>()
    expectTypeOf<ParsedComplaintListQuery['limit']>().toEqualTypeOf<number>()
    expectTypeOf<ParsedComplaintListQuery['cursor']>().toEqualTypeOf<ListCursor | undefined>()
    expectTypeOf<v.InferOutput<typeof LiveQuerySchema>>().toEqualTypeOf<{
      after: bigint | undefined
    }>()
  })

  it('types each remedy kind with what it may carry', () => {
    expectTypeOf<ParsedRemedyRequest>().toExtend<RemedyInput>()
    expectTypeOf<ParsedRemedyRequest['kind']>().toEqualTypeOf<RecoveryKind>()
    const coupon: RemedyRequest = { kind: 'coupon', value: 500, label: '{amount} off' }
    void coupon
    // @ts-expect-error an apology costs nothing
    const apology: RemedyRequest = { kind: 'apology', value: 100 }
    void apology
    // @ts-expect-error a coupon needs a value
    const free: RemedyRequest = { kind: 'coupon' }
    void free
  })

  it('gives the site patch the answer types', () => {
    expectTypeOf<ParsedSitePatch['categories']>().toEqualTypeOf<SiteCategory[] | undefined>()
    expectTypeOf<ParsedSitePatch['guarantee']>().toEqualTypeOf<Guarantee | null | undefined>()
    expectTypeOf<ParsedSitePatch['policy']>().toEqualTypeOf<PolicyOverrides | null | undefined>()
    expectTypeOf<ParsedSitePatch['origins']>().toEqualTypeOf<string[] | undefined>()
    const site: SitePatch = { policy: { caps: { perSiteDay: 1000 } }, guarantee: null }
    void site
    expectTypeOf<ParsedWebhookCreate>().toEqualTypeOf<{ url: string; types: WebhookEventType[] }>()
    expectTypeOf<ParsedReplyBody>().toEqualTypeOf<{ message: string; author: string | null }>()
  })
})

describe('errors and parseAdmin', () => {
  it('lists the admin codes as a union', () => {
    expectTypeOf<'conflict'>().toExtend<AdminErrorCode>()
    expectTypeOf<'cap_exceeded'>().toExtend<AdminErrorCode>()
    expectTypeOf<'invalid_request'>().toExtend<AdminErrorCode>()
    expectTypeOf<AdminErrorBody['error']['code']>().toEqualTypeOf<AdminErrorCode>()
  })

  it('narrows on ok', () => {
    const result = parseAdmin(ReplyBodySchema, {})
    expectTypeOf(result).toEqualTypeOf<AdminParseResult<ParsedReplyBody>>()
    if (result.ok) expectTypeOf(result.value.author).toEqualTypeOf<string | null>()
    else expectTypeOf(result.field).toEqualTypeOf<string>()
  })
})
