/**
 * @module The S3 driver: blobs as objects in one bucket of anything that speaks
 * the S3 REST API (AWS, MinIO, R2, Garage…), signed with SigV4 by `aws4fetch`.
 * URLs are path-style (`endpoint/bucket/key`), which every such server takes.
 */
import { createHash } from 'node:crypto'
import { AwsClient } from 'aws4fetch'
import { checkKey } from './fs'
import type { BlobStore } from './types'

/** Where and as whom `s3BlobStore` stores. */
export interface S3Options {
  /** `https://host[:port]`, without the bucket. */
  endpoint: string
  bucket: string
  /** @default 'us-east-1' */
  region?: string | undefined
  accessKeyId: string
  secretAccessKey: string
  /** @default globalThis.fetch */
  fetch?: typeof fetch | undefined
}

const ATTEMPTS = 3
// S3 asks to be retried on these (SlowDown, InternalError, ServiceUnavailable).
const RETRY = new Set([429, 500, 502, 503, 504])
const pause = (attempt: number) =>
  new Promise((done) => setTimeout(done, 100 * 2 ** attempt * Math.random()))

/**
 * A blob store in an S3 bucket (which must exist). Errors name the operation,
 * the key, the HTTP status and S3's error code, never the credentials. A
 * missing object is a 404, or a 403 where the credentials may not list the
 * bucket, so grant `s3:ListBucket` for `get` to tell the two apart.
 *
 * @example
 * const blobs = s3BlobStore({
 *   endpoint: 'https://s3.eu-west-1.amazonaws.com',
 *   bucket: 'redress-photos',
 *   region: 'eu-west-1',
 *   accessKeyId: process.env.AWS_ACCESS_KEY_ID!,
 *   secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY!,
 * })
 * await blobs.put('att/abc123', bytes, { type: 'image/png' })
 */
export function s3BlobStore(options: S3Options): BlobStore {
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    service: 's3',
    region: options.region ?? 'us-east-1',
    retries: 0,
  })
  const base = `${options.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(options.bucket)}/`

  // Reads the body of a failure (for its code), leaves a success's to the caller.
  async function send(
    op: string,
    key: string,
    init: RequestInit,
    ok: (response: Response, code: string | undefined) => boolean,
  ): Promise<Response> {
    checkKey(key)
    const doFetch = options.fetch ?? fetch
    for (let attempt = 1; ; attempt++) {
      const request = await client.sign(base + key, init)
      let response: Response
      try {
        response = await doFetch(request)
      } catch (error) {
        if (attempt < ATTEMPTS) {
          await pause(attempt)
          continue
        }
        // The request carries a signature, not the secret, so its error is safe to pass on.
        throw new Error(`s3 ${op} ${key}: ${(error as Error).message}`, { cause: error })
      }
      if (response.ok) return response
      const text = await response.text().catch(() => '')
      // Only the code, in a closed alphabet: S3's bodies may echo a StringToSign.
      const code = /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(text)?.[1]
      if (ok(response, code)) return response
      if (RETRY.has(response.status) && attempt < ATTEMPTS) {
        await pause(attempt)
        continue
      }
      throw new Error(`s3 ${op} ${key}: HTTP ${response.status}${code ? ` ${code}` : ''}`)
    }
  }

  // A 404 for the bucket is a misconfiguration, not a missing blob.
  const absent = (response: Response, code: string | undefined) =>
    response.status === 404 && code !== 'NoSuchBucket'

  return {
    name: 's3',

    async put(key, bytes, meta) {
      const response = await send(
        'put',
        key,
        {
          method: 'PUT',
          // A copy: a view over a shared or larger buffer is not a valid fetch body.
          body: new Uint8Array(bytes),
          headers: {
            'content-type': meta.type,
            // Signed, so S3 refuses bytes that changed on the way.
            'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex'),
          },
        },
        () => false,
      )
      // Read to the end, so the connection goes back to the pool.
      await response.arrayBuffer()
    },

    async get(key) {
      const response = await send('get', key, { method: 'GET' }, absent)
      if (response.status === 404) return undefined
      return new Uint8Array(await response.arrayBuffer())
    },

    async delete(key) {
      const response = await send('delete', key, { method: 'DELETE' }, absent)
      if (!response.bodyUsed) await response.arrayBuffer()
    },
  }
}

const decode = (part: string, what: string) => {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new Error(`The s3:// URL's ${what} is not percent-encoded properly`)
  }
}

/**
 * Options for `s3BlobStore` from one URL, as `REDRESS_BLOBS` takes it:
 * `s3://ACCESS_KEY:SECRET@host[:port]/bucket[?region=eu-west-1][&tls=false]`.
 * The key and secret are percent-decoded (encode `/` as `%2F`); `tls=false`
 * talks plain HTTP, for a local server. Errors never repeat the URL, which
 * holds the secret.
 *
 * @example
 * s3OptionsFromUrl('s3://minio:p%2Fss@127.0.0.1:9000/photos?tls=false')
 * // { endpoint: 'http://127.0.0.1:9000', bucket: 'photos', region: 'us-east-1',
 * //   accessKeyId: 'minio', secretAccessKey: 'p/ss' }
 */
export function s3OptionsFromUrl(url: string): S3Options & { region: string } {
  const shape = 's3://ACCESS_KEY:SECRET@host[:port]/bucket'
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`Not a valid s3:// URL; expected ${shape}`)
  }
  if (parsed.protocol !== 's3:') throw new Error(`Not an s3:// URL; expected ${shape}`)
  if (!parsed.host) throw new Error(`The s3:// URL names no host; expected ${shape}`)
  const accessKeyId = decode(parsed.username, 'access key')
  const secretAccessKey = decode(parsed.password, 'secret')
  if (!accessKeyId || !secretAccessKey)
    throw new Error(`The s3:// URL has no credentials; expected ${shape}`)
  const path = parsed.pathname.split('/').filter(Boolean)
  if (path.length !== 1) throw new Error(`The s3:// URL names no bucket; expected ${shape}`)
  const tls = parsed.searchParams.get('tls') ?? 'true'
  if (tls !== 'true' && tls !== 'false')
    throw new Error(`The s3:// URL's tls must be true or false, not ${JSON.stringify(tls)}`)
  return {
    endpoint: `${tls === 'true' ? 'https' : 'http'}://${parsed.host}`,
    bucket: decode(path[0]!, 'bucket'),
    region: parsed.searchParams.get('region') || 'us-east-1',
    accessKeyId,
    secretAccessKey,
  }
}
