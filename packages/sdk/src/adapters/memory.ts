import {
  type Complaint,
  canonicalJson,
  type FollowUp,
  LIMITS,
  type Receipt,
  type Recovery,
  type Reply,
  type Status,
  type StatusReport,
} from '@redress/protocol'
import { validateComplaint, validateFollowUp } from '@redress/protocol/schema'
import type { Adapter, ReceiptRef, SubmitContext } from '../adapter'
import { RedressError, ValidationError } from '../errors'

/** A complaint as the memory adapter holds it. */
export interface StoredComplaint {
  complaint: Complaint
  idempotencyKey: string
  receipt: Receipt
  status: Status
  recoveries: Recovery[]
  /** The owner's replies to the customer, oldest first. */
  replies: Reply[]
  followUps: FollowUp[]
  updatedAt: string
}

export interface MemoryAdapterOptions {
  /**
   * Decide a remedy at once, as a server's policy would.
   * @default no remedy
   */
  recover?: (complaint: Complaint) => Recovery | null
}

/** The memory adapter, with a few extra methods for demos and tests. */
export interface MemoryAdapter extends Adapter {
  status: NonNullable<Adapter['status']>
  followUp: NonNullable<Adapter['followUp']>
  /** Every stored complaint, oldest first. */
  list(): StoredComplaint[]
  /**
   * Change a complaint as an owner would: move its status, add a remedy,
   * reply to the customer (shown in `status()` with the time of the update).
   */
  update(
    id: string,
    change: { status?: Status; recovery?: Recovery; reply?: Omit<Reply, 'at'> },
  ): StoredComplaint
}

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'
const random = (length: number, alphabet = ALPHABET) => {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length))
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('')
}

const abortIfAsked = (signal?: AbortSignal) => {
  if (signal?.aborted) throw signal.reason
}

/**
 * Keeps complaints in memory, with the same rules as a real backend:
 * validation, one complaint per idempotency key, conflicts on a reused key.
 * For tests, demos and server-side rendering.
 *
 * @example
 * const adapter = memoryAdapter({ recover: (c) => c.severity === 'critical' ? { kind: 'escalation', message: 'We will call you.' } : null })
 * const redress = createRedress({ site: 'pk_demo', adapter })
 * await redress.submit({ category: 'billing', severity: 'critical', description: 'Charged twice' }).receipt
 * adapter.list().length // 1
 */
export function memoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  const byId = new Map<string, StoredComplaint>()
  const byKey = new Map<string, { body: string; id: string }>()

  const find = (ref: ReceiptRef) => {
    const stored = byId.get(ref?.id)
    if (!stored) throw new RedressError(`No complaint ${ref?.id}`, { code: 'not_found' })
    if (stored.receipt.token !== ref.token) {
      throw new RedressError('The token does not match this complaint', { code: 'unauthorized' })
    }
    return stored
  }

  return {
    name: 'memory',
    async submit(input, { idempotencyKey, signal }: SubmitContext) {
      abortIfAsked(signal)
      if (
        typeof idempotencyKey !== 'string' ||
        !idempotencyKey ||
        idempotencyKey.length > LIMITS.idempotencyKey
      ) {
        throw new ValidationError([
          {
            field: 'idempotencyKey',
            message: `The idempotency key must be 1–${LIMITS.idempotencyKey} characters`,
          },
        ])
      }
      const result = validateComplaint(input)
      if (!result.success) throw new ValidationError(result.issues)
      // The customer token is a credential, not part of the complaint: as on a
      // server, it is neither kept nor fingerprinted, so a retry may carry a
      // fresh one, or none.
      const { customerToken, ...complaint } = result.output
      const body = canonicalJson(complaint)
      const previous = byKey.get(idempotencyKey)
      if (previous) {
        if (previous.body !== body) {
          throw new RedressError(
            'This idempotency key was already used for a different complaint',
            {
              code: 'idempotency_conflict',
            },
          )
        }
        return structuredClone(byId.get(previous.id)!.receipt)
      }
      const now = new Date().toISOString()
      const recovery = options.recover?.(complaint) ?? null
      const receipt: Receipt = {
        id: `cmp_${random(20, '0123456789abcdefghijklmnopqrstuvwxyz')}`,
        reference: `R-${random(5)}`,
        status: 'received',
        token: random(32, '0123456789abcdef'),
        recovery,
        receivedAt: now,
      }
      byKey.set(idempotencyKey, { body, id: receipt.id })
      byId.set(receipt.id, {
        complaint,
        idempotencyKey,
        receipt,
        status: 'received',
        recoveries: recovery ? [recovery] : [],
        replies: [],
        followUps: [],
        updatedAt: now,
      })
      return structuredClone(receipt)
    },
    async status(ref, context) {
      abortIfAsked(context?.signal)
      const stored = find(ref)
      const report: StatusReport = {
        id: stored.receipt.id,
        reference: stored.receipt.reference,
        status: stored.status,
        recoveries: stored.recoveries,
        // Left out until there is one, as a server does.
        ...(stored.replies.length ? { replies: stored.replies } : {}),
        updatedAt: stored.updatedAt,
      }
      return structuredClone(report)
    },
    async followUp(ref, answer, context) {
      abortIfAsked(context?.signal)
      const stored = find(ref)
      const result = validateFollowUp(answer)
      if (!result.success) throw new ValidationError(result.issues)
      stored.followUps.push(result.output)
      if (!result.output.resolved) stored.status = 'reopened'
      stored.updatedAt = new Date().toISOString()
    },
    list: () => [...byId.values()],
    update(id, change) {
      const stored = byId.get(id)
      if (!stored) throw new RedressError(`No complaint ${id}`, { code: 'not_found' })
      if (change.status) stored.status = change.status
      if (change.recovery) stored.recoveries.push(change.recovery)
      stored.updatedAt = new Date().toISOString()
      if (change.reply) stored.replies.push({ ...change.reply, at: stored.updatedAt })
      return stored
    },
  }
}
