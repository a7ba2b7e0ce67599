import type { AttachmentReceipt, Receipt } from '@redress/protocol'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import type { Adapter, Photo, ReceiptRef } from '../adapter'
import { HttpError, NetworkError } from '../errors'
import { createRedress } from '../index'
import { memoryStorage } from '../storage'
import { photoOutbox } from './index'

const draft = {
  category: 'broken',
  severity: 'major',
  description: 'The mug arrived broken.',
} as const

/** A backend in memory: complaints and photos, with failures to queue for `attach`. */
function backend() {
  const stored = new Map<string, { receipt: ReceiptRef; photo: Photo }>()
  const calls: string[] = []
  const failures: unknown[] = []
  let sent = 0
  let release: (() => void) | undefined
  const adapter: Adapter = {
    name: 'memory-photos',
    async submit(): Promise<Receipt> {
      sent++
      return {
        id: `cmp_${sent}`,
        reference: `R-0000${sent}`,
        status: 'received',
        token: `token-${sent}`,
        recovery: null,
        receivedAt: new Date().toISOString(),
      }
    },
    async attach(receipt, photo, { idempotencyKey }): Promise<AttachmentReceipt> {
      calls.push(idempotencyKey)
      const failure = failures.shift()
      if (failure) throw failure
      // One photo per key, however often it is sent.
      if (!stored.has(idempotencyKey)) stored.set(idempotencyKey, { receipt, photo })
      const done: AttachmentReceipt = {
        id: `att_${idempotencyKey}`,
        type: 'image/webp',
        size: photo.blob.size,
        width: 1,
        height: 1,
        createdAt: new Date().toISOString(),
      }
      release?.()
      return done
    },
  }
  /** Resolves once `count` photos are stored. */
  const storedCount = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (stored.size >= count ? resolve() : undefined)
      release = check
      check()
    })
  return { adapter, stored, calls, failures, storedCount }
}

const photo = (text: string): Photo => ({
  blob: new Blob([text], { type: 'image/webp' }),
  name: 'photo.webp',
})

let indexedDB: IDBFactory
const instances: Array<{ destroy(): void }> = []
const track = <T extends { destroy(): void }>(value: T) => {
  instances.push(value)
  return value
}
afterEach(() => {
  for (const instance of instances.splice(0)) instance.destroy()
})

const page = (adapter: Adapter, storage = memoryStorage()) =>
  track(createRedress({ site: 'pk_photos', adapter, storage, retry: { baseDelay: 5 } }))

describe('photoOutbox', () => {
  it('uploads a complaint’s photos in order once it is sent, then forgets them', async () => {
    indexedDB = new IDBFactory()
    const { adapter, stored, storedCount } = backend()
    const redress = page(adapter)
    const counts: number[] = []
    const photos = track(
      photoOutbox({ redress, adapter, indexedDB, onPending: (count) => counts.push(count) }),
    )
    const { id, receipt } = redress.submit(draft)
    await photos.add(id, [photo('one'), photo('two')])
    const { id: complaintId } = await receipt
    await storedCount(2)
    expect([...stored.keys()]).toEqual([`${id}:1`, `${id}:2`])
    expect([...stored.values()].map((entry) => entry.receipt.id)).toEqual([
      complaintId,
      complaintId,
    ])
    expect(await [...stored.values()][0]!.photo.blob.text()).toBe('one')
    await photos.flush()
    expect(await photos.pending()).toEqual([])
    expect(counts.at(-1)).toBe(0)
  })

  it('retries a photo whose answer was lost under the same key, and stores it once', async () => {
    indexedDB = new IDBFactory()
    const { adapter, stored, calls, failures, storedCount } = backend()
    failures.push(
      new NetworkError('offline'),
      new HttpError('busy', { status: 503, retryable: true }),
    )
    const redress = page(adapter)
    const photos = track(photoOutbox({ redress, adapter, indexedDB, baseDelay: 1, maxDelay: 5 }))
    const { id } = redress.submit(draft)
    await photos.add(id, [photo('one')])
    await storedCount(1)
    expect(calls).toEqual([`${id}:1`, `${id}:1`, `${id}:1`])
    expect(stored.size).toBe(1)
  })

  it('drops a photo the backend refuses for good, and says so', async () => {
    indexedDB = new IDBFactory()
    const { adapter, failures } = backend()
    failures.push(new HttpError('not an image', { status: 415, code: 'unsupported_media_type' }))
    const redress = page(adapter)
    const failed = new Promise<{ id: string; n: number; error: unknown }>((resolve) =>
      track(photoOutbox({ redress, adapter, indexedDB, onFailed: resolve })).add(
        redress.submit(draft).id,
        [photo('bad')],
      ),
    )
    const { n, error } = await failed
    expect(n).toBe(1)
    expect((error as HttpError).status).toBe(415)
  })

  it('loses nothing across a reload between sending the complaint and uploading', async () => {
    indexedDB = new IDBFactory()
    const storage = memoryStorage()
    const { adapter, stored, storedCount } = backend()
    // The first page: the complaint is sent, the photo kept, and the page goes
    // away before the upload (its outbox is destroyed mid-way).
    const attach = adapter.attach!
    const offline: Adapter = {
      ...adapter,
      attach: () => Promise.reject(new NetworkError('offline')),
    }
    const first = page(offline, storage)
    const firstPhotos = photoOutbox({
      redress: first,
      adapter: offline,
      indexedDB,
      baseDelay: 60_000,
    })
    const { id, receipt } = first.submit(draft)
    const sent = await receipt
    await firstPhotos.add(id, [photo('kept')])
    await firstPhotos.flush()
    expect(await firstPhotos.pending()).toEqual([{ id, n: 1 }])
    firstPhotos.destroy()
    first.destroy()
    expect(stored.size).toBe(0)

    // The next page knows the receipt (the widget keeps it) and uploads it.
    const second = page({ ...adapter, attach }, storage)
    const receipts: Record<string, ReceiptRef> = { [id]: { id: sent.id, token: sent.token } }
    track(
      photoOutbox({
        redress: second,
        adapter: { ...adapter, attach },
        indexedDB,
        receiptFor: (local) => receipts[local],
      }),
    )
    await storedCount(1)
    expect(stored.get(`${id}:1`)!.receipt).toEqual({ id: sent.id, token: sent.token })
  })

  it('forgets the photos of a complaint refused for good', async () => {
    indexedDB = new IDBFactory()
    const { adapter } = backend()
    const refusing: Adapter = {
      ...adapter,
      submit: () => Promise.reject(new HttpError('no', { status: 400, code: 'invalid_request' })),
    }
    const redress = page(refusing)
    const photos = track(photoOutbox({ redress, adapter: refusing, indexedDB }))
    const counted = new Promise<void>((resolve) =>
      redress.on('complaint:failed', () => setTimeout(resolve, 0)),
    )
    const { id } = redress.submit(draft)
    await photos.add(id, [photo('orphan')])
    await counted
    await photos.flush()
    expect(await photos.pending()).toEqual([])
  })

  it('needs an adapter that takes photos', () => {
    const { adapter } = backend()
    const redress = page(adapter)
    const { attach: _, ...without } = adapter
    expect(() => photoOutbox({ redress, adapter: without, indexedDB: new IDBFactory() })).toThrow(
      'The memory-photos adapter takes no photos (no attach)',
    )
  })
})
