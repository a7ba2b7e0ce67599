import { describe, expect, it } from 'vitest'
import { knownCurrency, majorText, toMinor, toPositiveMinor } from './money'

describe('money between major and minor units', () => {
  it('reads what people type into whole minor units', () => {
    expect(toMinor('50', 'EUR')).toBe(5000)
    expect(toMinor('12.5', 'EUR')).toBe(1250)
    expect(toMinor('12,50', 'EUR')).toBe(1250) // a decimal comma
    expect(toMinor('0.29', 'EUR')).toBe(29) // no float drift
    expect(toMinor('1,000', 'EUR')).toBe(100000) // a thousands comma
    expect(toMinor('1,000.50', 'EUR')).toBe(100050)
    expect(toMinor(' 500 ', 'JPY')).toBe(500)
    expect(toMinor('0', 'EUR')).toBe(0)
  })

  it('refuses what is not an amount of that currency', () => {
    expect(toMinor('', 'EUR')).toBeNull()
    expect(toMinor('-5', 'EUR')).toBeNull()
    expect(toMinor('12.345', 'EUR')).toBeNull()
    expect(toMinor('1.5', 'JPY')).toBeNull()
    expect(toMinor('five', 'EUR')).toBeNull()
    expect(toMinor('1e3', 'EUR')).toBeNull()
  })

  it('writes minor units back as the text an input starts with', () => {
    expect(majorText(5000, 'EUR')).toBe('50')
    expect(majorText(4990, 'EUR')).toBe('49.90')
    expect(majorText(5, 'EUR')).toBe('0.05')
    expect(majorText(500, 'JPY')).toBe('500')
  })
})

describe('toPositiveMinor', () => {
  it('reads major units as minor units, by the currency', () => {
    expect(toPositiveMinor('12.50', 'EUR')).toBe(1250)
    expect(toPositiveMinor('12,5', 'EUR')).toBe(1250)
    expect(toPositiveMinor('€ 7', 'EUR')).toBe(700)
    expect(toPositiveMinor('0.01', 'EUR')).toBe(1)
    expect(toPositiveMinor('300', 'JPY')).toBe(300)
    expect(toPositiveMinor('3.5', 'JPY')).toBeNull()
    expect(toPositiveMinor('12.505', 'EUR')).toBeNull()
    expect(toPositiveMinor('-5', 'EUR')).toBeNull()
    expect(toPositiveMinor('0', 'EUR')).toBeNull()
    expect(toPositiveMinor('abc', 'EUR')).toBeNull()
  })
})

describe('one rule for every money field', () => {
  it('reads "1,000" in a currency with two decimals or none as one thousand', () => {
    expect(toMinor('1,000', 'EUR')).toBe(100000)
    expect(toPositiveMinor('1,000', 'EUR')).toBe(100000) // a remedy reads it the same
    expect(toMinor('1,000', 'JPY')).toBe(1000)
    expect(toMinor('10,000,000', 'EUR')).toBe(1000000000)
    expect(toMinor('1,000.5', 'EUR')).toBe(100050)
  })

  it('takes a decimal comma and spaces grouping thousands', () => {
    expect(toMinor('1 000,50', 'EUR')).toBe(100050)
    expect(toMinor('1\u00a0000,50', 'EUR')).toBe(100050) // a no-break space
    expect(toMinor('1 000.50', 'EUR')).toBe(100050)
    expect(toMinor('1,00', 'EUR')).toBe(100)
    expect(toMinor('0,5', 'EUR')).toBe(50)
    expect(toMinor('1,5', 'KWD')).toBe(1500)
  })

  it('ignores a currency sign or name around the number', () => {
    expect(toMinor('12 EUR', 'EUR')).toBe(1200)
    expect(toMinor('€1,000', 'EUR')).toBe(100000)
    expect(toMinor('30元', 'CNY')).toBe(3000)
    expect(toMinor('12', 'EURO')).toBeNull() // not a currency
  })

  it('refuses what could be read two ways, or is grouped wrongly', () => {
    expect(toMinor('1,000', 'KWD')).toBeNull() // one thousand dinars, or one?
    expect(toMinor('1.000', 'EUR')).toBeNull() // "." is a decimal point: too many decimals
    expect(toMinor('1.000,50', 'EUR')).toBeNull()
    expect(toMinor('1,000 000', 'EUR')).toBeNull()
    expect(toMinor('10,00,000', 'EUR')).toBeNull()
    expect(toMinor('1,000,5', 'EUR')).toBeNull()
    expect(toMinor('12%', 'EUR')).toBeNull()
  })

  it('writes every decimal when asked to', () => {
    expect(majorText(1500, 'EUR', { fixed: true })).toBe('15.00')
    expect(majorText(1250, 'EUR', { fixed: true })).toBe('12.50')
    expect(majorText(1500, 'JPY', { fixed: true })).toBe('1500')
  })

  it('knows a currency by its code, in capitals', () => {
    expect(knownCurrency('EUR')).toBe(true)
    expect(knownCurrency('JPY')).toBe(true)
    expect(knownCurrency('eur')).toBe(false)
    expect(knownCurrency('EURO')).toBe(false)
    expect(knownCurrency('')).toBe(false)
  })
})
