import { describe, expect, it } from 'vitest'
import {
  categoriesPayload,
  categoryDrafts,
  couponsPerDay,
  durationParts,
  GOODWILL_DEFAULTS,
  indexedField,
  isoDuration,
  originLines,
  policyWithCaps,
  policyWithCouponSource,
  policyWithGoodwill,
  scriptTag,
  slugify,
  splitLineErrors,
} from './_settings-data'

describe('durations', () => {
  it('turns hours or minutes into ISO 8601', () => {
    expect(isoDuration(2, 'hours')).toBe('PT2H')
    expect(isoDuration(1.5, 'hours')).toBe('PT90M')
    expect(isoDuration(45, 'minutes')).toBe('PT45M')
    expect(isoDuration(120, 'minutes')).toBe('PT2H')
    expect(isoDuration(0, 'hours')).toBeNull()
    expect(isoDuration(Number.NaN, 'hours')).toBeNull()
  })

  it('reads ISO 8601 back as whole hours, else minutes', () => {
    expect(durationParts('PT2H')).toEqual({ amount: 2, unit: 'hours' })
    expect(durationParts('PT1H30M')).toEqual({ amount: 90, unit: 'minutes' })
    expect(durationParts('P1D')).toEqual({ amount: 24, unit: 'hours' })
    expect(durationParts('P1W')).toEqual({ amount: 168, unit: 'hours' })
    expect(durationParts('PT45M')).toEqual({ amount: 45, unit: 'minutes' })
    expect(durationParts('P1M')).toBeNull() // months: not a fixed length
    expect(durationParts('P')).toBeNull()
    expect(durationParts('PT')).toBeNull()
  })
})

describe('the policy overrides a form sends', () => {
  const defaults = {
    currency: 'EUR',
    perComplaintPercent: 100,
    perComplaintMax: 5000,
    perCustomer30Days: 5000,
    perSiteDay: 50000,
  }

  it('keeps other overrides and stores only what differs from the defaults', () => {
    expect(
      policyWithCaps(
        { coupon: { validDays: 60 }, caps: { perSiteDay: 100000 } },
        { ...defaults, perComplaintMax: 6000 },
      ),
    ).toEqual({ coupon: { validDays: 60 }, caps: { perComplaintMax: 6000 } })
    expect(
      policyWithCaps(null, { ...defaults, currency: 'CNY', perComplaintPercent: 120 }),
    ).toEqual({ currency: 'CNY', caps: { perComplaintPercent: 120 } })
  })

  it('is null (the defaults) when nothing is left', () => {
    expect(
      policyWithCaps({ caps: { perComplaintPercent: 120 }, currency: 'CNY' }, defaults),
    ).toBeNull()
  })

  it('sets and clears the coupon source', () => {
    expect(policyWithCouponSource({ coupon: { validDays: 60 } }, 'pool')).toEqual({
      coupon: { validDays: 60, source: 'pool' },
    })
    expect(policyWithCouponSource({ coupon: { source: 'pool' } }, 'generated')).toBeNull()
  })

  it('stores the goodwill values that differ from the defaults, beside the other overrides', () => {
    expect(
      policyWithGoodwill(
        { caps: { perSiteDay: 1000 }, goodwill: { perDay: 9000 } },
        { ...GOODWILL_DEFAULTS, enabled: true, perIpDay: 2 },
      ),
    ).toEqual({ caps: { perSiteDay: 1000 }, goodwill: { enabled: true, perIpDay: 2 } })
    expect(policyWithGoodwill({ goodwill: { enabled: true } }, { ...GOODWILL_DEFAULTS })).toBeNull()
  })

  it('counts the goodwill coupons a day pays for', () => {
    expect(couponsPerDay(3000, 300)).toBe(10)
    expect(couponsPerDay(1000, 300)).toBe(3)
    expect(couponsPerDay(200, 300)).toBe(0)
    expect(couponsPerDay(3000, 0)).toBe(0)
  })
})

describe('the other settings', () => {
  it('reads origins one per line', () => {
    expect(originLines(' https://a.example \n\n\r\nhttp://localhost:*\n')).toEqual([
      'https://a.example',
      'http://localhost:*',
    ])
  })

  it('finds the index in a field path', () => {
    expect(indexedField('origins[3]', 'origins')).toEqual({ index: 3, rest: '' })
    expect(indexedField('categories[1].label', 'categories')).toEqual({ index: 1, rest: 'label' })
    expect(indexedField('categories', 'categories')).toBeNull()
  })

  it('splits the coupon pool refusal into its lines', () => {
    expect(
      splitLineErrors(
        '3 bad lines, nothing was stored: line 3: value must be a whole number of minor units above 0 (e.g. 500), not "5.0"; line 7: code A is also on line 2; and 1 more',
      ),
    ).toEqual({
      head: '3 bad lines, nothing was stored',
      lines: [
        'line 3: value must be a whole number of minor units above 0 (e.g. 500), not "5.0"',
        'line 7: code A is also on line 2',
        'and 1 more',
      ],
    })
    expect(splitLineErrors('The first line must be the header code,value,expires_at')).toEqual({
      head: 'The first line must be the header code,value,expires_at',
      lines: [],
    })
  })

  it('writes the script tag', () => {
    expect(scriptTag('https://feedback.example', 'pk_demo')).toBe(
      '<script async src="https://feedback.example/redress.js" data-site="pk_demo"></script>',
    )
  })

  it('round-trips categories, sending firmResponsible only when it says something', () => {
    const drafts = categoryDrafts([
      { id: 'broken', failureType: 'outcome' },
      { id: 'carrier', failureType: 'process', label: ' Carrier ', firmResponsible: false },
      { id: 'staff', failureType: 'interaction', firmResponsible: true },
    ])
    expect(categoriesPayload(drafts)).toEqual([
      { id: 'broken', failureType: 'outcome' },
      {
        id: 'carrier',
        failureType: 'process',
        label: 'Carrier',
        labels: { en: 'Carrier' },
        firmResponsible: false,
      },
      { id: 'staff', failureType: 'interaction', firmResponsible: true },
    ])
    expect(slugify('Late délivery!')).toBe('late-delivery')
  })

  it('reads a label per language, an old single label as the English one', () => {
    const drafts = categoryDrafts([
      { id: 'late', failureType: 'process', label: 'Late', labels: { 'zh-CN': '太慢' } },
      { id: 'rude', failureType: 'interaction', labels: { en: 'Rude', 'zh-CN': '态度差' } },
      { id: 'odd', failureType: 'outcome', labels: { 'zh-CN': '奇怪' } },
    ])
    expect(drafts.map((draft) => draft.labels)).toEqual([
      { en: 'Late', 'zh-CN': '太慢' },
      { en: 'Rude', 'zh-CN': '态度差' },
      { en: '', 'zh-CN': '奇怪' },
    ])
    expect(categoriesPayload(drafts)).toEqual([
      {
        id: 'late',
        failureType: 'process',
        label: 'Late',
        labels: { en: 'Late', 'zh-CN': '太慢' },
      },
      {
        id: 'rude',
        failureType: 'interaction',
        label: 'Rude',
        labels: { en: 'Rude', 'zh-CN': '态度差' },
      },
      { id: 'odd', failureType: 'outcome', labels: { 'zh-CN': '奇怪' } },
    ])
  })
})
