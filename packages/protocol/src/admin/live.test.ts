import { describe, expect, it } from 'vitest'
import { InsightsQuerySchema, LiveQuerySchema, parseAdmin } from './index'

// Each row: the input, then what the server answers today: the checked value,
// or [field, message] of its 400 (field '' is the whole body).
type Row = [input: unknown, expected: { value: unknown } | [field: string, message: string]]
const expectRows = (schema: Parameters<typeof parseAdmin>[0], rows: Row[]) => {
  for (const [input, expected] of rows) {
    const result = parseAdmin(schema, input)
    expect(result, JSON.stringify(input)).toEqual(
      Array.isArray(expected)
        ? { ok: false, field: expected[0], message: expected[1] }
        : { ok: true, value: expected.value },
    )
  }
}

describe('LiveQuerySchema (GET /stream)', () => {
  it('resumes after Last-Event-ID, else ?after=', () => {
    expectRows(LiveQuerySchema, [
      [{}, { value: { after: undefined } }],
      [{ after: ' 42 ' }, { value: { after: 42n } }],
      [{ 'Last-Event-ID': '7', after: 'x' }, { value: { after: 7n } }],
      [{ 'Last-Event-ID': '', after: '9' }, { value: { after: undefined } }],
      [{ after: '' }, { value: { after: undefined } }],
      [{ after: '123456789012345678' }, { value: { after: 123456789012345678n } }],
      [{ after: '1234567890123456789' }, ['after', 'after is an event id from this stream']],
      [{ after: '-1' }, ['after', 'after is an event id from this stream']],
      [
        { 'Last-Event-ID': 'x', after: '1' },
        ['Last-Event-ID', 'Last-Event-ID is an event id from this stream'],
      ],
    ])
  })
})

describe('InsightsQuerySchema (GET /insights)', () => {
  const DAYS = 'days is a whole number from 7 to 365'
  it('takes 7–365 days, 30 by default', () => {
    expectRows(InsightsQuerySchema, [
      [{}, { value: { days: 30 } }],
      [{ days: '7' }, { value: { days: 7 } }],
      [{ days: '007' }, { value: { days: 7 } }],
      [{ days: '365' }, { value: { days: 365 } }],
      [{ days: '' }, ['days', DAYS]],
      [{ days: '6' }, ['days', DAYS]],
      [{ days: '366' }, ['days', DAYS]],
      [{ days: '0030' }, ['days', DAYS]],
      [{ days: ' 30' }, ['days', DAYS]],
      [{ days: '1e1' }, ['days', DAYS]],
    ])
  })
})
