/**
 * @module The admin API client: one `request` that sends the admin token
 * (token mode) or rides on the session cookie with its CSRF token (session
 * mode, a person signed in), turns every failure into an `AdminApiError`
 * with the server's code, message and field, and the typed calls the views use. Each call sends what
 * the contract (`@redress/protocol/admin`) says its route takes, typed by the
 * input type of the server's own schema (`ComplaintPatch`, `SitePatch`, …),
 * and reads the contract's answer type. Nothing is checked at runtime here:
 * the server does, with those schemas, and the types cost no bytes.
 */
import { AdminApiError } from './errors'
import type {
  AdminErrorBody,
  AlertPage,
  AlertQuery,
  AlertView,
  ApiToken,
  ApproveBody,
  Caps,
  ComplaintDetail,
  ComplaintFiltersQuery,
  ComplaintListQuery,
  ComplaintPage,
  ComplaintPatch,
  CouponPoolSummary,
  CreatedApiToken,
  CreatedVerificationSecret,
  CreatedWebhook,
  Insights,
  InsightsQuery,
  Invite,
  Invited,
  LimitQuery,
  ListFilters,
  MemberPatch,
  NoticeCreate,
  NoticePage,
  NoticePatch,
  NoticeView,
  RemedyRequest,
  RemedyResult,
  ReplyBody,
  ReplyView,
  RotationBody,
  SessionView,
  SignIn,
  SiteChange,
  SitePatch,
  SiteView,
  TeamMember,
  TokenCreate,
  VerificationSecret,
  WebhookCreate,
  WebhookDelivery,
  WebhookEndpoint,
} from './types'

export { AdminApiError }

