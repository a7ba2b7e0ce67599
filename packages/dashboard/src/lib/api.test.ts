// The admin API client: what it sends for each call, how it reads a failure,
// and (checked by `tsc`, not run) that every request and error code is the
// contract's: a wrong body or a code that does not exist does not compile.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { remedyRequest } from '../complaint/RemedyForm'
import { fakeServer } from '../test/_fake-server'
import { complaint, TEAM } from '../test/fake-data'
import { type AdminApi, createAdminApi, filterQuery, type QueuedDelivery } from './api'
import { AdminApiError, type ApiErrorCode, errorCode, failureText } from './errors'
import type {
  AdminErrorCode,
  AlertPage,
  AlertView,
  ApproveBody,
  ComplaintFiltersQuery,
  ComplaintPatch,
  ListFilters,
  NoticeCreate,
  NoticePage,
  NoticePatch,
  NoticeView,
  RemedyRequest,
  ReplyBody,
  RotationBody,
  SitePatch,
  WebhookCreate,
} from './types'

interface Sent {
  url: string
  method: string
  headers: Record<string, string>
  body: string | undefined
  credentials: RequestCredentials | undefined
}

/**
 * A client whose `fetch` records each request and answers `answer`: with the
 * admin token `rdk_test`, or as a person with `auth` (`{ csrfToken }`).
 */
function clientAnswering(
  answer: () => Response | Promise<Response>,
  auth: { token?: string; csrfToken?: string } = { token: 'rdk_test' },
) {
  const sent: Sent[] = []
  const api = createAdminApi({
    ...auth,
    fetch: async (input, init) => {
      sent.push({
        url: String(input),
        method: init?.method ?? 'GET',
        headers: init?.headers as Record<string, string>,
        body: init?.body as string | undefined,
        credentials: init?.credentials,
      })
      return answer()
    },
  })
  return { api, sent }
}

const ok = (body: unknown = {}) => new Response(JSON.stringify(body), { status: 200 })

/** Nothing here runs: the body is for the type checker only. */
const typeOnly = (_check: () => unknown) => {}

