/**
 * @module Checking a site's early-warning rules at a moment: count what each
 * rule counts, raise an alert for each group that crossed its rule and has
 * no open episode (sending `alert.raised` and mailing the team, in the same
 * transaction), keep open episodes going while crossed, and end those not
 * crossed for a whole window.
 */
import { type AlertRule, alertWindowMs } from '@redress/protocol/admin'
import { type Kysely, sql, type Transaction } from 'kysely'
import { alertId } from '../_lib/crypto'
import type { AlertRow, Site, Tables } from '../db/schema'
import { enqueueTeamMail, enqueueWebhook } from '../outbox'
import { alertRules, alertView, groupOf } from './rules'

const DAY_MS = 86_400_000

/** One group's count under one rule at the moment checked. */
interface Count {
  group: string
  /** Complaints in the rule's window. */
  count: number
  /** The first of them. */
  first: Date
  /** A spike's average complaints per day before the window; `null` for a burst. */
  baseline: number | null
  crossed: boolean
}

/**
 * What `rule` counts on `site` at `now`, per group: complaints not flagged as
 * a bot's, received in the window that ends at `now` (and, for a spike, in
 * the baseline days before it).
 */
async function countRule(
  trx: Transaction<Tables>,
  site: Site,
  rule: AlertRule,
  now: Date,
): Promise<Count[]> {
  const windowFrom = new Date(now.getTime() - alertWindowMs(rule))
  // A spike needs whole days of history before its window to compare with.
  const historyDays =
    rule.kind === 'spike'
      ? Math.min(
          rule.baselineDays,
          Math.floor(
            (windowFrom.getTime() - new Date(site.created_at as unknown as Date).getTime()) /
              DAY_MS,
          ),
        )
      : 0
  if (rule.kind === 'spike' && historyDays < 1) return []
  const from = new Date(windowFrom.getTime() - historyDays * DAY_MS)
  const rows = await trx
    .selectFrom('complaints')
    .select([
      'category',
      sql<string>`count(*) FILTER (WHERE received_at > ${windowFrom})`.as('recent'),
      sql<string>`count(*) FILTER (WHERE received_at <= ${windowFrom})`.as('before'),
      sql<Date | null>`min(received_at) FILTER (WHERE received_at > ${windowFrom})`.as('first'),
    ])
    .where('site_id', '=', site.id)
    .where('suspicion', 'is', null)
    .where('received_at', '>', from)
    .where('received_at', '<=', now)
    .groupBy('category')
    .execute()
  const group = groupOf(site, rule)
  const groups = new Map<string, { recent: number; before: number; first: Date | null }>()
  for (const row of rows) {
    const key = group(row.category)
    if (key === undefined) continue
    const sum = groups.get(key) ?? { recent: 0, before: 0, first: null }
    sum.recent += Number(row.recent)
    sum.before += Number(row.before)
    const first = row.first === null ? null : new Date(row.first)
    if (first && (sum.first === null || first < sum.first)) sum.first = first
    groups.set(key, sum)
  }
  return [...groups].map(([key, sum]) => {
    const baseline = rule.kind === 'spike' ? sum.before / historyDays : null
    const crossed =
      rule.kind === 'burst'
        ? sum.recent >= rule.count
        : sum.recent >= rule.minimum && sum.recent >= rule.factor * (baseline ?? 0)
    return { group: key, count: sum.recent, first: sum.first ?? now, baseline, crossed }
  })
}

/**
 * Check one site's rules at `now`, in one transaction. Returns the alerts it
 * raised. Safe to run in several processes at once: one open episode per
 * rule and group is kept by a unique index, and only the insert that made it
 * sends the webhook and the mail.
 *
 * @example
 * const raised = await checkAlerts(db, site.id, new Date())
 */
export async function checkAlerts(
  db: Kysely<Tables>,
  siteId: string,
  now: Date = new Date(),
): Promise<AlertRow[]> {
  return db.transaction().execute(async (trx) => {
    const site = await trx
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', siteId)
      .executeTakeFirst()
    if (!site) return []
    const rules = alertRules(site)
    const open = await trx
      .selectFrom('alerts')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('ended_at', 'is', null)
      .execute()
    const openOf = (ruleId: string, group: string) =>
      open.find((row) => row.rule_id === ruleId && row.group_key === group)
    const stillCrossed = new Set<string>()
    const raised: AlertRow[] = []
    for (const rule of rules) {
      for (const count of await countRule(trx, site, rule, now)) {
        if (!count.crossed) continue
        const episode = openOf(rule.id, count.group)
        if (episode) {
          stillCrossed.add(episode.id)
          await trx
            .updateTable('alerts')
            .set({ last_crossed_at: now, count: sql`greatest(count, ${count.count})` })
            .where('id', '=', episode.id)
            .where('ended_at', 'is', null)
            .execute()
          continue
        }
        const row = await trx
          .insertInto('alerts')
          .values({
            id: alertId(),
            site_id: siteId,
            rule_id: rule.id,
            group_key: count.group,
            rule: JSON.stringify(rule),
            count: count.count,
            baseline: count.baseline,
            window_from: count.first,
            raised_at: now,
            last_crossed_at: now,
          })
          .onConflict((conflict) =>
            conflict
              .columns(['site_id', 'rule_id', 'group_key'])
              .where('ended_at', 'is', null)
              .doNothing(),
          )
          .returningAll()
          .executeTakeFirst()
        // Another process raised it first: its transaction sends the webhook and mail.
        if (!row) continue
        raised.push(row)
        const { id, group, count: counted, baseline, windowFrom, raisedAt } = alertView(row)
        await enqueueWebhook(trx, site, 'alert.raised', {
          alertId: id,
          rule,
          group,
          count: counted,
          baseline,
          windowFrom,
          raisedAt,
        })
        // The count that crossed: the row's grows while the episode lasts.
        await enqueueTeamMail(
          trx,
          site,
          { alertId: row.id },
          { kind: 'team_alert', data: { count: counted } },
          now,
        )
      }
    }
    // Episodes not crossed now end once a whole window passed since they last
    // were; the rule's removal ends them at once.
    for (const episode of open) {
      if (stillCrossed.has(episode.id)) continue
      const rule = rules.find((candidate) => candidate.id === episode.rule_id)
      const quietSince = new Date(episode.last_crossed_at).getTime()
      if (rule && now.getTime() - quietSince < alertWindowMs(rule)) continue
      await trx
        .updateTable('alerts')
        .set({ ended_at: now })
        .where('id', '=', episode.id)
        .where('ended_at', 'is', null)
        .execute()
    }
    return raised
  })
}
