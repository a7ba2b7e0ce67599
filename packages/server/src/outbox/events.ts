/**
 * @module A complaint's timeline: every change to a complaint is recorded as
 * an event, in the transaction that makes the change.
 */
import type { Kysely } from 'kysely'
import type { EventType, Tables } from '../db/schema'

/** One entry of a complaint's timeline. */
export interface TimelineEvent {
  type: EventType
  data: Record<string, unknown>
}

/** Record `events` on the complaint's timeline, in order, with the caller's transaction. */
export async function recordEvents(
  trx: Kysely<Tables>,
  complaintId: string,
  ...events: TimelineEvent[]
): Promise<void> {
  if (events.length === 0) return
  await trx
    .insertInto('events')
    .values(
      events.map(({ type, data }) => ({
        complaint_id: complaintId,
        type,
        data: JSON.stringify(data),
      })),
    )
    .execute()
}
