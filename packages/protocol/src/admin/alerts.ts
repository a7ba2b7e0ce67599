/**
 * @module Early warning in the admin API: the site's alert rules (`PATCH
 * /v1/admin/site` `{ alerts }`), and the alerts they raised as `GET
 * /v1/admin/alerts` lists them.
 */
import * as v from 'valibot'
import { FAILURE_TYPES, type FailureType } from '../index'
import { booleanQuery, limit } from './_query'
import { isRecord, items, ported, Refusal } from './_valid'
import { CATEGORY_ID } from './policy'

/**
 * What a rule counts: all the site's complaints together (`site`), or each
 * category or each failure type on its own, so that one category's burst
 * raises its own alert.
 */
export type AlertScope = 'site' | 'category' | 'failureType'

/** What every rule says: its id, and which complaints it counts. */
interface AlertRuleBase {
  /** 1–64 of a-z, 0-9, `_` and `-`, unique in the site: an alert's episode belongs to its rule's id. */
  id: string
  /** @default 'site' */
  by: AlertScope
  /**
   * With `by: 'category'` or `'failureType'`: count only this category id
   * or failure type. Absent: each one is counted on its own.
   */
  only?: string | undefined
}

/**
 * A burst: at least `count` complaints in any `withinMinutes` minutes.
 *
 * @example
 * const rule: BurstRule = { id: 'deliveries', kind: 'burst', by: 'category', only: 'delivery', count: 5, withinMinutes: 60 }
 */
export interface BurstRule extends AlertRuleBase {
  kind: 'burst'
  /** 2–10000. */
  count: number
  /** 1–1440. */
  withinMinutes: number
}

/**
 * A spike: the last 24 hours hold at least `factor` times the complaints of
 * an average day of the `baselineDays` days before them, and at least `minimum`.
 *
 * @example
 * const rule: SpikeRule = { id: 'spike', kind: 'spike', by: 'site', factor: 3, minimum: 10, baselineDays: 7 }
 */
export interface SpikeRule extends AlertRuleBase {
  kind: 'spike'
  /** 1.5–100. */
  factor: number
  /** 1–100000: fewer complaints never raise it, however quiet the days before. */
  minimum: number
  /** 1–28. */
  baselineDays: number
}

/** One early-warning rule of a site. */
export type AlertRule = BurstRule | SpikeRule

/**
 * The rules of a site that set none: five complaints of one category within
 * an hour, and a day with three times the complaints of an average day of
 * the week before (at least ten).
 */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { id: 'burst', kind: 'burst', by: 'category', count: 5, withinMinutes: 60 },
  { id: 'spike', kind: 'spike', by: 'site', factor: 3, minimum: 10, baselineDays: 7 },
]

/** The bounds of a rule's numbers, and how many rules a site may keep. */
export const ALERT_LIMITS = {
  rules: 20,
  count: [2, 10_000],
  withinMinutes: [1, 1440],
  factor: [1.5, 100],
  minimum: [1, 100_000],
  baselineDays: [1, 28],
} as const

/**
 * How long an episode stays open after its rule was last crossed, in
 * milliseconds: a burst's window, or a spike's day. A rule crossed again
 * before that is the same episode; after it, a new alert.
 *
 * @example
 * alertWindowMs({ id: 'a', kind: 'burst', by: 'site', count: 5, withinMinutes: 60 }) // 3600000
 */
export const alertWindowMs = (rule: AlertRule): number =>
  rule.kind === 'burst' ? rule.withinMinutes * 60_000 : 86_400_000

/** One alert: an episode of one rule crossed, for one category or failure type or the whole site. */
export interface AlertView {
  /** `alt_…` */
  id: string
  /** The rule as it was when the alert was raised. */
  rule: AlertRule
  /** The category id or failure type it counted; `null` for the whole site. */
  group: string | null
  /** The complaints counted when it was raised, or the most since, while it was open. */
  count: number
  /** A spike's average complaints per day before it; `null` for a burst. */
  baseline: number | null
  /** Where the window that crossed the rule began. */
  windowFrom: string
  raisedAt: string
  /** The last time the rule was found crossed. */
  lastCrossedAt: string
  /** When the episode ended (the rule not crossed for a whole window); `null` while open. */
  endedAt: string | null
  /** When someone in the inbox put it away. */
  dismissedAt: string | null
}

/** `GET /v1/admin/alerts`: newest first. */
export interface AlertPage {
  items: AlertView[]
}

const RULE_KEYS = {
  burst: ['id', 'kind', 'by', 'only', 'count', 'withinMinutes'],
  spike: ['id', 'kind', 'by', 'only', 'factor', 'minimum', 'baselineDays'],
} as const
const SCOPES: readonly AlertScope[] = ['site', 'category', 'failureType']

