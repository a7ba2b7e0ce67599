// The customer's recent receipts, kept in the browser, so the reference, the
// status and the follow-up are still there on the next page, tomorrow.
import type { Receipt, Redress, Status } from '@redress/sdk'
import { defaultStorage, type KeyValueStorage } from '@redress/sdk'

/** A receipt as kept: enough to ask the backend about it and to follow up once. */
export interface KeptReceipt extends Pick<Receipt, 'id' | 'token' | 'reference' | 'receivedAt'> {
  status: Status
  /** The complaint's id in this browser (`Submission.id`), which its photos are kept under. */
  local?: string
  /** The customer answered "Did we make it right?" for the current resolution. */
  answered?: boolean
  /** When the backend was last asked (ms since the epoch). */
  checkedAt?: number
}

const KEEP = 10
// A status check per receipt at most this often, so page views do not poll.
const CHECK_EVERY = 60 * 60 * 1000

export interface Receipts {
  /** Newest first. */
  list(): KeptReceipt[]
  /** The receipt of the complaint sent under this id in this browser. */
  byLocal(local: string): KeptReceipt | undefined
  /**
   * Ask the backend about the newest receipt still open, when it was not
   * asked in the last hour; resolves with it (fresh status included), if any.
   */
  refresh(now?: number): Promise<KeptReceipt | undefined>
  stop(): void
}

/** Keep the receipts `redress` gets, under `redress:receipts:<site>`. */
export function keepReceipts(
  redress: Redress,
  storage: KeyValueStorage = defaultStorage(),
): Receipts {
  const key = `redress:receipts:${redress.site}`

  const list = (): KeptReceipt[] => {
    try {
      const kept: unknown = JSON.parse(storage.getItem(key) ?? '[]')
      return Array.isArray(kept) ? kept : []
    } catch {
      return []
    }
  }

  const save = (kept: KeptReceipt[]) => {
    try {
      storage.setItem(key, JSON.stringify(kept.slice(0, KEEP)))
    } catch {
      // Full or blocked storage: the receipt still shows in this page.
    }
  }

  const update = (id: string, change: Partial<KeptReceipt>) =>
    save(list().map((kept) => (kept.id === id ? { ...kept, ...change } : kept)))

  const offs = [
    redress.on(
      'complaint:sent',
      ({ id: local, receipt: { id, token, reference, receivedAt, status } }) =>
        save([
          { id, token, reference, receivedAt, status, local },
          ...list().filter((kept) => kept.id !== id),
        ]),
    ),
    // A new resolution (after a reopening) is asked about again.
    redress.on('status:changed', ({ report }) =>
      update(report.id, { status: report.status, answered: false }),
    ),
    redress.on('followup:answered', ({ receipt, answer }) =>
      update(receipt.id, {
        answered: true,
        ...(answer.resolved ? {} : { status: 'reopened' as const }),
      }),
    ),
  ]

  return {
    list,
    byLocal: (local) => list().find((kept) => kept.local === local),
    async refresh(now = Date.now()) {
      const open = list().find((kept) => kept.status !== 'closed' && !kept.answered)
      if (!open) return undefined
      if (open.checkedAt && now - open.checkedAt < CHECK_EVERY) return open
      update(open.id, { checkedAt: now })
      try {
        const report = await redress.status(open)
        return { ...open, status: report.status, checkedAt: now }
      } catch {
        return open
      }
    },
    stop() {
      for (const off of offs) off()
    },
  }
}
