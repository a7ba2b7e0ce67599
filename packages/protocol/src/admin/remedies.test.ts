import { describe, expect, it } from 'vitest'
import { ApproveBodySchema, parseAdmin, RemedyHeadersSchema, RemedyRequestSchema } from './index'

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

describe('RemedyRequestSchema (POST /complaints/{id}/recoveries)', () => {
  const VALUE = 'value is a whole number of minor units above 0'
  it('accepts each kind with what it may carry, trimmed and NFC', () => {
    expectRows(RemedyRequestSchema, [
      [{ kind: 'coupon', value: 1500 }, { value: { kind: 'coupon', value: 1500 } }],
      [
        { kind: 'coupon', value: 1500, label: ' {amount} off ' },
        { value: { kind: 'coupon', value: 1500, label: '{amount} off' } },
      ],
      [{ kind: 'refund', value: 1 }, { value: { kind: 'refund', value: 1 } }],
      [{ kind: 'replacement' }, { value: { kind: 'replacement' } }],
      [
        { kind: 'replacement', value: 2000, message: 'A new one.' },
        { value: { kind: 'replacement', value: 2000, message: 'A new one.' } },
      ],
      [
        { kind: 'apology', message: ' Sorry,\ncafe\u0301. ' },
        { value: { kind: 'apology', message: 'Sorry,\ncafé.' } },
      ],
      [{ kind: 'correction' }, { value: { kind: 'correction' } }],
      [
        { kind: 'escalation', contactWithin: 'PT1H' },
        { value: { kind: 'escalation', contactWithin: 'PT1H' } },
      ],
      [
        { kind: 'escalation', contactWithin: 'P1M' },
        { value: { kind: 'escalation', contactWithin: 'P1M' } },
      ],
    ])
  })

  it('refuses with the server’s message and field, in its order', () => {
    expectRows(RemedyRequestSchema, [
      [[], ['', 'Send a JSON object { kind, value?, message?, label?, contactWithin? }']],
      [null, ['', 'Send a JSON object { kind, value?, message?, label?, contactWithin? }']],
      [{ kind: 'apology', extra: 1 }, ['extra', 'Unknown field extra']],
      [{ kind: 'cash', extra: 1 }, ['extra', 'Unknown field extra']],
      [
        {},
        [
          'kind',
          'kind must be one of apology, coupon, refund, replacement, correction, escalation',
        ],
      ],
      [
        { kind: 'cash', value: 100 },
        [
          'kind',
          'kind must be one of apology, coupon, refund, replacement, correction, escalation',
        ],
      ],
      [
        { kind: 'coupon' },
        ['value', "A coupon needs a value (minor units of the policy's currency)"],
      ],
      [
        { kind: 'refund', message: 'x' },
        ['value', "A refund needs a value (minor units of the policy's currency)"],
      ],
      [{ kind: 'refund', value: 0 }, ['value', VALUE]],
      [{ kind: 'refund', value: 12.5 }, ['value', VALUE]],
      [{ kind: 'coupon', value: '100' }, ['value', VALUE]],
      [{ kind: 'coupon', value: null }, ['value', VALUE]],
      [{ kind: 'coupon', value: 2 ** 53 }, ['value', VALUE]],
      [{ kind: 'replacement', value: -1 }, ['value', VALUE]],
      [{ kind: 'apology', value: 100 }, ['value', 'A apology costs nothing: send no value']],
      [{ kind: 'escalation', value: 'x' }, ['value', 'A escalation costs nothing: send no value']],
      [
        { kind: 'correction', value: null, message: '' },
        ['value', 'A correction costs nothing: send no value'],
      ],
      [{ kind: 'apology', message: '   ' }, ['message', 'message is 1–2000 characters']],
      [{ kind: 'apology', message: 'x'.repeat(2001) }, ['message', 'message is 1–2000 characters']],
      [
        { kind: 'apology', message: '\ud800' },
        ['message', 'message contains an unpaired surrogate (U+D800)'],
      ],
      [
        { kind: 'coupon', value: 100, message: 'hi' },
        ['message', 'A coupon has a label, not a message'],
      ],
      [{ kind: 'coupon', value: 100, message: 7 }, ['message', 'message is 1–2000 characters']],
      [
        { kind: 'coupon', value: 100, label: 'a\nb' },
        ['label', 'label contains a line break (U+000A)'],
      ],
      [
        { kind: 'coupon', value: 100, label: 'x'.repeat(201) },
        ['label', 'label is 1–200 characters'],
      ],
      [{ kind: 'refund', value: 100, label: 'x' }, ['label', 'Only a coupon has a label']],
      [{ kind: 'refund', value: 100, label: '' }, ['label', 'label is 1–200 characters']],
      [
        { kind: 'apology', contactWithin: 'PT1H' },
        ['contactWithin', 'Only an escalation has contactWithin'],
      ],
      [
        { kind: 'apology', contactWithin: 5 },
        ['contactWithin', 'Only an escalation has contactWithin'],
      ],
      [
        { kind: 'escalation', contactWithin: 'soon' },
        ['contactWithin', 'contactWithin is an ISO 8601 duration such as PT2H'],
      ],
      [
        { kind: 'escalation', contactWithin: 2 },
        ['contactWithin', 'contactWithin is an ISO 8601 duration such as PT2H'],
      ],
    ])
  })
})

describe('RemedyHeadersSchema (Idempotency-Key of a remedy)', () => {
  const KEY = 'Idempotency-Key is 1–255 characters'
  it('checks the key without normalising it', () => {
    expectRows(RemedyHeadersSchema, [
      [{}, { value: {} }],
      [{ idempotencyKey: 'Cafe\u0301' }, { value: { idempotencyKey: 'Cafe\u0301' } }],
      [{ idempotencyKey: '' }, ['idempotencyKey', KEY]],
      [{ idempotencyKey: 'k'.repeat(256) }, ['idempotencyKey', KEY]],
      [
        { idempotencyKey: '\u0085' },
        ['idempotencyKey', 'idempotencyKey contains a control character (U+0085)'],
      ],
    ])
  })
})

describe('ApproveBodySchema (POST /recoveries/{id}/approve)', () => {
  const VALUE = 'value is a positive whole number of minor units'
  it('reads only value, from any JSON', () => {
    expectRows(ApproveBodySchema, [
      [undefined, { value: {} }],
      [null, { value: {} }],
      [{}, { value: {} }],
      ['text', { value: {} }],
      [[1], { value: {} }],
      [{ other: 1 }, { value: {} }],
      [{ value: 1200 }, { value: { value: 1200 } }],
      [{ value: 0 }, ['value', VALUE]],
      [{ value: 1.5 }, ['value', VALUE]],
      [{ value: '5' }, ['value', VALUE]],
      [{ value: null }, ['value', VALUE]],
    ])
  })
})