export interface RequestInit {
  method?: string
  /** Sent as JSON, or as is when a string (with `contentType`). */
  body?: unknown
  contentType?: string
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** `202` of a webhook test or a replayed delivery: the delivery queued (`id` is its `webhook-id`). */
export type QueuedDelivery = Pick<WebhookDelivery, 'id' | 'status'>

export interface AdminApi {
  /** The raw call, for anything below does not cover (untyped: prefer a call below). */
  request<T>(path: string, init?: RequestInit): Promise<T>
  /** `GET /complaints`: one page of the list, newest first. */
  list(filters: ListFilters, cursor?: string | null, limit?: number): Promise<ComplaintPage>
  complaint(id: string): Promise<ComplaintDetail>
  /** `PATCH /complaints/{id}`: at least one of status, assignee, rootCause, recoveryAppropriate. */
  patch(id: string, changes: ComplaintPatch): Promise<ComplaintDetail>
  reply(id: string, reply: ReplyBody, idempotencyKey: string): Promise<ReplyView>
  caps(id: string): Promise<Caps>
  /** `POST /complaints/{id}/recoveries`: each kind with only what it may carry. */
  issue(id: string, remedy: RemedyRequest, idempotencyKey: string): Promise<RemedyResult>
  /** Approve (another `value` than the drafted one, if given) or reject a pending remedy. */
  decide(
    recoveryId: string,
    decision: 'approve' | 'reject',
    value?: ApproveBody['value'],
  ): Promise<RemedyResult>
  /** A complaint's photo (`AttachmentView.url`), as bytes to show from a `blob:` URL. */
  photo(url: string, signal?: AbortSignal): Promise<Blob>
  site(): Promise<SiteView>
  /** `PATCH /site`: at least one of origins, categories, policy, rateLimits, guarantee, mail, alerts. */
  patchSite(changes: SitePatch): Promise<SiteView>
  /**
   * `GET /alerts`: the early warnings raised, newest first; `dismissed: false`
   * only those nobody put away, `true` only those put away, absent all of them.
   */
  alerts(options?: { dismissed?: boolean; limit?: number }): Promise<AlertPage>
  /** `POST /alerts/{id}/dismiss`: put an alert away (again is fine: the same answer). */
  dismissAlert(alertId: string): Promise<AlertView>
  /** `GET /notices`: the known-issue notices, those not ended (running, upcoming) first, then ended ones. */
  notices(): Promise<NoticePage>
  /** `POST /notices`: publish one (`409 conflict` when 50 have not ended). */
  createNotice(body: NoticeCreate): Promise<NoticeView>
  /** `PATCH /notices/{id}`: any of messages, level, page, startsAt, endsAt; `{ endsAt: now }` ends it. */
  patchNotice(noticeId: string, patch: NoticePatch): Promise<NoticeView>
  /** `DELETE /notices/{id}`: gone from pages with their next settings (`204`). */
  deleteNotice(noticeId: string): Promise<void>
  webhooks(): Promise<{ items: WebhookEndpoint[] }>
  deliveries(endpointId: string): Promise<{ items: WebhookDelivery[] }>
  insights(days: number, signal?: AbortSignal): Promise<Insights>
  siteChanges(limit?: number): Promise<{ items: SiteChange[] }>
  couponPool(): Promise<CouponPoolSummary>
  /** `text/csv` with the header `code,value,expires_at`. */
  uploadCouponPool(csv: string): Promise<{ added: number; skipped: number }>
  /** `POST /webhooks`: `types` all of them when absent. */
  createWebhook(endpoint: WebhookCreate): Promise<CreatedWebhook>
  disableWebhook(endpointId: string): Promise<WebhookEndpoint>
  testWebhook(endpointId: string): Promise<QueuedDelivery>
  replayDelivery(deliveryId: string): Promise<QueuedDelivery>
  /** The secrets that still verify customer tokens, newest first, without their value. */
  verificationSecrets(): Promise<{ items: VerificationSecret[] }>
  /**
   * A new current secret, its value shown this once; the older ones keep
   * verifying for `overlapHours` (the server's default, 24, when absent).
   */
  rotateVerificationSecret(
    overlapHours?: NonNullable<RotationBody>['overlapHours'],
  ): Promise<CreatedVerificationSecret>
  /** `GET /session`: who is signed in with this browser's cookie (`401` when nobody). */
  session(): Promise<SessionView>
  /** `POST /session`: sign in; `401 totp_required` when the person's second factor is on and `totp` is missing. */
  signIn(body: SignIn): Promise<SessionView>
  /** `DELETE /session`: sign out (`204`). */
  signOut(): Promise<void>
  /** `POST /session/link`: mail a one-time sign-in link (`202` whatever the address). */
  requestLink(email: string): Promise<void>
  /** `POST /session/link/use`: sign in with a mailed link's token. */
  useLink(token: string): Promise<SessionView>
  /** `POST /invites/accept`: set a password with an invitation's token, and sign in. */
  acceptInvite(token: string, password: string): Promise<SessionView>
  /** `GET /team`: the site's people, in the order they were invited. */
  team(): Promise<{ items: TeamMember[] }>
  /** `POST /team`: invite a person; the answer carries their invitation link, shown once. */
  invite(body: Invite): Promise<Invited>
  /** `PATCH /team/{id}`: any of name, role, remedyLimit, dayLimit, disabled. */
  patchMember(memberId: string, patch: MemberPatch): Promise<TeamMember>
  /** `POST /team/{id}/invite`: a new invitation link for someone who has not set a password. */
  reinvite(memberId: string): Promise<{ inviteUrl: string }>
  /** `GET /tokens`: the API tokens, without their secrets. */
  tokens(): Promise<{ items: ApiToken[] }>
  /** `POST /tokens`: a token and its secret (`rdt_…`), shown this once. */
  createToken(body: TokenCreate): Promise<CreatedApiToken>
  /** `DELETE /tokens/{id}`: revoke it; answers the revoked token. */
  revokeToken(tokenId: string): Promise<ApiToken>
  /** `POST /site/admin-token`: a new admin token, shown once; the old one stops at once. */
  newAdminToken(): Promise<{ adminToken: string }>
  /** `POST /me/totp`: a new second-factor secret, not in force until confirmed. */
  startTotp(): Promise<{ secret: string; otpauthUrl: string }>
  /** `POST /me/totp/confirm`: turn the second factor on with a current code. */
  confirmTotp(code: string): Promise<TeamMember>
  /** `DELETE /me/totp`: turn it off, with a current code. */
  stopTotp(code: string): Promise<TeamMember>
}

/**
 * The query string of one of the contract's query types `Q` (whose keys are
 * the route's query parameters): each value as text (booleans as
 * `true`/`false`), empty and absent ones left out.
 */
function search<Q>(
  query: {
    [K in keyof Q]?: string | number | boolean | null | undefined
  },
): URLSearchParams {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value != null && value !== '') params.set(key, String(value))
  }
  return params
}

