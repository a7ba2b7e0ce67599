/**
 * @module The inbox's early warnings, kept per API client: the alerts nobody
 * put away, asked for when the list loads and shortly after a complaint
 * arrives (one request at a time), putting one away, and the alert a filtered
 * list names, for its chip.
 */
import { batch, signal } from '@preact/signals'
import type { AdminApi } from '../lib/api'
import { errorText } from '../lib/errors'
import type { AlertView } from '../lib/types'

/**
 * How long after a new complaint the alerts are asked for, in milliseconds.
 * The server's early-warning worker looks at a site's new complaints every 5
 * seconds, so the alert a complaint raises exists only a few seconds after the
 * complaint's live event: asking at once would find it missing.
 */
export const ALERT_CHECK_DELAY_MS = 6_000

export type AlertStore = ReturnType<typeof createAlertStore>

const stores = new WeakMap<AdminApi, AlertStore>()

/** The early warnings of this client (one per signed-in token). */
export function alertStore(client: AdminApi): AlertStore {
  let store = stores.get(client)
  if (!store) {
    store = createAlertStore(client)
    stores.set(client, store)
  }
  return store
}

export function createAlertStore(client: AdminApi) {
  /** The alerts nobody put away, newest first; `null` until the first answer. */
  const items = signal<AlertView[] | null>(null)
  /** Every alert seen, put away or not, by id: the chip of a list filtered by one names it. */
  const known = signal<ReadonlyMap<string, AlertView>>(new Map())
  /** The alerts being put away. */
  const dismissing = signal<ReadonlySet<string>>(new Set())
  /** Why putting an alert away failed, by its id. */
  const failures = signal<Readonly<Record<string, string>>>({})
  /** The alerts the last answer brought that the one before did not, and a count of such answers (to say it again). */
  const arrived = signal<{ alerts: AlertView[]; times: number }>({ alerts: [], times: 0 })

  let running: Promise<void> | null = null
  let again = false
  let delayed: ReturnType<typeof setTimeout> | undefined
  /** Put away here: an answer that left before the dismissal must not bring them back. */
  const dismissed = new Set<string>()
  const lookedUp = new Set<string>()

  const remember = (alerts: readonly AlertView[]) => {
    const next = new Map(known.peek())
    for (const alert of alerts) next.set(alert.id, alert)
    known.value = next
  }

  async function ask(): Promise<void> {
    try {
      const page = await client.alerts({ dismissed: false })
      const list = page.items.filter((alert) => !dismissed.has(alert.id))
      const shown = items.peek()
      batch(() => {
        // The first answer holds what was there before the inbox opened: nothing arrived.
        if (shown) {
          const before = new Set(shown.map((alert) => alert.id))
          const added = list.filter((alert) => !before.has(alert.id))
          if (added.length > 0) arrived.value = { alerts: added, times: arrived.peek().times + 1 }
        }
        items.value = list
        remember(list)
      })
    } catch {
      // Nothing to say: the list beside it reports an unreachable server, and the
      // next load or complaint asks again.
    }
  }

  /** Ask for the alerts now; asked while a request is out, once more after it, never two at a time. */
  function check(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = ask().finally(() => {
      running = null
      if (again) {
        again = false
        void check()
      }
    })
    return running
  }

  /** A complaint arrived: ask once the server has had time to raise its alert (once for a burst of them). */
  function afterComplaint(): void {
    if (delayed !== undefined) return
    delayed = setTimeout(() => {
      delayed = undefined
      void check()
    }, ALERT_CHECK_DELAY_MS)
  }

  /** Put an alert away; on a failure it stays, with the reason. Resolves whether it went. */
  async function dismiss(id: string): Promise<boolean> {
    if (dismissing.peek().has(id)) return false
    const { [id]: _earlier, ...others } = failures.peek()
    batch(() => {
      dismissing.value = new Set([...dismissing.peek(), id])
      failures.value = others
    })
    try {
      const alert = await client.dismissAlert(id)
      dismissed.add(id)
      batch(() => {
        items.value = (items.peek() ?? []).filter((item) => item.id !== id)
        remember([alert])
      })
      return true
    } catch (caught) {
      failures.value = { ...failures.peek(), [id]: errorText(caught) }
      return false
    } finally {
      const next = new Set(dismissing.peek())
      next.delete(id)
      dismissing.value = next
    }
  }

  /**
   * Find an alert this session has not seen (a bookmarked filter, one put
   * away earlier) among the latest alerts, put away or not, once.
   */
  function lookUp(id: string): void {
    if (known.peek().has(id) || lookedUp.has(id)) return
    lookedUp.add(id)
    client.alerts({ limit: 100 }).then(
      (page) => remember(page.items),
      () => lookedUp.delete(id),
    )
  }

  return { items, known, dismissing, failures, arrived, check, afterComplaint, dismiss, lookUp }
}
