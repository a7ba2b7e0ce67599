import { describe, expect, it } from 'vitest'
import en from './en'
import { loadMessages, type Messages, withOverrides } from './index'
import zhCN from './zh-CN'

type Table = { [key: string]: string | Table }
const at = (table: object, path: string) =>
  path.split('.').reduce<string | Table>((inner, key) => (inner as Table)[key]!, table as Table)

// Every path to a string, e.g. `followUp.score`.
const paths = (table: object, prefix = ''): string[] =>
  Object.entries(table).flatMap(([key, value]) =>
    typeof value === 'string' ? [prefix + key] : paths(value, `${prefix + key}.`),
  )

describe('message tables', () => {
  it('loads the table of the locale asked for', async () => {
    expect(await loadMessages('en')).toBe(en)
    expect(await loadMessages('zh-CN')).toBe(zhCN)
  })

  it('has the same keys in every language, and no empty string', () => {
    expect(paths(zhCN)).toEqual(paths(en))
    for (const table of [en, zhCN])
      for (const path of paths(table)) expect(at(table, path)).not.toBe('')
  })

  it('keeps the placeholders of each string across languages', () => {
    const placeholders = (table: object) =>
      paths(table).map((path) => String((at(table, path) as string).match(/\{\w+\}/g)))
    expect(placeholders(zhCN)).toEqual(placeholders(en))
  })

  it('is a type error to leave a key out of a table', () => {
    const { send: _send, ...incomplete } = en
    // @ts-expect-error `send` is missing
    const table: Messages = incomplete
    expect(table).not.toHaveProperty('send')
  })
})

describe('withOverrides', () => {
  it('replaces any string at any depth and keeps the rest', () => {
    const messages = withOverrides(en, {
      title: 'Something wrong?',
      followUp: { score: 'Happy now?' },
      categories: { delivery: 'Delivery' },
    })
    expect(messages.title).toBe('Something wrong?')
    expect(messages.followUp.score).toBe('Happy now?')
    expect(messages.followUp.yes).toBe('Yes')
    expect(messages.categories).toEqual({ ...en.categories, delivery: 'Delivery' })
    expect(en.title).toBe('Report a problem')
  })

  it('takes nothing but text, and cannot reshape the table', () => {
    const hostile = JSON.parse(
      '{"title":{"x":1},"send":42,"close":null,"__proto__":{"polluted":"yes"},"followUp":"flat"}',
    )
    const messages = withOverrides(en, hostile)
    expect(messages.send).toBe('Send')
    expect(messages.close).toBe('Close')
    expect(messages.followUp).toEqual(en.followUp)
    expect(Object.getPrototypeOf(messages)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
