/**
 * @module For tests: a small stand-in for the admin API as the server's
 * README documents it, as a `fetch`. It keeps complaints, alerts, known-issue
 * notices, the site and its people in memory (a site change is checked with
 * the shared contract's `SitePatchSchema`, a notice with `NoticeCreateSchema`
 * and `NoticePatchSchema`, so their refusals name their field as the
 * server's do; each notice, team and token change goes to the audit trail, as
 * the server records it), knows who each request acts as and what they may
 * do (`./_fake-people`: the session cookie and its CSRF token, the tokens,
 * the roles' `403`s, a person's authority over remedies), records every
 * request, lets a test make any route answer something else, and streams
 * live events the test pushes.
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
import { formatMoney } from '../lib/money'
import type {
  AlertView,
  Caps,
  ComplaintDetail,
  CreatedVerificationSecret,
  LiveEvent,
  NoticeView,
  RecoveryRow,
  SiteChange,
  SiteView,
  TimelineEntry,
  VerificationSecret,
} from '../lib/types'
import {
  type Actor,
  type Answer,
  actorRef,
  createPeople,
  may,
  type PeopleOptions,
  problem,
  type Recorded,
  type Reply,
} from './_fake-people'
import { CAPS, recovery, SERVER_TEXTS, SITE, summaryOf } from './fake-data'

export type { Recorded }

type Handler = (request: Recorded) => Reply | undefined

const json = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
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
function patched(site: SiteView, body: unknown): Answer {
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
  options: PeopleOptions & {
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
    /** Who owns each complaint that a person owns (`assigneeId`), by complaint id. */
    owners?: Record<string, string>
  } = {},
) {
  let site: SiteView = options.site ?? SITE
  const complaints = new Map<string, ComplaintDetail>()
  const alerts = new Map<string, AlertView>()
  for (const raised of options.alerts ?? []) alerts.set(raised.id, raised)
  const notices = new Map<string, NoticeView>()
  for (const notice of options.notices ?? []) notices.set(notice.id, notice)
  /** The audit trail's entries, oldest first (only notices, the team and tokens are recorded here). */
  const changes: SiteChange[] = []
  const people = createPeople(
    options,
    () => ({ name: site.name, publicKey: site.publicKey }),
    changes,
  )
  /** The person who owns each complaint a person owns. */
  const owners = new Map<string, string | null>(Object.entries(options.owners ?? {}))
  /** What each person gave on their own today, in minor units (their `dayLimit`). */
  const givenToday = new Map<string, number>()
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

  /** A complaint with its owner's id as the server keeps it. */
  const withOwner = (detail: ComplaintDetail): ComplaintDetail => ({
    ...detail,
    assigneeId: owners.get(detail.id) ?? null,
  })
  /** A complaint's list row, with its owner's id. */
  const rowOf = (detail: ComplaintDetail) => summaryOf(withOwner(detail))

  /** Whether `actor` may approve one of the complaint's waiting remedies (their role and limit). */
  const awaits = (detail: ComplaintDetail, actor: Actor) =>
    actor.kind === 'user' &&
    may(actor, 'approve') &&
    detail.recoveries.some(
      (row) =>
        row.status === 'pending_approval' &&
        (actor.member.remedyLimit === null || row.value <= actor.member.remedyLimit),
    )

  function list(query: URLSearchParams, actor: Actor) {
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
        (flag('unassigned') !== 'true' || detail.assignee === null) &&
        (flag('mine') !== 'true' ||
          (actor.kind === 'user' && owners.get(detail.id) === actor.member.id)) &&
        (flag('awaitingMe') !== 'true' || awaits(detail, actor)) &&
        inAlert
      )
    })
    const start = Number(query.get('cursor') ?? 0)
    const limit = Number(query.get('limit') ?? 25)
    rows = rows.slice(start)
    return {
      items: rows.slice(0, limit).map(rowOf),
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

  /**
   * Who `assignee` names, as the server reads it (`me`, a person's id, a
   * script's name, `null`), or its refusal: handing a complaint on, or
   * taking someone else's, is a manager's; changing an owner needs `force`.
   */
  function assignee(
    detail: ComplaintDetail,
    body: Record<string, unknown>,
    actor: Actor,
  ): { id: string | null; name: string | null } | Answer {
    const wanted = body.assignee as string | null
    const self = actor.kind === 'user' ? actor.member : null
    let target: { id: string | null; name: string | null }
    if (wanted === null) target = { id: null, name: null }
    else if (wanted === 'me') {
      if (!self)
        return problem(
          400,
          'invalid_request',
          'Only a person signed in can take a complaint as "me"',
          'assignee',
        )
      target = { id: self.id, name: self.name }
    } else if (wanted.startsWith('usr_')) {
      const person = people.members.get(wanted)
      if (!person) return problem(400, 'invalid_request', `No team member ${wanted}`, 'assignee')
      target = { id: person.id, name: person.name }
    } else if (self)
      return problem(
        400,
        'invalid_request',
        'assignee is "me", a team member’s id, or null',
        'assignee',
      )
    else target = { id: null, name: wanted }
    const ownerId = owners.get(detail.id) ?? null
    if (target.name === detail.assignee && target.id === ownerId) return target
    const own = detail.assignee === null || (self !== null && ownerId === self.id)
    const toSelfOrNobody = target.name === null || (self !== null && target.id === self.id)
    if (self && !(own && toSelfOrNobody) && !may(actor, 'approve'))
      return problem(
        403,
        'forbidden',
        own
          ? 'Only a manager hands a complaint to someone else'
          : `${detail.assignee} owns this complaint; only a manager hands it on`,
      )
    if (!own && !body.force)
      return problem(
        409,
        'conflict',
        `${detail.assignee} already owns this complaint; send force: true to reassign it`,
        'assignee',
      )
    return target
  }

  /** A timeline event, as the server's outbox writes it, naming who did it. */
  const event = (actor: Actor, type: string, data: Record<string, unknown>): TimelineEntry => ({
    type,
    data: { ...data, actor: actorRef(actor) },
    at: new Date().toISOString(),
  })

  function route(request: Recorded): Reply {
    const { method, path } = request
    const below = path.replace(/^\/v1\/admin/, '')
    const actor = people.check(request, below)
    if (actor === null)
      return people.sessionRoute(request, below) ?? problem(401, 'unauthorized', 'Unknown route')
    if ('status' in actor) return actor
    const parts = path
      .replace(/^\/v1\/admin\//, '')
      .split('/')
      .map(decodeURIComponent)
    const answer = people.peopleRoute(request, below, actor)
    if (answer) return answer
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
      if (actor.kind !== 'user' && (request.query.has('mine') || request.query.has('awaitingMe')))
        return problem(
          400,
          'invalid_request',
          'mine and awaitingMe need a person signed in',
          'mine',
        )
      return { status: 200, body: list(request.query, actor) }
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
      if (method === 'GET' && parts.length === 2) return { status: 200, body: withOwner(detail) }
      if (method === 'PATCH' && parts.length === 2) {
        const body = request.body as Record<string, unknown>
        const next = { ...detail }
        const timeline: TimelineEntry[] = []
        if ('assignee' in body) {
          const owned = assignee(detail, body, actor)
          if ('status' in owned) return owned
          if (owned.name !== detail.assignee || owned.id !== (owners.get(detail.id) ?? null)) {
            timeline.push(event(actor, 'assigned', { from: detail.assignee, to: owned.name }))
            next.assignee = owned.name
            owners.set(detail.id, owned.id)
          }
        }
        if ('status' in body) next.status = body.status as ComplaintDetail['status']
        if ('rootCause' in body) next.rootCause = body.rootCause as ComplaintDetail['rootCause']
        if ('recoveryAppropriate' in body)
          next.recoveryAppropriate = body.recoveryAppropriate as boolean | null
        next.timeline = [...detail.timeline, ...timeline]
        complaints.set(detail.id, next)
        return { status: 200, body: withOwner(next) }
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
        // Above a person's own limits it waits for someone whose limits cover it.
        const person = actor.kind === 'user' ? actor.member : null
        const today = person ? (givenToday.get(person.id) ?? 0) : 0
        const reason =
          person?.remedyLimit != null && value > person.remedyLimit
            ? 'authority'
            : person?.dayLimit != null && today + value > person.dayLimit
              ? 'authority_day'
              : null
        const row = recovery({
          id: `rcv_${++events}`,
          policyKey: `manual:${key}`,
          kind: body.kind,
          status: reason ? 'pending_approval' : 'issued',
          reason,
          value,
          currency: value ? 'EUR' : null,
          code: body.kind === 'coupon' && !reason ? 'CODE2345' : null,
          createdAt: new Date().toISOString(),
        })
        issued.set(key, row)
        const entry = event(actor, 'recovery', {
          recoveryId: row.id,
          kind: row.kind,
          status: row.status,
          value,
          reason,
          by: 'admin',
        })
        complaints.set(detail.id, {
          ...detail,
          recoveries: [...detail.recoveries, row],
          timeline: [...detail.timeline, entry],
        })
        if (!reason) {
          caps = { ...caps, available: caps.available - value }
          if (person) givenToday.set(person.id, today + value)
        }
        return { status: 201, body: { ...row, complaintId: detail.id, changed: true } }
      }
    }
    if (method === 'POST' && parts[0] === 'recoveries' && parts[1]) {
      for (const detail of complaints.values()) {
        const row = detail.recoveries.find((recovery) => recovery.id === parts[1])
        if (!row) continue
        const status = parts[2] === 'approve' ? 'approved' : 'rejected'
        const value = (request.body as { value?: number } | undefined)?.value ?? row.value
        // An approver's own limit must cover what they approve.
        const limit = actor.kind === 'user' ? actor.member.remedyLimit : null
        if (status === 'approved' && limit !== null && value > limit)
          return problem(
            403,
            'forbidden',
            `${formatMoney(value, 'EUR')} is more than ${(actor as { member: { name: string } }).member.name} may approve (${formatMoney(limit, 'EUR')})`,
          )
        const next = { ...row, status, value } as RecoveryRow
        const type = status === 'approved' ? 'recovery_approved' : 'recovery_rejected'
        complaints.set(detail.id, {
          ...detail,
          recoveries: detail.recoveries.map((recovery) =>
            recovery.id === row.id ? next : recovery,
          ),
          timeline: [
            ...detail.timeline,
            event(actor, type, { recoveryId: row.id, kind: row.kind, value }),
          ],
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
      credentials: init.credentials,
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
        const { status, body, headers: sent } = await reply
        if (status === 0) throw new TypeError('Failed to fetch')
        return json(status, body, sent)
      }
    }
    const answer = await route(request)
    return json(answer.status, answer.body, answer.headers)
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
    /** The site's people, its tokens, the session cookie and the links mailed (`./_fake-people`). */
    people,
    /** The owner's id of each complaint a person owns. */
    owners,
  }
}
