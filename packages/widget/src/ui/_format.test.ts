import { describe, expect, it } from 'vitest'
import { date, duration, fill, money } from './_format'

describe('formatting', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('Your reference: {ref}', { ref: 'R-7K3Q9' })).toBe('Your reference: R-7K3Q9')
    expect(fill('{n} of {total}', { n: 1 })).toBe('1 of {total}')
  })

  it('formats money from minor units, minding currencies without decimals', () => {
    expect(money({ value: 1250, currency: 'EUR' }, 'en')).toBe('€12.50')
    expect(money({ value: 1250, currency: 'EUR' }, 'zh-CN')).toBe('€12.50')
    expect(money({ value: 1500, currency: 'JPY' }, 'en')).toBe('¥1,500')
    expect(money({ value: 1250, currency: 'CNY' }, 'zh-CN')).toBe('¥12.50')
    expect(money({ value: 1234, currency: 'BHD' }, 'en')).toBe('BHD\u00a01.234')
  })

  it('reads ISO 8601 durations into words', () => {
    expect(duration('PT2H', 'en')).toBe('2 hours')
    expect(duration('PT1H', 'en')).toBe('1 hour')
    expect(duration('P1D', 'en')).toBe('1 day')
    expect(duration('PT30M', 'en')).toBe('30 minutes')
    expect(duration('P1DT2H', 'en')).toBe('1 day, 2 hours')
    expect(duration('P2W', 'en')).toBe('2 weeks')
    expect(duration('PT1.5H', 'en')).toBe('1.5 hours')
    expect(duration('PT2H', 'zh-CN')).toBe('2小时')
    expect(duration('P1DT2H', 'zh-CN')).toBe('1天2小时')
    expect(duration('PT30M', 'zh-CN')).toBe('30分钟')
  })

  it('gives nothing for durations it cannot read', () => {
    for (const value of [undefined, '', 'P', 'PT', 'PT0H', '2 hours', 'PT2X', 'P1H'])
      expect(duration(value, 'en')).toBeUndefined()
  })

  it('formats dates, and gives nothing for a timestamp that is not one', () => {
    expect(date('2026-12-31T12:00:00Z', 'en')).toBe('Dec 31, 2026')
    expect(date('2026-12-31T12:00:00Z', 'zh-CN')).toBe('2026年12月31日')
    expect(date('tomorrow', 'en')).toBeUndefined()
    expect(date(undefined, 'en')).toBeUndefined()
  })
})
