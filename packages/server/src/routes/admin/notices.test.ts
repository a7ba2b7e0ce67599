import type { SiteConfig } from '@redress/protocol'
import type { NoticePage, NoticeView, SiteChange } from '@redress/protocol/admin'
import { NOTICES_MAX } from '@redress/protocol/admin'
import { expect, it } from 'vitest'
import { adminFetch, describeEachDatabase, expectJson, useServer } from '../../_test-harness'
import { createSite } from '../../sites'

const HOUR = 3_600_000
const later = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString()

describeEachDatabase('known-issue notices', (database) => {
  const get = useServer(database)
  const admin = (
    path: string,
    init?: Parameters<typeof adminFetch>[3],
    token = 'test-admin-token',
  ) => adminFetch(get().url, token, path, init)
  const publicNotices = async (key = 'pk_demo') =>
    (
      (await expectJson(
        await fetch(`${get().url}/v1/sites/${key}`, {
          headers: { origin: 'http://localhost:3000' },
        }),
      )) as SiteConfig
    ).notices ?? []
  const publish = async (body: Record<string, unknown>, status = 201) =>
    (await expectJson(await admin('/notices', { method: 'POST', body }), status)) as NoticeView

  it('publishes a notice that pages get while it runs, and takes it back', async () => {
    const notice = await publish({
      messages: {
        en: 'Card payments fail; we are on it.',
        'zh-CN': '银行卡支付暂时失败，我们正在处理。',
      },
      level: 'warning',
      page: '/checkout',
    })
    expect(notice).toMatchObject({
      id: expect.stringMatching(/^ntc_/),
      level: 'warning',
      page: '/checkout',
      endsAt: null,
      alertId: null,
    })
    const served = await publicNotices()
    expect(served).toContainEqual({
      id: notice.id,
      messages: notice.messages,
      level: 'warning',
      page: '/checkout',
      startsAt: notice.startsAt,
      endsAt: null,
    })

    // Ending it now: pages no longer get it; the owner still sees it, ended.
    const ended = (await expectJson(
      await admin(`/notices/${notice.id}`, {
        method: 'PATCH',
        body: { endsAt: new Date().toISOString() },
      }),
    )) as NoticeView
    expect(ended.endsAt).not.toBeNull()
    expect((await publicNotices()).map((item) => item.id)).not.toContain(notice.id)
    const list = (await expectJson(await admin('/notices'))) as NoticePage
    expect(list.items.find((item) => item.id === notice.id)?.endsAt).toBe(ended.endsAt)

    expect((await admin(`/notices/${notice.id}`, { method: 'DELETE' })).status).toBe(204)
    const after = (await expectJson(await admin('/notices'))) as NoticePage
    expect(after.items.map((item) => item.id)).not.toContain(notice.id)
    await expectJson(await admin(`/notices/${notice.id}`, { method: 'DELETE' }), 404)

    // Each change is in the audit trail, newest first: removed, ended, published.
    const audit = (await expectJson(await admin('/site/changes?limit=3'))) as {
      items: SiteChange[]
    }
    expect(audit.items.map((item) => item.changes.notices)).toEqual([
      { before: expect.objectContaining({ id: notice.id }), after: null },
      {
        before: expect.objectContaining({ endsAt: null }),
        after: expect.objectContaining({ endsAt: ended.endsAt }),
      },
      { before: null, after: expect.objectContaining({ id: notice.id }) },
    ])
  })

  it('serves upcoming notices with their times, and never ended ones', async () => {
    const soon = await publish({
      messages: { en: 'Maintenance tonight' },
      startsAt: later(2),
      endsAt: later(4),
    })
    const far = await publish({ messages: { en: 'Next month' }, startsAt: later(24 * 30) })
    const ids = (await publicNotices()).map((item) => item.id)
    expect(ids).toContain(soon.id)
    expect(ids).not.toContain(far.id)
    for (const { id } of [soon, far]) await admin(`/notices/${id}`, { method: 'DELETE' })
  })

  it('refuses what it could not show, naming the field, and stores nothing', async () => {
    const before = ((await expectJson(await admin('/notices'))) as NoticePage).items.length
    for (const [body, field, message] of [
      [{ messages: {} }, 'messages', 'messages is { "en"?, "zh-CN"? } with at least one message'],
      [
        { messages: { fr: 'Bonjour' } },
        'messages.fr',
        'messages has no locale fr: one of en, zh-CN',
      ],
      [
        { messages: { en: 'x'.repeat(501) } },
        'messages.en',
        'messages.en is text of 1–500 characters',
      ],
      [
        { messages: { en: 'Hi' }, page: 'checkout' },
        'page',
        'page is a path starting with / (a prefix, or a pattern with * and **) of at most 300 characters, or null for every page',
      ],
      [
        { messages: { en: 'Hi' }, endsAt: '2026-12-04T10:00:00' },
        'endsAt',
        'endsAt is an ISO 8601 date and time with a zone',
      ],
      [
        { messages: { en: 'Hi' }, startsAt: later(2), endsAt: later(1) },
        'endsAt',
        'endsAt must be after startsAt',
      ],
      [{ messages: { en: 'Hi' }, alertId: 'alt_nope' }, 'alertId', 'No alert alt_nope'],
      [{ messages: { en: 'Hi' }, level: 'urgent' }, 'level', 'level is info or warning'],
    ] as const) {
      const refused = await expectJson(await admin('/notices', { method: 'POST', body }), 400)
      expect(refused, JSON.stringify(body)).toEqual({
        error: { code: 'invalid_request', message, ...(field ? { field } : {}) },
      })
    }
    expect(((await expectJson(await admin('/notices'))) as NoticePage).items).toHaveLength(before)
  })

  it('keeps another site’s notices out of reach', async () => {
    const notice = await publish({ messages: { en: 'Ours' } })
    const other = await createSite(get().database.db, {
      name: 'Other',
      origins: ['http://localhost:*'],
    })
    const theirs = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
      admin(path, init, other.adminToken)
    expect(((await expectJson(await theirs('/notices'))) as NoticePage).items).toEqual([])
    await expectJson(
      await theirs(`/notices/${notice.id}`, { method: 'PATCH', body: { level: 'warning' } }),
      404,
    )
    await expectJson(await theirs(`/notices/${notice.id}`, { method: 'DELETE' }), 404)
    expect((await publicNotices(other.site.public_key)).map((item) => item.id)).toEqual([])
    await admin(`/notices/${notice.id}`, { method: 'DELETE' })
  })

  it(`keeps at most ${NOTICES_MAX} notices that have not ended`, async () => {
    const { adminToken } = await createSite(get().database.db, {
      name: 'Busy',
      origins: ['http://localhost:*'],
    })
    const post = (n: number) =>
      adminFetch(get().url, adminToken, '/notices', {
        method: 'POST',
        body: { messages: { en: `Notice ${n}` } },
      })
    for (let n = 0; n < NOTICES_MAX; n++) await expectJson(await post(n), 201)
    const refused = await expectJson(await post(NOTICES_MAX), 409)
    expect(refused).toMatchObject({ error: { code: 'conflict' } })
  })
})