describe('createAdminApi', () => {
  it('sends the list’s filters as the contract’s query parameters', async () => {
    const { api, sent } = clientAnswering(() => ok({ items: [], nextCursor: null }))
    await api.list({ status: 'received', pending: true, q: '', hasRemedy: false }, 'abc', 10)
    expect(sent[0]!.url).toBe(
      '/v1/admin/complaints?status=received&pending=true&hasRemedy=false&limit=10&cursor=abc',
    )
    await api.list({}, null)
    expect(sent[1]!.url).toBe('/v1/admin/complaints?limit=25')
    expect(filterQuery({ severity: 'major', suspected: true }).toString()).toBe(
      'severity=major&suspected=true',
    )
    // An early warning's affected complaints, as the inbox's address and the list carry them.
    expect(filterQuery({ alert: 'alt_1', q: '' }).toString()).toBe('alert=alt_1')
    await api.list({ alert: 'alt_1' }, null)
    expect(sent[2]!.url).toBe('/v1/admin/complaints?alert=alt_1&limit=25')
  })

  it('lists the early warnings and puts one away', async () => {
    const { api, sent } = clientAnswering(() => ok({ items: [] }))
    await api.alerts({ dismissed: false })
    await api.alerts()
    await api.alerts({ dismissed: true, limit: 100 })
    await api.dismissAlert('alt 1')
    expect(sent.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['GET', '/v1/admin/alerts?dismissed=false&limit=25', undefined],
      ['GET', '/v1/admin/alerts?limit=25', undefined],
      ['GET', '/v1/admin/alerts?dismissed=true&limit=100', undefined],
      ['POST', '/v1/admin/alerts/alt%201/dismiss', undefined],
    ])
    const body = { error: { code: 'not_found', message: 'No alert alt_9' } }
    const missing = clientAnswering(() => new Response(JSON.stringify(body), { status: 404 }))
    expect(await missing.api.dismissAlert('alt_9').catch((e) => e)).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'No alert alt_9',
    })
  })

  it('lists, publishes, changes, ends and deletes known-issue notices', async () => {
    const { api, sent } = clientAnswering(() => ok({ items: [] }))
    await api.notices()
    await api.createNotice({
      messages: { en: 'Card payments fail; we are on it.' },
      level: 'warning',
      page: '/checkout',
      alertId: 'alt_1',
    })
    await api.patchNotice('ntc 1', { page: null, messages: { 'zh-CN': '银行卡支付暂时失败。' } })
    await api.patchNotice('ntc_1', { endsAt: '2026-12-04T18:00:00.000Z' })
    expect(sent.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['GET', '/v1/admin/notices', undefined],
      [
        'POST',
        '/v1/admin/notices',
        '{"messages":{"en":"Card payments fail; we are on it."},"level":"warning","page":"/checkout","alertId":"alt_1"}',
      ],
      [
        'PATCH',
        '/v1/admin/notices/ntc%201',
        '{"page":null,"messages":{"zh-CN":"银行卡支付暂时失败。"}}',
      ],
      ['PATCH', '/v1/admin/notices/ntc_1', '{"endsAt":"2026-12-04T18:00:00.000Z"}'],
    ])
    // A deletion answers 204 without a body.
    const gone = clientAnswering(() => new Response(null, { status: 204 }))
    expect(await gone.api.deleteNotice('ntc_1')).toBeUndefined()
    expect([gone.sent[0]!.method, gone.sent[0]!.url]).toEqual(['DELETE', '/v1/admin/notices/ntc_1'])
    // The 51st notice that has not ended, and one that is not there.
    const body = {
      error: { code: 'conflict', message: 'The site has 50 notices that have not ended' },
    }
    const full = clientAnswering(() => new Response(JSON.stringify(body), { status: 409 }))
    expect(await full.api.createNotice({ messages: { en: 'x' } }).catch((e) => e)).toMatchObject({
      status: 409,
      code: 'conflict',
    })
    const missing = clientAnswering(
      () =>
        new Response(JSON.stringify({ error: { code: 'not_found', message: 'No notice ntc_9' } }), {
          status: 404,
        }),
    )
    expect(await missing.api.deleteNotice('ntc_9').catch((e) => e)).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'No notice ntc_9',
    })
  })

  it('sends each body as JSON with the token and the idempotency key', async () => {
    const { api, sent } = clientAnswering(() => ok())
    await api.patch('cmp 1', { status: 'resolved', assignee: null })
    await api.reply('cmp_1', { message: 'Sorry', author: 'Ana' }, 'key-1')
    await api.issue('cmp_1', { kind: 'coupon', value: 500, label: '{amount} off' }, 'key-2')
    await api.decide('rcv_1', 'approve', 300)
    await api.decide('rcv_1', 'reject')
    await api.patchSite({ origins: ['https://shop.example'] })
    await api.createWebhook({ url: 'https://hooks.example/r', types: ['reply.sent'] })
    await api.rotateVerificationSecret()
    await api.insights(90)
    await api.siteChanges(20)
    expect(sent.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['PATCH', '/v1/admin/complaints/cmp%201', '{"status":"resolved","assignee":null}'],
      ['POST', '/v1/admin/complaints/cmp_1/replies', '{"message":"Sorry","author":"Ana"}'],
      [
        'POST',
        '/v1/admin/complaints/cmp_1/recoveries',
        '{"kind":"coupon","value":500,"label":"{amount} off"}',
      ],
      ['POST', '/v1/admin/recoveries/rcv_1/approve', '{"value":300}'],
      ['POST', '/v1/admin/recoveries/rcv_1/reject', undefined],
      ['PATCH', '/v1/admin/site', '{"origins":["https://shop.example"]}'],
      ['POST', '/v1/admin/webhooks', '{"url":"https://hooks.example/r","types":["reply.sent"]}'],
      ['POST', '/v1/admin/site/verification-secrets', '{}'],
      ['GET', '/v1/admin/insights?days=90', undefined],
      ['GET', '/v1/admin/site/changes?limit=20', undefined],
    ])
    expect(sent[0]!.headers).toMatchObject({
      authorization: 'Bearer rdk_test',
      'content-type': 'application/json',
    })
    expect(sent[1]!.headers['idempotency-key']).toBe('key-1')
    expect(sent[2]!.headers['idempotency-key']).toBe('key-2')
  })

  it('rides on the session cookie as a person, with the CSRF token on every change', async () => {
    const { api, sent } = clientAnswering(() => ok({ items: [], nextCursor: null }), {
      csrfToken: 'csrf_1',
    })
    await api.list({ mine: true, unassigned: true, awaitingMe: true })
    await api.patch('cmp_1', { assignee: 'me' })
    await api.decide('rcv_1', 'approve')
    expect(sent.map(({ url, method }) => [method, url])).toEqual([
      ['GET', '/v1/admin/complaints?mine=true&unassigned=true&awaitingMe=true&limit=25'],
      ['PATCH', '/v1/admin/complaints/cmp_1'],
      ['POST', '/v1/admin/recoveries/rcv_1/approve'],
    ])
    for (const request of sent) {
      expect(request.credentials).toBe('same-origin')
      expect(request.headers.authorization).toBeUndefined()
    }
    expect(sent.map((request) => request.headers['x-csrf-token'])).toEqual([
      undefined,
      'csrf_1',
      'csrf_1',
    ])
    // A token sends no cookie and needs no CSRF token.
    const tokenMode = clientAnswering(() => ok())
    await tokenMode.api.patch('cmp_1', { status: 'resolved' })
    expect(tokenMode.sent[0]!.credentials).toBe('omit')
    expect(tokenMode.sent[0]!.headers['x-csrf-token']).toBeUndefined()
  })

  it('signs in and out, and calls the team, token and second-factor routes', async () => {
    const { api, sent } = clientAnswering(() => ok(), {})
    await api.session()
    await api.signIn({
      email: 'ana@shop.example',
      password: 'correct horse battery',
      totp: '123456',
    })
    await api.requestLink('ana@shop.example')
    await api.useLink('lnk 1')
    await api.acceptInvite('inv_1', 'correct horse battery')
    await api.signOut()
    await api.team()
    await api.invite({ email: 'li@shop.example', name: 'Li', role: 'agent', remedyLimit: 1000 })
    await api.patchMember('usr 1', { role: 'manager', dayLimit: null })
    await api.reinvite('usr_1')
    await api.tokens()
    await api.createToken({ name: 'Export', scopes: ['read'] })
    await api.revokeToken('tok_1')
    await api.newAdminToken()
    await api.startTotp()
    await api.confirmTotp('123456')
    await api.stopTotp('654321')
    expect(sent.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['GET', '/v1/admin/session', undefined],
      [
        'POST',
        '/v1/admin/session',
        '{"email":"ana@shop.example","password":"correct horse battery","totp":"123456"}',
      ],
      ['POST', '/v1/admin/session/link', '{"email":"ana@shop.example"}'],
      ['POST', '/v1/admin/session/link/use', '{"token":"lnk 1"}'],
      ['POST', '/v1/admin/invites/accept', '{"token":"inv_1","password":"correct horse battery"}'],
      ['DELETE', '/v1/admin/session', undefined],
      ['GET', '/v1/admin/team', undefined],
      [
        'POST',
        '/v1/admin/team',
        '{"email":"li@shop.example","name":"Li","role":"agent","remedyLimit":1000}',
      ],
      ['PATCH', '/v1/admin/team/usr%201', '{"role":"manager","dayLimit":null}'],
      ['POST', '/v1/admin/team/usr_1/invite', undefined],
      ['GET', '/v1/admin/tokens', undefined],
      ['POST', '/v1/admin/tokens', '{"name":"Export","scopes":["read"]}'],
      ['DELETE', '/v1/admin/tokens/tok_1', undefined],
      ['POST', '/v1/admin/site/admin-token', undefined],
      ['POST', '/v1/admin/me/totp', undefined],
      ['POST', '/v1/admin/me/totp/confirm', '{"code":"123456"}'],
      ['DELETE', '/v1/admin/me/totp', '{"code":"654321"}'],
    ])
    // Before signing in there is no session: no CSRF token to send.
    expect(sent.every((request) => request.headers['x-csrf-token'] === undefined)).toBe(true)
  })

  it('reads Retry-After from a 429', async () => {
    const body = { error: { code: 'rate_limited', message: 'Too many sign-in attempts' } }
    const { api } = clientAnswering(
      () => new Response(JSON.stringify(body), { status: 429, headers: { 'retry-after': '90' } }),
      {},
    )
    expect(await api.signIn({ email: 'a@b.example', password: 'x' }).catch((e) => e)).toMatchObject(
      { status: 429, code: 'rate_limited', retryAfter: 90 },
    )
  })

  it('is refused a change without the CSRF token by the fake server, as by the server', async () => {
    const server = fakeServer({ team: [TEAM.owner], complaints: [complaint()] })
    server.people.signIn(TEAM.owner.id)
    const [id] = [...server.complaints.keys()]
    const without = createAdminApi({ fetch: server.fetch })
    expect(await without.patch(id!, { status: 'resolved' }).catch((e) => e)).toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'Send the session’s CSRF token as X-CSRF-Token',
    })
    // Reading needs none.
    expect((await without.list({})).items).toHaveLength(1)
    const person = createAdminApi({
      fetch: server.fetch,
      csrfToken: server.people.session!.csrf,
    })
    expect((await person.patch(id!, { status: 'resolved' })).status).toBe('resolved')
  })

  it('reads a failure as the server’s code, message and field', async () => {
    const body = { error: { code: 'cap_exceeded', message: 'Over the cap', field: 'value' } }
    const { api } = clientAnswering(() => new Response(JSON.stringify(body), { status: 409 }))
    const caught = await api.issue('cmp_1', { kind: 'refund', value: 9000 }, 'k').catch((e) => e)
    expect(caught).toBeInstanceOf(AdminApiError)
    expect(caught).toMatchObject({
      status: 409,
      code: 'cap_exceeded',
      message: 'Over the cap',
      field: 'value',
    })
    expect(errorCode(caught)).toBe('cap_exceeded')
    expect(failureText(caught)).toBe('Over the cap')
  })

  it('sets its own code when no error body or no answer came', async () => {
    const proxy = clientAnswering(() => new Response('<h1>Bad gateway</h1>', { status: 502 }))
    expect(await proxy.api.site().catch((e) => e)).toMatchObject({
      status: 502,
      code: 'http_error',
      message: 'HTTP 502',
      field: undefined,
    })
    const offline = clientAnswering(() => {
      throw new TypeError('Failed to fetch')
    })
    expect(await offline.api.site().catch((e) => e)).toMatchObject({ status: 0, code: 'network' })
  })
})

