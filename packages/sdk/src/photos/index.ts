/**
 * @module `photoOutbox`: a complaint's photos, kept in IndexedDB (which holds
 * blobs; localStorage cannot) until the backend has them. They are uploaded
 * after the complaint is accepted, retried like it, once per idempotency key,
 * and removed from the browser once stored. A separate entry: pages that
 * take no photos never download it.
 */
import type { AttachmentReceipt } from '@redress/protocol'
import type { Adapter, Photo, ReceiptRef } from '../adapter'
import { isRetryable } from '../errors'
import type { Redress } from '../instance'

/** One photo as kept until it is uploaded. */
interface Kept {
  /** `<complaint id>:<n>`, also the upload's idempotency key. */
  key: string
  /** The complaint's local id (`Submission.id`). */
  id: string
  /** 1, 2, 3: its place among the complaint's photos. */
  n: number
  blob: Blob
  name?: string | undefined
  /** Known once the complaint was sent. */
  receipt?: ReceiptRef | undefined
  attempts: number
  /** When it was kept (ms since the epoch). */
  at: number
}

export interface PhotoOutboxOptions {
  redress: Redress
  /** The adapter that uploads: the one the complaints go through, with `attach`. */
  adapter: Pick<Adapter, 'name' | 'attach'>
  /**
   * The receipt of a complaint sent before this outbox was listening (its
   * `complaint:sent` came in an earlier page, or before `add` finished).
   */
  receiptFor?: (id: string) => ReceiptRef | undefined
  /** @default `redress-photos:<site>` */
  database?: string
  /** @default globalThis.indexedDB */
  indexedDB?: IDBFactory
  /** Milliseconds before the first retry; doubles each time. @default 1000 */
  baseDelay?: number
  /** @default 60000 */
  maxDelay?: number
  /** Photos never tied to a sent complaint are dropped after this long. @default 7 days */
  maxAge?: number
  /** Told how many photos are kept after each change (a page may keep a flag from it). */
  onPending?: (count: number) => void
  /** A photo the backend stored. */
  onUploaded?: (state: { id: string; n: number; receipt: AttachmentReceipt }) => void
  /** A photo the backend refused for good (it is dropped). */
  onFailed?: (state: { id: string; n: number; error: unknown }) => void
}

export interface PhotoOutbox {
  /**
   * Keep `photos` for the complaint `id` (what `submit` answered), to upload
   * once it is sent; resolves once they are stored in the browser.
   */
  add(id: string, photos: readonly Photo[]): Promise<void>
  /** The photos not yet uploaded: their complaint's id and place. */
  pending(): Promise<Array<{ id: string; n: number }>>
  /** Upload what can be uploaded now. */
  flush(): Promise<void>
  /** Stop listening and retrying; what is kept stays for the next page. */
  destroy(): void
}

const STORE = 'photos'

/** An IndexedDB request as a promise, settled when its transaction is. */
function inStore<T>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode)
    const request = use(tx.objectStore(STORE))
    tx.oncomplete = () => resolve(request?.result as T)
    tx.onerror = tx.onabort = () => reject(tx.error)
  })
}

/**
 * Keep photos in IndexedDB and upload each after its complaint is sent,
 * through `adapter.attach`, with the idempotency key `<complaint id>:<n>`: a
 * retry after a lost answer stores one photo. Retryable failures (network,
 * `429`, `5xx`) are tried again with backoff; a refusal drops the photo and
 * calls `onFailed`. A reload loses nothing: a new outbox on the next page
 * uploads what is kept, once it knows the complaint's receipt.
 *
 * @example
 * import { httpAdapter } from '@redress/sdk/http'
 * import { photoOutbox } from '@redress/sdk/photos'
 *
 * const adapter = httpAdapter({ endpoint: 'https://feedback.example.com' })
 * const redress = createRedress({ site: 'pk_demo', adapter })
 * const photos = photoOutbox({ redress, adapter })
 * const { id } = redress.submit(draft)
 * await photos.add(id, [{ blob: photo, name: 'photo.webp' }])
 */
