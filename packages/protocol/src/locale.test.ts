import { describe, expect, it } from 'vitest'
import { LOCALES, toLocale } from './index'

describe('toLocale', () => {
  it('speaks Chinese for any Chinese tag, whatever its case, region or script', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-cn', 'ZH-CN', 'zh-TW', 'zh-Hant-HK', 'Zh-Hans', 'zh_CN'])
      expect(toLocale(tag), tag).toBe('zh-CN')
  })

  it('speaks English for every other tag, and for none', () => {
    for (const tag of ['en', 'en-GB', 'de-DE', 'ja', 'fr-CH', '', 'x-zh', ' zh'])
      expect(toLocale(tag), tag).toBe('en')
    expect(toLocale(undefined)).toBe('en')
    expect(toLocale(null)).toBe('en')
  })

  it('always answers one of LOCALES', () => {
    expect(LOCALES).toEqual(['en', 'zh-CN'])
    for (const locale of LOCALES) expect(toLocale(locale)).toBe(locale)
  })
})
