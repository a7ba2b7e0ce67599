/**
 * @module For tests: a small stand-in for the admin API as the server's
 * README documents it, as a `fetch`. It keeps complaints, alerts, known-issue
 * notices and the site in memory (a site change is checked with the shared
 * contract's `SitePatchSchema`, a notice with `NoticeCreateSchema` and
 * `NoticePatchSchema`, so their refusals name their field as the server's do;
 * each notice change goes to the audit trail, as the server records it),
 * records every request, lets a test make any route answer something else,
 * and streams live events the test pushes.
 */
import { LOCALES } from '@redress/protocol'
import {
  DEFAULT_ALERT_RULES,
  NOTICES_MAX,
  NoticeCreateSchema,
  NoticePatchSchema,
  POLICY_TEXT_KEYS,
  parseAdmin,
  SitePatchSchema,
} from '@redress/protocol/admin'
import type {
  AdminErrorCode,
  AlertView,
  Caps,
  ComplaintDetail,
  CreatedVerificationSecret,
  LiveEvent,
  NoticeView,
  RecoveryRow,
  SiteChange,
  SiteView,
  VerificationSecret,
} from '../lib/types'
import { CAPS, recovery, SERVER_TEXTS, SITE, summaryOf } from './fake-data'

export interface Recorded {
  method: string
  path: string
  query: URLSearchParams
  headers: Record<string, string>
  body: unknown
}

