import { describe, expect, it } from 'vitest'
import { NoticeCreateSchema, NoticePatchSchema, parseAdmin } from './index'

describe('NoticeCreateSchema', () => {
  it('takes a notice, times normalised, absent locales left out', () => {
    expect(
      parseAdmin(NoticeCreateSchema, {
        messages: { en: ' Card payments fail \n', 'zh-CN': undefined },
        page: '/checkout',
        startsAt: '2026-12-04T12:00:00+01:00',
        endsAt: null,
      }),
    ).toEqual({
      ok: true,
      value: {
        messages: { en: 'Card payments fail' },
        page: '/checkout',
        startsAt: '2026-12-04T11:00:00.000Z',
        endsAt: null,
      },
    })
  })

  it('refuses what a page could not show, naming the field', () => {
    const refused = (input: unknown) => {
      const result = parseAdmin(NoticeCreateSchema, input)
      return result.ok ? result : [result.field, result.message]
    }
    expect(refused({})).toEqual([
      'messages',
      'messages is { "en"?, "zh-CN"? } with at least one message',
    ])
    expect(refused({ messages: { en: '' } })).toEqual([
      'messages.en',
      'messages.en is text of 1–500 characters',
    ])
    expect(refused({ messages: { en: 'a' }, page: '/a b' })).toEqual([
      'page',
      'page is a path starting with / (a prefix, or a pattern with * and **) of at most 300 characters, or null for every page',
    ])
    expect(refused({ messages: { en: 'a' }, startsAt: 'tomorrow' })).toEqual([
      'startsAt',
      'startsAt is an ISO 8601 date and time with a zone',
    ])
    expect(
      refused({
        messages: { en: 'a' },
        startsAt: '2026-12-04T12:00:00Z',
        endsAt: '2026-12-04T12:00:00Z',
      }),
    ).toEqual(['endsAt', 'endsAt must be after startsAt'])
    expect(refused({ messages: { en: 'a' }, colour: 'red' })).toEqual([
      'colour',
      'Unknown field colour',
    ])
  })
})

describe('NoticePatchSchema', () => {
  it('takes any one field but alertId', () => {
    expect(parseAdmin(NoticePatchSchema, { level: 'warning' })).toEqual({
      ok: true,
      value: { level: 'warning' },
    })
    expect(parseAdmin(NoticePatchSchema, {})).toMatchObject({
      ok: false,
      message: 'Send at least one of messages, level, page, startsAt, endsAt',
    })
    expect(parseAdmin(NoticePatchSchema, { alertId: 'alt_1' })).toMatchObject({
      ok: false,
      field: 'alertId',
    })
  })
})
