/**
 * @module The conformance suite every blob store driver passes: bytes back as
 * they went in, whole, under keys that cannot leave the store. Run it with
 * Vitest against a driver of your own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BlobStore } from './types'

/** Equal bytes, without a diff of megabytes when they are not. */
const same = (a: Uint8Array | undefined, b: Uint8Array) => {
  if (!a || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** `length` bytes that no two offsets (or seeds) are likely to share. */
const pattern = (length: number, seed = 0) => {
  const bytes = new Uint8Array(length)
  let x = (seed * 2654435761 + 1) >>> 0
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    bytes[i] = x >>> 24
  }
  return bytes
}

const PNG = { type: 'image/png' }

/** Keys a driver must refuse, each for a reason the server relies on. */
export const BAD_KEYS = [
  '../x',
  '/abs',
  'a//b',
  'A',
  '',
  'a/../b',
  'a'.repeat(300),
  'att/x\u0000',
  'att\\x',
  'att/.hidden',
]

/**
 * Define a Vitest `describe` block that checks a `BlobStore` against the
 * contract. `make` is called once, before the cases; `cleanup` once, after.
 * The keys are made per run, so a shared bucket can be used.
 *
 * @example
 * import { testBlobStore } from './conformance'
 * testBlobStore({ name: 'memory', make: () => memoryBlobStore() })
 */
export function testBlobStore(options: {
  name: string
  make: () => Promise<BlobStore> | BlobStore
  cleanup?: () => Promise<void>
}): void {
  describe(`blob store conformance: ${options.name}`, () => {
    let store: BlobStore
    const run = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
    const key = (name: string) => `${run}/${name}`

    beforeAll(async () => {
      store = await options.make()
    })
    afterAll(async () => {
      await options.cleanup?.()
    })

    it('gives back every byte value, and an empty blob', async () => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i)
      await store.put(key('all'), all, PNG)
      expect(await store.get(key('all'))).toEqual(all)
      await store.put(key('empty'), new Uint8Array(), PNG)
      const empty = await store.get(key('empty'))
      expect(empty).toBeInstanceOf(Uint8Array)
      expect(empty).toHaveLength(0)
    })

    it('gives back 5 MB whole', async () => {
      const big = pattern(5 * 1024 * 1024, 1)
      await store.put(key('big'), big, PNG)
      expect(same(await store.get(key('big')), big)).toBe(true)
    }, 60_000)

    it('replaces what was there, a longer value with a shorter one too', async () => {
      await store.put(key('twice'), pattern(1000, 2), PNG)
      await store.put(key('twice'), pattern(10, 3), PNG)
      expect(await store.get(key('twice'))).toEqual(pattern(10, 3))
    })

    it('has nothing under a key never put', async () => {
      expect(await store.get(key('never'))).toBeUndefined()
      expect(await store.get(`${run}never/a/b/c`)).toBeUndefined()
    })

    it('has nothing after a delete, and deletes a missing key quietly', async () => {
      await store.put(key('gone'), pattern(100, 4), PNG)
      await store.delete(key('gone'))
      expect(await store.get(key('gone'))).toBeUndefined()
      await expect(store.delete(key('gone'))).resolves.toBeUndefined()
      await expect(store.delete(key('never-put'))).resolves.toBeUndefined()
    })

    it('takes keys with folders, as the server makes them', async () => {
      const folder = `att/${run}abc123`
      await store.put(folder, pattern(64, 5), PNG)
      await store.put(key('a/b/c'), pattern(64, 6), PNG)
      expect(await store.get(folder)).toEqual(pattern(64, 5))
      expect(await store.get(key('a/b/c'))).toEqual(pattern(64, 6))
      await store.delete(folder)
      expect(await store.get(folder)).toBeUndefined()
      expect(await store.get(key('a/b/c'))).toEqual(pattern(64, 6))
    })

    it('refuses keys that are not blob keys, writing nothing', async () => {
      for (const bad of BAD_KEYS) {
        // `async` turns a driver's synchronous throw into a rejection to check too.
        await expect(async () => store.put(bad, pattern(8, 7), PNG)).rejects.toThrow(TypeError)
        await expect(async () => store.get(bad)).rejects.toThrow(TypeError)
        await expect(async () => store.delete(bad)).rejects.toThrow(TypeError)
      }
      // Where a path-joining driver would have put them.
      for (const near of ['x', 'abs', 'a/b', 'b', 'a'])
        expect(await store.get(near)).toBeUndefined()
    })

    it('keeps 20 concurrent puts of different keys apart', async () => {
      const keys = Array.from({ length: 20 }, (_, i) => key(`many/${i}`))
      await Promise.all(keys.map((k, i) => store.put(k, pattern(4096 + i, 100 + i), PNG)))
      const back = await Promise.all(keys.map((k) => store.get(k)))
      back.forEach((bytes, i) => {
        expect(same(bytes, pattern(4096 + i, 100 + i)), keys[i]).toBe(true)
      })
    })

    it('leaves one whole value after concurrent puts of the same key', async () => {
      const values = Array.from({ length: 8 }, (_, i) => pattern(64 * 1024, 200 + i))
      await Promise.all(values.map((value) => store.put(key('race'), value, PNG)))
      const got = await store.get(key('race'))
      expect(values.some((value) => same(got, value))).toBe(true)
    })
  })
}
