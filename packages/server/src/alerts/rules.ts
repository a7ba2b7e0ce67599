/**
 * @module A site's early-warning rules, and what each counts: which group
 * (the whole site, a category, a failure type) a complaint falls in.
 */
import { type AlertRule, type AlertView, DEFAULT_ALERT_RULES } from '@redress/protocol/admin'
import { iso } from '../complaints'
import type { AlertRow, Site } from '../db/schema'
import { effectivePolicy, failureTypeOf } from '../recovery'

/**
 * The rules in force for a site: its own, or the defaults when it set none.
 *
 * @example
 * alertRules({ alerts: null })[0].kind // 'burst'
 * alertRules({ alerts: [] })           // []: early warning off
 */
export const alertRules = (site: Pick<Site, 'alerts'>): AlertRule[] =>
  site.alerts ?? [...DEFAULT_ALERT_RULES]

/**
 * The group of the categories the site does not list. A complaint may name
 * any category (it is kept as sent), so counting each unknown one on its
 * own would let anyone open as many episodes, and mail the team as often,
 * as they make up names.
 */
export const OTHER_CATEGORIES = '*'

/**
 * A function telling which group of `rule` a category's complaints fall in
 * (`''` for the whole site; `OTHER_CATEGORIES` for the categories the site
 * does not list), or `undefined` when the rule does not count them.
 *
 * @example
 * groupOf(site, { id: 'a', kind: 'burst', by: 'failureType', count: 5, withinMinutes: 60 })('delivery') // 'process'
 */
export function groupOf(
  site: Pick<Site, 'categories' | 'policy'>,
  rule: Pick<AlertRule, 'by' | 'only'>,
): (category: string) => string | undefined {
  if (rule.by === 'site') return () => ''
  const keep = (group: string) =>
    rule.only === undefined || rule.only === group ? group : undefined
  const policy = effectivePolicy(site)
  if (rule.by === 'category')
    // Own keys only: a category may be called `constructor`.
    return (category) =>
      keep(Object.hasOwn(policy.categories, category) ? category : OTHER_CATEGORIES)
  return (category) => keep(failureTypeOf(policy, category))
}

/**
 * An alert as the admin API shows it.
 *
 * @example
 * const view = alertView(row) // { id: 'alt_…', rule, group: 'delivery', count: 6, … }
 */
export function alertView(row: AlertRow): AlertView {
  const time = (value: Date | string) => iso(value)
  return {
    id: row.id,
    rule: row.rule,
    group: row.group_key === '' ? null : row.group_key,
    count: Number(row.count),
    baseline: row.baseline === null ? null : Number(row.baseline),
    windowFrom: time(row.window_from),
    raisedAt: time(row.raised_at),
    lastCrossedAt: time(row.last_crossed_at),
    endedAt: row.ended_at === null ? null : time(row.ended_at),
    dismissedAt: row.dismissed_at === null ? null : time(row.dismissed_at),
  }
}
