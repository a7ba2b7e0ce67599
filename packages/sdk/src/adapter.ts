import type {
  AttachmentReceipt,
  Complaint,
  FollowUp,
  Receipt,
  StatusReport,
} from '@redress/protocol'

/** What `submit` gets besides the complaint. */
export interface SubmitContext {
  /** The same on every attempt to deliver one complaint; backends store the complaint once per key. */
  idempotencyKey: string
  /** Aborted when the SDK is destroyed; pass it on to `fetch`. */
  signal?: AbortSignal
}

/** What `status` and `followUp` get besides their arguments. */
export interface RequestContext {
  signal?: AbortSignal
}

/** A photo for a complaint, as a client prepared it (downscaled, re-encoded). */
export interface Photo {
  /** The image's bytes; its `type` is sent as the `Content-Type`. */
  blob: Blob
  /** A file name for show (`photo.webp`); the backend never serves it under this name. */
  name?: string
}

/** The part of a receipt that identifies a complaint to its backend. */
export type ReceiptRef = Pick<Receipt, 'id' | 'token'>

/**
 * Carries complaints from the SDK to a backend. `submit` is required;
 * `status` and `followUp` are optional and checked where they are used.
 *
 * Throw a `RedressError` with `retryable: false` (or an `HttpError` with a
 * 4xx status other than 429) to give up on a complaint; anything else is
 * retried with backoff.
 *
 * @example
 * const adapter: Adapter = {
 *   name: 'my-backend',
 *   async submit(complaint, { idempotencyKey, signal }) {
 *     const response = await fetch('/api/complaints', {
 *       method: 'POST', signal, body: JSON.stringify(complaint),
 *       headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
 *     })
 *     return response.json()
 *   },
 * }
 */
export interface Adapter {
  /** A short name for logs and errors, e.g. `"http"`. */
  readonly name: string
  /** Store the complaint (once per idempotency key) and return its receipt. */
  submit(complaint: Complaint, context: SubmitContext): Promise<Receipt>
  /** Where the complaint stands now. */
  status?(receipt: ReceiptRef, context?: RequestContext): Promise<StatusReport>
  /** Record the customer's answer to "Did we make it right?". */
  followUp?(receipt: ReceiptRef, answer: FollowUp, context?: RequestContext): Promise<void>
  /**
   * Add a photo to a sent complaint, once per idempotency key (the same on
   * every retry of one photo). Backends without photos leave it out.
   */
  attach?(receipt: ReceiptRef, photo: Photo, context: SubmitContext): Promise<AttachmentReceipt>
}
