/**
 * @module For tests: the site, caps, complaints, remedies, mails, alerts,
 * known-issue notices and the team the fake admin API answers with, the
 * server's default texts for the customer, and a complaint's list row as the
 * server makes it.
 */
import type { Locale } from '@redress/protocol'
import {
  type ComplaintMail,
  DEFAULT_ALERT_RULES,
  DEFAULT_POLICY_TEXTS,
  type PolicyTexts,
} from '@redress/protocol/admin'
import { remedyFlags } from '../lib/remedy-flags'
import type {
  AlertView,
  Caps,
  ComplaintDetail,
  ComplaintSummary,
  NoticeView,
  RecoveryRow,
  SiteView,
  TeamMember,
} from '../lib/types'
import { member } from './_fake-people'

export { FAKE_TOTP, member } from './_fake-people'

/** The server's `DEFAULT_POLICY.texts`: what a site without texts of its own answers with. */
export const SERVER_TEXTS: Record<Locale, PolicyTexts> = DEFAULT_POLICY_TEXTS

export const SITE: SiteView = {
  name: 'Demo',
  publicKey: 'pk_demo',
  origins: [],
  categories: [
    { id: 'broken', failureType: 'outcome' },
    { id: 'order', failureType: 'outcome', label: 'Order problem' },
    { id: 'slow', failureType: 'process' },
    { id: 'staff', failureType: 'interaction', label: 'Rude staff' },
  ],
  rateLimits: { effective: null, overrides: null },
  policy: {
    effective: {
      currency: 'EUR',
      caps: {
        perComplaintPercent: 100,
        perComplaintMax: 5000,
        perCustomer30Days: 5000,
        perSiteDay: 50000,
      },
      goodwill: { enabled: false, value: 300, perDay: 3000, perIpDay: 1 },
    },
    overrides: null,
  },
  guarantee: null,
  alerts: { effective: [...DEFAULT_ALERT_RULES], overrides: null },
  attachments: { effective: { retentionDays: 180 }, overrides: null },
  createdAt: '2026-01-01T00:00:00.000Z',
}

export const CAPS: Caps = {
  currency: 'EUR',
  perComplaint: {
    max: 5000,
    percentOfOrder: 100,
    orderValue: 2000,
    limit: 2000,
    given: 0,
    remaining: 2000,
  },
  customer: { id: 'c-1', limit: 5000, spent: 1000, remaining: 4000 },
  siteDay: { day: '2026-01-02', limit: 50000, spent: 0, remaining: 50000 },
  available: 2000,
}

let made = 0

/** A complaint as `GET /v1/admin/complaints/{id}` answers, with `changes` over plain defaults. */
export function complaint(
  changes: Partial<Omit<ComplaintDetail, 'complaint'>> & {
    complaint?: Partial<ComplaintDetail['complaint']>
  } = {},
): ComplaintDetail {
  made++
  const at = new Date(Date.UTC(2026, 0, 2, 10, made)).toISOString()
  const { complaint: body, ...rest } = changes
  return {
    id: `cmp_${made}`,
    reference: `R-${String(made).padStart(5, 'A')}`,
    status: 'received',
    assignee: null,
    assigneeId: null,
    rootCause: null,
    recoveryAppropriate: null,
    suspicion: null,
    firstReplyAt: null,
    guarantee: null,
    verified: null,
    receivedAt: at,
    updatedAt: at,
    recoveries: [],
    followUps: [],
    timeline: [{ type: 'received', data: { recovery: 'apology', suspicion: null }, at }],
    ...rest,
    complaint: {
      site: 'pk_demo',
      category: 'broken',
      severity: 'major',
      description: `Complaint number ${made}`,
      ...body,
    },
  }
}

/**
 * A remedy as the complaint lists it, with `changes` over a coupon of €15.00
 * waiting for approval because it is over the customer's cap.
 */
export function recovery(changes: Partial<RecoveryRow> = {}): RecoveryRow {
  return {
    id: 'rcv_pending',
    policyKey: 'remedy',
    kind: 'coupon',
    status: 'pending_approval',
    reason: 'customer_cap',
    value: 1500,
    currency: 'EUR',
    code: null,
    expiresAt: null,
    recovery: null,
    reusedFrom: null,
    createdAt: '2026-01-02T10:00:00.000Z',
    decidedAt: null,
    ...changes,
  }
}

