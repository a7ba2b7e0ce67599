// The typed events of a Redress instance, by name, and what their payloads
// carry: what the widget is asked to show, and host code's answers.
import type {
  Complaint,
  CouponRecovery,
  FollowUp,
  Receipt,
  Recovery,
  Status,
  StatusReport,
} from '@redress/protocol'
import type { ReceiptRef } from './adapter'
import type { RedressError } from './errors'

/** What `open` asks the widget to preselect. */
export interface OpenOptions {
  category?: string
  orderRef?: string
}

/** A known-issue banner the widget shows before anyone complains. */
export interface Notice {
  message: string
  /** @default 'info' */
  level?: 'info' | 'warning'
  /** Lets a later notice with the same id replace this one. */
  id?: string
}

/** Answers one complaint from host code, on the spot. */
export interface Responder {
  /** Show an apology. */
  apology(apology: { message: string }): void
  /** Show a coupon. Its code must come from your backend, never be made up in the browser. */
  coupon(coupon: Omit<CouponRecovery, 'kind'>): void
  /** Offer any kind of remedy. */
  offer(recovery: Recovery): void
}

/** The typed events of a Redress instance, by name. */
export interface RedressEvents {
  /** The instance is set up and has started delivering complaints queued by earlier pages. */
  ready: { queued: number }
  /** Something asked the widget to open. */
  open: OpenOptions
  /** Something asked the widget to close. */
  close: Record<string, never>
  /** A complaint was accepted and stored in the outbox; answer it with `respond`. */
  'complaint:submitted': { id: string; complaint: Complaint; respond: Responder }
  /** A delivery attempt failed and will be retried after `retryIn` milliseconds (or when the browser is back online). */
  'complaint:queued': {
    id: string
    complaint: Complaint
    attempts: number
    retryIn: number | null
    error: unknown
  }
  /** The backend stored the complaint. */
  'complaint:sent': { id: string; complaint: Complaint; receipt: Receipt }
  /** The backend refused the complaint for good; `complaint` lets the form offer it again. */
  'complaint:failed': { id: string; complaint: Complaint; error: RedressError }
  /** A remedy to show: from the backend's policy (`server`) or from host code (`host`). */
  'recovery:offered': { id?: string; recovery: Recovery; source: 'server' | 'host' }
  /** The customer took a remedy (copied the code, confirmed the refund...). */
  'recovery:accepted': { id?: string; recovery: Recovery }
  /** The customer answered the follow-up. */
  'followup:answered': { receipt: ReceiptRef; answer: FollowUp }
  /** A status check found the complaint in another state than the receipt it was given. */
  'status:changed': { report: StatusReport; previous: Status | undefined }
  /** A known-issue notice to show. */
  notice: Notice
}
