import { describe, expect, it } from 'vitest'
import { CouponCodeParamsSchema, couponCsvSchema, parseAdmin } from './index'

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

describe('CouponCodeParamsSchema (DELETE /coupon-pool/{code})', () => {
  it('checks the code without normalising it', () => {
    expectRows(CouponCodeParamsSchema, [
      [{ code: 'SAVE5' }, { value: { code: 'SAVE5' } }],
      [{ code: 'Cafe\u0301' }, { value: { code: 'Cafe\u0301' } }],
      [{ code: 'S\u00005' }, ['code', 'code contains a control character (U+0000)']],
    ])
  })
})

describe('couponCsvSchema (POST /coupon-pool)', () => {
  const now = new Date('2026-06-01T00:00:00Z')
  const schema = couponCsvSchema(() => now)
  const HEADER =
    'The first line must be the header code,value,expires_at (expires_at may be left out)'
  it('reads codes, values and expiries', () => {
    expectRows(schema, [
      [
        'code,value,expires_at\nSAVE5-A1,500,2026-12-31\r\n\nSAVE5-A2,500,\n"A,B",700,2026-12-31T18:00:00+02:00\n',
        {
          value: [
            { code: 'SAVE5-A1', value: 500, expiresAt: new Date('2026-12-31T23:59:59.999Z') },
            { code: 'SAVE5-A2', value: 500, expiresAt: null },
            { code: 'A,B', value: 700, expiresAt: new Date('2026-12-31T16:00:00Z') },
          ],
        },
      ],
      ['\ufeff\n CODE , Value \nX,1', { value: [{ code: 'X', value: 1, expiresAt: null }] }],
    ])
  })

  it('refuses the whole file, naming up to 10 bad lines, with no field', () => {
    expectRows(schema, [
      ['', ['', HEADER]],
      ['code\nX', ['', HEADER]],
      ['code,value,x\nX,1', ['', HEADER]],
      ['code,value\n\n', ['', 'No codes: send one code per line after the header']],
      [
        `code,value\n${'X,1\n'.repeat(10_001)}`,
        ['', 'At most 10000 codes per upload (this one has 10001): split the file'],
      ],
      [
        'code,value\nSAVE\u00005,500\n',
        ['', '1 bad line, nothing was stored: line 2: code contains a control character (U+0000)'],
      ],
      [
        'code,value,expires_at\n"open,1\nA B,1\nA,1.5\nB,1,2026-02-30\nC,1,2026-05-31\nD,1,2026-12-31T18:00:00\nE,1\nE,1\nF\nG,1,2,3',
        [
          '',
          '9 bad lines, nothing was stored: line 2: a quote is not closed; ' +
            'line 3: code must be 1–64 characters without spaces; ' +
            'line 4: value must be a whole number of minor units above 0 (e.g. 500), not "1.5"; ' +
            'line 5: expires_at 2026-02-30 is not a date; ' +
            'line 6: expires_at 2026-05-31 is in the past; ' +
            'line 7: expires_at must be an ISO 8601 date (2026-12-31) or date and time with a zone (2026-12-31T18:00:00Z), or empty; ' +
            'line 9: code E is also on line 8; ' +
            'line 10: expected code,value,expires_at, found 1 cells; ' +
            'line 11: expected code,value,expires_at, found 4 cells',
        ],
      ],
      [
        `code,value\n${'x,0\n'.repeat(12)}`,
        [
          '',
          `12 bad lines, nothing was stored: ${Array.from(
            { length: 10 },
            (_, i) =>
              `line ${i + 2}: value must be a whole number of minor units above 0 (e.g. 500), not "0"`,
          ).join('; ')}; and 2 more`,
        ],
      ],
    ])
  })
})
