/**
 * @module One complaint in the admin API: what it holds (remedies, answers,
 * timeline), changing its handling and replying to the customer.
 */
import * as v from 'valibot'
import {
  type AttachmentReceipt,
  type Complaint,
  type FollowUp,
  LIMITS,
  type Recovery,
  type RecoveryKind,
  type Score,
  STATUSES,
  type Status,
  type VouchedOrder,
} from '../index'
import { STATUS_MESSAGE } from './_query'
import { body, clean, nfc, text } from './_valid'
import type { ComplaintMail } from './mail'
import {
  ADMIN_LIMITS,
  type GuaranteeState,
  type RecoveryStatus,
  ROOT_CAUSES,
  type RootCause,
  type Suspicion,
} from './words'

/** A ledger row of one complaint, pending and rejected ones included. */
export interface RecoveryView {
  /** `rcv_…` */
  id: string
  /** Which rule issued it: `apology`, `remedy`, `escalation`, `guarantee`, `manual:…`. */
  policyKey: string
  kind: RecoveryKind
  status: RecoveryStatus
  /** Why it waits (or waited) for approval: a `PendingReason`. */
  reason: string | null
  /** Minor units of `currency`; 0 for remedies that cost no money. */
  value: number
  currency: string | null
  code: string | null
  expiresAt: string | null
  /** What the customer was given; `null` while pending or rejected. */
  recovery: Recovery | null
  /** The complaint whose remedy this one repeats (one incident, several complaints). */
  reusedFrom: string | null
  createdAt: string
  /** When a pending remedy was approved or rejected. */
  decidedAt: string | null
}

/** One event of a complaint's timeline. */
export interface TimelineEntry {
  /** `received`, `status_changed`, `recovery`, `replied`, `follow_up`, … */
  type: string
  data: Record<string, unknown>
  at: string
}

/** A follow-up answer as stored: what the customer sent, with `null` for what they left out. */
export interface FollowUpView {
  score: Score
  resolved: boolean
  comment: string | null
  fairness: NonNullable<FollowUp['fairness']> | null
  createdAt: string
}

/**
 * A service guarantee: a promise shown to customers and kept by the server.
 * When the owner has not replied within `firstReplyWithin`, the promised
 * remedy is issued automatically.
 *
 * @example
 * const guarantee: Guarantee = {
 *   text: 'A reply within 2 hours, or €5 off',
 *   firstReplyWithin: 'PT2H',
 *   remedy: { kind: 'coupon', value: 500 },
 * }
 */
export interface Guarantee {
  /** What customers are told, e.g. "A reply within 2 hours, or 10% off". */
  text: string
  /** ISO 8601 duration, e.g. `PT2H`. */
  firstReplyWithin: string
  /** What a broken promise gives: a coupon worth `value` minor units of the policy currency. */
  remedy: { kind: 'coupon'; value: number }
}

/** The guarantee as it stood when a complaint arrived, and how it went. */
export interface ComplaintGuarantee extends Guarantee {
  dueAt: string | null
  state: GuaranteeState | null
}

/**
 * `GET /v1/admin/complaints/{id}` (and what `PATCH` on it answers): what the
 * customer sent, its handling, remedies, answers and timeline.
 */
export interface ComplaintDetail {
  id: string
  reference: string
  status: Status
  assignee: string | null
  /** The person who owns it (`usr_…`), when a person does. */
  assigneeId: string | null
  rootCause: RootCause | null
  recoveryAppropriate: boolean | null
  suspicion: Suspicion | null
  firstReplyAt: string | null
  guarantee: ComplaintGuarantee | null
  /**
   * What a valid customer token said: the customer and the vouched order the
   * complaint is about (`null` when it named none the token vouches for).
   * `null` for an unverified complaint, whose `complaint.customer` is only a claim.
   */
  verified: {
    customerId: string
    email: string | null
    name: string | null
    order: VouchedOrder | null
  } | null
  /** Everything the customer sent, as validated (without the customer token). */
  complaint: Complaint
  receivedAt: string
  updatedAt: string
  recoveries: RecoveryView[]
  followUps: FollowUpView[]
  timeline: TimelineEntry[]
  /** The complaint's mails, oldest first (left out by servers without mail). */
  mails?: ComplaintMail[]
  /** The customer's photos, in the order they came (left out by servers without photos). */
  attachments?: AttachmentView[]
}

/** A photo of a complaint in the admin API: its metadata, and where its bytes are. */
export interface AttachmentView extends AttachmentReceipt {
  /** The file name the customer's device gave it, for show only (never served under it). */
  name: string | null
  /** `GET` it with the admin API's credentials: `/v1/admin/complaints/{id}/attachments/{attachmentId}`. */
  url: string
}

/**
 * `POST /v1/admin/complaints/{id}/replies`: a message to the customer.
 *
 * @example
 * // → 201 { "id": "42", "message": "We found your parcel.", "author": "Ana", "at": "…" }
 */
