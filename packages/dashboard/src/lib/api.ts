/**
 * @module The admin API client: one `request` that sends the admin token and
 * turns every failure into an `AdminApiError` with the server's code,
 * message and field, and the typed calls the views use.
 */
import type {
  Caps,
  ComplaintDetail,
  ComplaintPage,
  CouponPoolSummary,
  CreatedVerificationSecret,
  CreatedWebhook,
  Insights,
  ListFilters,
  RemedyInput,
  RemedyResult,
  ReplyView,
  SiteChange,
  SiteView,
  VerificationSecret,
  WebhookDelivery,
  WebhookEndpoint,
} from './types'

/** A failed admin API call: the server's `{ error: { code, message, field? } }`. */
export class AdminApiError extends Error {
  override name = 'AdminApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

export interface RequestInit {
  method?: string
  /** Sent as JSON, or as is when a string (with `contentType`). */
  body?: unknown
  contentType?: string
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface AdminApi {
  /** The raw call, for anything below does not cover. */
  request<T>(path: string, init?: RequestInit): Promise<T>
  list(filters: ListFilters, cursor?: string | null, limit?: number): Promise<ComplaintPage>
  complaint(id: string): Promise<ComplaintDetail>
  patch(id: string, changes: Record<string, unknown>): Promise<ComplaintDetail>
  reply(
    id: string,
    reply: { message: string; author?: string | null },
    idempotencyKey: string,
  ): Promise<ReplyView>
  caps(id: string): Promise<Caps>
  issue(id: string, remedy: RemedyInput, idempotencyKey: string): Promise<RemedyResult>
  decide(recoveryId: string, decision: 'approve' | 'reject', value?: number): Promise<RemedyResult>
  site(): Promise<SiteView>
  patchSite(changes: Record<string, unknown>): Promise<SiteView>
  webhooks(): Promise<{ items: WebhookEndpoint[] }>
  deliveries(endpointId: string): Promise<{ items: WebhookDelivery[] }>
  insights(days: number, signal?: AbortSignal): Promise<Insights>
  siteChanges(limit?: number): Promise<{ items: SiteChange[] }>
  couponPool(): Promise<CouponPoolSummary>
  /** `text/csv` with the header `code,value,expires_at`. */
  uploadCouponPool(csv: string): Promise<{ added: number; skipped: number }>
  createWebhook(url: string, types: string[]): Promise<CreatedWebhook>
  disableWebhook(endpointId: string): Promise<WebhookEndpoint>
  testWebhook(endpointId: string): Promise<unknown>
  replayDelivery(deliveryId: string): Promise<{ id: string; status: string }>
  /** The secrets that still verify customer tokens, newest first, without their value. */
  verificationSecrets(): Promise<{ items: VerificationSecret[] }>
  /**
   * A new current secret, its value shown this once; the older ones keep
   * verifying for `overlapHours` (the server's default, 24, when absent).
   */
  rotateVerificationSecret(overlapHours?: number): Promise<CreatedVerificationSecret>
}

/** The query string of the list's filters; empty values are left out. */
export function filterQuery(filters: ListFilters): URLSearchParams {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === '') continue
    query.set(key, String(value))
  }
  return query
}

/**
 * The client for one admin token. `onUnauthorized` runs when the server
 * refuses the token (it was rotated, or mistyped at sign-in).
 *
 * @example
 * const api = createAdminApi({ token, onUnauthorized: signOut })
 * const { items } = await api.list({ status: 'received' })
 */
export function createAdminApi(options: {
  token: string
  base?: string
  onUnauthorized?: () => void
  fetch?: typeof fetch
}): AdminApi {
  const base = options.base ?? ''
  const send = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args))

  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      ...init.headers,
    }
    let body: string | undefined
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
      headers['content-type'] = init.contentType ?? 'application/json'
    }
    let response: Response
    try {
      response = await send(`${base}/v1/admin${path}`, {
        method: init.method ?? 'GET',
        headers,
        body,
        signal: init.signal,
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
      const error = (json as { error?: { code?: string; message?: string; field?: string } })?.error
      if (response.status === 401) options.onUnauthorized?.()
      throw new AdminApiError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? `HTTP ${response.status}`,
        error?.field,
      )
    }
    return json as T
  }

  const id = (value: string) => encodeURIComponent(value)
  return {
    request,
    list(filters, cursor, limit = 25) {
      const query = filterQuery(filters)
      query.set('limit', String(limit))
      if (cursor) query.set('cursor', cursor)
      return request(`/complaints?${query}`)
    },
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
        ...(value !== undefined ? { body: { value } } : {}),
      }),
    site: () => request('/site'),
    patchSite: (changes) => request('/site', { method: 'PATCH', body: changes }),
    webhooks: () => request('/webhooks'),
    deliveries: (endpointId) => request(`/webhooks/${id(endpointId)}/deliveries`),
    insights: (days, signal) =>
      request(`/insights?days=${encodeURIComponent(days)}`, signal ? { signal } : {}),
    siteChanges: (limit = 25) => request(`/site/changes?limit=${limit}`),
    couponPool: () => request('/coupon-pool'),
    uploadCouponPool: (csv) =>
      request('/coupon-pool', { method: 'POST', body: csv, contentType: 'text/csv' }),
    createWebhook: (url, types) => request('/webhooks', { method: 'POST', body: { url, types } }),
    disableWebhook: (endpointId) => request(`/webhooks/${id(endpointId)}`, { method: 'DELETE' }),
    testWebhook: (endpointId) => request(`/webhooks/${id(endpointId)}/test`, { method: 'POST' }),
    replayDelivery: (deliveryId) =>
      request(`/deliveries/${id(deliveryId)}/replay`, { method: 'POST' }),
    verificationSecrets: () => request('/site/verification-secrets'),
    rotateVerificationSecret: (overlapHours) =>
      request('/site/verification-secrets', {
        method: 'POST',
        body: overlapHours === undefined ? {} : { overlapHours },
      }),
  }
}

/** A fresh idempotency key: one per user action, reused if that action is retried. */
export const newKey = () => crypto.randomUUID()
