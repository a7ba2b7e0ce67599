/**
 * @module One way to record a change of a complaint: `emit` writes its
 * timeline event and enqueues the webhook and the mails it sends, if any, in
 * the caller's transaction, so all exist exactly when the change committed.
 */
import type { Complaint, FollowUp, Status } from '@redress/protocol'
import type {
  ActorRef,
  MailKind,
  MailState,
  ReplyView,
  WebhookEventType,
} from '@redress/protocol/admin'
import type { Transaction } from 'kysely'
import type {
  AttachmentRow,
  ComplaintRow,
  EventType,
  RecoveryRow,
  RootCause,
  Suspicion,
  Tables,
  VerifiedFacts,
} from '../db/schema'
import { type Written, writeEvents } from './events'
import { enqueueMail, type MailIntent, type SiteRef } from './mail'
import { enqueue } from './webhooks'

/**
 * Every change of a complaint, by its timeline event's type: what the caller
 * knows of it. The timeline's data and the webhook each sends (named on each)
 * are made from it in `OUTBOX`.
 */
export interface OutboxEvents {
  /**
   * The complaint was stored (never on a replay). Sends `complaint.created`;
   * unless it looks sent by a bot, mails the team when it is critical and
   * the customer an acknowledgment when the site sends them.
   */
  received: {
    complaintId: string
    reference: string
    idempotencyKey: string
    suspicion: Suspicion | null
    /** As validated, without its customer token. */
    complaint: Complaint
    verified: VerifiedFacts | null
    receivedAt: Date
  }
  /**
   * A ledger row was written (policy, owner or guarantee). Sends
   * `recovery.issued` once issued; mails the team when it waits for approval.
   */
  recovery: {
    row: RecoveryRow
    /** Who issued it by hand or by a guarantee. */
    by?: string | undefined
    /** A fingerprint of the request, to tell a replay from a reuse of its key. */
    request?: string | undefined
    /** Who gave it, in the inbox. */
    actor?: ActorRef | undefined
  }
  /** The owner approved a waiting remedy (`row` as approved). Sends `recovery.issued`. */
  recovery_approved: { row: RecoveryRow; actor?: ActorRef | undefined }
  /** The owner rejected a waiting remedy. No webhook. */
  recovery_rejected: { row: RecoveryRow; actor?: ActorRef | undefined }
  /** The customer answered the follow-up. Sends `followup.received`. */
  follow_up: { complaintId: string; reference: string; answer: FollowUp }
  /**
   * The status moved. When it moved to `resolved`: sends `complaint.resolved`
   * and mails the customer the follow-up.
   */
  status_changed: {
    complaintId: string
    reference: string
    from: Status
    to: Status
    /** What moved it: `admin`, `follow_up`, `reply`. */
    by: string
    /** When. @default now */
    at?: Date | undefined
    /** Who, in the inbox. */
    actor?: ActorRef | undefined
  }
  /** Someone took the complaint (or handed it on). No webhook. */
  assigned: {
    complaintId: string
    from: string | null
    to: string | null
    actor?: ActorRef | undefined
  }
  /** The root cause was diagnosed. No webhook. */
  root_cause: {
    complaintId: string
    from: RootCause | null
    to: RootCause | null
    actor?: ActorRef | undefined
  }
  /** Whether the recovery was appropriate was assessed. No webhook. */
  recovery_assessed: {
    complaintId: string
    from: boolean | null
    to: boolean | null
    actor?: ActorRef | undefined
  }
  /**
   * The owner replied; the timeline row is the reply (its id and time are
   * the reply's). Sends `reply.sent` and mails the reply to the customer.
   */
  replied: {
    complaintId: string
    reference: string
    message: string
    author: string | null
    /** The `Idempotency-Key` it was sent with, if any. */
    idempotencyKey: string | null
    /** Who sent it, in the inbox. */
    actor?: ActorRef | undefined
  }
  /** The customer added a photo. Sends `attachment.added` with its metadata, never its bytes. */
  attachment_added: {
    complaintId: string
    reference: string
    attachment: AttachmentRow
  }
  /** The first reply missed a guarantee's deadline. Sends `guarantee.broken`; mails the team. */
  guarantee_broken: {
    complaintId: string
    reference: string
    promise: string
    dueAt: Date
    /** The ledger row of the promised remedy. */
    recoveryId: string
  }
  /**
   * The customer wrote back from a mail's link (the status page). No webhook;
   * mails the team their words.
   */
  customer_replied: {
    complaintId: string
    reference: string
    message: string
    /** The mail whose link they used. */
    mailId: string
  }
  /** A mail about the complaint was written to the mail outbox. No webhook. */
  mail_queued: { complaintId: string; mailId: string; kind: MailKind; to: string }
  /** A mail reached its last state: sent, bounced, failed, not sent or suppressed. No webhook. */
  mail_delivery: {
    complaintId: string
    mailId: string
    kind: MailKind
    to: string
    state: Exclude<MailState, 'pending'>
    attempts: number
    /** Why it was not sent, in the SMTP server's or the worker's words. */
    error: string | null
  }
}

