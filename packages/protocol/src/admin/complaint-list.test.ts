import { describe, expect, it } from 'vitest'
import {
  ComplaintFiltersSchema,
  ComplaintListQuerySchema,
  decodeCursor,
  LimitQuerySchema,
  parseAdmin,
} from './index'

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

/** Node's `Buffer` (the tests run in Node; the package has no Node types). */
const { Buffer } = globalThis as unknown as {
  Buffer: {
    from(text: string, encoding?: string): { toString(encoding: string): string }
  }
}

const STATUS = 'status must be one of received, in_progress, resolved, closed, reopened'
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const AT = '2026-11-23T10:00:00.000Z'

describe('ComplaintFiltersSchema (GET /complaints.csv, and the list)', () => {
  it('reads each filter, empty values as absent, as the server does', () => {
    expectRows(ComplaintFiltersSchema, [
      [{}, { value: {} }],
      [
        { status: 'received', severity: 'major', failureType: 'process', category: 'late' },
        {
          value: {
            status: 'received',
            severity: 'major',
            failureType: 'process',
            category: 'late',
          },
        },
      ],
      [
        { status: '', q: '', hasRemedy: '' },
        { value: { status: undefined, q: undefined, hasRemedy: undefined } },
      ],
      [
        { hasRemedy: 'true', pending: 'false', suspected: 'true' },
        { value: { hasRemedy: true, pending: false, suspected: true } },
      ],
      [{ q: 'Cafe\u0301', page: '/orders' }, { value: { q: 'Café', page: '/orders' } }],
      [{ q: ' x ' }, { value: { q: ' x ' } }],
      [{ other: 'ignored', limit: 'x' }, { value: {} }],
      // Hono's c.req.query() is an object without a prototype.
      [Object.assign(Object.create(null), { pending: 'true' }), { value: { pending: true } }],
      [{ status: 'done' }, ['status', STATUS]],
      [{ severity: 'huge' }, ['severity', 'severity must be one of minor, major, critical']],
      [
        { failureType: 'x' },
        ['failureType', 'failureType must be one of outcome, process, interaction'],
      ],
      [{ q: 'x'.repeat(201) }, ['q', 'q is at most 200 characters']],
      [{ q: 'x'.repeat(200) }, { value: { q: 'x'.repeat(200) } }],
      [{ q: 'a\u0000' }, ['q', 'q contains a control character (U+0000)']],
      [{ page: 'x'.repeat(201) }, ['page', 'page is at most 200 characters']],
      [{ page: 'a\nb' }, ['page', 'page contains a line break (U+000A)']],
      [{ category: '\ud800' }, ['category', 'category contains an unpaired surrogate (U+D800)']],
      [{ category: 'x'.repeat(500) }, { value: { category: 'x'.repeat(500) } }],
      [{ hasRemedy: 'yes' }, ['hasRemedy', 'hasRemedy is true or false']],
      [{ pending: 'TRUE' }, ['pending', 'pending is true or false']],
      [{ suspected: '1' }, ['suspected', 'suspected is true or false']],
    ])
  })

  it('checks in the server order: status, severity, failureType, q, page, category, then the booleans', () => {
    expectRows(ComplaintFiltersSchema, [
      [
        {
          suspected: 'x',
          category: '\u0000',
          page: 'p\u0000',
          q: 'q\u0000',
          failureType: 'x',
          severity: 'x',
          status: 'x',
        },
        ['status', STATUS],
      ],
      [
        {
          suspected: 'x',
          category: '\u0000',
          page: 'p\u0000',
          q: 'q\u0000',
          failureType: 'x',
          severity: 'x',
        },
        ['severity', 'severity must be one of minor, major, critical'],
      ],
      [
        { suspected: 'x', category: '\u0000', page: 'p\u0000', q: 'q\u0000' },
        ['q', 'q contains a control character (U+0000)'],
      ],
      [
        { suspected: 'x', category: '\u0000', page: 'p\u0000' },
        ['page', 'page contains a control character (U+0000)'],
      ],
      [
        { suspected: 'x', category: '\u0000' },
        ['category', 'category contains a control character (U+0000)'],
      ],
      [
        { suspected: 'x', pending: 'x', hasRemedy: 'x' },
        ['hasRemedy', 'hasRemedy is true or false'],
      ],
    ])
  })
})

