import { describe, expect, it } from 'vitest'
import {
  ComplaintPatchSchema,
  IdParamsSchema,
  parseAdmin,
  ReplyBodySchema,
  ReplyHeadersSchema,
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

const STATUS = 'status must be one of received, in_progress, resolved, closed, reopened'

describe('IdParamsSchema (route {id})', () => {
  it('refuses control characters and normalises', () => {
    expectRows(IdParamsSchema, [
      [{ id: 'cmp_1' }, { value: { id: 'cmp_1' } }],
      [{ id: 'Cafe\u0301' }, { value: { id: 'Café' } }],
      [{ id: 'cmp_\u0000' }, ['id', 'id contains a control character (U+0000)']],
      [{ id: 'rec_\u0085' }, ['id', 'id contains a control character (U+0085)']],
    ])
  })
})

describe('ComplaintPatchSchema (PATCH /complaints/{id})', () => {
  const ASSIGNEE = 'assignee is a name of 1–200 characters, or null'
  it('accepts and normalises what the server stores', () => {
    expectRows(ComplaintPatchSchema, [
      [{ status: 'resolved' }, { value: { status: 'resolved' } }],
      [{ assignee: ' Ana ' }, { value: { assignee: 'Ana' } }],
      [{ assignee: '\u212bsa', force: true }, { value: { assignee: 'Åsa', force: true } }],
      [
        { assignee: null, rootCause: null, recoveryAppropriate: null },
        { value: { assignee: null, rootCause: null, recoveryAppropriate: null } },
      ],
      [
        { rootCause: 'third_party', recoveryAppropriate: false },
        { value: { rootCause: 'third_party', recoveryAppropriate: false } },
      ],
      [{ assignee: 'x'.repeat(200) }, { value: { assignee: 'x'.repeat(200) } }],
    ])
  })

  it('refuses with the server’s message and field', () => {
    expectRows(ComplaintPatchSchema, [
      [[], ['', 'Send a JSON object']],
      [null, ['', 'Send a JSON object']],
      ['status', ['', 'Send a JSON object']],
      [{}, ['', 'Send at least one of status, assignee, rootCause, recoveryAppropriate']],
      [
        { force: true },
        ['', 'Send at least one of status, assignee, rootCause, recoveryAppropriate'],
      ],
      [{ colour: 'red' }, ['colour', 'Unknown field colour']],
      [{ status: 'bogus', colour: 'red' }, ['colour', 'Unknown field colour']],
      [{ status: 'done' }, ['status', STATUS]],
      [{ status: null }, ['status', STATUS]],
      [{ assignee: '' }, ['assignee', ASSIGNEE]],
      [{ assignee: '   ' }, ['assignee', ASSIGNEE]],
      [{ assignee: 7 }, ['assignee', ASSIGNEE]],
      [{ assignee: 'x'.repeat(201) }, ['assignee', ASSIGNEE]],
      // 201 units in, 402 in NFC.
      [{ assignee: '\u0958'.repeat(101) }, ['assignee', ASSIGNEE]],
      [{ assignee: 'Ana\u009b' }, ['assignee', 'assignee contains a control character (U+009B)']],
      [{ assignee: 'Ana\nB' }, ['assignee', 'assignee contains a line break (U+000A)']],
      [
        { rootCause: 'gremlins' },
        [
          'rootCause',
          'rootCause must be one of people, process, technology, supplier, third_party, external_event, customer, or null',
        ],
      ],
      [
        { recoveryAppropriate: 'yes' },
        ['recoveryAppropriate', 'recoveryAppropriate is true, false or null'],
      ],
      [{ status: 'resolved', force: 'yes' }, ['force', 'force is true or false']],
      [{ status: 'resolved', force: null }, ['force', 'force is true or false']],
      [{ force: 1, status: 'x' }, ['status', STATUS]],
    ])
  })
})

describe('ReplyBodySchema (POST /complaints/{id}/replies)', () => {
  const MESSAGE = 'message is text of 1–5000 characters'
  const AUTHOR = 'author is a name of 1–200 characters, or left out'
  it('trims, keeps inner line breaks in the message, and reads no author as null', () => {
    expectRows(ReplyBodySchema, [
      [{ message: ' Hi ' }, { value: { message: 'Hi', author: null } }],
      [
        { message: 'Line 1\n\tLine 2', author: '\u212bsa' },
        { value: { message: 'Line 1\n\tLine 2', author: 'Åsa' } },
      ],
      [{ message: 'Hi', author: null }, { value: { message: 'Hi', author: null } }],
      [
        { message: 'x'.repeat(5000), author: ' Ana ' },
        { value: { message: 'x'.repeat(5000), author: 'Ana' } },
      ],
    ])
  })

  it('refuses with the server’s message and field', () => {
    expectRows(ReplyBodySchema, [
      [['Hi'], ['', 'Send a JSON object']],
      [{}, ['message', MESSAGE]],
      [{ message: '' }, ['message', MESSAGE]],
      [{ message: ' \n ' }, ['message', MESSAGE]],
      [{ message: 42 }, ['message', MESSAGE]],
      [{ message: 'x'.repeat(5001) }, ['message', MESSAGE]],
      [{ message: 'Hi\u0000' }, ['message', 'message contains a control character (U+0000)']],
      [{ message: 'Hi', author: '' }, ['author', AUTHOR]],
      [{ message: 'Hi', author: 7 }, ['author', AUTHOR]],
      [{ message: 'Hi', author: 'x'.repeat(201) }, ['author', AUTHOR]],
      [{ message: 'Hi', author: 'Ana\nB' }, ['author', 'author contains a line break (U+000A)']],
      [{ message: 'Hi', status: 'resolved' }, ['status', 'Unknown field status']],
      [{ author: 7, message: 1, status: 'x' }, ['status', 'Unknown field status']],
    ])
  })
})

describe('ReplyHeadersSchema (Idempotency-Key of a reply)', () => {
  const KEY = 'Idempotency-Key is 1–255 characters, the same on every retry'
  it('checks the key without normalising it', () => {
    expectRows(ReplyHeadersSchema, [
      [{}, { value: { idempotencyKey: null } }],
      [{ idempotencyKey: undefined }, { value: { idempotencyKey: null } }],
      [{ idempotencyKey: 'Cafe\u0301' }, { value: { idempotencyKey: 'Cafe\u0301' } }],
      [{ idempotencyKey: 'k'.repeat(255) }, { value: { idempotencyKey: 'k'.repeat(255) } }],
      [{ idempotencyKey: '' }, ['idempotencyKey', KEY]],
      [{ idempotencyKey: 'k'.repeat(256) }, ['idempotencyKey', KEY]],
      [
        { idempotencyKey: 'k\u0000' },
        ['idempotencyKey', 'idempotencyKey contains a control character (U+0000)'],
      ],
    ])
  })
})
