import { describe, expect, it } from 'vitest'
import { date, fill } from './_format'

describe('formatting', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('Your reference: {ref}', { ref: 'R-7K3Q9' })).toBe('Your reference: R-7K3Q9')
    expect(fill('{n} of {total}', { n: 1 })).toBe('1 of {total}')
  })

  it('formats dates, and gives nothing for a timestamp that is not one', () => {
    expect(date('2026-12-31T12:00:00Z', 'en')).toBe('Dec 31, 2026')
    expect(date('2026-12-31T12:00:00Z', 'zh-CN')).toBe('2026年12月31日')
    expect(date('tomorrow', 'en')).toBeUndefined()
    expect(date(undefined, 'en')).toBeUndefined()
  })
})
