import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDuration, ISO_DURATION, parseDuration } from './duration'
import { validateRecovery } from './schema'

// The grammars this one replaces, kept to prove what changed and what did not.
// The protocol schema's and the policy's (the same): calendar units allowed.
const OLD_WIRE = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/
// The guarantee's: fixed-length units only, read as milliseconds.
const OLD_FIXED = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/
const oldFixedMs = (text: string) => {
  const match = OLD_FIXED.exec(text)
  if (!match) return undefined
  const [w = 0, d = 0, h = 0, m = 0, s = 0] = match.slice(1).map((part) => Number(part ?? 0))
  return ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000
}
// The dashboard's settings form: the same language as the guarantee's, guarded by hand.
const OLD_FORM = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/
const oldForm = (text: string) => OLD_FORM.test(text) && text !== 'P' && !text.endsWith('T')
// The widget's: fractions allowed, nothing required; each unit above zero in words.
const OLD_WIDGET =
  /^P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?$/
const oldWidgetWords = (text: string) => {
  const match = OLD_WIDGET.exec(text)
  const parts: string[] = []
  ;['year', 'month', 'week', 'day', 'hour', 'minute', 'second'].forEach((unit, index) => {
    const amount = Number(match?.[index + 1])
    if (amount > 0)
      parts.push(
        new Intl.NumberFormat('en', { style: 'unit', unit, unitDisplay: 'long' }).format(amount),
      )
  })
  return parts.length ? new Intl.ListFormat('en', { type: 'unit' }).format(parts) : undefined
}

const H = 3_600_000
const D = 24 * H