/** One change: its type and what `OutboxEvents` says it carries. */
export type OutboxEvent = {
  [T in keyof OutboxEvents]: { type: T } & OutboxEvents[T]
}[keyof OutboxEvents]

/** How one type of change is recorded. */
interface Spec<E> {
  complaintId(event: E): string
  /** The timeline event's data. */
  data(event: E): Record<string, unknown>
  /**
   * The webhook, if the change sends one: its type and its data, made only
   * when an endpoint subscribes (it may read the database).
   */
  webhook?(
    event: E,
    written: Written,
    trx: Transaction<Tables>,
  ):
    | { type: WebhookEventType; data(): Promise<Record<string, unknown>> | Record<string, unknown> }
    | undefined
  /** The mails the change sends (the outbox finds their recipients). */
  mail?(event: E, written: Written): MailIntent[] | undefined
}

// Keyed by the timeline's types: each must be in `OutboxEvents` (and `writeEvents` takes no other).
type Specs = { [T in EventType]: Spec<OutboxEvents[T]> }

const iso = (value: Date) => value.toISOString()

/** What the timeline and a webhook say of a photo: its metadata, not its bytes. */
const attachmentMeta = (row: AttachmentRow) => ({
  attachmentId: row.id,
  type: row.type,
  size: row.size,
  width: row.width,
  height: row.height,
  sha256: row.sha256,
})

/** The person (or token) who made a change, in the timeline's data when known. */
const withActor = (actor: ActorRef | undefined) => (actor ? { actor } : {})

/** `recovery.issued`'s data; the complaint's reference is read only when an endpoint wants it. */
const recoveryIssued = (row: RecoveryRow, trx: Transaction<Tables>) => ({
  type: 'recovery.issued' as const,
  data: async () => {
    const { reference } = await trx
      .selectFrom('complaints')
      .select('reference')
      .where('id', '=', row.complaint_id)
      .executeTakeFirstOrThrow()
    return {
      complaintId: row.complaint_id,
      reference,
      recoveryId: row.id,
      policyKey: row.policy_key,
      kind: row.kind,
      value: Number(row.value),
      currency: row.currency,
      recovery: row.recovery ? JSON.parse(row.recovery) : null,
      reusedFrom: row.reused_from,
    }
  },
})

/** `reply.sent`'s data: the owner's words, what a backend mirrors to e-mail or chat. */
const replySent = (
  complaint: Pick<ComplaintRow, 'id' | 'reference'>,
  reply: Pick<ReplyView, 'id' | 'message' | 'author' | 'at'>,
) => ({
  complaintId: complaint.id,
  reference: complaint.reference,
  replyId: reply.id,
  message: reply.message,
  author: reply.author,
  at: reply.at,
})

