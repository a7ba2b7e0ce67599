import { validateErrorBody, validateSiteConfig } from '@redress/protocol/schema'
import { beforeAll, describe, expect, it } from 'vitest'
import { adminFetch, describeEachDatabase, expectJson, useServer } from '../_test-harness'
import type { Site } from '../db/schema'
import { createSite, DEFAULT_CATEGORIES, siteConfig } from './sites'

let counter = 0
const key = () => `config-${Date.now().toString(36)}-${++counter}`

describe('siteConfig', () => {
  it('keeps only ids, failure types, labels and the guarantee’s text', () => {
    const site = {
      categories: [
        { id: 'late', failureType: 'process', label: 'Late', firmResponsible: false },
        { id: 'order', failureType: 'outcome' },
        // Only the locales there are texts for, and only text: a page gets nothing else.
        { id: 'gift', failureType: 'outcome', labels: { 'zh-CN': '礼品', fr: 'Cadeau', en: 1 } },
        { id: 'box', failureType: 'outcome', labels: { fr: 'Boîte' } },
      ],
      guarantee: {
        text: 'Promise',
        firstReplyWithin: 'PT2H',
        remedy: { kind: 'coupon', value: 5 },
      },
    } as Pick<Site, 'categories' | 'guarantee'>
    expect(siteConfig(site)).toEqual({
      categories: [
        { id: 'late', failureType: 'process', label: 'Late' },
        { id: 'order', failureType: 'outcome' },
        { id: 'gift', failureType: 'outcome', labels: { 'zh-CN': '礼品' } },
        { id: 'box', failureType: 'outcome' },
      ],
      guarantee: { text: 'Promise' },
    })
    expect(siteConfig({ categories: [], guarantee: null })).toEqual({
      categories: [],
      guarantee: null,
    })
  })
})

describeEachDatabase('GET /v1/sites/{publicKey}', (database) => {
  const server = useServer(database)
  let mine: { site: Site; adminToken: string }

  beforeAll(async () => {
    mine = await createSite(server().database.db, {
      name: 'Config shop',
      origins: ['https://shop.example', 'http://localhost:*'],
      adminToken: `secret-${key()}`,
    })
  })

  const get = (publicKey = mine.site.public_key, origin?: string) =>
    fetch(`${server().url}/v1/sites/${encodeURIComponent(publicKey)}`, {
      headers: origin ? { origin } : {},
    })
  const admin = (body: unknown) =>
    adminFetch(server().url, mine.adminToken, '/site', { method: 'PATCH', body })

  it('answers the built-in categories and no guarantee for a new site, cacheable a minute', async () => {
    const response = await get(undefined, 'https://shop.example')
    const body = await expectJson(response)
    expect(body).toEqual({
      categories: DEFAULT_CATEGORIES,
      guarantee: null,
      notices: [],
      // This server stores photos: how many a complaint may carry, how large, which types.
      attachments: {
        max: 3,
        maxBytes: 5 * 1024 * 1024,
        types: ['image/jpeg', 'image/png', 'image/webp'],
      },
    })
    expect(validateSiteConfig(body).success).toBe(true)
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
    expect(response.headers.get('vary')).toBe('Origin')
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('varies on Origin also for callers without one, such as a shared cache', async () => {
    const response = await get()
    await expectJson(response)
    expect(response.headers.get('vary')).toBe('Origin')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('reflects the owner’s changes and shows nothing secret', async () => {
    const categories = [
      { id: 'order', failureType: 'outcome' },
      { id: 'broken', failureType: 'outcome', label: 'Arrived damaged' },
      {
        id: 'carrier',
        failureType: 'process',
        label: 'The courier',
        labels: { 'zh-CN': '快递' },
        firmResponsible: false,
      },
      { id: 'gift', failureType: 'outcome', labels: { en: 'Gift wrap', 'zh-CN': '礼品包装' } },
    ]
    const guarantee = {
      text: 'A reply within 2 hours, or €5 off',
      firstReplyWithin: 'PT2H',
      remedy: { kind: 'coupon', value: 500 },
    }
    await expectJson(
      await admin({
        categories,
        guarantee,
        policy: { caps: { perSiteDay: 12_345 } },
        rateLimits: { perIp: { limit: 77 } },
      }),
    )
    const response = await get(undefined, 'http://localhost:5173')
    const body = await expectJson(response)
    expect(body).toEqual({
      categories: [
        { id: 'order', failureType: 'outcome' },
        { id: 'broken', failureType: 'outcome', label: 'Arrived damaged' },
        {
          id: 'carrier',
          failureType: 'process',
          label: 'The courier',
          labels: { 'zh-CN': '快递' },
        },
        { id: 'gift', failureType: 'outcome', labels: { en: 'Gift wrap', 'zh-CN': '礼品包装' } },
      ],
      guarantee: { text: 'A reply within 2 hours, or €5 off' },
      notices: [],
      attachments: {
        max: 3,
        maxBytes: 5 * 1024 * 1024,
        types: ['image/jpeg', 'image/png', 'image/webp'],
      },
    })
    expect(validateSiteConfig(body).output).toEqual(body)
    const text = JSON.stringify(body)
    for (const secret of [
      mine.adminToken,
      mine.site.admin_token_hash,
      mine.site.id,
      'shop.example',
      'localhost',
      'firmResponsible',
      'PT2H',
      'remedy',
      '12345',
      '77',
      'policy',
      'caps',
      'origins',
    ])
      expect(text).not.toContain(secret)

    // The guarantee withdrawn, the categories changed again: the next request says so.
    await expectJson(
      await admin({ guarantee: null, categories: [{ id: 'late', failureType: 'process' }] }),
    )
    expect(await expectJson(await get())).toMatchObject({
      categories: [{ id: 'late', failureType: 'process' }],
      guarantee: null,
      notices: [],
    })
  })

  it('refuses an origin the site does not allow with 403 origin_not_allowed', async () => {
    const response = await get(undefined, 'https://evil.example')
    const body = await expectJson(response, 403)
    expect(validateErrorBody(body).success).toBe(true)
    expect(body.error.code).toBe('origin_not_allowed')
    // The page can read why; the refusal is not cached as the site's answer.
    expect(response.headers.get('access-control-allow-origin')).toBe('https://evil.example')
    expect(response.headers.get('cache-control')).toBeNull()
    expect(JSON.stringify(body)).not.toContain('shop.example')
  })

  it('checks the origin against the site asked about', async () => {
    // The demo site allows any localhost port, but not this shop's origin.
    await expectJson(await get('pk_demo', 'http://localhost:3000'))
    await expectJson(await get('pk_demo', 'https://shop.example'), 403)
  })

  it('answers an unknown key with 404 not_found and a JSON error body', async () => {
    for (const publicKey of ['pk_nope', 'pk_demo/../x', '']) {
      const response = await get(publicKey, 'https://shop.example')
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      const body = await response.json()
      expect(validateErrorBody(body).success).toBe(true)
      expect(body.error.code).toBe('not_found')
      expect(response.headers.get('cache-control')).toBeNull()
    }
  })
})
