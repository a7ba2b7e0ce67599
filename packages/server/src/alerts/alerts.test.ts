import type { Complaint } from '@redress/protocol'
import type { AlertPage, AlertRule, AlertView, ComplaintPage } from '@redress/protocol/admin'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminFetch, describeEachDatabase, expectJson, submitComplaint } from '../_test-harness'
import { ingestComplaint } from '../complaints'
import type { Site } from '../db/schema'
import { type SmtpReceiver, startSmtp, useMailServer } from '../mail/_test-smtp'
import { createWebhookEndpoint } from '../outbox'
import { createSite } from '../sites'
import { checkAlerts } from './check'

const MINUTE = 60_000
const DAY = 86_400_000
const T0 = new Date('2026-03-02T10:00:00.000Z')
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE)

describeEachDatabase('early warning', (database) => {
  let smtp: SmtpReceiver
  beforeAll(async () => {
    smtp = await startSmtp()
  })
  afterAll(() => smtp.close())
  const get = useMailServer(database, () => smtp.url)
  const db = () => get().server.database.db
  let sites = 0

  /** A site of its own per test, created `ageDays` before T0, with these rules and a team. */
  async function siteWith(
    rules: AlertRule[] | null,
    options: { ageDays?: number; teamLocale?: 'en' | 'zh-CN' } = {},
  ) {
    const n = ++sites
    const { site, adminToken } = await createSite(db(), {
      name: `Shop ${n}`,
      origins: ['https://shop.example'],
      categories: [
        { id: 'delivery', failureType: 'process', labels: { en: 'Delivery', 'zh-CN': '配送' } },
        { id: 'broken', failureType: 'outcome' },
      ],
    })
    const row = await db()
      .updateTable('sites')
      .set({
        alerts: rules === null ? null : JSON.stringify(rules),
        mail: JSON.stringify({
          from: 'care@shop.example',
          team: [`ops${n}@shop.example`],
          teamLocale: options.teamLocale ?? 'en',
        }),
      })
      .where('id', '=', site.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    // As if it had taken complaints for `ageDays` already: a spike compares with whole days of history.
    const createdAt = new Date(T0.getTime() - (options.ageDays ?? 0) * DAY)
    await sql`UPDATE sites SET created_at = ${createdAt} WHERE id = ${row.id}`.execute(db())
    row.created_at = createdAt as unknown as typeof row.created_at
    return { site: row, adminToken, team: `ops${n}@shop.example` }
  }

  let complaints = 0
  /** A complaint received at `when` (the server's clock for it), in `category`. */
  const receive = (site: Site, when: Date, category = 'delivery', more: Partial<Complaint> = {}) =>
    ingestComplaint(db(), {
      site,
      complaint: {
        site: site.public_key,
        category,
        severity: 'minor',
        description: `Late again (${++complaints})`,
        ...more,
      } as Complaint,
      idempotencyKey: `alert-${complaints}`,
      secret: 'test-secret',
      now: when,
    })
  const alertsOf = (site: Site) =>
    db()
      .selectFrom('alerts')
      .selectAll()
      .where('site_id', '=', site.id)
      .orderBy('raised_at')
      .execute()
  const raisedWebhooks = async (site: Site) =>
    (
      await db()
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
        .select('payload')
        .where('webhook_endpoints.site_id', '=', site.id)
        .where('event_type', '=', 'alert.raised')
        .orderBy('seq')
        .execute()
    ).map((row) => JSON.parse(row.payload) as { data: Record<string, unknown> })
  const admin = (token: string, path: string, init?: Parameters<typeof adminFetch>[3]) =>
    adminFetch(get().server.url, token, path, init)

  it('raises a burst once per episode, and again only after a quiet window', async () => {
    const burst: AlertRule = {
      id: 'late',
      kind: 'burst',
      by: 'category',
      count: 3,
      withinMinutes: 10,
    }
    const { site } = await siteWith([burst])
    await createWebhookEndpoint(db(), site.id, 'https://hooks.shop.example/redress')

    await receive(site, at(0))
    await receive(site, at(1))
    // Other categories are counted on their own.
    await receive(site, at(1), 'broken')
    await receive(site, at(1), 'broken')
    expect(await checkAlerts(db(), site.id, at(1))).toEqual([])

    await receive(site, at(2))
    const [raised] = await checkAlerts(db(), site.id, at(2))
    expect(raised).toMatchObject({ rule_id: 'late', group_key: 'delivery', count: 3 })
    expect(new Date(raised!.window_from).toISOString()).toBe(at(0).toISOString())

    // Still crossed, and crossed again: the same episode.
    await receive(site, at(3))
    expect(await checkAlerts(db(), site.id, at(3))).toEqual([])
    await receive(site, at(9))
    expect(await checkAlerts(db(), site.id, at(9))).toEqual([])
    // Below the threshold, but not yet quiet for a whole window: still open.
    expect(await checkAlerts(db(), site.id, at(15))).toEqual([])
    let rows = await alertsOf(site)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ count: 5, ended_at: null })

    // Quiet for ten minutes since it was last crossed (at 9): the episode ends.
    await checkAlerts(db(), site.id, at(19))
    rows = await alertsOf(site)
    expect(new Date(rows[0]!.ended_at!).toISOString()).toBe(at(19).toISOString())

    // A new pile-up is a new episode.
    for (const minute of [30, 31, 32]) await receive(site, at(minute))
    expect(await checkAlerts(db(), site.id, at(32))).toHaveLength(1)
    rows = await alertsOf(site)
    expect(rows.map((row) => row.ended_at === null)).toEqual([false, true])

    // One `alert.raised` per episode, with what crossed.
    const hooks = await raisedWebhooks(site)
    expect(hooks).toHaveLength(2)
    expect(hooks[0]!.data).toMatchObject({
      alertId: rows[0]!.id,
      rule: burst,
      group: 'delivery',
      count: 3,
      baseline: null,
      windowFrom: at(0).toISOString(),
      raisedAt: at(2).toISOString(),
    })
  })

  it('ignores complaints that look sent by a bot', async () => {
    const { site } = await siteWith([
      { id: 'all', kind: 'burst', by: 'site', count: 2, withinMinutes: 60 },
    ])
    await receive(site, at(0), 'delivery', { signals: { honeypot: 'http://spam.example' } })
    await receive(site, at(1), 'delivery', { signals: { honeypot: 'http://spam.example' } })
    await receive(site, at(2))
    expect(await checkAlerts(db(), site.id, at(2))).toEqual([])
    await receive(site, at(3))
    expect(await checkAlerts(db(), site.id, at(3))).toHaveLength(1)
  })

  it('raises a spike when a day holds many times an average day before it', async () => {
    const spike: AlertRule = {
      id: 'spike',
      kind: 'spike',
      by: 'failureType',
      only: 'process',
      factor: 3,
      minimum: 6,
      baselineDays: 7,
    }
    const { site } = await siteWith([spike], { ageDays: 10 })
    // Two a day in the week before: an average day is 2.
    for (let day = 1; day <= 7; day++) {
      const before = new Date(T0.getTime() - day * DAY - 2 * 60 * MINUTE)
      await receive(site, before)
      await receive(site, new Date(before.getTime() + MINUTE))
    }
    // Outcome failures are not what this rule counts.
    for (let i = 0; i < 8; i++) await receive(site, at(-60 + i), 'broken')
    for (let i = 0; i < 5; i++) await receive(site, at(-50 + i))
    // Five of process failures: not three times an average day (6) yet.
    expect(await checkAlerts(db(), site.id, at(0))).toEqual([])
    await receive(site, at(1))
    const [raised] = await checkAlerts(db(), site.id, at(1))
    expect(raised).toMatchObject({ group_key: 'process', count: 6, baseline: 2 })
  })

  it('needs whole days of history before it compares a day with them', async () => {
    const { site } = await siteWith(
      [{ id: 'spike', kind: 'spike', by: 'site', factor: 2, minimum: 2, baselineDays: 7 }],
      { ageDays: 0.5 },
    )
    for (let i = 0; i < 5; i++) await receive(site, at(i))
    expect(await checkAlerts(db(), site.id, at(5))).toEqual([])
  })

  it('counts the categories the site does not list as one group', async () => {
    const { site, adminToken } = await siteWith([
      { id: 'each', kind: 'burst', by: 'category', count: 3, withinMinutes: 60 },
    ])
    // Made-up names, one each: counted together, not as three groups of one.
    for (const [minute, category] of ['made-up-1', 'made-up-2', 'constructor'].entries())
      await receive(site, at(minute), category)
    const [raised] = await checkAlerts(db(), site.id, at(3))
    expect(raised).toMatchObject({ group_key: '*', count: 3 })
    const list = (await expectJson(
      await admin(adminToken, `/complaints?alert=${raised!.id}`),
    )) as ComplaintPage
    expect(list.items.map((item) => item.category).sort()).toEqual([
      'constructor',
      'made-up-1',
      'made-up-2',
    ])
  })

  it('raises one alert when several processes check at once', async () => {
    const { site } = await siteWith([
      { id: 'all', kind: 'burst', by: 'site', count: 2, withinMinutes: 60 },
    ])
    await createWebhookEndpoint(db(), site.id, 'https://hooks.shop.example/redress')
    await receive(site, at(0))
    await receive(site, at(1))
    const raised = await Promise.all([0, 1, 2, 3].map(() => checkAlerts(db(), site.id, at(1))))
    expect(raised.flat()).toHaveLength(1)
    expect(await alertsOf(site)).toHaveLength(1)
    expect(await raisedWebhooks(site)).toHaveLength(1)
  })

  it('ends an episode whose rule was removed', async () => {
    const { site } = await siteWith([
      { id: 'all', kind: 'burst', by: 'site', count: 2, withinMinutes: 60 },
    ])
    await receive(site, at(0))
    await receive(site, at(1))
    await checkAlerts(db(), site.id, at(1))
    await db().updateTable('sites').set({ alerts: '[]' }).where('id', '=', site.id).execute()
    await checkAlerts(db(), site.id, at(2))
    expect((await alertsOf(site))[0]!.ended_at).not.toBeNull()
  })

  it('mails the team once per alert, in the team’s language', async () => {
    const { site, team } = await siteWith(
      [{ id: 'late', kind: 'burst', by: 'category', count: 3, withinMinutes: 10 }],
      { teamLocale: 'zh-CN' },
    )
    for (const minute of [0, 1, 2]) await receive(site, at(minute))
    const [raised] = await checkAlerts(db(), site.id, at(2))
    await receive(site, at(3))
    await checkAlerts(db(), site.id, at(3))
    await get().drain()
    const mails = smtp.to(team)
    expect(mails).toHaveLength(1)
    expect(mails[0]!.mail.subject).toBe('预警：10 分钟内收到 3 条关于「配送」的投诉')
    expect(mails[0]!.mail.text).toContain(`/admin/#/inbox?alert=${raised!.id}`)
    expect(mails[0]!.mail.text).toContain('2026-03-02 10:00 UTC')
    const [row] = await db()
      .selectFrom('mail_messages')
      .selectAll()
      .where('alert_id', '=', raised!.id)
      .execute()
    expect(row).toMatchObject({ kind: 'team_alert', complaint_id: null, state: 'sent' })
  })

  describe('in the admin API', () => {
    it('lists alerts, dismisses them once, and lists the complaints one counted', async () => {
      const { site, adminToken } = await siteWith([
        { id: 'late', kind: 'burst', by: 'category', count: 2, withinMinutes: 10 },
      ])
      const early = await receive(site, at(-30))
      const counted = [await receive(site, at(0)), await receive(site, at(1))]
      await receive(site, at(1), 'broken')
      const [raised] = await checkAlerts(db(), site.id, at(1))
      await checkAlerts(db(), site.id, at(20))

      const page = (await expectJson(await admin(adminToken, '/alerts'))) as AlertPage
      expect(page.items).toHaveLength(1)
      const view = page.items[0]!
      expect(view).toMatchObject({
        id: raised!.id,
        group: 'delivery',
        count: 2,
        windowFrom: at(0).toISOString(),
        endedAt: at(20).toISOString(),
        dismissedAt: null,
      })

      // The complaints it counted: its category, from its first to its end.
      const list = (await expectJson(
        await admin(adminToken, `/complaints?alert=${view.id}`),
      )) as ComplaintPage
      const ids = (items: { id: string }[]) => items.map((item) => item.id).sort()
      const idOf = (ingested: { body: string }) => (JSON.parse(ingested.body) as { id: string }).id
      expect(ids(list.items)).toEqual(counted.map(idOf).sort())
      expect(ids(list.items)).not.toContain(idOf(early))

      const dismissed = (await expectJson(
        await admin(adminToken, `/alerts/${view.id}/dismiss`, { method: 'POST' }),
      )) as AlertView
      expect(dismissed.dismissedAt).not.toBeNull()
      const again = (await expectJson(
        await admin(adminToken, `/alerts/${view.id}/dismiss`, { method: 'POST' }),
      )) as AlertView
      expect(again.dismissedAt).toBe(dismissed.dismissedAt)
      const open = (await expectJson(
        await admin(adminToken, '/alerts?dismissed=false'),
      )) as AlertPage
      expect(open.items).toEqual([])

      // Another site's token finds neither the alert nor its complaints.
      const other = await siteWith(null)
      await expectJson(
        await admin(other.adminToken, `/alerts/${view.id}/dismiss`, { method: 'POST' }),
        404,
      )
      const refused = await expectJson(
        await admin(other.adminToken, `/complaints?alert=${view.id}`),
        404,
      )
      expect(refused).toMatchObject({ error: { code: 'not_found', field: 'alert' } })
    })

    it('keeps the rules per site, checked, with the defaults until set', async () => {
      const { adminToken } = await siteWith(null)
      const site = (await expectJson(await admin(adminToken, '/site'))) as {
        alerts: { effective: AlertRule[]; overrides: AlertRule[] | null }
      }
      expect(site.alerts.overrides).toBeNull()
      expect(site.alerts.effective.map((rule) => rule.kind)).toEqual(['burst', 'spike'])

      const refused = await expectJson(
        await admin(adminToken, '/site', {
          method: 'PATCH',
          body: { alerts: [{ id: 'a', kind: 'burst', count: 1, withinMinutes: 10 }] },
        }),
        400,
      )
      expect(refused).toEqual({
        error: {
          code: 'invalid_request',
          message: 'count is a whole number from 2 to 10000',
          field: 'alerts[0].count',
        },
      })
      const saved = (await expectJson(
        await admin(adminToken, '/site', {
          method: 'PATCH',
          body: {
            alerts: [
              {
                id: 'a',
                kind: 'burst',
                by: 'category',
                only: 'delivery',
                count: 4,
                withinMinutes: 30,
              },
            ],
          },
        }),
      )) as typeof site
      expect(saved.alerts.effective).toEqual([
        { id: 'a', kind: 'burst', by: 'category', only: 'delivery', count: 4, withinMinutes: 30 },
      ])
      const off = (await expectJson(
        await admin(adminToken, '/site', { method: 'PATCH', body: { alerts: [] } }),
      )) as typeof site
      expect(off.alerts.effective).toEqual([])
    })
  })

  it('checks the sites that took complaints through the public API', async () => {
    // The demo site, with the default rules: five of one category within the hour.
    // It has no open episode: only the complaints it took get it checked.
    const base = get().server.url
    const alerts = get().server.alerts!
    for (let i = 0; i < 4; i++) await submitComplaint(base, { category: 'slow' })
    await alerts.runOnce()
    const demo = await db()
      .selectFrom('sites')
      .selectAll()
      .where('public_key', '=', 'pk_demo')
      .executeTakeFirstOrThrow()
    expect(await alertsOf(demo)).toEqual([])
    await submitComplaint(base, { category: 'slow' })
    await alerts.runOnce()
    expect(await alertsOf(demo)).toMatchObject([{ rule_id: 'burst', group_key: 'slow', count: 5 }])
  })
})