/** How each change is recorded: its timeline data, and the webhook it sends. */
const OUTBOX: Specs = {
  received: {
    complaintId: (event) => event.complaintId,
    data: ({ idempotencyKey, suspicion }) => ({ idempotencyKey, suspicion }),
    webhook: (event) => ({
      type: 'complaint.created',
      data: () => {
        const { complaint, verified } = event
        // Only vouched facts: a receiver may act on them, so a claim never looks like one.
        return {
          complaintId: event.complaintId,
          reference: event.reference,
          category: complaint.category,
          severity: complaint.severity,
          orderRef: verified?.order?.ref ?? complaint.orderRef ?? null,
          orderValue: verified?.order
            ? { value: verified.order.value, currency: verified.order.currency }
            : null,
          customerId: verified?.customerId ?? null,
          verified: verified !== null,
          receivedAt: iso(event.receivedAt),
        }
      },
    }),
    // A suspected bot gets no mail sent for it: an acknowledgment would let
    // anyone mail any address through the shop, and the team sees the flag in the inbox.
    mail: ({ complaint, suspicion }) =>
      suspicion
        ? undefined
        : [
            ...(complaint.severity === 'critical' ? [{ kind: 'team_critical' as const }] : []),
            ...(complaint.contact?.email ? [{ kind: 'acknowledgment' as const }] : []),
          ],
  },
  recovery: {
    complaintId: ({ row }) => row.complaint_id,
    data: ({ row, by, request, actor }) => ({
      recoveryId: row.id,
      kind: row.kind,
      status: row.status,
      value: Number(row.value),
      reason: row.reason,
      reusedFrom: row.reused_from,
      ...(by === undefined ? {} : { by }),
      ...(request === undefined ? {} : { request }),
      ...withActor(actor),
    }),
    webhook: ({ row }, _, trx) => (row.status === 'issued' ? recoveryIssued(row, trx) : undefined),
    mail: ({ row }) =>
      row.status === 'pending_approval'
        ? [{ kind: 'team_approval', data: { recoveryId: row.id } }]
        : undefined,
  },
  recovery_approved: {
    complaintId: ({ row }) => row.complaint_id,
    data: ({ row, actor }) => ({
      recoveryId: row.id,
      kind: row.kind,
      value: Number(row.value),
      reason: row.reason,
      ...withActor(actor),
    }),
    webhook: ({ row }, _, trx) => recoveryIssued(row, trx),
  },
  recovery_rejected: {
    complaintId: ({ row }) => row.complaint_id,
    data: ({ row, actor }) => ({
      recoveryId: row.id,
      kind: row.kind,
      reason: row.reason,
      ...withActor(actor),
    }),
  },
  follow_up: {
    complaintId: (event) => event.complaintId,
    data: ({ answer }) => ({ score: answer.score, resolved: answer.resolved }),
    webhook: ({ complaintId, reference, answer }) => ({
      type: 'followup.received',
      data: () => ({
        complaintId,
        reference,
        score: answer.score,
        resolved: answer.resolved,
        fairness: answer.fairness ?? null,
      }),
    }),
  },
  status_changed: {
    complaintId: (event) => event.complaintId,
    data: ({ from, to, by, actor }) => ({ from, to, by, ...withActor(actor) }),
    webhook: ({ complaintId, reference, to, at }) =>
      to === 'resolved'
        ? {
            type: 'complaint.resolved',
            data: () => ({ complaintId, reference, resolvedAt: iso(at ?? new Date()) }),
          }
        : undefined,
    mail: ({ to }) => (to === 'resolved' ? [{ kind: 'follow_up' }] : undefined),
  },
  assigned: {
    complaintId: (event) => event.complaintId,
    data: ({ from, to, actor }) => ({ from, to, ...withActor(actor) }),
  },
  root_cause: {
    complaintId: (event) => event.complaintId,
    data: ({ from, to, actor }) => ({ from, to, ...withActor(actor) }),
  },
  recovery_assessed: {
    complaintId: (event) => event.complaintId,
    data: ({ from, to, actor }) => ({ from, to, ...withActor(actor) }),
  },
  replied: {
    complaintId: (event) => event.complaintId,
    data: ({ message, author, idempotencyKey, actor }) => ({
      message,
      author,
      idempotencyKey,
      ...withActor(actor),
    }),
    webhook: (event, written) => ({
      type: 'reply.sent',
      data: () =>
        replySent(
          { id: event.complaintId, reference: event.reference },
          { ...event, id: written.id, at: iso(written.createdAt) },
        ),
    }),
    mail: ({ message, author }, written) => [
      { kind: 'reply', data: { replyId: written.id, message, author } },
    ],
  },
  attachment_added: {
    complaintId: (event) => event.complaintId,
    data: ({ attachment }) => attachmentMeta(attachment),
    webhook: ({ complaintId, reference, attachment }) => ({
      type: 'attachment.added',
      data: () => ({ complaintId, reference, ...attachmentMeta(attachment) }),
    }),
  },
  guarantee_broken: {
    complaintId: (event) => event.complaintId,
    data: ({ promise, dueAt, recoveryId }) => ({ promise, dueAt: iso(dueAt), recoveryId }),
    webhook: ({ complaintId, reference, promise, dueAt, recoveryId }) => ({
      type: 'guarantee.broken',
      data: () => ({ complaintId, reference, promise, dueAt: iso(dueAt), recoveryId }),
    }),
    mail: ({ promise, dueAt, recoveryId }) => [
      { kind: 'team_guarantee', data: { promise, dueAt: iso(dueAt), recoveryId } },
    ],
  },
  customer_replied: {
    complaintId: (event) => event.complaintId,
    data: ({ message, mailId }) => ({ message, mailId }),
    mail: ({ message }) => [{ kind: 'team_reply', data: { message } }],
  },
  mail_queued: {
    complaintId: (event) => event.complaintId,
    data: ({ mailId, kind, to }) => ({ mailId, kind, to }),
  },
  mail_delivery: {
    complaintId: (event) => event.complaintId,
    data: ({ mailId, kind, to, state, attempts, error }) => ({
      mailId,
      kind,
      to,
      state,
      attempts,
      error,
    }),
  },
}

