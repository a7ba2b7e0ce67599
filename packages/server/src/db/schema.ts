/**
 * @module The tables as Kysely sees them. The SQL that creates them lives in
 * `migrations.ts`; keep the two in step.
 */
import type { Complaint, FollowUp, Severity, Status } from '@redress/protocol'
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
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
}

export interface SiteCategory {
  id: string
  failureType: 'outcome' | 'process' | 'interaction'
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
}

export interface FollowUpsTable {
  id: Generated<string>
  complaint_id: string
  score: number
  resolved: boolean
  comment: string | null
  fairness: Json<FollowUp['fairness'] | null>
  created_at: Generated<Timestamp>
}

export type EventType = 'received' | 'status_changed' | 'follow_up'

export interface EventsTable {
  id: Generated<string>
  complaint_id: string
  type: EventType
  data: Json<Record<string, unknown>>
  created_at: Generated<Timestamp>
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

export interface Tables {
  sites: SitesTable
  complaints: ComplaintsTable
  follow_ups: FollowUpsTable
  events: EventsTable
  settings: SettingsTable
  redress_migrations: MigrationsTable
}

export type Site = Selectable<SitesTable>
export type NewSite = Insertable<SitesTable>
export type ComplaintRow = Selectable<ComplaintsTable>
