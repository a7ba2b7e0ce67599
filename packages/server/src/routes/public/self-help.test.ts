import type { SiteConfig } from '@redress/protocol'
import type { Insights } from '@redress/protocol/admin'
import { expect, it } from 'vitest'
import { adminFetch, describeEachDatabase, expectJson, useServer } from '../../_test-harness'

const ORIGIN = 'http://localhost:3000'
const HELP = {
  en: {
    answer: 'Parcels take 3–5 working days.',
    links: [{ label: 'Track your parcel', url: 'https://shop.example/track' }],
  },
  'zh-CN': { answer: '包裹需要 3–5 个工作日。' },
}

describeEachDatabase('self-help per category', (database) => {
  const get = useServer(database)
  const admin = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
    adminFetch(get().url, 'test-admin-token', path, init)
  const deflect = (body: string, origin = ORIGIN) =>
    fetch(`${get().url}/v1/sites/pk_demo/deflections`, {
      method: 'POST',
      // What a closing page's keepalive request sends: no preflight needed.
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin },
      body,
    })
  const avoided = async () =>
    ((await expectJson(await admin('/insights?days=7'))) as Insights).avoided

  it('serves each category’s help with the site’s settings, and counts forms closed after it once per client and day', async () => {
    await expectJson(
      await admin('/site', {
        method: 'PATCH',
        body: {
          categories: [
            { id: 'late', failureType: 'process', help: HELP },
            { id: 'broken', failureType: 'outcome' },
          ],
        },
      }),
    )
    const config = (await expectJson(
      await fetch(`${get().url}/v1/sites/pk_demo`, { headers: { origin: ORIGIN } }),
    )) as SiteConfig
    expect(config.categories).toEqual([
      { id: 'late', failureType: 'process', help: HELP },
      { id: 'broken', failureType: 'outcome' },
    ])

    expect(await avoided()).toEqual({ total: 0, byCategory: [] })
    expect((await deflect(JSON.stringify({ category: 'late' }))).status).toBe(204)
    // The same client again the same day: still one.
    expect((await deflect(JSON.stringify({ category: 'late' }))).status).toBe(204)
    expect(await avoided()).toEqual({ total: 1, byCategory: [{ category: 'late', count: 1 }] })

    // A category without help, an unknown one, or no JSON: refused, nothing counted.
    for (const body of [
      JSON.stringify({ category: 'broken' }),
      JSON.stringify({ category: 'nope' }),
      'late',
    ]) {
      const refused = await expectJson(await deflect(body), 400)
      expect(refused).toMatchObject({ error: { code: 'invalid_request', field: 'category' } })
    }
    // Another page's browser is refused as for complaints.
    expect(
      (await deflect(JSON.stringify({ category: 'late' }), 'https://evil.example')).status,
    ).toBe(403)
    expect((await deflect('x'.repeat(2048))).status).toBe(413)
    expect(await avoided()).toEqual({ total: 1, byCategory: [{ category: 'late', count: 1 }] })
  })
})
