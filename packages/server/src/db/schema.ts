/**
 * @module The tables as Kysely sees them. The SQL that creates them lives in
 * `migrations.ts`; keep the two in step.
 */
import type {
  AttachmentType,
  Complaint,
  FollowUp,
  Locale,
  RecoveryKind,
  Score,
  Severity,
  Status,
  VouchedOrder,
} from '@redress/protocol'
import type {
  ActorRef,
  AlertRule,
  AttachmentSettings,
  Guarantee,
  GuaranteeState,
  MailKind,
  MailSettings,
  MailState,
  RecoveryStatus,
  Role,
  RootCause,
  SiteCategory,
  SiteChange,
  Suspicion,
  TokenScope,
  WebhookDeliveryStatus,
} from '@redress/protocol/admin'
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

// The columns' shapes the admin API answers with are the protocol's; re-exported
// so the server's modules keep importing them from here.
export type {
  AlertRule,
  Guarantee,
  GuaranteeState,
  MailKind,
  MailSettings,
  MailState,
  RecoveryStatus,
  RootCause,
  SiteCategory,
  Suspicion,
  WebhookDeliveryStatus,
}

type Timestamp = ColumnType<Date, Date | string, Date | string>

/** The facts a valid customer token vouched for, as a complaint keeps them. */
export interface VerifiedFacts {
  customerId: string
  email: string | null
  name: string | null
  /** The vouched order the complaint is about; `null` when it names none of them. */
  order: VouchedOrder | null
}
type Json<T> = ColumnType<T, string, string>

export interface SitesTable {
  /** Internal id, `site_…`; never shown in a page. */
  id: string
  /** The public key pages send, `pk_…`. */
  public_key: string
  name: string
  /** Allowed browser origins: `https://shop.example`, or `http://localhost:*` for any port. */
  origins: Json<string[]>
  categories: Json<SiteCategory[]>
  /** The recovery policy; `null` means the built-in defaults. */
  policy: Json<Record<string, unknown> | null>
  /** SHA-256 (hex) of the site's admin token; the token itself is never stored. */
  admin_token_hash: string
  created_at: Generated<Timestamp>
  /**
   * The site's rate limits for new complaints (`RateLimits`), merged over the
   * server's; `null` (the default) keeps the server's. Migration 3.
   */
  rate_limits: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  /** The service guarantee (`Guarantee`); `null`: none. Migration 6. */
  guarantee: ColumnType<Guarantee | null, string | null | undefined, string | null>
  /** The site's mail settings (`MailSettings`); `null`: none. Migration 9. */
  mail: ColumnType<MailSettings | null, string | null | undefined, string | null>
  /** The early-warning rules (`AlertRule[]`); `null`: the defaults. Migration 10. */
  alerts: ColumnType<AlertRule[] | null, string | null | undefined, string | null>
  /** The site's photo settings; `null`: the defaults (180 days). Migration 16. */
  attachments: ColumnType<AttachmentSettings | null, string | null | undefined, string | null>
}

export interface ComplaintsTable {
  /** `cmp_…` */
  id: string
  site_id: string
  reference: string
  idempotency_key: string
  /** SHA-256 (hex) of `canonicalJson` of the validated complaint. */
  request_hash: string
  /** SHA-256 (hex) of the status token. */
  token_hash: string
  body: Json<Complaint>
  category: string
  severity: Severity
  status: Status
  customer_id: string | null
  order_ref: string | null
  /** The receipt as first sent, without its token, byte for byte (text, not JSONB). */
  receipt: string
  received_at: Timestamp
  updated_at: Timestamp
  /** Who owns it; the first to take it keeps it unless forced. Migration 5. */
  assignee: ColumnType<string | null, string | null | undefined, string | null>
  /** The person who owns it, when a person does (migration 15). */
  assignee_id: ColumnType<string | null, string | null | undefined, string | null>
  /** The diagnosed root cause (`ROOT_CAUSES`). Migration 5. */
  root_cause: ColumnType<RootCause | null, RootCause | null | undefined, RootCause | null>
  /** Whether the recovery given was appropriate. Migration 5. */
  recovery_appropriate: ColumnType<boolean | null, boolean | null | undefined, boolean | null>
  /** Why it looks sent by a bot; such complaints get no remedy. Migration 6. */
  suspicion: ColumnType<Suspicion | null, Suspicion | null | undefined, Suspicion | null>
  /** When the owner first replied. Migration 6. */
  first_reply_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** The site's guarantee when the complaint arrived. Migration 6. */
  guarantee: ColumnType<Guarantee | null, string | null | undefined, string | null>
  guarantee_due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** What a valid customer token said; `null`: unverified (migration 7). */
  verified: ColumnType<VerifiedFacts | null, string | null | undefined, string | null>
  /** The client's rate-limit key (`clientKey`), for per-client caps (migration 7). */
  client_key: ColumnType<string | null, string | null | undefined, string | null>
  guarantee_state: ColumnType<
    GuaranteeState | null,
    GuaranteeState | null | undefined,
    GuaranteeState | null
  >
}

