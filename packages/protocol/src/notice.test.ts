import { describe, expect, it } from 'vitest'
import { noticeFor, pageMatches, type SiteNotice } from './index'

describe('pageMatches', () => {
  it('takes a prefix by whole path segments', () => {
    expect(pageMatches('/checkout', '/checkout')).toBe(true)
    expect(pageMatches('/checkout', '/checkout/pay')).toBe(true)
    expect(pageMatches('/checkout/', '/checkout/pay')).toBe(true)
    expect(pageMatches('/checkout', '/checkouts')).toBe(false)
    expect(pageMatches('/checkout', '/')).toBe(false)
    expect(pageMatches('/', '/anything/at/all')).toBe(true)
    expect(pageMatches(null, '/anything')).toBe(true)
  })

  it('reads * within a segment and ** across segments, the rest literally', () => {
    expect(pageMatches('/orders/*/track', '/orders/A-1/track')).toBe(true)
    expect(pageMatches('/orders/*/track', '/orders/A/1/track')).toBe(false)
    expect(pageMatches('/help/**', '/help/a/b/c')).toBe(true)
    expect(pageMatches('/p*.html', '/page.html')).toBe(true)
    expect(pageMatches('/p*.html', '/pageXhtml')).toBe(false)
    expect(pageMatches('/a+b(c)*', '/a+b(c)d')).toBe(true)
    expect(pageMatches('/a+b(c)*', '/aab(c)d')).toBe(false)
  })
})

describe('noticeFor', () => {
  const now = new Date('2026-12-04T12:00:00.000Z')
  const notice: SiteNotice = {
    id: 'ntc_1',
    messages: { en: 'Card payments fail', 'zh-CN': '银行卡支付失败' },
    level: 'warning',
    page: '/checkout',
    startsAt: '2026-12-04T11:00:00.000Z',
    endsAt: '2026-12-04T13:00:00.000Z',
  }
  const at = (extra: Partial<Parameters<typeof noticeFor>[1]> = {}) =>
    ({ path: '/checkout', locale: 'en', now, ...extra }) as Parameters<typeof noticeFor>[1]

  it('gives the words in the customer’s language, else English, else any', () => {
    expect(noticeFor(notice, at())).toBe('Card payments fail')
    expect(noticeFor(notice, at({ locale: 'zh-CN' }))).toBe('银行卡支付失败')
    expect(
      noticeFor({ ...notice, messages: { en: 'Only English' } }, at({ locale: 'zh-CN' })),
    ).toBe('Only English')
    expect(noticeFor({ ...notice, messages: { 'zh-CN': '只有中文' } }, at())).toBe('只有中文')
  })

  it('gives nothing off its pages or outside its times', () => {
    expect(noticeFor(notice, at({ path: '/account' }))).toBeUndefined()
    expect(noticeFor(notice, at({ now: new Date('2026-12-04T10:59:59.000Z') }))).toBeUndefined()
    // The end is the first moment it no longer shows.
    expect(noticeFor(notice, at({ now: new Date('2026-12-04T13:00:00.000Z') }))).toBeUndefined()
    expect(
      noticeFor({ ...notice, endsAt: null }, at({ now: new Date('2030-01-01T00:00:00Z') })),
    ).toBe('Card payments fail')
  })
})