/** The spec of an event's own type (the map above pairs them; TypeScript cannot follow it). */
const specOf = (event: OutboxEvent) => OUTBOX[event.type] as unknown as Spec<OutboxEvent>

/**
 * Record changes of the site's complaints, in order, in the caller's
 * transaction: one timeline row each, then the webhooks they send, in the
 * same order (each only to the site's endpoints subscribed to its type),
 * then the mails they send (each with a `mail_queued` timeline row).
 * Returns each timeline row's id and time, in order.
 *
 * @example
 * await emit(trx, site.id, { type: 'status_changed', complaintId, reference, from: 'received', to: 'resolved', by: 'admin' })
 * const [reply] = await emit(trx, site.id, { type: 'replied', complaintId, reference, message, author: null, idempotencyKey: null })
 */
export async function emit(
  trx: Transaction<Tables>,
  site: SiteRef,
  ...events: OutboxEvent[]
): Promise<Written[]> {
  const siteId = typeof site === 'string' ? site : site.id
  const written = await writeEvents(
    trx,
    events.map((event) => {
      const spec = specOf(event)
      return { complaintId: spec.complaintId(event), type: event.type, data: spec.data(event) }
    }),
  )
  for (const [index, event] of events.entries()) {
    const spec = specOf(event)
    const webhook = spec.webhook?.(event, written[index]!, trx)
    if (webhook) await enqueue(trx, siteId, webhook.type, webhook.data)
    const mails = spec.mail?.(event, written[index]!)
    if (mails?.length) {
      const queued = await enqueueMail(trx, site, spec.complaintId(event), mails)
      if (queued.length)
        await emit(
          trx,
          siteId,
          ...queued.map((mail) => ({ type: 'mail_queued' as const, ...mail })),
        )
    }
  }
  return written
}
