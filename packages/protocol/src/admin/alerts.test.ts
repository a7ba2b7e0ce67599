import { describe, expect, it } from 'vitest'
import {
  AlertQuerySchema,
  type AlertRule,
  alertWindowMs,
  DEFAULT_ALERT_RULES,
  parseAdmin,
  SitePatchSchema,
} from './index'

const alerts = (value: unknown) => parseAdmin(SitePatchSchema, { alerts: value })
const refusal = (value: unknown) => {
  const result = alerts(value)
  return result.ok ? result : [result.field, result.message]
}

describe('AlertRulesSchema (PATCH /site { alerts })', () => {
  it('takes bursts and spikes, `by` defaulting to the whole site', () => {
    const rules = [
      { id: 'late', kind: 'burst', by: 'category', only: 'delivery', count: 5, withinMinutes: 60 },
      { id: 'day', kind: 'spike', factor: 2.5, minimum: 10, baselineDays: 7 },
    ]
    expect(alerts(rules)).toEqual({
      ok: true,
      value: {
        alerts: [rules[0], { ...rules[1], by: 'site' }],
      },
    })
    expect(alerts(null)).toEqual({ ok: true, value: { alerts: null } })
    expect(alerts([])).toEqual({ ok: true, value: { alerts: [] } })
    expect(alerts([...DEFAULT_ALERT_RULES])).toEqual({
      ok: true,
      value: { alerts: DEFAULT_ALERT_RULES },
    })
  })

  it('refuses a rule it could not keep, naming the field', () => {
    const burst = { id: 'a', kind: 'burst', count: 5, withinMinutes: 60 }
    expect(refusal('x')).toEqual(['alerts', 'alerts is an array of rules, or null'])
    expect(refusal([1])).toEqual([
      'alerts[0]',
      'A rule is { id, kind: "burst" | "spike", by?, only?, … }',
    ])
    expect(refusal([{ ...burst, kind: 'storm' }])).toEqual([
      'alerts[0].kind',
      'kind is burst or spike',
    ])
    expect(refusal([{ ...burst, factor: 2 }])).toEqual(['alerts[0].factor', 'Unknown field factor'])
    expect(refusal([{ ...burst, id: 'A B' }])).toEqual([
      'alerts[0].id',
      'id is 1–64 of a-z, 0-9, _ and -',
    ])
    expect(refusal([burst, burst])).toEqual(['alerts[1].id', 'Duplicate rule id a'])
    expect(refusal([{ ...burst, by: 'page' }])).toEqual([
      'alerts[0].by',
      'by is one of site, category, failureType',
    ])
    expect(refusal([{ ...burst, only: 'delivery' }])).toEqual([
      'alerts[0].only',
      'only needs by: category or failureType',
    ])
    expect(refusal([{ ...burst, by: 'failureType', only: 'late' }])).toEqual([
      'alerts[0].only',
      'only is one of outcome, process, interaction',
    ])
    expect(refusal([{ ...burst, count: 1 }])).toEqual([
      'alerts[0].count',
      'count is a whole number from 2 to 10000',
    ])
    expect(refusal([{ ...burst, withinMinutes: 1.5 }])).toEqual([
      'alerts[0].withinMinutes',
      'withinMinutes is a whole number from 1 to 1440',
    ])
    expect(refusal([{ id: 's', kind: 'spike', factor: 1.2, minimum: 5, baselineDays: 7 }])).toEqual(
      ['alerts[0].factor', 'factor is a number from 1.5 to 100'],
    )
    expect(refusal(Array.from({ length: 21 }, (_, i) => ({ ...burst, id: `r${i}` })))).toEqual([
      'alerts',
      'alerts holds at most 20 rules',
    ])
  })

  it('keeps an episode open for a burst’s window or a spike’s day', () => {
    const burst: AlertRule = { id: 'a', kind: 'burst', by: 'site', count: 5, withinMinutes: 15 }
    expect(alertWindowMs(burst)).toBe(15 * 60_000)
    expect(alertWindowMs(DEFAULT_ALERT_RULES[1]!)).toBe(86_400_000)
  })
})

describe('AlertQuerySchema (GET /alerts)', () => {
  it('reads dismissed and limit', () => {
    expect(parseAdmin(AlertQuerySchema, {})).toEqual({ ok: true, value: { limit: 25 } })
    expect(parseAdmin(AlertQuerySchema, { dismissed: 'false', limit: '5' })).toEqual({
      ok: true,
      value: { dismissed: false, limit: 5 },
    })
    expect(parseAdmin(AlertQuerySchema, { dismissed: 'no' })).toMatchObject({
      ok: false,
      field: 'dismissed',
    })
  })
})