export interface FollowUpsTable {
  id: Generated<string>
  complaint_id: string
  /** `CHECK (score BETWEEN 1 AND 5)`, so what is read is a `Score`. */
  score: ColumnType<Score, number, number>
  resolved: boolean
  comment: string | null
  fairness: Json<NonNullable<FollowUp['fairness']> | null>
  created_at: Generated<Timestamp>
}

export type EventType =
  | 'received'
  | 'status_changed'
  | 'follow_up'
  | 'recovery'
  // The admin API (migration 5):
  | 'assigned'
  | 'root_cause'
  | 'recovery_assessed'
  | 'recovery_approved'
  | 'recovery_rejected'
  // Migration 6:
  | 'replied'
  | 'guarantee_broken'
  // Migration 9:
  | 'mail_queued'
  | 'mail_delivery'
  // Migration 10:
  | 'customer_replied'
  // Migration 16:
  | 'attachment_added'

export interface EventsTable {
  id: Generated<string>
  complaint_id: string
  type: EventType
  data: Json<Record<string, unknown>>
  created_at: Generated<Timestamp>
}

/** The ledger of remedies: one row per complaint and policy rule. */
export interface RecoveriesTable {
  /** `rcv_…` */
  id: string
  seq: Generated<string>
  complaint_id: string
  site_id: string
  customer_id: string | null
  /** Which rule issued it: `apology`, `remedy`, `escalation`. Unique per complaint. */
  policy_key: string
  kind: RecoveryKind
  /** Minor units of `currency`; 0 for remedies that cost no money. */
  value: ColumnType<number | string, number | string, number | string>
  currency: string | null
  status: RecoveryStatus
  /** Why it waits for approval. */
  reason: string | null
  code: string | null
  expires_at: ColumnType<Date | null, Date | string | null, Date | string | null>
  /** The `Recovery` JSON as sent; `null` while pending approval. */
  recovery: string | null
  reused_from: string | null
  policy_hash: string
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** When a pending remedy was approved or rejected. Migration 5. */
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface IncidentsTable {
  site_id: string
  /** The verified customer whose order it is (migration 7). */
  customer_id: string
  category: string
  order_ref: string
  /** The first complaint about it, whose remedy the others get. */
  complaint_id: string
  created_at: Generated<Timestamp>
}

export interface RecoveryCustomerLocksTable {
  site_id: string
  customer_id: string
}

export interface RecoverySiteDaysTable {
  site_id: string
  /** A UTC date, `YYYY-MM-DD`. */
  day: ColumnType<Date | string, string, string>
  issued: ColumnType<string, number | string, number | string>
}

/** Fixed-window request counters (migration 3). */
export interface RateLimitCountersTable {
  /** `ip` or `site`. */
  scope: 'ip' | 'site'
  /** `site_id` for `site`; `site_id`, a space and the client key for `ip`. */
  key: string
  window_start: Timestamp
  count: ColumnType<number, number | undefined, number>
}

export interface SettingsTable {
  key: string
  value: string
}

export interface MigrationsTable {
  version: number
  name: string
  applied_at: Generated<Timestamp>
}

export interface WebhookEndpointsTable {
  /** `whe_…` */
  id: string
  site_id: string
  url: string
  /** `whsec_` + base64 of 32 random bytes. */
  secret: string
  event_types: Json<string[]>
  enabled: ColumnType<boolean, boolean | undefined, boolean>
  disabled_reason: string | null
  created_at: Generated<Timestamp>
}

/** The outbox: one row per event and endpoint. */
export interface WebhookDeliveriesTable {
  /** `msg_…`, the `webhook-id` header. */
  id: string
  seq: Generated<string>
  endpoint_id: string
  event_type: string
  /** The JSON body, exactly as signed and sent. */
  payload: string
  status: ColumnType<
    WebhookDeliveryStatus,
    WebhookDeliveryStatus | undefined,
    WebhookDeliveryStatus
  >
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Timestamp
  last_status: number | null
  last_error: string | null
  created_at: Generated<Timestamp>
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** Owner-uploaded coupon codes (migration 6). */
export interface CouponPoolTable {
  site_id: string
  code: string
  /** Minor units of the policy currency. */
  value: ColumnType<string, number | string, number | string>
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** The remedy that took it; `null` while free. */
  recovery_id: ColumnType<string | null, string | null | undefined, string | null>
  uploaded_at: Generated<Timestamp>
}

/** The audit trail of site settings (migration 6). */
export interface SiteChangesTable {
  id: Generated<string>
  site_id: string
  /** Per changed field: `{ before, after }`. */
  changes: Json<SiteChange['changes']>
  /** Who changed it (migration 15). */
  by: ColumnType<ActorRef | null, string | null | undefined, string | null>
  created_at: Generated<Timestamp>
}

/** A site's customer-verification keys (migration 7). */
export interface SiteVerificationSecretsTable {
  /** `vsk_…` */
  id: string
  site_id: string
  /** `vsec_…`, the HS256 key. */
  secret: string
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** Goodwill coupons given per site and UTC day (migration 7). */
export interface GoodwillDaysTable {
  site_id: string
  day: ColumnType<Date | string, string, string>
  issued: ColumnType<string, number | string, number | string>
}

/** Goodwill coupons given per site, UTC day and client (migration 7). */
export interface GoodwillClientsTable {
  site_id: string
  day: ColumnType<Date | string, string, string>
  client_key: string
  given: ColumnType<number, number | undefined, number>
}

/** The mail outbox: one row per message and recipient (migration 9). */
export interface MailMessagesTable {
  /** `mail_…`: its links and its `Message-ID` are built from it. */
  id: string
  seq: Generated<string>
  site_id: string
  /** The complaint it is about; `null` for a team mail about an alert (migration 10). */
  complaint_id: string | null
  /** The alert it is about (migration 10). */
  alert_id: ColumnType<string | null, string | null | undefined, string | null>
  /** The person an invitation or sign-in link is for (migration 13). */
  user_id: ColumnType<string | null, string | null | undefined, string | null>
  kind: MailKind
  recipient: string
  locale: 'en' | 'zh-CN'
  /** What the template needs besides the complaint. */
  data: Json<Record<string, unknown>>
  /** This and the next five are written on the first attempt, then sent as is on every retry. */
  subject: ColumnType<string | null, string | null | undefined, string | null>
  message_id: ColumnType<string | null, string | null | undefined, string | null>
  sender: ColumnType<string | null, string | null | undefined, string | null>
  text_body: ColumnType<string | null, string | null | undefined, string | null>
  html_body: ColumnType<string | null, string | null | undefined, string | null>
  unsubscribe_url: ColumnType<string | null, string | null | undefined, string | null>
  state: ColumnType<MailState, MailState | undefined, MailState>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Timestamp
  /** While an attempt is under way; still set when the row is taken again, that attempt died. */
  sending_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  last_error: ColumnType<string | null, string | null | undefined, string | null>
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** When a follow-up mail's link recorded an answer. */
  answered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** Addresses a site sends nothing more to, lower case (migration 9). */
export interface MailSuppressionsTable {
  site_id: string
  address: string
  reason: 'unsubscribed' | 'bounced'
  mail_id: string | null
  detail: string | null
  created_at: Generated<Timestamp>
}

/** Early-warning episodes (migration 10). */
export interface AlertsTable {
  /** `alt_…` */
  id: string
  site_id: string
  rule_id: string
  /** The category id or failure type counted; `''` for the whole site. */
  group_key: string
  rule: Json<AlertRule>
  count: number
  baseline: number | null
  window_from: Timestamp
  raised_at: Timestamp
  last_crossed_at: Timestamp
  ended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  dismissed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** Known-issue notices (migration 11). */
export interface NoticesTable {
  /** `ntc_…` */
  id: string
  site_id: string
  messages: Json<Partial<Record<Locale, string>>>
  level: ColumnType<'info' | 'warning', 'info' | 'warning' | undefined, 'info' | 'warning'>
  page: string | null
  starts_at: Timestamp
  ends_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  alert_id: ColumnType<string | null, string | null | undefined, string | null>
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

/** Forms closed after a help link, once per client, category and day (migration 12). */
export interface HelpDeflectionsTable {
  site_id: string
  day: ColumnType<Date | string, string, string>
  category: string
  client_key: string
}

/** A person of a site's team (migration 13). */
export interface UsersTable {
  id: string
  site_id: string
  email: string
  name: string
  role: Role
  password_hash: ColumnType<string | null, string | null | undefined, string | null>
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>
  totp_enabled: ColumnType<boolean, boolean | undefined, boolean>
  remedy_limit: ColumnType<string | null, number | null | undefined, number | null>
  day_limit: ColumnType<string | null, number | null | undefined, number | null>
  created_at: Generated<Timestamp>
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** Signed-in browsers (migration 13). */
export interface SessionsTable {
  id_hash: string
  user_id: string
  created_at: Generated<Timestamp>
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>
  expires_at: Timestamp
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** Invitation and one-time sign-in links (migration 13). */
export interface SignInLinksTable {
  token_hash: string
  user_id: string
  purpose: 'invite' | 'sign_in'
  expires_at: Timestamp
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: Generated<Timestamp>
}

/** API tokens for scripts (migration 13). */
export interface ApiTokensTable {
  id: string
  site_id: string
  name: string
  scopes: Json<TokenScope[]>
  token_hash: string
  created_at: Generated<Timestamp>
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** Money each person gave per UTC day (migration 14). */
export interface AuthorityDaysTable {
  user_id: string
  day: ColumnType<Date | string, string, string>
  given: ColumnType<string, number | string | undefined, number | string>
}

export interface Tables {
  sites: SitesTable
  complaints: ComplaintsTable
  follow_ups: FollowUpsTable
  events: EventsTable
  settings: SettingsTable
  recoveries: RecoveriesTable
  incidents: IncidentsTable
  recovery_customer_locks: RecoveryCustomerLocksTable
  recovery_site_days: RecoverySiteDaysTable
  rate_limit_counters: RateLimitCountersTable
  redress_migrations: MigrationsTable
  webhook_endpoints: WebhookEndpointsTable
  webhook_deliveries: WebhookDeliveriesTable
  coupon_pool: CouponPoolTable
  site_changes: SiteChangesTable
  site_verification_secrets: SiteVerificationSecretsTable
  goodwill_days: GoodwillDaysTable
  goodwill_clients: GoodwillClientsTable
  mail_messages: MailMessagesTable
  mail_suppressions: MailSuppressionsTable
  alerts: AlertsTable
  notices: NoticesTable
  help_deflections: HelpDeflectionsTable
  users: UsersTable
  sessions: SessionsTable
  sign_in_links: SignInLinksTable
  api_tokens: ApiTokensTable
  authority_days: AuthorityDaysTable
  attachments: AttachmentsTable
}

/** A complaint's photo: its metadata; the bytes are in the blob store (migration 16). */
export interface AttachmentsTable {
  id: string
  complaint_id: string
  site_id: string
  idempotency_key: string
  /** 1, 2, 3: its place among the complaint's photos. */
  seq: number
  blob_key: string
  type: AttachmentType
  size: number
  width: number
  height: number
  sha256: string
  /** The file name the customer's device gave it, for show only. */
  name: string | null
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export type AttachmentRow = Selectable<AttachmentsTable>
export type Site = Selectable<SitesTable>
export type NewSite = Insertable<SitesTable>
export type ComplaintRow = Selectable<ComplaintsTable>
export type RecoveryRow = Selectable<RecoveriesTable>
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>
export type MailRow = Selectable<MailMessagesTable>
export type AlertRow = Selectable<AlertsTable>
export type NoticeRow = Selectable<NoticesTable>
export type UserRow = Selectable<UsersTable>
