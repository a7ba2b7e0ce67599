import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { SITE } from '../test/fake-data'
import '../test/locales'
import { categoryLabel } from './site'

describe('category names', () => {
  const site = {
    ...SITE,
    categories: [
      { id: 'late', failureType: 'process' as const, label: 'Late', labels: { 'zh-CN': '太慢' } },
      { id: 'broken', failureType: 'outcome' as const, labels: { en: 'Cracked' } },
    ],
  }

  it("reads the site's label in the current language, then its one label, then the built-in name", () => {
    setLocale('en')
    expect(categoryLabel(site, 'late')).toBe('Late')
    expect(categoryLabel(site, 'broken')).toBe('Cracked')
    expect(categoryLabel(site, 'slow')).toBe('It took too long')
    setLocale('zh-CN')
    expect(categoryLabel(site, 'late')).toBe('太慢')
    expect(categoryLabel(site, 'broken')).toBe('东西坏了或用不了')
    expect(categoryLabel(site, 'nope')).toBe('nope')
    setLocale('en')
  })
})