export function summaryOf(detail: ComplaintDetail): ComplaintSummary {
  const body = detail.complaint
  const type = SITE.categories.find((category) => category.id === body.category)?.failureType
  return {
    id: detail.id,
    reference: detail.reference,
    status: detail.status,
    category: body.category,
    failureType: type ?? 'process',
    severity: body.severity,
    ...remedyFlags(detail.recoveries),
    suspicion: detail.suspicion,
    firstReplyAt: detail.firstReplyAt,
    guarantee: detail.guarantee?.state ?? null,
    pageUrl: body.page?.url ?? null,
    assignee: detail.assignee,
    assigneeId: detail.assigneeId,
    rootCause: detail.rootCause,
    // Only a verified id, as the server lists it: what the body says is a claim.
    customerId: detail.verified?.customerId ?? null,
    verified: detail.verified !== null,
    orderRef: detail.verified?.order?.ref ?? body.orderRef ?? null,
    excerpt:
      body.description.length > 140 ? `${body.description.slice(0, 139)}…` : body.description,
    receivedAt: detail.receivedAt,
    updatedAt: detail.updatedAt,
  }
}

/** A mail as the complaint lists it, with `changes` over an acknowledgment sent to the customer. */
export function mail(changes: Partial<ComplaintMail> = {}): ComplaintMail {
  return {
    id: `mail_${++made}`,
    kind: 'acknowledgment',
    to: 'kim@example.com',
    subject: 'We got your report R-AAAA1',
    state: 'sent',
    attempts: 1,
    lastError: null,
    text: 'Hello,\n\nWe got your report.',
    createdAt: '2026-01-02T10:01:00.000Z',
    sentAt: '2026-01-02T10:01:05.000Z',
    ...changes,
  }
}

let alerts = 0

/**
 * An alert as `GET /v1/admin/alerts` lists it, with `changes` over the
 * default burst rule crossed by 6 complaints about broken things, still open.
 */
export function alert(changes: Partial<AlertView> = {}): AlertView {
  alerts++
  return {
    id: `alt_${alerts}`,
    rule: DEFAULT_ALERT_RULES[0]!,
    group: 'broken',
    count: 6,
    baseline: null,
    windowFrom: '2026-01-02T10:00:00.000Z',
    raisedAt: '2026-01-02T10:20:00.000Z',
    lastCrossedAt: '2026-01-02T10:20:00.000Z',
    endedAt: null,
    dismissedAt: null,
    ...changes,
  }
}

let notices = 0

/**
 * A known-issue notice as `GET /v1/admin/notices` lists it, with `changes`
 * over an English notice for every page, running since 2 January 2026 with
 * no end, not from an alert.
 */
export function notice(changes: Partial<NoticeView> = {}): NoticeView {
  notices++
  return {
    id: `ntc_${notices}`,
    messages: { en: `Known issue ${notices}` },
    level: 'info',
    page: null,
    startsAt: '2026-01-02T09:00:00.000Z',
    endsAt: null,
    alertId: null,
    createdAt: '2026-01-02T09:00:00.000Z',
    updatedAt: '2026-01-02T09:00:00.000Z',
    ...changes,
  }
}

/**
 * A team of one of each role: Olga the owner (no limits), Mei the manager
 * (€50.00 a remedy), Bo the agent (€10.00 a remedy, €30.00 a day) and Vi the
 * viewer. Their password is `correct horse battery`.
 */
export const TEAM: Record<'owner' | 'manager' | 'agent' | 'viewer', TeamMember> = {
  owner: member({ id: 'usr_olga', email: 'olga@shop.example', name: 'Olga', role: 'owner' }),
  manager: member({
    id: 'usr_mei',
    email: 'mei@shop.example',
    name: 'Mei',
    role: 'manager',
    remedyLimit: 5000,
  }),
  agent: member({
    id: 'usr_bo',
    email: 'bo@shop.example',
    name: 'Bo',
    role: 'agent',
    remedyLimit: 1000,
    dayLimit: 3000,
  }),
  viewer: member({ id: 'usr_vi', email: 'vi@shop.example', name: 'Vi', role: 'viewer' }),
}

export const PASSWORD = 'correct horse battery'

/** Everyone of `TEAM`'s password, as the fake server takes them. */
export const PASSWORDS = Object.fromEntries(
  Object.values(TEAM).map((person) => [person.email, PASSWORD]),
)
