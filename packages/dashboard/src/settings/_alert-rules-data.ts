/**
 * @module The early-warning rules as the Settings form holds them: a draft per
 * rule with its numbers as typed, the rules to send with the problems found
 * before sending (the bounds of the protocol's `ALERT_LIMITS`), a fresh rule
 * id, and where a refusal of the server belongs.
 */
import { ALERT_LIMITS, DEFAULT_ALERT_RULES } from '@redress/protocol/admin'
import type { AlertRule, AlertScope } from '../lib/types'
import { indexedField } from './_settings-data'

export type RuleKind = AlertRule['kind']
export type NumberKey = 'count' | 'withinMinutes' | 'factor' | 'minimum' | 'baselineDays'

/** The numbers of each kind of rule, in the order the form shows them. */
export const RULE_NUMBERS: Record<RuleKind, readonly NumberKey[]> = {
  burst: ['count', 'withinMinutes'],
  spike: ['factor', 'minimum', 'baselineDays'],
}

export { ALERT_LIMITS }

/** The most rules a site keeps. */
export const MAX_RULES = ALERT_LIMITS.rules

/** Only a spike's factor may have decimals (`AlertRulesSchema`). */
export const isWhole = (key: NumberKey) => key !== 'factor'

export interface RuleDraft {
  /** Names the rule's fields in the page; not sent. */
  key: string
  /** Kept as it was: an alert belongs to its rule's id. */
  id: string
  kind: RuleKind
  by: AlertScope
  /** One category id or failure type; empty: each one on its own. */
  only: string
  /** Both kinds' numbers as typed, so switching the kind back finds them again. */
  numbers: Record<NumberKey, string>
}

const numbersOf = (rule: AlertRule): Partial<Record<NumberKey, number>> =>
  rule.kind === 'burst'
    ? { count: rule.count, withinMinutes: rule.withinMinutes }
    : { factor: rule.factor, minimum: rule.minimum, baselineDays: rule.baselineDays }

/** The default rules' numbers: what a new rule, or the other kind of a rule, starts from. */
const DEFAULT_NUMBERS = Object.assign({}, ...DEFAULT_ALERT_RULES.map(numbersOf)) as Record<
  NumberKey,
  number
>

let drafts = 0

function draftOf(rule: AlertRule): RuleDraft {
  const numbers = { ...DEFAULT_NUMBERS, ...numbersOf(rule) }
  return {
    key: `alert-rule-${++drafts}`,
    id: rule.id,
    kind: rule.kind,
    by: rule.by,
    only: rule.only ?? '',
    numbers: Object.fromEntries(
      Object.entries(numbers).map(([key, value]) => [key, String(value)]),
    ) as Record<NumberKey, string>,
  }
}

export const ruleDrafts = (rules: readonly AlertRule[]): RuleDraft[] => rules.map(draftOf)

/**
 * A new rule: a burst counting each category, with the default numbers, and
 * an id no rule in `drafts` has (`rule-3` as the third).
 */
export function newRuleDraft(existing: readonly RuleDraft[]): RuleDraft {
  const used = new Set(existing.map((draft) => draft.id))
  let n = existing.length + 1
  while (used.has(`rule-${n}`)) n++
  return draftOf({
    id: `rule-${n}`,
    kind: 'burst',
    by: 'category',
    count: DEFAULT_NUMBERS.count,
    withinMinutes: DEFAULT_NUMBERS.withinMinutes,
  })
}

/** A typed number, or `null` when it is not one between the bounds of `key`. */
export function typedNumber(key: NumberKey, text: string): number | null {
  const [min, max] = ALERT_LIMITS[key]
  const value = Number(text.trim())
  if (text.trim() === '' || !Number.isFinite(value)) return null
  if (isWhole(key) && !Number.isInteger(value)) return null
  return value >= min && value <= max ? value : null
}

/**
 * The rules to send, and the problems found in the drafts, keyed
 * `<draft key>.<number>` (with `problem(key)` as the message): nothing is
 * sent while there is one.
 */
export function rulesOf(
  sent: readonly RuleDraft[],
  problem: (key: NumberKey) => string,
): { rules: AlertRule[]; problems: Record<string, string> } {
  const problems: Record<string, string> = {}
  const rules = sent.map((draft): AlertRule => {
    const numbers: Partial<Record<NumberKey, number>> = {}
    for (const key of RULE_NUMBERS[draft.kind]) {
      const value = typedNumber(key, draft.numbers[key])
      if (value === null) problems[`${draft.key}.${key}`] = problem(key)
      else numbers[key] = value
    }
    const base = {
      id: draft.id,
      by: draft.by,
      ...(draft.by !== 'site' && draft.only ? { only: draft.only } : {}),
    }
    const n = numbers as Record<NumberKey, number>
    return draft.kind === 'burst'
      ? { ...base, kind: 'burst', count: n.count, withinMinutes: n.withinMinutes }
      : {
          ...base,
          kind: 'spike',
          factor: n.factor,
          minimum: n.minimum,
          baselineDays: n.baselineDays,
        }
  })
  return { rules, problems }
}

const PLACED = ['kind', 'by', 'only', 'count', 'withinMinutes', 'factor', 'minimum', 'baselineDays']

/**
 * Where the server's refusal of `alerts[i].<field>` goes among the rules
 * sent: beside that field of rule i, or on the rule as a whole (its id, an
 * unknown field); one about `alerts` itself goes above the rules.
 */
export function placeRuleError(
  sent: readonly RuleDraft[],
  field: string,
  message: string,
): { key: string; message: string } | null {
  const indexed = indexedField(field, 'alerts')
  const draft = indexed ? sent[indexed.index] : undefined
  if (draft) {
    const rest = indexed!.rest
    return { key: PLACED.includes(rest) ? `${draft.key}.${rest}` : draft.key, message }
  }
  return field === 'alerts' ? { key: 'alerts', message } : null
}
