import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { currencyDigits, formatMoney, parseMoney } from './money'

/** Runs `body` counting the number formatters it builds, which still work. */
const countFormatters = async (body: () => unknown): Promise<number> => {
  const NumberFormat = Intl.NumberFormat
  let built = 0
  Intl.NumberFormat = new Proxy(NumberFormat, {
    construct: (target, args: ConstructorParameters<typeof NumberFormat>) => {
      built++
      return new target(...args)
    },
  })
  try {
    await body()
  } finally {
    Intl.NumberFormat = NumberFormat
  }
  return built
}

// How the server and the widget formatted money before: a new formatter each time.
const oldFormat = (value: number, currency: string, locale = 'en') => {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
  return format.format(value / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2))
}

describe('currencyDigits', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['CNY', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %i', (currency, digits) => {
    expect(currencyDigits(currency)).toBe(digits)
  })

  it('throws for a malformed code, as Intl does', () => {
    expect(() => currencyDigits('EURO')).toThrow(RangeError)
  })
})

describe('formatMoney', () => {
  it.each<[number, string, string | undefined, string]>([
    [1250, 'EUR', undefined, '€12.50'],
    [0, 'EUR', undefined, '€0.00'],
    [5, 'EUR', undefined, '€0.05'],
    [500, 'JPY', undefined, '¥500'],
    [1250, 'JPY', undefined, '¥1,250'],
    [1250, 'KWD', undefined, 'KWD\u00a01.250'],
    [1250, 'CNY', undefined, 'CN¥12.50'],
    [123456789, 'USD', undefined, '$1,234,567.89'],
    [-1250, 'EUR', undefined, '-€12.50'],
    [1250, 'CNY', 'zh-CN', '¥12.50'],
    [1250, 'EUR', 'zh-CN', '€12.50'],
    [1234, 'BHD', undefined, 'BHD\u00a01.234'],
    [1250, 'EUR', 'de', '12,50\u00a0€'],
    [1250, 'JPY', 'ja', '￥1,250'],
  ])('%i %s in %s is %j', (value, currency, locale, text) => {
    expect(formatMoney(value, currency, locale)).toBe(text)
  })

  it('writes what the server and the widget wrote', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'CNY', 'GBP', 'CHF', 'XYZ'),
        fc.constantFrom('en', 'zh-CN', 'de', 'fr', 'ja', 'ar'),
        (value, currency, locale) => {
          expect(formatMoney(value, currency)).toBe(oldFormat(value, currency))
          expect(formatMoney(value, currency, locale)).toBe(oldFormat(value, currency, locale))
        },
      ),
    )
  })

  it('builds one formatter per locale and currency, on first use', async () => {
    expect(await countFormatters(() => formatMoney(100, 'SEK', 'sv'))).toBeGreaterThan(0)
    const again = () => {
      for (let i = 0; i < 50; i++) expect(formatMoney(100, 'SEK', 'sv')).toBe('1,00\u00a0kr')
    }
    expect(await countFormatters(again)).toBe(0)
    expect(await countFormatters(() => formatMoney(100, 'SEK', 'de'))).toBe(1)
  })

  it('does no work when the package is imported', async () => {
    vi.resetModules()
    expect(await countFormatters(() => import('./index'))).toBe(0)
  })

  it('throws for a malformed code, as Intl does', () => {
    expect(() => formatMoney(100, 'eur!')).toThrow(RangeError)
  })
})

describe('parseMoney', () => {
  it.each<[string, string, number | null]>([
    // A point is a decimal point.
    ['12.50', 'EUR', 1250],
    ['12.5', 'EUR', 1250],
    ['0.29', 'EUR', 29],
    ['0.01', 'EUR', 1],
    ['12', 'EUR', 1200],
    ['0', 'EUR', 0],
    ['007', 'EUR', 700],
    // A comma is a decimal comma when one to the currency's decimals follow it...
    ['12,50', 'EUR', 1250],
    ['12,5', 'EUR', 1250],
    ['0,05', 'EUR', 5],
    ['1 000,50', 'EUR', 100050],
    ['1\u00a0000,5', 'EUR', 100050],
    ['12,50', 'KWD', 12500],
    ['1 000,500', 'KWD', 1000500],
    // ...and groups thousands when three digits follow it.
    ['1,000', 'EUR', 100000],
    ['1,000.50', 'EUR', 100050],
    ['1,234,567.89', 'EUR', 123456789],
    ['12,345', 'EUR', 1234500],
    ['1,000', 'JPY', 1000],
    ['1,234,567', 'JPY', 1234567],
    ['1,000.500', 'KWD', 1000500],
    ['1 000', 'EUR', 100000],
    ['1\u202f000\u202f000', 'EUR', 100000000],
    ['500', 'JPY', 500],
    ['1.250', 'KWD', 1250],
    // White space around is ignored.
    [' 500 ', 'JPY', 500],
    ['\u00a012.50\n', 'EUR', 1250],
    // Both readings fit: a comma and three digits, for a currency with three decimals.
    ['1,000', 'KWD', null],
    ['12,345', 'BHD', null],
    // More decimals than the currency has.
    ['12.505', 'EUR', null],
    ['12.345', 'EUR', null],
    ['12.500', 'EUR', null],
    ['1.5', 'JPY', null],
    ['1,5', 'JPY', null],
    ['1.2345', 'KWD', null],
    // Malformed grouping, or points grouping thousands.
    ['1,00', 'JPY', null],
    ['1,0000', 'EUR', null],
    ['1,00,000', 'EUR', null],
    ['1234,567.00', 'EUR', null],
    ['1,000 000', 'EUR', null],
    ['1 000,000.5', 'EUR', null],
    ['1,000,50', 'EUR', null],
    ['0,500', 'EUR', null],
    ['0 500', 'EUR', null],
    ['1.000,50', 'EUR', null],
    ['1.000.000', 'EUR', null],
    ['1  000', 'EUR', null],
    ['1\t000', 'EUR', null],
    [',000', 'EUR', null],
    // Not amounts from 0.
    ['', 'EUR', null],
    [' ', 'EUR', null],
    ['-5', 'EUR', null],
    ['+5', 'EUR', null],
    ['€12', 'EUR', null],
    ['12 EUR', 'EUR', null],
    ['five', 'EUR', null],
    ['1e3', 'EUR', null],
    ['0x10', 'EUR', null],
    ['12.', 'EUR', null],
    ['.5', 'EUR', null],
    ['12,', 'EUR', null],
    ['1.2.3', 'EUR', null],
    ['١٢', 'EUR', null],
    ['Infinity', 'EUR', null],
    // Beyond what minor units can hold exactly.
    ['90071992547409.92', 'EUR', null],
    ['90071992547409.91', 'EUR', 9007199254740991],
  ])('%j in %s is %j', (text, currency, minor) => {
    expect(parseMoney(text, currency)).toBe(minor)
  })

  it('reads back what en formats, without the symbol, for every amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e13 }),
        fc.constantFrom('EUR', 'USD', 'JPY', 'KRW', 'CNY', 'GBP'),
        (value, currency) => {
          const text = new Intl.NumberFormat('en', {
            minimumFractionDigits: currencyDigits(currency),
          }).format(value / 10 ** currencyDigits(currency))
          expect(parseMoney(text, currency)).toBe(value)
        },
      ),
    )
  })

  it('throws for a malformed code, as Intl does', () => {
    expect(() => parseMoney('12', 'EURO')).toThrow(RangeError)
  })
})
