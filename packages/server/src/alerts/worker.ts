/**
 * @module The early-warning worker: checks the rules of each site that took
 * a complaint in this process since its last round, and of each site with
 * an open episode (which may have to end), every few seconds.
 */
import type { Kysely } from 'kysely'
import { reportTo, startPolling } from '../_lib/poller'
import type { Tables } from '../db/schema'
import { checkAlerts } from './check'

/**
 * What `startAlertWorker` takes.
 *
 * @example
 * const worker = startAlertWorker({ db, interval: 5000 })
 */
export interface AlertWorkerOptions {
  db: Kysely<Tables>
  /** @default () => new Date() */
  now?: () => Date
  /** Milliseconds between rounds; `false` to run only through `runOnce`. @default 5000 */
  interval?: number | false
  /** @default a line on stderr */
  onError?: (error: unknown) => void
}

/** A running early-warning worker, from `startAlertWorker`. */
export interface AlertWorker {
  /** Note that a site took a complaint: its rules are checked in the next round. */
  noteComplaint(siteId: string): void
  /** One round; returns how many sites it checked. */
  runOnce(): Promise<number>
  /** Stop polling and wait for the round in progress. */
  stop(): Promise<void>
}

/**
 * Start checking. Each process checks the sites whose complaints it took
 * (`noteComplaint`, which the public route calls after each commit), so with
 * several collectors every complaint is looked at by the one that stored it;
 * open episodes are checked by every process, harmlessly (see `checkAlerts`).
 *
 * @example
 * const worker = startAlertWorker({ db })
 * const app = createApp({ db, secret, onComplaint: worker.noteComplaint })
 */
export function startAlertWorker(options: AlertWorkerOptions): AlertWorker {
  const { db } = options
  const now = options.now ?? (() => new Date())
  let noted = new Set<string>()

  async function runOnce(): Promise<number> {
    const sites = noted
    noted = new Set()
    try {
      const open = await db
        .selectFrom('alerts')
        .select('site_id')
        .distinct()
        .where('ended_at', 'is', null)
        .execute()
      for (const row of open) sites.add(row.site_id)
      for (const siteId of sites) await checkAlerts(db, siteId, now())
    } catch (error) {
      // Checked again next round, with whatever arrives meanwhile.
      for (const siteId of sites) noted.add(siteId)
      throw error
    }
    return sites.size
  }

  const poller = startPolling(runOnce, {
    interval: options.interval ?? 5000,
    // A round checks every noted site; a full one never calls for another at once.
    batchSize: Number.POSITIVE_INFINITY,
    onError: options.onError ?? reportTo('early-warning round'),
  })
  return {
    noteComplaint: (siteId) => {
      noted.add(siteId)
    },
    runOnce,
    stop: () => poller.stop(),
  }
}