/** A number of the rule between the bounds of `ALERT_LIMITS`, whole unless `factor`. */
function bounded(
  rule: Record<string, unknown>,
  key: 'count' | 'withinMinutes' | 'factor' | 'minimum' | 'baselineDays',
): number {
  const [min, max] = ALERT_LIMITS[key]
  const value = rule[key]
  const whole = key !== 'factor'
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (whole && !Number.isInteger(value)) ||
    value < min ||
    value > max
  )
    throw new Refusal(`${key} is ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`, [
      key,
    ])
  return value
}

/** One rule, checked; `earlier` are the ones before it. */
function readRule(input: unknown, earlier: readonly unknown[]): AlertRule {
  if (!isRecord(input))
    throw new Refusal('A rule is { id, kind: "burst" | "spike", by?, only?, … }')
  const kind = input.kind
  if (kind !== 'burst' && kind !== 'spike') throw new Refusal('kind is burst or spike', ['kind'])
  const unknown = Object.keys(input).find(
    (key) => !(RULE_KEYS[kind] as readonly string[]).includes(key),
  )
  if (unknown !== undefined) throw new Refusal(`Unknown field ${unknown}`, [unknown])
  const id = input.id
  if (typeof id !== 'string' || !CATEGORY_ID.test(id))
    throw new Refusal('id is 1–64 of a-z, 0-9, _ and -', ['id'])
  if (earlier.some((rule) => isRecord(rule) && rule.id === id))
    throw new Refusal(`Duplicate rule id ${id}`, ['id'])
  const by = input.by ?? 'site'
  if (!SCOPES.includes(by as AlertScope))
    throw new Refusal(`by is one of ${SCOPES.join(', ')}`, ['by'])
  let only: string | undefined
  if (input.only !== undefined && input.only !== null) {
    if (by === 'site') throw new Refusal('only needs by: category or failureType', ['only'])
    if (by === 'failureType' && !FAILURE_TYPES.includes(input.only as FailureType))
      throw new Refusal(`only is one of ${FAILURE_TYPES.join(', ')}`, ['only'])
    if (by === 'category' && (typeof input.only !== 'string' || !CATEGORY_ID.test(input.only)))
      throw new Refusal('only is a category id', ['only'])
    only = input.only as string
  }
  const base = { id, by: by as AlertScope, ...(only === undefined ? {} : { only }) }
  return kind === 'burst'
    ? {
        ...base,
        kind,
        count: bounded(input, 'count'),
        withinMinutes: bounded(input, 'withinMinutes'),
      }
    : {
        ...base,
        kind,
        factor: bounded(input, 'factor'),
        minimum: bounded(input, 'minimum'),
        baselineDays: bounded(input, 'baselineDays'),
      }
}

/**
 * `alerts` of `PATCH /v1/admin/site` (`null` there restores the defaults,
 * `[]` turns early warning off): at most 20 rules, each a burst `{ id, kind:
 * 'burst', by?, only?, count: 2–10000, withinMinutes: 1–1440 }` or a spike
 * `{ id, kind: 'spike', by?, only?, factor: 1.5–100, minimum: 1–100000,
 * baselineDays: 1–28 }`; `by` is `site` (default), `category` or
 * `failureType`, `only` one category id or failure type of it. The output
 * is `AlertRule[]`.
 *
 * @example
 * parseAdmin(SitePatchSchema, { alerts: [{ id: 'a', kind: 'burst', count: 1, withinMinutes: 10 }] })
 * // { ok: false, message: 'count is a whole number from 2 to 10000', field: 'alerts[0].count' }
 */
export const AlertRulesSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<unknown[]>(Array.isArray, 'alerts is an array of rules, or null'),
    v.maxLength(ALERT_LIMITS.rules, `alerts holds at most ${ALERT_LIMITS.rules} rules`),
    items('alerts', (_field, _index, earlier) =>
      v.pipe(
        v.unknown(),
        ported((input: unknown) => readRule(input, earlier)),
      ),
    ),
  ))()

/**
 * `GET /v1/admin/alerts`: `dismissed` (`true`, `false`, or empty/absent for
 * all) and `limit` (1–100, default 25), from `c.req.query()`.
 *
 * @example
 * parseAdmin(AlertQuerySchema, { dismissed: 'false' }) // { ok: true, value: { dismissed: false, limit: 25 } }
 */
export const AlertQuerySchema = /* @__PURE__ */ (() =>
  v.object({ dismissed: booleanQuery('dismissed'), limit }, 'Send the query as an object'))()
/** What a client puts in the query string of the alert list. */
export type AlertQuery = v.InferInput<typeof AlertQuerySchema>
