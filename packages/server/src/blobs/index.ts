/**
 * @module Where the bytes of customers' photos live: a folder (`fsBlobStore`)
 * or an S3 bucket (`s3BlobStore`), chosen by one spec (`blobStoreFrom`), and
 * `testBlobStore` (in `./conformance`) for any other driver.
 */
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fsBlobStore } from './fs'
import { s3BlobStore, s3OptionsFromUrl } from './s3'
import type { BlobStore } from './types'

export { fsBlobStore } from './fs'
export { type S3Options, s3BlobStore, s3OptionsFromUrl } from './s3'
export { BLOB_KEY, type BlobMeta, type BlobStore } from './types'

/**
 * The blob store a spec (`REDRESS_BLOBS`, `--blobs`) names:
 *
 * - `s3://KEY:SECRET@host:port/bucket?region=…&tls=…`: the bucket (see `s3OptionsFromUrl`);
 * - a `file://` URL or a path: that folder;
 * - nothing: a folder beside the embedded database, never inside it (PGlite
 *   owns its folder): `blobs` beside a data folder named `data` (so
 *   `./.redress/blobs` beside the default `./.redress/data`), else
 *   `DATA-blobs` beside `DATA`.
 *
 * @example
 * blobStoreFrom(undefined, '/var/lib/redress/data') // fs in /var/lib/redress/blobs
 * blobStoreFrom(undefined, '/srv/shop') // fs in /srv/shop-blobs
 * blobStoreFrom('s3://key:secret@s3.example.com/photos', undefined) // s3
 */
export function blobStoreFrom(spec: string | undefined, dataDir: string | undefined): BlobStore {
  if (!spec) {
    const data = resolve(dataDir ?? join('.redress', 'data'))
    const name = basename(data) === 'data' ? 'blobs' : `${basename(data)}-blobs`
    return fsBlobStore({ dir: join(dirname(data), name) })
  }
  if (/^s3:\/\//i.test(spec)) return s3BlobStore(s3OptionsFromUrl(spec))
  if (/^file:\/\//i.test(spec)) return fsBlobStore({ dir: fileURLToPath(spec) })
  return fsBlobStore({ dir: spec })
}
