/**
 * @module The loop behind the background workers (webhook delivery, service
 * guarantees): run a round, wait, run again; straight away when the round
 * was full, since more is probably waiting.
 */

export interface Poller {
  /** Stop polling and wait for the round in progress. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Call `round` every `interval` milliseconds (or at once after a round that
 * handled `batchSize` items). A round that throws is reported to `onError`
 * and the loop goes on. The timer never keeps the process alive.
 *
 * @example
 * const poller = startPolling(() => worker.runOnce(), { interval: 1000, batchSize: 20, onError })
 * await poller.stop()
 */
export function startPolling(
  round: () => Promise<number>,
  options: { interval: number | false; batchSize: number; onError: (error: unknown) => void },
): Poller {
  const { interval, batchSize, onError } = options
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const schedule = (delay: number | false) => {
    if (stopped || delay === false) return
    timer = setTimeout(() => {
      running = round().then(
        (count) => schedule(count >= batchSize ? 0 : interval),
        (error: unknown) => {
          onError(error)
          schedule(interval)
        },
      )
    }, delay)
    timer.unref()
  }
  schedule(interval === false ? false : 0)
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

/** The default `onError` of a worker: one line on stderr. */
export const reportTo =
  (what: string) =>
  (error: unknown): void => {
    process.stderr.write(
      `redress: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
  }