export function photoOutbox(options: PhotoOutboxOptions): PhotoOutbox {
  const { redress, adapter } = options
  const attach = adapter.attach
  if (!attach) throw new TypeError(`The ${adapter.name} adapter takes no photos (no attach)`)
  const factory = options.indexedDB ?? globalThis.indexedDB
  const baseDelay = options.baseDelay ?? 1000
  const maxDelay = options.maxDelay ?? 60_000
  const maxAge = options.maxAge ?? 7 * 24 * 3600_000
  const controller = new AbortController()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  // Receipts seen by this outbox: a complaint may be sent before `add` has kept its photos.
  const receipts = new Map<string, ReceiptRef>()
  let destroyed = false
  let running: Promise<void> | undefined
  let again = false

  const opened = new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(options.database ?? `redress-photos:${redress.site}`, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' })
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  const all = async () => (await inStore<Kept[]>(await opened, 'readonly', (s) => s.getAll())) ?? []
  const put = async (kept: Kept) => inStore(await opened, 'readwrite', (s) => s.put(kept))
  const drop = async (key: string) => inStore(await opened, 'readwrite', (s) => s.delete(key))
  const report = async () => options.onPending?.((await all()).length)

  const upload = async (kept: Kept, receipt: ReceiptRef) => {
    try {
      const stored = await attach(
        receipt,
        { blob: kept.blob, name: kept.name },
        { idempotencyKey: kept.key, signal: controller.signal },
      )
      await drop(kept.key)
      options.onUploaded?.({ id: kept.id, n: kept.n, receipt: stored })
    } catch (error) {
      if (destroyed) return
      if (!isRetryable(error)) {
        await drop(kept.key)
        options.onFailed?.({ id: kept.id, n: kept.n, error })
        return
      }
      const attempts = kept.attempts + 1
      await put({ ...kept, attempts })
      const retryAfter = (error as { retryAfter?: number }).retryAfter
      const ceiling = Math.min(maxDelay, baseDelay * 2 ** (attempts - 1))
      const timer = setTimeout(
        () => {
          timers.delete(timer)
          void flush()
        },
        typeof retryAfter === 'number' ? retryAfter : ceiling / 2 + (Math.random() * ceiling) / 2,
      )
      timers.add(timer)
      throw error
    }
  }

  // One round at a time, photos in order; a call during a round asks for another.
  const round = async () => {
    const waiting = redress.pending().map((entry) => entry.id)
    for (const kept of (await all()).sort((a, b) => a.at - b.at || a.n - b.n)) {
      if (destroyed) return
      const receipt = kept.receipt ?? receipts.get(kept.id) ?? options.receiptFor?.(kept.id)
      if (receipt) {
        // The complaint's later photos wait for this one: they keep their order.
        try {
          await upload(kept, receipt)
        } catch {
          return
        }
      } else if (!waiting.includes(kept.id) && Date.now() - kept.at > maxAge) {
        // Its complaint is gone from this browser and was never sent: nothing to attach it to.
        await drop(kept.key)
      }
    }
  }
  const flush = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await round()
        } while (again && !destroyed)
      } finally {
        running = undefined
        if (!destroyed) await report().catch(() => {})
      }
    })()
    return running
  }

  const offs = [
    redress.on('complaint:sent', async ({ id, receipt }) => {
      const ref = { id: receipt.id, token: receipt.token }
      receipts.set(id, ref)
      for (const kept of await all()) if (kept.id === id) await put({ ...kept, receipt: ref })
      await flush()
    }),
    // Refused for good: its photos have nothing to go with.
    redress.on('complaint:failed', async ({ id }) => {
      for (const kept of await all()) if (kept.id === id) await drop(kept.key)
      await report()
    }),
  ]
  const online = () => void flush()
  globalThis.addEventListener?.('online', online)
  void flush().catch(() => {})

  return {
    async add(id, photos) {
      const at = Date.now()
      for (const [index, photo] of photos.entries())
        await put({
          key: `${id}:${index + 1}`,
          id,
          n: index + 1,
          blob: photo.blob,
          name: photo.name,
          attempts: 0,
          at,
        })
      await report()
      void flush().catch(() => {})
    },
    pending: async () => (await all()).map(({ id, n }) => ({ id, n })),
    flush,
    destroy() {
      destroyed = true
      controller.abort()
      for (const off of offs) off()
      for (const timer of timers) clearTimeout(timer)
      globalThis.removeEventListener?.('online', online)
    },
  }
}