describe('remedyRequest', () => {
  it('gives each kind only what it may carry', () => {
    expect(remedyRequest('coupon', 500, '{amount} off')).toEqual({
      kind: 'coupon',
      value: 500,
      label: '{amount} off',
    })
    expect(remedyRequest('refund', 900, 'Sorry')).toEqual({
      kind: 'refund',
      value: 900,
      message: 'Sorry',
    })
    expect(remedyRequest('replacement', undefined)).toEqual({ kind: 'replacement' })
    expect(JSON.stringify(remedyRequest('apology', 100, 'Sorry'))).toBe(
      '{"kind":"apology","message":"Sorry"}',
    )
    expect(remedyRequest('coupon', undefined, 'x')).toBeNull()
    expect(remedyRequest('refund', undefined)).toBeNull()
  })
})

describe('the client’s types (checked by tsc)', () => {
  it('takes the contract’s request types and answers its response types', () => {
    expectTypeOf<AdminApi['patch']>().parameter(1).toEqualTypeOf<ComplaintPatch>()
    expectTypeOf<AdminApi['patchSite']>().parameter(0).toEqualTypeOf<SitePatch>()
    expectTypeOf<AdminApi['reply']>().parameter(1).toEqualTypeOf<ReplyBody>()
    expectTypeOf<AdminApi['issue']>().parameter(1).toEqualTypeOf<RemedyRequest>()
    expectTypeOf<AdminApi['createWebhook']>().parameter(0).toEqualTypeOf<WebhookCreate>()
    expectTypeOf<AdminApi['decide']>().parameter(2).toEqualTypeOf<ApproveBody['value']>()
    expectTypeOf<AdminApi['rotateVerificationSecret']>()
      .parameter(0)
      .toEqualTypeOf<NonNullable<RotationBody>['overlapHours']>()
    expectTypeOf<AdminApi['testWebhook']>().returns.toEqualTypeOf<Promise<QueuedDelivery>>()
    expectTypeOf<AdminApi['alerts']>().returns.toEqualTypeOf<Promise<AlertPage>>()
    expectTypeOf<AdminApi['dismissAlert']>().returns.toEqualTypeOf<Promise<AlertView>>()
    expectTypeOf<AdminApi['notices']>().returns.toEqualTypeOf<Promise<NoticePage>>()
    expectTypeOf<AdminApi['createNotice']>().parameter(0).toEqualTypeOf<NoticeCreate>()
    expectTypeOf<AdminApi['createNotice']>().returns.toEqualTypeOf<Promise<NoticeView>>()
    expectTypeOf<AdminApi['patchNotice']>().parameter(1).toEqualTypeOf<NoticePatch>()
    expectTypeOf<AdminApi['patchNotice']>().returns.toEqualTypeOf<Promise<NoticeView>>()
    // Every filter is one of the contract's query parameters, and the reverse.
    expectTypeOf<keyof ListFilters>().toEqualTypeOf<keyof ComplaintFiltersQuery>()
  })

  it('refuses a request body the server would refuse', () => {
    typeOnly(() => {
      const api = {} as AdminApi
      // @ts-expect-error not a status
      void api.patch('cmp_1', { status: 'done' })
      // @ts-expect-error not a field of the patch
      void api.patch('cmp_1', { colour: 'red' })
      // @ts-expect-error an assignee is a name or null
      void api.patch('cmp_1', { assignee: 7 })
      // @ts-expect-error not a root cause
      void api.patch('cmp_1', { rootCause: 'gremlins' })
      // @ts-expect-error a reply needs its message
      void api.reply('cmp_1', { author: 'Ana' }, 'key')
      // @ts-expect-error an apology costs nothing
      void api.issue('cmp_1', { kind: 'apology', value: 100 }, 'key')
      // @ts-expect-error a coupon needs a value
      void api.issue('cmp_1', { kind: 'coupon' }, 'key')
      // @ts-expect-error only a coupon has a label
      void api.issue('cmp_1', { kind: 'refund', value: 100, label: 'x' }, 'key')
      // @ts-expect-error not a failure type
      void api.patchSite({ categories: [{ id: 'late', failureType: 'blame' }] })
      // @ts-expect-error a guarantee's remedy is a coupon
      void api.patchSite({ guarantee: { text: 'x', firstReplyWithin: 'PT2H', remedy: null } })
      // @ts-expect-error not a setting of the site
      void api.patchSite({ name: 'Shop' })
      // @ts-expect-error not an event type
      void api.createWebhook({ url: 'https://hooks.example', types: ['complaint.made'] })
      // @ts-expect-error the team's mails are in one of the protocol's locales
      void api.patchSite({ mail: { teamLocale: 'fr' } })
      // @ts-expect-error a notice needs its messages
      void api.createNotice({ page: '/checkout' })
      // @ts-expect-error a notice is info or a warning
      void api.createNotice({ messages: { en: 'x' }, level: 'urgent' })
      // @ts-expect-error a notice's messages are in the protocol's locales
      void api.createNotice({ messages: { fr: 'x' } })
      // @ts-expect-error the alert a notice answers is fixed once published
      void api.patchNotice('ntc_1', { alertId: 'alt_2' })
    })
  })

  it('compares codes against the contract’s union', () => {
    expectTypeOf<AdminApiError['code']>().toEqualTypeOf<ApiErrorCode>()
    expectTypeOf<ApiErrorCode>().toEqualTypeOf<AdminErrorCode | 'network' | 'http_error'>()
    expectTypeOf<'conflict' | 'cap_exceeded' | 'invalid_request'>().toExtend<ApiErrorCode>()
    expectTypeOf(errorCode).returns.toEqualTypeOf<ApiErrorCode | undefined>()
    typeOnly(() => {
      const error = new AdminApiError(409, 'conflict', 'Taken', 'assignee')
      // @ts-expect-error a typo of cap_exceeded
      void (error.code === 'cap_exceded')
      // @ts-expect-error not a code of the admin API
      void (errorCode(error) === 'conflicted')
      // @ts-expect-error not a code of the admin API
      void new AdminApiError(400, 'bad_request', 'No')
    })
  })
})
