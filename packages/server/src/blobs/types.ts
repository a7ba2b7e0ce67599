/**
 * @module The blob store contract: where the bytes of attachments live, apart
 * from the database, which keeps their metadata. Keys are random and made by
 * the server (`att/` + 32 base-36 characters), never a customer's file name.
 */

/** What a driver is told of the bytes it stores. */
export interface BlobMeta {
  /** The checked media type (`image/jpeg`, `image/png`, `image/webp`). */
  type: string
}

/**
 * Where blobs are stored. A factory returns a plain object with a `name`
 * (`fsBlobStore(options)`, `s3BlobStore(options)`); `testBlobStore` is the
 * conformance suite every driver passes.
 */
export interface BlobStore {
  /** The driver's name, for logs: `fs`, `s3`. */
  readonly name: string
  /** Store `bytes` under `key`, replacing what was there. Resolves once durable. */
  put(key: string, bytes: Uint8Array, meta: BlobMeta): Promise<void>
  /** The bytes under `key`, or `undefined` when there are none. */
  get(key: string): Promise<Uint8Array | undefined>
  /** Remove `key`; a key that is not there is not an error. */
  delete(key: string): Promise<void>
}

/** Keys a driver accepts: what the server makes, and nothing that could leave its folder or bucket. */
export const BLOB_KEY = /^[a-z0-9][a-z0-9_-]{0,63}(\/[a-z0-9][a-z0-9_-]{0,63}){0,3}$/
