import type { Complaint } from '@redress/protocol'
import type { KeyValueStorage } from './storage'

/** A complaint accepted by `submit` and not yet acknowledged by the backend. */
export interface QueuedComplaint {
  /** The local id, also the idempotency key of every delivery attempt. */
  id: string
  complaint: Complaint
  /** Failed delivery attempts so far. */
  attempts: number
  /** When `submit` accepted it (ISO 8601). */
  queuedAt: string
}

export interface Outbox {
  all(): QueuedComplaint[]
  get(id: string): QueuedComplaint | undefined
  put(entry: QueuedComplaint): void
  remove(id: string): void
}

/**
 * The list of undelivered complaints, kept as JSON under one storage key. It
 * is read afresh on every call because other tabs of the same site share it.
 * When the storage refuses a write (quota, private mode) the list lives in
 * memory until a write succeeds, so nothing accepted in this page is lost.
 */
export function createOutbox(storage: KeyValueStorage, key: string): Outbox {
  let unsaved: string | undefined

  const all = (): QueuedComplaint[] => {
    try {
      const entries: unknown = JSON.parse(unsaved ?? storage.getItem(key) ?? '[]')
      return Array.isArray(entries) ? entries : []
    } catch {
      return []
    }
  }

  const save = (entries: QueuedComplaint[]) => {
    unsaved = JSON.stringify(entries)
    try {
      storage.setItem(key, unsaved)
      unsaved = undefined
    } catch {}
  }

  return {
    all,
    get: (id) => all().find((entry) => entry.id === id),
    put: (entry) => save([...all().filter((stored) => stored.id !== entry.id), entry]),
    remove: (id) => save(all().filter((stored) => stored.id !== id)),
  }
}
