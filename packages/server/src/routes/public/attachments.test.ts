import { readFileSync } from 'node:fs'
import { type AttachmentReceipt, LIMITS, type Receipt, type SiteConfig } from '@redress/protocol'
import type { ComplaintDetail, SiteView } from '@redress/protocol/admin'
import { describe, expect, it } from 'vitest'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
} from '../../_test-harness'
import { pruneAttachments } from '../../attachments'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../attachments/_fixtures/${name}`, import.meta.url)))
const PNG = fixture('mug.png')
const JPEG = fixture('mug.jpg')
const WEBP = fixture('mug.webp')
const ORIGIN = 'http://localhost:3000'

describeEachDatabase('photos with a complaint', (database) => {
  const get = useServer(database)
  const admin = (path: string) => adminFetch(get().url, 'test-admin-token', path)
  let uploads = 0

  const upload = (
    receipt: Pick<Receipt, 'id' | 'token'>,
    bytes: Uint8Array,
    options: { type?: string; key?: string; name?: string; token?: string; origin?: string } = {},
  ) =>
    fetch(
      `${get().url}/v1/complaints/${receipt.id}/attachments${options.name === undefined ? '' : `?name=${encodeURIComponent(options.name)}`}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token ?? receipt.token}`,
          'content-type': options.type ?? 'image/png',
          'idempotency-key': options.key ?? `upload-${++uploads}`,
          origin: options.origin ?? ORIGIN,
        },
        body: Buffer.from(bytes),
      },
    )
  const detail = async (id: string) =>
    (await expectJson(await admin(`/complaints/${id}`))) as ComplaintDetail

  it('says in the site’s settings that it takes photos, how many and how large', async () => {
    const config = (await expectJson(
      await fetch(`${get().url}/v1/sites/pk_demo`, { headers: { origin: ORIGIN } }),
    )) as SiteConfig
    expect(config.attachments).toEqual({
      max: 3,
      maxBytes: 5 * 1024 * 1024,
      types: ['image/jpeg', 'image/png', 'image/webp'],
    })
  })

  it('stores a photo once per key, serves it to the team only, and tells the webhook its metadata', async () => {
    const receipt = await submitComplaint(get().url)
    const first = await upload(receipt, PNG, { key: 'photo-a', name: 'mug.png' })
    const stored = (await expectJson(first, 201)) as AttachmentReceipt
    expect(stored).toEqual({
      id: expect.stringMatching(/^att_[0-9a-z]{20}$/),
      type: 'image/png',
      size: PNG.length,
      width: 40,
      height: 30,
      createdAt: expect.any(String),
    })
    // The answer was lost; the browser sends it again with the same key: one photo.
    const again = await upload(receipt, PNG, { key: 'photo-a', name: 'mug.png' })
    expect(await expectJson(again, 200)).toEqual(stored)
    // The same key with other bytes is another photo under a used key.
    const other = await expectJson(
      await upload(receipt, WEBP, { key: 'photo-a', type: 'image/webp' }),
      409,
    )
    expect(other.error.code).toBe('idempotency_conflict')

    const seen = await detail(receipt.id)
    expect(seen.attachments).toEqual([
      {
        ...stored,
        name: 'mug.png',
        url: `/v1/admin/complaints/${receipt.id}/attachments/${stored.id}`,
      },
    ])
    expect(seen.timeline.filter((event) => event.type === 'attachment_added')).toHaveLength(1)

    // Served with the admin token, as the type its bytes are, under the server's name.
    const served = await admin(`/complaints/${receipt.id}/attachments/${stored.id}`)
    expect(served.status).toBe(200)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(served.headers.get('content-disposition')).toBe('inline; filename="photo-1.png"')
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    // Not to anyone else: no token, the customer's own token, another complaint's path.
    const path = `${get().url}/v1/admin/complaints/${receipt.id}/attachments/${stored.id}`
    expect((await fetch(path)).status).toBe(401)
    expect(
      (await fetch(path, { headers: { authorization: `Bearer ${receipt.token}` } })).status,
    ).toBe(401)
    // The CSV export links to it (the same admin route), the webhook carries its metadata.
    const csv = await (await admin('/complaints.csv')).text()
    const line = csv.split('\r\n').find((row) => row.startsWith(`${receipt.id},`))!
    expect(
      line.endsWith(`,${get().url}/v1/admin/complaints/${receipt.id}/attachments/${stored.id}`),
    ).toBe(true)
    const elsewhere = await submitComplaint(get().url)
    expect((await admin(`/complaints/${elsewhere.id}/attachments/${stored.id}`)).status).toBe(404)
  })

  it('takes JPEG and WebP, and refuses what is not what it says it is, storing nothing', async () => {
    const receipt = await submitComplaint(get().url)
    await expectJson(await upload(receipt, JPEG, { type: 'image/jpeg', name: 'IMG_0001.JPG' }), 201)
    const refusals: Array<[number, string, string | undefined, Response]> = [
      // A PNG renamed to .exe.
      [415, 'unsupported_media_type', 'name', await upload(receipt, PNG, { name: 'mug.exe' })],
      // A script sent as a JPEG.
      [
        415,
        'unsupported_media_type',
        undefined,
        await upload(receipt, new TextEncoder().encode('<script>alert(1)</script>'), {
          type: 'image/jpeg',
        }),
      ],
      // A real PNG that says it is a JPEG.
      [
        415,
        'unsupported_media_type',
        undefined,
        await upload(receipt, PNG, { type: 'image/jpeg' }),
      ],
      // Over 5 MB: a PNG's header, then 6 MB.
      [
        413,
        'payload_too_large',
        undefined,
        await upload(receipt, new Uint8Array([...PNG, ...new Uint8Array(6 * 1024 * 1024)])),
      ],
    ]
    for (const [status, code, field, response] of refusals) {
      const body = await expectJson(response, status)
      expect(body.error.code).toBe(code)
      expect(body.error.field).toBe(field)
      expect(body.error.message.length).toBeGreaterThan(10)
    }
    expect((await detail(receipt.id)).attachments).toHaveLength(1)
  })

  it('takes at most three photos, even sent at once, and says so', async () => {
    const receipt = await submitComplaint(get().url)
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, n) => upload(receipt, PNG, { key: `at-once-${n}` })),
    )
    const statuses = answers.map((answer) => answer.status).sort()
    expect(statuses).toEqual([201, 201, 201, 422, 422])
    const refused = await answers.find((answer) => answer.status === 422)!.json()
    expect(refused.error).toEqual({
      code: 'too_many_attachments',
      message: `A complaint carries at most ${LIMITS.attachments} photos; this one has them`,
    })
    const seen = await detail(receipt.id)
    expect(seen.attachments!.map((photo) => photo.url.endsWith(photo.id))).toEqual([
      true,
      true,
      true,
    ])
  })

  it('refuses a wrong token, another page, a missing key and a bad name', async () => {
    const receipt = await submitComplaint(get().url)
    expect((await upload(receipt, PNG, { token: 'nope' })).status).toBe(401)
    expect((await upload(receipt, PNG, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await upload({ id: 'cmp_missing', token: receipt.token }, PNG)).status).toBe(404)
    const keyless = await fetch(`${get().url}/v1/complaints/${receipt.id}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${receipt.token}`,
        'content-type': 'image/png',
        origin: ORIGIN,
      },
      body: Buffer.from(PNG),
    })
    expect((await expectJson(keyless, 400)).error.field).toBe('idempotencyKey')
    expect(
      (await expectJson(await upload(receipt, PNG, { name: 'x'.repeat(201) }), 400)).error.field,
    ).toBe('name')
    expect((await detail(receipt.id)).attachments).toEqual([])
  })

  it('deletes a complaint’s photos, bytes and all, with the complaint (an owner’s, with the admin token)', async () => {
    const receipt = await submitComplaint(get().url)
    const stored = (await expectJson(await upload(receipt, PNG), 201)) as AttachmentReceipt
    const { blob_key: key } = await get()
      .database.db.selectFrom('attachments')
      .select('blob_key')
      .where('id', '=', stored.id)
      .executeTakeFirstOrThrow()
    expect(await get().blobs.get(key)).toBeDefined()
    const deleted = await adminFetch(get().url, 'test-admin-token', `/complaints/${receipt.id}`, {
      method: 'DELETE',
    })
    expect(deleted.status).toBe(204)
    expect(await get().blobs.get(key)).toBeUndefined()
    expect((await admin(`/complaints/${receipt.id}`)).status).toBe(404)
    expect((await admin(`/complaints/${receipt.id}/attachments/${stored.id}`)).status).toBe(404)
    // The customer's token reaches nothing any more, and a photo cannot be added to it.
    expect((await upload(receipt, PNG)).status).toBe(404)
  })

  describe('retention', () => {
    it('deletes photos past the site’s days, bytes and all', async () => {
      const receipt = await submitComplaint(get().url)
      const stored = (await expectJson(await upload(receipt, PNG), 201)) as AttachmentReceipt
      const {
        database: { db },
        blobs,
      } = get()
      // Not yet: the default is 180 days.
      const inADay = new Date(Date.now() + 86_400_000)
      await pruneAttachments(db, blobs, { now: inADay })
      expect((await detail(receipt.id)).attachments).toHaveLength(1)
      const row = await db
        .selectFrom('attachments')
        .select('blob_key')
        .where('id', '=', stored.id)
        .executeTakeFirstOrThrow()
      // The owner keeps them a day.
      const kept = await adminFetch(get().url, 'test-admin-token', '/site', {
        method: 'PATCH',
        body: { attachments: { retentionDays: 1 } },
      })
      expect(((await expectJson(kept)) as SiteView).attachments).toEqual({
        effective: { retentionDays: 1 },
        overrides: { retentionDays: 1 },
      })
      try {
        await pruneAttachments(db, blobs, { now: new Date(inADay.getTime() + 60_000), limit: 1000 })
      } finally {
        await adminFetch(get().url, 'test-admin-token', '/site', {
          method: 'PATCH',
          body: { attachments: null },
        })
      }
      expect((await detail(receipt.id)).attachments).toEqual([])
      expect(await blobs.get(row.blob_key)).toBeUndefined()
      expect((await admin(`/complaints/${receipt.id}/attachments/${stored.id}`)).status).toBe(404)
    })
  })
})