describe('ComplaintListQuerySchema (GET /complaints)', () => {
  const LIMIT = 'limit is a whole number from 1 to 100'
  it('reads limit as Number() of the text, 25 when absent', () => {
    expectRows(ComplaintListQuerySchema, [
      [{}, { value: { limit: 25 } }],
      [{ limit: '1' }, { value: { limit: 1 } }],
      [{ limit: '100' }, { value: { limit: 100 } }],
      [{ limit: ' 7 ' }, { value: { limit: 7 } }],
      [{ limit: '1e1' }, { value: { limit: 10 } }],
      [{ limit: '0x10' }, { value: { limit: 16 } }],
      [{ limit: '5.0' }, { value: { limit: 5 } }],
      [{ limit: '' }, ['limit', LIMIT]],
      [{ limit: '0' }, ['limit', LIMIT]],
      [{ limit: '101' }, ['limit', LIMIT]],
      [{ limit: '2.5' }, ['limit', LIMIT]],
      [{ limit: 'ten' }, ['limit', LIMIT]],
      // Filters first, then limit, then cursor.
      [{ cursor: 'garbage', limit: '0', status: 'x' }, ['status', STATUS]],
      [{ cursor: 'garbage', limit: '0' }, ['limit', LIMIT]],
    ])
  })

  it('takes only cursors the server made', () => {
    expectRows(ComplaintListQuerySchema, [
      [{ cursor: '' }, { value: { limit: 25, cursor: undefined } }],
      [
        { cursor: cursorOf([AT, 'cmp_1']) },
        { value: { limit: 25, cursor: { receivedAt: AT, id: 'cmp_1' } } },
      ],
      [
        { cursor: cursorOf([AT, 'Cafe\u0301']) },
        { value: { limit: 25, cursor: { receivedAt: AT, id: 'Café' } } },
      ],
      [{ cursor: 'garbage' }, ['cursor', 'Not a cursor from this API']],
      [
        { cursor: cursorOf(['2026-11-23T10:00:00Z', 'cmp_1']) },
        ['cursor', 'Not a cursor from this API'],
      ],
      [{ cursor: cursorOf(['1', 'cmp_1']) }, ['cursor', 'Not a cursor from this API']],
      [{ cursor: cursorOf([AT, 'cmp_\u0000']) }, ['cursor', 'Not a cursor from this API']],
      [{ cursor: cursorOf([AT, 1]) }, ['cursor', 'Not a cursor from this API']],
      [{ cursor: cursorOf([AT, 'a', 'b']) }, ['cursor', 'Not a cursor from this API']],
    ])
  })

  it('decodes base64 as leniently as Node’s Buffer, without Buffer', () => {
    const text = cursorOf([AT, 'cmp_1'])
    const node = (input: string) => {
      try {
        const value = JSON.parse(Buffer.from(input, 'base64url').toString('utf8'))
        return Array.isArray(value) && new Date(value[0]).toISOString() === value[0]
          ? { receivedAt: value[0], id: value[1] }
          : undefined
      } catch {
        return undefined
      }
    }
    for (const input of [
      text,
      `${text}==`,
      `${text.slice(0, 5)} $é${text.slice(5)}`,
      `${text.slice(0, 8)}=${text.slice(8)}`,
      Buffer.from(JSON.stringify([AT, 'a'])).toString('base64'),
      Buffer.from(`\ufeff${JSON.stringify([AT, 'a'])}`).toString('base64url'),
      `\u0159${text.slice(1)}`,
      `😀${text}`,
    ]) {
      expect(decodeCursor(input), input).toEqual(node(input))
    }
  })
})

describe('LimitQuerySchema (GET /site/changes, GET /webhooks/{id}/deliveries)', () => {
  it('is the list’s limit', () => {
    expectRows(LimitQuerySchema, [
      [{}, { value: { limit: 25 } }],
      [{ limit: '50', cursor: 'x' }, { value: { limit: 50 } }],
      [{ limit: '-1' }, ['limit', 'limit is a whole number from 1 to 100']],
    ])
  })
})
