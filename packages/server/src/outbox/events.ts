/**
 * @module A complaint's timeline: every change to a complaint is recorded as
 * an event, in the transaction that makes the change (through `emit`, which
 * also enqueues the change's webhook).
 */
import type { Kysely } from 'kysely'
import type { EventType, Tables } from '../db/schema'

/** One entry of a complaint's timeline. */
export interface TimelineEvent {
  type: EventType
  data: Record<string, unknown>
}

/** A timeline row as written: its id (the order of the timeline) and time. */
export interface Written {
  id: string
  createdAt: Date
}

/**
 * Write timeline rows, in order, with the caller's transaction; returns each
 * row's id and time, in the same order.
 *
 * @example
 * const [row] = await writeEvents(trx, [{ complaintId, type: 'replied', data }])
 */
export async function writeEvents(
  trx: Kysely<Tables>,
  events: readonly (TimelineEvent & { complaintId: string })[],
): Promise<Written[]> {
  if (events.length === 0) return []
  const rows = await trx
    .insertInto('events')
    .values(
      events.map(({ complaintId, type, data }) => ({
        complaint_id: complaintId,
        type,
        data: JSON.stringify(data),
      })),
    )
    .returning(['id', 'created_at'])
    .execute()
  // Ids come from a sequence in the order of the values.
  return rows
    .map((row) => ({ id: String(row.id), createdAt: new Date(row.created_at as unknown as Date) }))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
}
