import { NOTICE_LIMITS as PROTOCOL_LIMITS, pageMatches as protocolMatches } from '@redress/protocol'
import { describe, expect, it, vi } from 'vitest'
import type { AlertView } from '../lib/types'
import { alert, notice, SITE } from '../test/fake-data'
import {
  alertMessages,
  draftOf,
  isoFromLocal,
  localInput,
  NOTICE_LIMITS,
  noticeFields,
  noticePatch,
  noticeState,
  pageMatches,
  pathOf,
  placeNoticeError,
  shownMessage,
} from './_notices-data'

describe('the notices’ data', () => {
  it('matches pages exactly as the protocol does, with its limits', () => {
    // The form's copies (see the module): the same answer for every pattern and path here.
    expect(NOTICE_LIMITS).toEqual(PROTOCOL_LIMITS)
    const patterns = [
      null,
      '',
      '/',
      '/checkout',
      '/checkout/',
      '/orders/*',
      '/orders/*/track',
      '/help/**',
      '/**/pay',
      '/a.b',
      '/shop+(1)',
      '/*.html',
      '/x/**/y/*',
      '/[x]',
      '/$^|?',
      '/x+*/(y)',
    ]
    const paths = [
      '/',
      '/checkout',
      '/checkout/',
      '/checkout/pay',
      '/checkouts',
      '/orders',
      '/orders/A1',
      '/orders/A1/track',
      '/orders/A1/B2/track',
      '/help',
      '/help/a/b',
      '/cart/pay',
      '/a.b',
      '/aXb',
      '/shop+(1)',
      '/index.html',
      '/dir/index.html',
      '/x/y/z',
      '/x/q/y/z',
      '/[x]',
      '/$^|?',
      '/indexXhtml',
      '/x+1/(y)',
      '/xx1/y',
    ]
    for (const page of patterns)
      for (const path of paths)
        expect([page, path, pageMatches(page, path)]).toEqual([
          page,
          path,
          protocolMatches(page, path),
        ])
  })

  it('reads datetime-local text in the browser’s time zone, and writes it back', () => {
    vi.stubEnv('TZ', 'America/New_York')
    try {
      expect(isoFromLocal('2026-12-04T10:00')).toBe('2026-12-04T15:00:00.000Z')
      expect(isoFromLocal('2026-07-04T10:00:30')).toBe('2026-07-04T14:00:30.000Z')
      expect(localInput('2026-12-04T15:00:59.999Z')).toBe('2026-12-04T10:00')
      // Not a date and time: nothing is guessed.
      for (const text of ['', '2026-12-04', '2026-02-30T10:00', '2026-12-04T25:00', 'tomorrow'])
        expect(isoFromLocal(text)).toBeNull()
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('says where a notice stands at a time', () => {
    const now = Date.parse('2026-12-04T12:00:00.000Z')
    const running = notice({ startsAt: '2026-12-04T11:00:00.000Z', endsAt: null })
    expect(noticeState(running, now)).toBe('running')
    expect(noticeState({ ...running, startsAt: '2026-12-04T12:00:00.000Z' }, now)).toBe('running')
    expect(noticeState({ ...running, startsAt: '2026-12-04T12:00:00.001Z' }, now)).toBe('upcoming')
    expect(noticeState({ ...running, endsAt: '2026-12-04T12:00:00.000Z' }, now)).toBe('ended')
  })

  it('sends the messages written, trimmed, and a page of null for every page', () => {
    const { fields, problems } = noticeFields(
      {
        messages: { en: '  Card payments fail.\n', 'zh-CN': '   ' },
        level: 'info',
        page: ' ',
        startsAt: '',
        endsAt: '',
        alertId: null,
      },
      0,
    )
    expect(problems).toEqual({})
    expect(fields).toEqual({
      messages: { en: 'Card payments fail.' },
      level: 'info',
      page: null,
      endsAt: null,
    })
  })

  it('places the server’s refusals at the fields the form shows', () => {
    expect(placeNoticeError('messages.zh-CN', 'Too long')).toEqual({
      key: 'messages.zh-CN',
      message: 'Too long',
    })
    expect(placeNoticeError('messages.fr', 'No locale fr')).toEqual({
      key: 'messages',
      message: 'No locale fr',
    })
    expect(placeNoticeError('endsAt', 'Too early')).toEqual({ key: 'endsAt', message: 'Too early' })
    expect(placeNoticeError('alertId', 'No alert alt_9')).toBeNull()
  })

  it('patches a time only when its text changed, and an emptied end back to none', () => {
    const stored = notice({
      startsAt: new Date(2026, 11, 4, 10, 2, 35).toISOString(),
      endsAt: new Date(2026, 11, 4, 18, 0).toISOString(),
    })
    const now = new Date(2026, 11, 4, 12, 0).getTime()
    const patchOf = (change: Partial<ReturnType<typeof draftOf>>) => {
      const draft = { ...draftOf(stored), ...change }
      return noticePatch(noticeFields(draft, now).fields, draft, stored, now)
    }
    expect(patchOf({})).toEqual({ messages: stored.messages, level: 'info', page: null })
    expect(patchOf({ endsAt: '' })).toMatchObject({ endsAt: null })
    // An emptied start is now, as for a new notice.
    expect(patchOf({ startsAt: '' })).toMatchObject({ startsAt: new Date(now).toISOString() })
  })

  it('picks what a customer reads as the widget does: their language, else English, else any', () => {
    expect(shownMessage({ en: 'Hello', 'zh-CN': '你好' }, 'zh-CN')).toEqual({
      text: '你好',
      locale: 'zh-CN',
    })
    expect(shownMessage({ en: 'Hello', 'zh-CN': ' ' }, 'zh-CN')).toEqual({
      text: 'Hello',
      locale: 'en',
    })
    expect(shownMessage({ 'zh-CN': '你好' }, 'en')).toEqual({ text: '你好', locale: 'zh-CN' })
    expect(shownMessage({}, 'en')).toBeNull()
  })

  it('tries a page by its path, whatever else was typed', () => {
    expect(pathOf(' /checkout/pay ')).toBe('/checkout/pay')
    expect(pathOf('/checkout?step=2#card')).toBe('/checkout')
    expect(pathOf('https://shop.example/help/a?b=1')).toBe('/help/a')
  })

  it('drafts the words of an alert in both languages, by what it counted', () => {
    const site = {
      ...SITE,
      categories: [
        ...SITE.categories,
        { id: 'delivery', failureType: 'process' as const, label: 'Delivery' },
        { id: 'late', failureType: 'process' as const, labels: { en: 'Late', 'zh-CN': '迟到' } },
      ],
    }
    const byCategory = (group: string | null): AlertView =>
      alert({
        group,
        rule: { id: 'b', kind: 'burst', by: 'category', count: 5, withinMinutes: 60 },
      })
    // The site's label per language, else its one label (as the widget shows it).
    expect(alertMessages(byCategory('delivery'), site)).toEqual({
      en: 'We know about a problem with Delivery and are working on it. Thank you for your patience.',
      'zh-CN': '我们已经知道Delivery方面的问题，正在处理，感谢您的耐心。',
    })
    expect(alertMessages(byCategory('late'), site)['zh-CN']).toBe(
      '我们已经知道迟到方面的问题，正在处理，感谢您的耐心。',
    )
    // A built-in category, named the way a customer would say it.
    expect(alertMessages(byCategory('billing'), site)).toEqual({
      en: 'We know about a problem with billing and payment and are working on it. Thank you for your patience.',
      'zh-CN': '我们已经知道账单和付款方面的问题，正在处理，感谢您的耐心。',
    })
    const byType = alert({
      group: 'outcome',
      rule: { id: 't', kind: 'burst', by: 'failureType', count: 3, withinMinutes: 30 },
    })
    expect(alertMessages(byType, site)).toEqual({
      en: 'We know about a problem with our orders and are working on it. Thank you for your patience.',
      'zh-CN': '我们已经知道订单方面的问题，正在处理，感谢您的耐心。',
    })
    // The whole site, the categories the site does not list, an unknown id: no name to give.
    const general = {
      en: 'We know about a problem and are working on it. Thank you for your patience.',
      'zh-CN': '我们已经知道目前出现的问题，正在处理，感谢您的耐心。',
    }
    expect(alertMessages(byCategory(null), site)).toEqual(general)
    expect(alertMessages(byCategory('*'), site)).toEqual(general)
    expect(alertMessages(byCategory('retired'), site)).toEqual(general)
    expect(alertMessages(undefined, site)).toEqual(general)
  })
})