export interface ReplyView {
  /** The `replied` event's id (the same `id` the live stream sends). */
  id: string
  message: string
  author: string | null
  at: string
}

/**
 * The route parameter `{id}` of a complaint, remedy, webhook endpoint or
 * delivery (`c.req.param()`): free of control characters, then NFC.
 *
 * @example
 * parseAdmin(IdParamsSchema, { id: 'cmp_\u0000' })
 * // { ok: false, message: 'id contains a control character (U+0000)', field: 'id' }
 */
export const IdParamsSchema = /* @__PURE__ */ (() =>
  v.object({
    id: v.pipe(v.string('id must be a string'), clean('id'), nfc),
  }))()
export type IdParams = v.InferInput<typeof IdParamsSchema>

const ASSIGNEE_MESSAGE = /* @__PURE__ */ (() =>
  `assignee is a name of 1–${ADMIN_LIMITS.assignee} characters, or null`)()

/**
 * `PATCH /v1/admin/complaints/{id}`: at least one of `status`, `assignee`,
 * `rootCause`, `recoveryAppropriate`; `null` clears the last three. `force`
 * takes a complaint someone else owns. `assignee` is trimmed and NFC.
 *
 * @example
 * parseAdmin(ComplaintPatchSchema, { status: 'in_progress', assignee: ' Ana ' })
 * // { ok: true, value: { status: 'in_progress', assignee: 'Ana' } }
 */
export const ComplaintPatchSchema = /* @__PURE__ */ (() =>
  v.pipe(
    body({
      status: v.optional(v.picklist(STATUSES, STATUS_MESSAGE)),
      assignee: v.optional(v.nullable(text('assignee', ADMIN_LIMITS.assignee, ASSIGNEE_MESSAGE))),
      rootCause: v.optional(
        v.nullable(
          v.picklist(ROOT_CAUSES, `rootCause must be one of ${ROOT_CAUSES.join(', ')}, or null`),
        ),
      ),
      recoveryAppropriate: v.optional(
        v.nullable(v.boolean('recoveryAppropriate is true, false or null')),
      ),
      force: v.optional(v.boolean('force is true or false')),
    }),
    v.check(
      (patch) =>
        patch.status !== undefined ||
        patch.assignee !== undefined ||
        patch.rootCause !== undefined ||
        patch.recoveryAppropriate !== undefined,
      'Send at least one of status, assignee, rootCause, recoveryAppropriate',
    ),
  ))()
/** What a client sends to change a complaint's handling. */
export type ComplaintPatch = v.InferInput<typeof ComplaintPatchSchema>
export type ParsedComplaintPatch = v.InferOutput<typeof ComplaintPatchSchema>

const AUTHOR_MESSAGE = /* @__PURE__ */ (() =>
  `author is a name of 1–${LIMITS.author} characters, or left out`)()

/**
 * `POST /v1/admin/complaints/{id}/replies`: `message` free text (line
 * breaks kept), `author` one line or `null` (no author); both trimmed and NFC.
 *
 * @example
 * parseAdmin(ReplyBodySchema, { message: 'We found your parcel.\n', author: 'Ana' })
 * // { ok: true, value: { message: 'We found your parcel.', author: 'Ana' } }
 */
export const ReplyBodySchema = /* @__PURE__ */ (() =>
  v.pipe(
    body({
      message: text(
        'message',
        LIMITS.reply,
        `message is text of 1–${LIMITS.reply} characters`,
        true,
      ),
      author: v.optional(v.nullable(text('author', LIMITS.author, AUTHOR_MESSAGE))),
    }),
    v.transform(({ message, author }) => ({ message, author: author ?? null })),
  ))()
/** What a client sends as a reply to the customer. */
export type ReplyBody = v.InferInput<typeof ReplyBodySchema>
export type ParsedReplyBody = v.InferOutput<typeof ReplyBodySchema>

const REPLY_KEY_MESSAGE = /* @__PURE__ */ (() =>
  `Idempotency-Key is 1–${LIMITS.idempotencyKey} characters, the same on every retry`)()

/**
 * The `Idempotency-Key` header of a reply, as `{ idempotencyKey:
 * c.req.header('idempotency-key') }`: checked, never normalised (a retry
 * must send the very same key); `null` when absent.
 *
 * @example
 * parseAdmin(ReplyHeadersSchema, { idempotencyKey: undefined }) // { ok: true, value: { idempotencyKey: null } }
 */
export const ReplyHeadersSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.object({
      idempotencyKey: v.optional(
        v.pipe(
          v.string(REPLY_KEY_MESSAGE),
          v.minLength(1, REPLY_KEY_MESSAGE),
          v.maxLength(LIMITS.idempotencyKey, REPLY_KEY_MESSAGE),
          clean('idempotencyKey'),
        ),
      ),
    }),
    v.transform(({ idempotencyKey }) => ({ idempotencyKey: idempotencyKey ?? null })),
  ))()
export type ReplyHeaders = v.InferInput<typeof ReplyHeadersSchema>
