import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import S3rver from 's3rver'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { BAD_KEYS, testBlobStore } from './conformance'
import { blobStoreFrom, fsBlobStore, s3BlobStore, s3OptionsFromUrl } from './index'

/** Every file and folder under `dir`, relative to it. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort()
}

describe('fs driver', () => {
  let root: string
  testBlobStore({
    name: 'fs',
    async make() {
      root = await mkdtemp(join(tmpdir(), 'redress-blobs-'))
      return fsBlobStore({ dir: join(root, 'store') })
    },
    async cleanup() {
      // Nothing a refused key named (`../x`, `/abs`) landed beside the store.
      expect(await readdir(root)).toEqual(['store'])
      await rm(root, { recursive: true, force: true })
    },
  })

  it('leaves no .tmp- file behind, and keeps files to its own user', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redress-blobs-'))
    try {
      const store = fsBlobStore({ dir: join(dir, 'store') })
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.put(`att/k${i % 3}`, new Uint8Array(i), { type: 'image/png' }),
        ),
      )
      const files = await tree(join(dir, 'store'))
      expect(files).toEqual(['att', 'att/k0', 'att/k1', 'att/k2'])
      if (process.platform !== 'win32') {
        expect((await stat(join(dir, 'store'))).mode & 0o777).toBe(0o700)
        expect((await stat(join(dir, 'store', 'att'))).mode & 0o777).toBe(0o700)
        expect((await stat(join(dir, 'store', 'att', 'k0'))).mode & 0o777).toBe(0o600)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('s3 driver against a local S3 server', () => {
  const BUCKET = 'redress-test'
  const ACCESS_KEY = 'S3RVER'
  let dir: string
  let server: S3rver
  let endpoint: string
  const requests: string[] = []
  // Fails any request that would leave this machine, and counts the rest.
  const local: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.hostname !== '127.0.0.1') throw new Error(`Not local: ${url.host}`)
    requests.push(url.pathname)
    return fetch(input, init)
  }
  const store = (
    options: { bucket?: string; accessKeyId?: string; secretAccessKey?: string } = {},
  ) =>
    s3BlobStore({
      endpoint,
      bucket: BUCKET,
      accessKeyId: ACCESS_KEY,
      // s3rver's built-in account; it does not check SigV4 signatures.
      secretAccessKey: 'S3RVER',
      fetch: local,
      ...options,
    })

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redress-s3rver-'))
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    })
    const { port } = (await server.run()) as AddressInfo
    endpoint = `http://127.0.0.1:${port}`
  })
  afterAll(async () => {
    await server?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  testBlobStore({ name: 's3', make: () => store() })

  it('refuses a bad key before any request', async () => {
    const before = requests.length
    for (const bad of BAD_KEYS) {
      await expect(store().put(bad, new Uint8Array(1), { type: 'image/png' })).rejects.toThrow(
        /^Not a blob key/,
      )
    }
    expect(requests.length).toBe(before)
  })

  it('names the operation, key, status and code in an error, never the secret', async () => {
    // s3rver skips the SigV4 check, so an unknown key stands in for a wrong secret.
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY'
    const wrong = store({ accessKeyId: 'NOBODY', secretAccessKey: secret })
    const error = await wrong
      .put('att/abc', new Uint8Array(3), { type: 'image/png' })
      .catch((e) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toBe('s3 put att/abc: HTTP 403 InvalidAccessKeyId')
    const read = await wrong.get('att/abc').catch((e) => e)
    expect(read.message).toBe('s3 get att/abc: HTTP 403 InvalidAccessKeyId')
    for (const e of [error, read]) {
      expect(`${e.message} ${e.stack} ${JSON.stringify(e)}`).not.toContain(secret)
    }
  })

  it('treats a missing bucket as an error, not as a missing blob', async () => {
    const nowhere = store({ bucket: 'no-such-bucket' })
    await expect(nowhere.get('att/abc')).rejects.toThrow('s3 get att/abc: HTTP 404 NoSuchBucket')
    await expect(nowhere.put('att/abc', new Uint8Array(1), { type: 'image/png' })).rejects.toThrow(
      'HTTP 404 NoSuchBucket',
    )
  })

  it('sends the media type with the bytes', async () => {
    await store().put('att/typed', new Uint8Array([1, 2, 3]), { type: 'image/webp' })
    const response = await fetch(`${endpoint}/${BUCKET}/att/typed`)
    expect(response.headers.get('content-type')).toBe('image/webp')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]))
  })
})

describe('s3OptionsFromUrl', () => {
  it('reads endpoint, bucket, region and credentials', () => {
    expect(
      s3OptionsFromUrl('s3://AKIA1:secret@s3.example.com:9000/photos?region=eu-west-1'),
    ).toEqual({
      endpoint: 'https://s3.example.com:9000',
      bucket: 'photos',
      region: 'eu-west-1',
      accessKeyId: 'AKIA1',
      secretAccessKey: 'secret',
    })
    expect(s3OptionsFromUrl('s3://k:s@s3.example.com/photos/').region).toBe('us-east-1')
  })

  it('percent-decodes the key and secret', () => {
    const options = s3OptionsFromUrl('s3://my%20key:a%2Fb%2Bc%40d%3Ae@host/b')
    expect(options.accessKeyId).toBe('my key')
    expect(options.secretAccessKey).toBe('a/b+c@d:e')
  })

  it('talks plain HTTP with tls=false only', () => {
    expect(s3OptionsFromUrl('s3://k:s@127.0.0.1:4568/b?tls=false').endpoint).toBe(
      'http://127.0.0.1:4568',
    )
    expect(s3OptionsFromUrl('s3://k:s@127.0.0.1:4568/b?tls=true').endpoint).toBe(
      'https://127.0.0.1:4568',
    )
    expect(() => s3OptionsFromUrl('s3://k:s@host/b?tls=no')).toThrow(/tls must be true or false/)
  })

  it('refuses a URL without a bucket or credentials, without repeating the secret', () => {
    const errors = [
      's3://k:topsecret@host',
      's3://k:topsecret@host/',
      's3://k:topsecret@host/a/b',
      's3://host/b',
      's3://k@host/b',
      's3://k:topsecret%zz@host/b',
      'https://k:topsecret@host/b',
    ].map((url) => {
      try {
        s3OptionsFromUrl(url)
      } catch (error) {
        return (error as Error).message
      }
      return `no error for ${url}`
    })
    expect(errors.slice(0, 3)).toEqual(Array(3).fill(expect.stringMatching(/names no bucket/)))
    expect(errors.slice(3, 5)).toEqual(Array(2).fill(expect.stringMatching(/has no credentials/)))
    expect(errors[5]).toMatch(/not percent-encoded/)
    expect(errors[6]).toMatch(/Not an s3:\/\/ URL/)
    for (const message of errors) expect(message).not.toContain('topsecret')
  })
})

describe('blobStoreFrom', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redress-blobs-from-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })
  const PNG = { type: 'image/png' }

  it('picks the driver by the spec', () => {
    expect(blobStoreFrom('s3://k:s@127.0.0.1:1/b?tls=false', undefined).name).toBe('s3')
    expect(blobStoreFrom(join(dir, 'x'), undefined).name).toBe('fs')
    expect(blobStoreFrom(undefined, undefined).name).toBe('fs')
    expect(blobStoreFrom('', join(dir, 'data')).name).toBe('fs')
  })

  it('stores in the folder a path or a file:// URL names', async () => {
    await blobStoreFrom(join(dir, 'plain'), undefined).put('att/a', new Uint8Array(1), PNG)
    await blobStoreFrom(pathToFileURL(join(dir, 'url')).href, undefined).put(
      'att/b',
      new Uint8Array(1),
      PNG,
    )
    expect(await tree(join(dir, 'plain'))).toEqual(['att', 'att/a'])
    expect(await tree(join(dir, 'url'))).toEqual(['att', 'att/b'])
  })

  it('defaults to a folder beside the database, not in it', async () => {
    await blobStoreFrom(undefined, join(dir, 'db', 'data')).put('att/c', new Uint8Array(1), PNG)
    expect(await tree(join(dir, 'db'))).toEqual(['blobs', 'blobs/att', 'blobs/att/c'])
    // A data folder of another name: its name and -blobs.
    await blobStoreFrom(undefined, join(dir, 'shop', 'pglite')).put('att/e', new Uint8Array(1), PNG)
    expect(await tree(join(dir, 'shop'))).toEqual([
      'pglite-blobs',
      'pglite-blobs/att',
      'pglite-blobs/att/e',
    ])
    // No dataDir: ./.redress/blobs, beside the default ./.redress/data.
    vi.spyOn(process, 'cwd').mockReturnValue(join(dir, 'cwd'))
    await blobStoreFrom(undefined, undefined).put('att/d', new Uint8Array(1), PNG)
    expect(await tree(join(dir, 'cwd'))).toEqual([
      '.redress',
      '.redress/blobs',
      '.redress/blobs/att',
      '.redress/blobs/att/d',
    ])
  })
})