describe('ISO_DURATION, parseDuration and formatDuration', () => {
  // text, ISO_DURATION.test, parseDuration (ms), formatDuration in English
  it.each<[string, boolean, number | null, string | null]>([
    ['PT2H', true, 2 * H, '2 hours'],
    ['PT30M', true, 30 * 60_000, '30 minutes'],
    ['PT45S', true, 45_000, '45 seconds'],
    ['PT1M', true, 60_000, '1 minute'],
    ['P1D', true, D, '1 day'],
    ['P1W', true, 7 * D, '1 week'],
    ['P1W2D', true, 9 * D, '1 week, 2 days'],
    ['P1DT2H', true, D + 2 * H, '1 day, 2 hours'],
    ['PT1H30M', true, 1.5 * H, '1 hour, 30 minutes'],
    [
      'P2W3DT4H5M6S',
      true,
      17 * D + 4 * H + 5 * 60_000 + 6000,
      '2 weeks, 3 days, 4 hours, 5 minutes, 6 seconds',
    ],
    ['PT36H', true, 36 * H, '36 hours'],
    ['P007D', true, 7 * D, '7 days'],
    ['P0D', true, 0, null],
    ['PT0S', true, 0, null],
    ['PT0H', true, 0, null],
    ['P0DT2H', true, 2 * H, '2 hours'],
    // Calendar units: fine on the wire and for people, with no length in milliseconds.
    ['P1Y', true, null, '1 year'],
    ['P2M', true, null, '2 months'],
    ['P0M', true, null, null],
    ['P0YT1H', true, null, '1 hour'],
    ['P1Y2M3D', true, null, '1 year, 2 months, 3 days'],
    ['P1M1DT1M', true, null, '1 month, 1 day, 1 minute'],
    // Too long to count in safe integers of milliseconds, though well formed.
    ['PT9999999999999H', true, null, '9,999,999,999,999 hours'],
    // Refused by every grammar before.
    ['', false, null, null],
    ['P', false, null, null],
    ['PT', false, null, null],
    ['P1DT', false, null, null],
    ['2 hours', false, null, null],
    ['soon', false, null, null],
    ['PT2X', false, null, null],
    ['pt2h', false, null, null],
    ['PT2h', false, null, null],
    [' PT2H', false, null, null],
    ['PT2H ', false, null, null],
    ['P-1D', false, null, null],
    ['-P1D', false, null, null],
    ['+PT2H', false, null, null],
    ['P1H', false, null, null],
    ['PT1D', false, null, null],
    ['P1D1W', false, null, null],
    ['PT2M1H', false, null, null],
    ['P1Y1Y', false, null, null],
    ['PT1,5H', false, null, null],
    ['T2H', false, null, null],
    ['P1DT2H\n', false, null, null],
    // Fractions: the widget's grammar read these, no other did; none may arrive on the wire.
    ['PT1.5H', false, null, null],
    ['P0.5D', false, null, null],
    ['P1.D', false, null, null],
  ])('%j: pattern %s, %s ms, reads %j', (text, valid, ms, words) => {
    expect(ISO_DURATION.test(text)).toBe(valid)
    expect(parseDuration(text)).toBe(ms)
    expect(formatDuration(text)).toBe(words)
    const escalation = { kind: 'escalation', message: 'A person will call', contactWithin: text }
    expect(validateRecovery(escalation).success).toBe(valid)
  })

  it.each<[string, string, string]>([
    ['PT2H', 'zh-CN', '2小时'],
    ['P1D', 'zh-CN', '1天'],
    ['P1DT2H', 'de', '1 Tag, 2 Stunden'],
    ['P1DT2H', 'zh-CN', '1天2小时'],
    ['PT30M', 'zh-CN', '30分钟'],
    ['PT1H', 'en', '1 hour'],
    ['P2W', 'en', '2 weeks'],
  ])('formats %s in %s as %j', (text, locale, words) => {
    expect(formatDuration(text, locale)).toBe(words)
  })

  // Durations built in order, some amounts empty or fractional, some with no
  // time after T; and strings over the same alphabet in any order.
  const amount = fc.option(
    fc.oneof(
      { weight: 4, arbitrary: fc.nat(99).map(String) },
      { weight: 1, arbitrary: fc.nat().map(String) },
      { weight: 1, arbitrary: fc.constantFrom('0', '007', '', '1.5', '.5', '1.') },
    ),
    { nil: undefined, freq: 2 },
  )
  const near = fc.oneof(
    fc
      .tuple(amount, amount, amount, amount, fc.boolean(), amount, amount, amount)
      .map(([y, mo, w, d, t, h, mi, s]) =>
        [
          'P',
          y === undefined ? '' : `${y}Y`,
          mo === undefined ? '' : `${mo}M`,
          w === undefined ? '' : `${w}W`,
          d === undefined ? '' : `${d}D`,
          t ? 'T' : '',
          h === undefined ? '' : `${h}H`,
          mi === undefined ? '' : `${mi}M`,
          s === undefined ? '' : `${s}S`,
        ].join(''),
      ),
    fc.stringMatching(/^[-P]?[PYMWDTHS0-9.]{0,12}$/),
  )

  it('accepts exactly what the protocol schema and the policy accepted', () => {
    fc.assert(
      fc.property(near, (text) => {
        expect(ISO_DURATION.test(text)).toBe(OLD_WIRE.test(text))
      }),
      { numRuns: 5000 },
    )
  })

  it('gives a length to exactly what the guarantee and the settings form accepted, the same length', () => {
    fc.assert(
      fc.property(near, (text) => {
        const ms = oldFixedMs(text)
        expect(oldForm(text)).toBe(ms !== undefined)
        if (ms === undefined || !Number.isSafeInteger(ms)) expect(parseDuration(text)).toBeNull()
        else expect(parseDuration(text)).toBe(ms)
      }),
      { numRuns: 5000 },
    )
  })

  it('reads for people what the widget read, the same, except fractions and a trailing T', () => {
    fc.assert(
      fc.property(near, (text) => {
        const words = formatDuration(text) ?? undefined
        if (text.includes('.') || text.endsWith('T')) {
          if (words !== undefined) expect(words).toBe(oldWidgetWords(text))
        } else expect(words).toBe(oldWidgetWords(text))
      }),
      { numRuns: 5000 },
    )
  })
})
