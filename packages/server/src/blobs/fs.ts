/**
 * @module The folder driver: each blob a file under one folder, written whole
 * or not at all, readable by the server's own user only.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { BLOB_KEY, type BlobStore } from './types'

/**
 * Refuse anything but a server-made key, before it reaches a path or a URL.
 * Shared by the drivers; not exported from the package.
 *
 * @example
 * checkKey('att/abc123') // fine
 * checkKey('../etc/passwd') // throws TypeError
 */
export function checkKey(key: string): void {
  if (typeof key !== 'string' || !BLOB_KEY.test(key))
    throw new TypeError(`Not a blob key: ${JSON.stringify(String(key).slice(0, 80))}`)
}

// ENOTDIR too: `a/b` where `a` is a blob is a key that is not there, not a fault.
const missing = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

async function syncFolder(dir: string): Promise<void> {
  // Windows cannot open a folder to flush it; its rename is journaled anyway.
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * A blob store in a folder (created on the first `put`, folders 0700, files
 * 0600). A `put` writes a `.tmp-` file beside the target, flushes it to disk
 * and renames it over the target, so a reader sees the old bytes or the new
 * ones, never a part, and a crash leaves at most a stray `.tmp-` file.
 *
 * @example
 * const blobs = fsBlobStore({ dir: './.redress/blobs' })
 * await blobs.put('att/abc123', bytes, { type: 'image/png' })
 * const back = await blobs.get('att/abc123')
 */
export function fsBlobStore({ dir }: { dir: string }): BlobStore {
  // Resolved once, so a later `process.chdir` does not move the store.
  const root = resolve(dir)
  const pathOf = (key: string) => {
    checkKey(key)
    return join(root, ...key.split('/'))
  }

  return {
    name: 'fs',

    async put(key, bytes) {
      const target = pathOf(key)
      const folder = dirname(target)
      await mkdir(folder, { recursive: true, mode: 0o700 })
      const temp = join(folder, `.tmp-${randomBytes(12).toString('hex')}`)
      try {
        const handle = await open(temp, 'wx', 0o600)
        try {
          await handle.writeFile(bytes)
          await handle.sync()
        } finally {
          await handle.close()
        }
        await rename(temp, target)
      } catch (error) {
        await unlink(temp).catch(() => {})
        throw error
      }
      // The rename itself is only durable once the folder's entry is on disk.
      await syncFolder(folder)
    },

    async get(key) {
      const path = pathOf(key)
      try {
        const bytes = await readFile(path)
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      } catch (error) {
        if (missing(error)) return undefined
        throw error
      }
    },

    async delete(key) {
      const path = pathOf(key)
      try {
        await unlink(path)
      } catch (error) {
        if (!missing(error)) throw error
      }
    },
  }
}
