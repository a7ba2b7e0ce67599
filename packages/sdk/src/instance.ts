// What `createRedress` returns: the instance's methods, what `submit` takes
// and what it gives back.
import type {
  Complaint,
  CouponRecovery,
  FollowUp,
  Metadata,
  Receipt,
  Recovery,
  Status,
  StatusReport,
} from '@redress/protocol'
import type { QueuedComplaint } from './_outbox'
import type { ReceiptRef } from './adapter'
import type { Listener, Unsubscribe } from './emitter'
import type { Notice, OpenOptions, RedressEvents } from './events'
import type { Customer } from './options'

/** What the customer (or the widget's form) supplies; the SDK adds the rest. */
export interface ComplaintDraft
  extends Pick<
    Complaint,
    'category' | 'severity' | 'description' | 'contact' | 'orderRef' | 'orderValue' | 'signals'
  > {
  /** Merged over the `metadata` given to `createRedress`. */
  metadata?: Metadata
}

/** What `submit` returns: the complaint as queued, and its receipt to come. */
export interface Submission {
  /** The local id, also the idempotency key. */
  id: string
  complaint: Complaint
  /**
   * Resolves when the backend stores the complaint; rejects with a
   * `RedressError` if it refuses it for good. Survives nothing: after a
   * reload, listen for `complaint:sent` instead.
   */
  receipt: Promise<Receipt>
}

/** A Redress instance; see `createRedress`. */
export interface Redress {
  readonly site: string
  on<K extends keyof RedressEvents>(type: K, listener: Listener<RedressEvents[K]>): Unsubscribe
  once<K extends keyof RedressEvents>(type: K, listener: Listener<RedressEvents[K]>): Unsubscribe
  off<K extends keyof RedressEvents>(type: K, listener: Listener<RedressEvents[K]>): void
  /**
   * Set (or with `null`, forget) who the customer is, and their token, for
   * later complaints. Complaints already queued keep theirs.
   */
  identify(user: Customer | null): void
  /** Ask the widget to open, optionally with a category or order preselected. */
  open(options?: OpenOptions): void
  /** Ask the widget to close. */
  close(): void
  /**
   * Validate the draft, store it in the outbox, emit `complaint:submitted`,
   * and deliver it. Throws a `ValidationError` for bad input, storing nothing.
   */
  submit(draft: ComplaintDraft): Submission
  /** Show an apology from host code. */
  apologize(apology: { message: string }, id?: string): void
  /** Show a coupon from host code. The code must come from your backend. */
  offerCoupon(coupon: Omit<CouponRecovery, 'kind'>, id?: string): void
  /** Show any remedy from host code. */
  offerRecovery(recovery: Recovery, id?: string): void
  /** Record that the customer took a remedy (emits `recovery:accepted`). */
  acceptRecovery(recovery: Recovery, id?: string): void
  /** Show a known-issue notice. */
  notice(notice: Notice): void
  /**
   * Ask the backend where a complaint stands. Emits `status:changed` when the
   * status differs from the one on the receipt passed in (pass the last
   * report or receipt you kept).
   */
  status(receipt: ReceiptRef & { status?: Status }): Promise<StatusReport>
  /** Send the customer's answer to "Did we make it right?". */
  followUp(receipt: ReceiptRef, answer: FollowUp): Promise<void>
  /** The complaints accepted but not yet delivered, this page's and earlier pages'. */
  pending(): QueuedComplaint[]
  /** Try to deliver every queued complaint now; resolves when each attempt has ended. */
  flush(): Promise<void>
  /** Stop timers, requests and listeners. Queued complaints stay queued for the next page. */
  destroy(): void
}