/** The query string of the list's filters; empty values are left out. */
export const filterQuery = (filters: ListFilters): URLSearchParams =>
  search<ComplaintFiltersQuery>(filters)

/**
 * The client for one admin or API token (`token`), or for the person the
 * session cookie names (`csrfToken`, sent with every request that is not a
 * GET; the cookie itself is the browser's, sent with `credentials:
 * 'same-origin'`). With neither it can only sign in. `onUnauthorized` runs
 * when the server refuses the token or the session (rotated, expired,
 * signed out elsewhere).
 *
 * @example
 * const api = createAdminApi({ token, onUnauthorized: signOut })
 * const { items } = await api.list({ status: 'received' })
 * const person = createAdminApi({ csrfToken: session.csrfToken })
 */
export function createAdminApi(options: {
  token?: string
  csrfToken?: string
  base?: string
  onUnauthorized?: () => void
  fetch?: typeof fetch
}): AdminApi {
  const base = options.base ?? ''
  const send = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args))

  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const method = init.method ?? 'GET'
    const headers: Record<string, string> = { ...init.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    // The cookie alone would let another page's form act as the person: the server wants this too.
    else if (options.csrfToken && method !== 'GET') headers['x-csrf-token'] = options.csrfToken
    let body: string | undefined
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
      headers['content-type'] = init.contentType ?? 'application/json'
    }
    let response: Response
    try {
      response = await send(`${base}/v1/admin${path}`, {
        method,
        headers,
        body,
        signal: init.signal,
        // A token needs no cookie; a person's session is nothing but one.
        credentials: options.token ? 'omit' : 'same-origin',
      })
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error
      throw new AdminApiError(0, 'network', (error as Error).message)
    }
    if (response.status === 204) return undefined as T
    const text = await response.text()
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    if (!response.ok) {
      // The server answers every failure with an `AdminErrorBody`; a proxy may not.
      const error = (json as Partial<AdminErrorBody> | undefined)?.error
      if (response.status === 401) options.onUnauthorized?.()
      const wait = Number(response.headers.get('retry-after'))
      throw new AdminApiError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? `HTTP ${response.status}`,
        error?.field,
        wait > 0 ? wait : undefined,
      )
    }
    return json as T
  }

  const id = (value: string) => encodeURIComponent(value)
  return {
    request,
    list: (filters, cursor, limit = 25) =>
      request(`/complaints?${search<ComplaintListQuery>({ ...filters, limit, cursor })}`),
    complaint: (complaintId) => request(`/complaints/${id(complaintId)}`),
    patch: (complaintId, changes) =>
      request(`/complaints/${id(complaintId)}`, { method: 'PATCH', body: changes }),
    reply: (complaintId, reply, key) =>
      request(`/complaints/${id(complaintId)}/replies`, {
        method: 'POST',
        body: reply,
        headers: { 'idempotency-key': key },
      }),
    caps: (complaintId) => request(`/complaints/${id(complaintId)}/caps`),
    issue: (complaintId, remedy, key) =>
      request(`/complaints/${id(complaintId)}/recoveries`, {
        method: 'POST',
        body: remedy,
        headers: { 'idempotency-key': key },
      }),
    decide: (recoveryId, decision, value) =>
      request(`/recoveries/${id(recoveryId)}/${decision}`, {
        method: 'POST',
        ...(value !== undefined ? { body: { value } satisfies ApproveBody } : {}),
      }),
    photo: async (url, signal) => {
      // Bytes, not JSON: read here, with the same credentials as every request.
      const response = await send(url, {
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        credentials: options.token ? 'omit' : 'same-origin',
        signal,
      })
      if (response.status === 401) options.onUnauthorized?.()
      if (!response.ok)
        throw new AdminApiError(response.status, 'http_error', `HTTP ${response.status}`)
      return response.blob()
    },
    site: () => request('/site'),
    patchSite: (changes) => request('/site', { method: 'PATCH', body: changes }),
    alerts: ({ dismissed, limit = 25 } = {}) =>
      request(`/alerts?${search<AlertQuery>({ dismissed, limit })}`),
    dismissAlert: (alertId) => request(`/alerts/${id(alertId)}/dismiss`, { method: 'POST' }),
    notices: () => request('/notices'),
    createNotice: (body) => request('/notices', { method: 'POST', body }),
    patchNotice: (noticeId, patch) =>
      request(`/notices/${id(noticeId)}`, { method: 'PATCH', body: patch }),
    deleteNotice: (noticeId) => request(`/notices/${id(noticeId)}`, { method: 'DELETE' }),
    webhooks: () => request('/webhooks'),
    deliveries: (endpointId) => request(`/webhooks/${id(endpointId)}/deliveries`),
    insights: (days, signal) =>
      request(`/insights?${search<InsightsQuery>({ days })}`, signal ? { signal } : {}),
    siteChanges: (limit = 25) => request(`/site/changes?${search<LimitQuery>({ limit })}`),
    couponPool: () => request('/coupon-pool'),
    uploadCouponPool: (csv) =>
      request('/coupon-pool', { method: 'POST', body: csv, contentType: 'text/csv' }),
    createWebhook: (endpoint) => request('/webhooks', { method: 'POST', body: endpoint }),
    disableWebhook: (endpointId) => request(`/webhooks/${id(endpointId)}`, { method: 'DELETE' }),
    testWebhook: (endpointId) => request(`/webhooks/${id(endpointId)}/test`, { method: 'POST' }),
    replayDelivery: (deliveryId) =>
      request(`/deliveries/${id(deliveryId)}/replay`, { method: 'POST' }),
    verificationSecrets: () => request('/site/verification-secrets'),
    rotateVerificationSecret: (overlapHours) =>
      request('/site/verification-secrets', {
        method: 'POST',
        body: (overlapHours === undefined ? {} : { overlapHours }) satisfies RotationBody,
      }),
    session: () => request('/session'),
    signIn: (body) => request('/session', { method: 'POST', body }),
    signOut: () => request('/session', { method: 'DELETE' }),
    requestLink: (email) => request('/session/link', { method: 'POST', body: { email } }),
    useLink: (token) => request('/session/link/use', { method: 'POST', body: { token } }),
    acceptInvite: (token, password) =>
      request('/invites/accept', { method: 'POST', body: { token, password } }),
    team: () => request('/team'),
    invite: (body) => request('/team', { method: 'POST', body }),
    patchMember: (memberId, patch) =>
      request(`/team/${id(memberId)}`, { method: 'PATCH', body: patch }),
    reinvite: (memberId) => request(`/team/${id(memberId)}/invite`, { method: 'POST' }),
    tokens: () => request('/tokens'),
    createToken: (body) => request('/tokens', { method: 'POST', body }),
    revokeToken: (tokenId) => request(`/tokens/${id(tokenId)}`, { method: 'DELETE' }),
    newAdminToken: () => request('/site/admin-token', { method: 'POST' }),
    startTotp: () => request('/me/totp', { method: 'POST' }),
    confirmTotp: (code) => request('/me/totp/confirm', { method: 'POST', body: { code } }),
    stopTotp: (code) => request('/me/totp', { method: 'DELETE', body: { code } }),
  }
}

/** A fresh idempotency key: one per user action, reused if that action is retried. */
export const newKey = () => crypto.randomUUID()
