import { describe, expect, it } from 'vitest'
import { parseAdmin, WEBHOOK_EVENT_TYPES, WebhookCreateSchema } from './index'

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

describe('WebhookCreateSchema (POST /webhooks)', () => {
  const URL_TEXT = 'url is an http(s) URL of at most 2000 characters'
  const TYPES = `types is a non-empty array of ${WEBHOOK_EVENT_TYPES.join(', ')}`
  it('takes an http(s) URL as sent, and all event types by default', () => {
    expectRows(WebhookCreateSchema, [
      [
        { url: 'https://hooks.example/redress' },
        { value: { url: 'https://hooks.example/redress', types: [...WEBHOOK_EVENT_TYPES] } },
      ],
      [
        { url: 'HTTP://Hooks.Example/a?b#c', types: ['reply.sent', 'reply.sent'] },
        { value: { url: 'HTTP://Hooks.Example/a?b#c', types: ['reply.sent', 'reply.sent'] } },
      ],
    ])
  })

  it('refuses with the server’s message and field', () => {
    expectRows(WebhookCreateSchema, [
      [[], ['', 'Send a JSON object']],
      [{ url: 'https://x.example', secret: 'mine' }, ['secret', 'Unknown field secret']],
      [{}, ['url', URL_TEXT]],
      [{ url: 7 }, ['url', URL_TEXT]],
      [{ url: `https://x.example/${'a'.repeat(1990)}` }, ['url', URL_TEXT]],
      [{ url: 'https://x.example/\u0000' }, ['url', 'url contains a control character (U+0000)']],
      [{ url: 'not a url' }, ['url', 'url is not a URL']],
      [{ url: 'ftp://x.example' }, ['url', 'url must be http(s)']],
      [{ url: 'https://u:p@x.example' }, ['url', 'url must not carry credentials']],
      [{ url: 'https://:p@x.example' }, ['url', 'url must not carry credentials']],
      [{ url: 'https://x.example', types: [] }, ['types', TYPES]],
      [{ url: 'https://x.example', types: null }, ['types', TYPES]],
      [{ url: 'https://x.example', types: ['complaint.deleted'] }, ['types', TYPES]],
      [{ url: 'ftp://x.example', types: [] }, ['url', 'url must be http(s)']],
    ])
  })
})