type Reply = { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>
type Handler = (request: Recorded) => Reply | undefined

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
const problem = (status: number, code: AdminErrorCode, message: string, field?: string) => ({
  status,
  body: { error: { code, message, ...(field ? { field } : {}) } },
})

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The texts in force, as the server's `effectivePolicy` makes them: each
 * locale's defaults, with the site's own text where it has one that is not blank.
 */
function effectiveTexts(overrides: Record<string, unknown> | null) {
  const own = isObject(overrides?.texts) ? overrides.texts : {}
  return Object.fromEntries(
    LOCALES.map((locale) => {
      const texts = isObject(own[locale]) ? own[locale] : {}
      return [
        locale,
        Object.fromEntries(
          POLICY_TEXT_KEYS.map((key) => {
            const text = texts[key]
            return [key, typeof text === 'string' && text.trim() ? text : SERVER_TEXTS[locale][key]]
          }),
        ),
      ]
    }),
  )
}

/** `PATCH /v1/admin/site` on the stored site: each field sent replaces its value. */
function patched(site: SiteView, body: unknown): { status: number; body: unknown } {
  const result = parseAdmin(SitePatchSchema, body)
  if (!result.ok) return problem(400, 'invalid_request', result.message, result.field || undefined)
  const patch = result.value
  const next: SiteView = { ...site }
  if (patch.origins !== undefined) next.origins = patch.origins
  if (patch.categories !== undefined) next.categories = patch.categories
  if (patch.guarantee !== undefined) next.guarantee = patch.guarantee
  if (patch.policy !== undefined) {
    const overrides = patch.policy as Record<string, unknown> | null
    next.policy = {
      effective: { ...site.policy.effective, texts: effectiveTexts(overrides) },
      overrides,
    }
  }
  if (patch.mail !== undefined)
    next.mail = patch.mail ?? { from: null, team: [], teamLocale: 'en', acknowledge: false }
  if (patch.alerts !== undefined)
    next.alerts = {
      effective: patch.alerts ?? [...DEFAULT_ALERT_RULES],
      overrides: patch.alerts,
    }
  return { status: 200, body: next }
}

export function fakeServer(
  options: {
    complaints?: ComplaintDetail[]
    caps?: Caps
    /** The site's verification secrets, newest first (none by default). */
    secrets?: VerificationSecret[]
    /** The site `GET /v1/admin/site` answers with (`SITE` by default); `PATCH` changes it. */
    site?: SiteView
    /** The early-warning alerts raised, in any order (none by default). */
    alerts?: AlertView[]
    /** The site's known-issue notices, in any order (none by default). */
    notices?: NoticeView[]
  } = {},
) {
  let site: SiteView = options.site ?? SITE
  const complaints = new Map<string, ComplaintDetail>()
  const alerts = new Map<string, AlertView>()
  for (const raised of options.alerts ?? []) alerts.set(raised.id, raised)
  const notices = new Map<string, NoticeView>()
  for (const notice of options.notices ?? []) notices.set(notice.id, notice)
  /** The audit trail's entries, oldest first (only the notices' changes are recorded here). */
  const changes: SiteChange[] = []
  let noticesMade = 0
  let secrets = [...(options.secrets ?? [])]
  let secretsMade = 0
  for (const detail of options.complaints ?? []) complaints.set(detail.id, detail)
  let caps = options.caps ?? CAPS
  const requests: Recorded[] = []
  const handlers: Array<{ method: string; pattern: RegExp; handle: Handler }> = []
  const streams: ReadableStreamDefaultController<Uint8Array>[] = []
  const issued = new Map<string, RecoveryRow>()
  let events = 0

  const newestFirst = () =>
    [...complaints.values()].sort((a, b) =>
      a.receivedAt === b.receivedAt
        ? b.id.localeCompare(a.id)
        : b.receivedAt.localeCompare(a.receivedAt),
    )

  function list(query: URLSearchParams) {
    const has = (detail: ComplaintDetail, statuses: string[]) =>
      detail.recoveries.some(
        (row) => !['apology', 'escalation'].includes(row.kind) && statuses.includes(row.status),
      )
    const counted = query.get('alert') ? alerts.get(query.get('alert')!) : undefined
    let rows = newestFirst().filter((detail) => {
      const body = detail.complaint
      const summary = summaryOf(detail)
      // As the server reads `alert`: its rule's scope, from its window's start to its end.
      const inAlert =
        !counted ||
        (detail.receivedAt >= counted.windowFrom &&
          (counted.endedAt === null || detail.receivedAt <= counted.endedAt) &&
          (counted.group === null ||
            (counted.rule.by === 'failureType' ? summary.failureType : body.category) ===
              counted.group))
      const q = query.get('q')
      const flag = (name: string) => query.get(name)
      return (
        (!flag('status') || detail.status === flag('status')) &&
        (!flag('category') || body.category === flag('category')) &&
        (!flag('severity') || body.severity === flag('severity')) &&
        (!flag('failureType') || summary.failureType === flag('failureType')) &&
        (!flag('page') || (body.page?.url ?? '').includes(flag('page')!)) &&
        (!q || body.description.toLowerCase().includes(q.toLowerCase())) &&
        (!flag('hasRemedy') ||
          has(detail, ['issued', 'approved']) === (flag('hasRemedy') === 'true')) &&
        (!flag('pending') || has(detail, ['pending_approval']) === (flag('pending') === 'true')) &&
        (!flag('suspected') || (detail.suspicion !== null) === (flag('suspected') === 'true')) &&
        inAlert
      )
    })
    const start = Number(query.get('cursor') ?? 0)
    const limit = Number(query.get('limit') ?? 25)
    rows = rows.slice(start)
    return {
      items: rows.slice(0, limit).map(summaryOf),
      nextCursor: rows.length > limit ? String(start + limit) : null,
    }
  }

  const ended = (notice: NoticeView, now: number) =>
    notice.endsAt !== null && Date.parse(notice.endsAt) <= now

  /** The server's audit trail entry for a notice: before `null` on create, after `null` on delete. */
  const recordNotice = (before: NoticeView | null, after: NoticeView | null) => {
    changes.push({
      id: changes.length + 1,
      at: new Date().toISOString(),
      by: null,
      changes: { notices: { before, after } },
    })
  }

  /** `/v1/admin/notices` and `/v1/admin/notices/{id}`, as the contract describes them. */
  function noticeRoute(request: Recorded, id: string | undefined): Reply {
    const { method } = request
    const now = Date.now()
    if (id === undefined && method === 'GET') {
      // Not ended (running and upcoming) first, then ended; newest first within each.
      const items = [...notices.values()].sort((a, b) =>
        ended(a, now) !== ended(b, now)
          ? ended(a, now)
            ? 1
            : -1
          : b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
      )
      return { status: 200, body: { items } }
    }
    if (id === undefined && method === 'POST') {
      const result = parseAdmin(NoticeCreateSchema, request.body)
      if (!result.ok)
        return problem(400, 'invalid_request', result.message, result.field || undefined)
      const input = result.value
      const running = [...notices.values()].filter((notice) => !ended(notice, now)).length
      if (running >= NOTICES_MAX)
        return problem(
          409,
          'conflict',
          `The site has ${NOTICES_MAX} notices that have not ended; end or delete one first`,
        )
      if (input.alertId && !alerts.has(input.alertId))
        return problem(400, 'invalid_request', `No alert ${input.alertId}`, 'alertId')
      const at = new Date(now).toISOString()
      const startsAt = input.startsAt ?? at
      const endsAt = input.endsAt ?? null
      if (endsAt !== null && endsAt <= startsAt)
        return problem(400, 'invalid_request', 'endsAt must be after startsAt', 'endsAt')
      const created: NoticeView = {
        id: `ntc_fake${++noticesMade}`,
        messages: input.messages,
        level: input.level ?? 'info',
        page: input.page ?? null,
        startsAt,
        endsAt,
        alertId: input.alertId ?? null,
        createdAt: at,
        updatedAt: at,
      }
      notices.set(created.id, created)
      recordNotice(null, created)
      return { status: 201, body: created }
    }
    const found = id === undefined ? undefined : notices.get(id)
    if (id === undefined || (method !== 'PATCH' && method !== 'DELETE'))
      return problem(401, 'unauthorized', 'Unknown route')
    if (!found) return problem(404, 'not_found', `No notice ${id}`)
    if (method === 'DELETE') {
      notices.delete(id)
      recordNotice(found, null)
      return { status: 204 }
    }
    const result = parseAdmin(NoticePatchSchema, request.body)
    if (!result.ok)
      return problem(400, 'invalid_request', result.message, result.field || undefined)
    const patch = result.value
    const next: NoticeView = {
      ...found,
      ...(patch.messages ? { messages: patch.messages } : {}),
      ...(patch.level ? { level: patch.level } : {}),
      ...(patch.page !== undefined ? { page: patch.page } : {}),
      ...(patch.startsAt ? { startsAt: patch.startsAt } : {}),
      ...(patch.endsAt !== undefined ? { endsAt: patch.endsAt } : {}),
      updatedAt: new Date(now).toISOString(),
    }
    if (next.endsAt !== null && next.endsAt <= next.startsAt)
      return problem(
        400,
        'invalid_request',
        'endsAt must be after startsAt',
        patch.endsAt ? 'endsAt' : 'startsAt',
      )
    notices.set(id, next)
    recordNotice(found, next)
    return { status: 200, body: next }
  }

  function route(request: Recorded): Reply {
    const { method, path } = request
    const parts = path
      .replace(/^\/v1\/admin\//, '')
      .split('/')
      .map(decodeURIComponent)
    if (path === '/v1/admin/site') {
      if (method === 'GET') return { status: 200, body: site }
      if (method === 'PATCH') {
        const reply = patched(site, request.body)
        if (reply.status === 200) site = reply.body as SiteView
        return reply
      }
    }
    if (method === 'GET' && path === '/v1/admin/site/changes')
      return {
        status: 200,
        body: { items: [...changes].reverse().slice(0, Number(request.query.get('limit') ?? 25)) },
      }
    if (parts[0] === 'notices' && parts.length <= 2) return noticeRoute(request, parts[1])
    if (method === 'GET' && path === '/v1/admin/webhooks')
      return { status: 200, body: { items: [] } }
    if (method === 'GET' && path === '/v1/admin/coupon-pool')
      return {
        status: 200,
        body: {
          free: 0,
          used: 0,
          expired: 0,
          byValue: [],
          currency: site.policy.effective.currency,
          source: 'generated',
        },
      }
    if (path === '/v1/admin/site/verification-secrets') {
      if (method === 'GET') return { status: 200, body: { items: secrets } }
      if (method === 'POST') {
        // As the server rotates: the older secrets expire after the overlap (24 h by default).
        const hours = (request.body as { overlapHours?: number } | undefined)?.overlapHours ?? 24
        const now = Date.now()
        const until = new Date(now + hours * 3_600_000).toISOString()
        secrets = secrets
          .map((secret) =>
            secret.expiresAt === null || secret.expiresAt > until
              ? { ...secret, expiresAt: until }
              : secret,
          )
          .filter((secret) => secret.expiresAt === null || Date.parse(secret.expiresAt) > now)
        secretsMade++
        const value = `vsec_fake${secretsMade}${'x'.repeat(30)}${String(secretsMade).padStart(4, 'k')}`
        const created: CreatedVerificationSecret = {
          id: `vsk_${secretsMade}`,
          hint: value.slice(-4),
          createdAt: new Date(now).toISOString(),
          expiresAt: null,
          secret: value,
        }
        const { secret: _secret, ...listed } = created
        secrets = [listed, ...secrets]
        return { status: 201, body: created }
      }
    }
    if (method === 'GET' && path === '/v1/admin/complaints') {
      const id = request.query.get('alert')
      if (id && !alerts.has(id)) return problem(404, 'not_found', `No alert ${id}`)
      return { status: 200, body: list(request.query) }
    }
    if (method === 'GET' && path === '/v1/admin/alerts') {
      const dismissed = request.query.get('dismissed')
      const items = [...alerts.values()]
        .filter((item) => !dismissed || (item.dismissedAt !== null) === (dismissed === 'true'))
        .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
        .slice(0, Number(request.query.get('limit') ?? 25))
      return { status: 200, body: { items } }
    }
    if (method === 'POST' && parts[0] === 'alerts' && parts[1] && parts[2] === 'dismiss') {
      const found = alerts.get(parts[1])
      if (!found) return problem(404, 'not_found', `No alert ${parts[1]}`)
      // The first dismissal's time stands; dismissing again answers the same.
      const put = { ...found, dismissedAt: found.dismissedAt ?? new Date().toISOString() }
      alerts.set(put.id, put)
      return { status: 200, body: put }
    }
    if (parts[0] === 'complaints' && parts[1]) {
      const detail = complaints.get(parts[1])
      if (!detail) return problem(404, 'not_found', `No complaint ${parts[1]}`)
      if (method === 'GET' && parts.length === 2) return { status: 200, body: detail }
      if (method === 'PATCH' && parts.length === 2) {
        const body = request.body as Record<string, unknown>
        if (
          'assignee' in body &&
          detail.assignee &&
          body.assignee !== detail.assignee &&
          !body.force
        )
          return problem(
            409,
            'conflict',
            `${detail.assignee} already owns this complaint; send force: true to reassign it`,
            'assignee',
          )
        const next = { ...detail }
        if ('status' in body) next.status = body.status as ComplaintDetail['status']
        if ('assignee' in body) next.assignee = body.assignee as string | null
        if ('rootCause' in body) next.rootCause = body.rootCause as ComplaintDetail['rootCause']
        if ('recoveryAppropriate' in body)
          next.recoveryAppropriate = body.recoveryAppropriate as boolean | null
        complaints.set(detail.id, next)
        return { status: 200, body: next }
      }
      if (method === 'GET' && parts[2] === 'caps') return { status: 200, body: caps }
      if (method === 'POST' && parts[2] === 'replies') {
        const body = request.body as { message: string; author?: string | null }
        return {
          status: 201,
          body: {
            id: String(++events),
            message: body.message,
            author: body.author ?? null,
            at: new Date().toISOString(),
          },
        }
      }
      if (method === 'POST' && parts[2] === 'recoveries') {
        const key = request.headers['idempotency-key'] ?? String(Math.random())
        const earlier = issued.get(key)
        if (earlier)
          return { status: 200, body: { ...earlier, complaintId: detail.id, changed: false } }
        const body = request.body as { kind: RecoveryRow['kind']; value?: number }
        const value = body.value ?? 0
        if (value > caps.available)
          return problem(
            409,
            'cap_exceeded',
            `€${(value / 100).toFixed(2)} is over the cap for this complaint: €${(caps.available / 100).toFixed(2)} is left`,
            'value',
          )
        const row = recovery({
          id: `rcv_${++events}`,
          policyKey: `manual:${key}`,
          kind: body.kind,
          status: 'issued',
          reason: null,
          value,
          currency: value ? 'EUR' : null,
          code: body.kind === 'coupon' ? 'CODE2345' : null,
          createdAt: new Date().toISOString(),
        })
        issued.set(key, row)
        complaints.set(detail.id, { ...detail, recoveries: [...detail.recoveries, row] })
        caps = { ...caps, available: caps.available - value }
        return { status: 201, body: { ...row, complaintId: detail.id, changed: true } }
      }
    }
    if (method === 'POST' && parts[0] === 'recoveries' && parts[1]) {
      for (const detail of complaints.values()) {
        const row = detail.recoveries.find((recovery) => recovery.id === parts[1])
        if (!row) continue
        const status = parts[2] === 'approve' ? 'approved' : 'rejected'
        const value = (request.body as { value?: number } | undefined)?.value ?? row.value
        const next = { ...row, status, value } as RecoveryRow
        complaints.set(detail.id, {
          ...detail,
          recoveries: detail.recoveries.map((recovery) =>
            recovery.id === row.id ? next : recovery,
          ),
        })
        return { status: 200, body: { ...next, complaintId: detail.id, changed: true } }
      }
      return problem(404, 'not_found', `No remedy ${parts[1]}`)
    }
    return problem(401, 'unauthorized', 'Unknown route')
  }

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://dashboard.test')
    const headers = Object.fromEntries(
      Object.entries((init.headers ?? {}) as Record<string, string>).map(([key, value]) => [
        key.toLowerCase(),
        value,
      ]),
    )
    const request: Recorded = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    }
    if (request.path === '/v1/admin/stream') {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          streams.push(controller)
          init.signal?.addEventListener('abort', () => {
            try {
              controller.error(new DOMException('aborted', 'AbortError'))
            } catch {}
          })
        },
      })
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })
    }
    requests.push(request)
    for (const { method, pattern, handle } of [...handlers].reverse()) {
      if (method !== request.method || !pattern.test(request.path)) continue
      const reply = handle(request)
      if (reply) {
        const { status, body } = await reply
        if (status === 0) throw new TypeError('Failed to fetch')
        return json(status, body)
      }
    }
    const { status, body } = await route(request)
    return json(status, body)
  }

  const sent = (method: string, path: RegExp = /./): Recorded[] =>
    requests.filter((request) => request.method === method && path.test(request.path))

  return {
    fetch,
    complaints,
    /** The alerts by id; set one to raise it. */
    alerts,
    /** The known-issue notices by id, as stored now. */
    notices,
    requests,
    /** Answer `method` requests whose path matches with `handle` (return `undefined` to pass; status 0: a network error). */
    on(method: string, pattern: RegExp, handle: Handler) {
      handlers.push({ method, pattern, handle })
    },
    /** The requests made with `method` to a path `path` matches (any path by default), oldest first. */
    sent,
    /** The list requests' queries, oldest first. */
    listQueries: () =>
      sent('GET', /^\/v1\/admin\/complaints$/).map((request) => Object.fromEntries(request.query)),
    /** Send a live event to every open stream. */
    push(event: Omit<LiveEvent, 'eventId' | 'at'> & { at?: string }) {
      const full: LiveEvent = { eventId: String(++events), at: new Date().toISOString(), ...event }
      const bytes = new TextEncoder().encode(
        `id: ${full.eventId}\nevent: ${full.type}\ndata: ${JSON.stringify(full)}\n\n`,
      )
      for (const stream of streams) {
        try {
          stream.enqueue(bytes)
        } catch {}
      }
    },
    get openStreams() {
      return streams.length
    },
    /** The site as stored now, after the PATCHes it accepted. */
    get site() {
      return site
    },
  }
}
