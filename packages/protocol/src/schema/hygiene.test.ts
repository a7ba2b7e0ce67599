// Properties of the text rules every protocol string follows: no control
// characters (free text keeps tab and line breaks), no unpaired surrogates,
// NFC out. The oracles below walk code units by hand, so they share nothing
// with the regular expressions they check.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LIMITS, SEVERITIES } from '../index'
import {
  cleanText,
  type Validation,
  validateComplaint,
  validateErrorBody,
  validateFollowUp,
  validateReceipt,
  validateRecovery,
  validateReply,
  validateSiteConfig,
  validateStatusReport,
} from './index'

const char = (code: number) => String.fromCharCode(code)

/** Any UTF-16 code unit: lone surrogates included, which `unit: 'binary'` never makes. */
const codeUnit = fc.nat(0xffff).map(char)

/** Code units chosen to hurt: controls, surrogate halves, combining marks, what NFC or `trim` changes. */
const nastyUnit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'aZ0 -_.@/:'.split('')) },
  fc.integer({ min: 0, max: 0x1f }).map(char),
  fc.integer({ min: 0x7f, max: 0x9f }).map(char),
  fc.integer({ min: 0xd800, max: 0xdfff }).map(char),
  fc.integer({ min: 0x300, max: 0x36f }).map(char),
  fc.constantFrom(
    '\u0958', // NFC makes it two units
    '\ufb2c', // and this three
    '\u212b', // ANGSTROM SIGN, NFC: Å
    'e\u0301', // NFC: é
    '\u2000', // whitespace NFC maps to other whitespace
    '\u00a0',
    '\ufeff',
    '\u2028',
    '\u{1f600}', // a surrogate pair, well formed
  ),
  codeUnit,
)

const hostile = fc.string({ unit: nastyUnit, maxLength: 40 })

/** Strings of every kind: hostile ones, any code units, any code points. */
const anyString = fc.oneof(
  hostile,
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
)

/** Free text a person might type: any grapheme, line breaks and tabs, never blank. */
const prose = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
      fc.constantFrom(' ', '\n', '\r\n', '\r', '\t', 'e\u0301', '\u212b', '\u{1f600}'),
    ),
    { maxLength: 30 },
  )
  .map((parts) => `x${parts.join('')}`)
  .filter((text) => text.length <= 400 && isWellFormed(text) && !hasControl(text, true))

function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false
      i++
    } else if (code >= 0xdc00 && code <= 0xdfff) return false
  }
  return true
}

/** C0, DEL or C1; with `multiline`, tab, LF and CR are allowed. */
function hasControl(text: string, multiline: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (multiline && (code === 0x09 || code === 0x0a || code === 0x0d)) continue
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true
  }
  return false
}

const allowed = (text: string, multiline: boolean) =>
  isWellFormed(text) && !hasControl(text, multiline)

/**
 * Every string in a JSON-like value with its dotted path and whether it may
 * hold line breaks: object keys never, values when their path is free text.
 */
function* strings(
  value: unknown,
  path = '',
): Generator<[path: string, text: string, multiline: boolean]> {
  if (typeof value === 'string') yield [path, value, MULTILINE.test(path)]
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* strings(item, `${path}.${index}`)
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      yield [`${path}.${key}`, key, false]
      yield* strings(item, `${path}.${key}`)
    }
  }
}

/** The free-text fields of every schema (paths as `strings` gives them); all else is one line. */
const MULTILINE =
  /^\.(description|comment|message|terms|signals\.honeypot|metadata\..*|replies\.\d+\.message|recoveries\.\d+\.(message|terms)|recovery\.(message|terms)|guarantee\.text|error\.message)$/s

const checkOutput = (output: unknown) => {
  for (const [path, text, multiline] of strings(output)) {
    expect(allowed(text, multiline), `${path}: ${JSON.stringify(text)}`).toBe(true)
    expect(text.normalize('NFC'), path).toBe(text)
  }
}

const validators: [string, (input: unknown) => Validation<unknown>][] = [
  ['validateComplaint', validateComplaint],
  ['validateFollowUp', validateFollowUp],
  ['validateRecovery', validateRecovery],
  ['validateReceipt', validateReceipt],
  ['validateStatusReport', validateStatusReport],
  ['validateReply', validateReply],
  ['validateSiteConfig', validateSiteConfig],
  ['validateErrorBody', validateErrorBody],
]

describe('cleanText', () => {
  it('accepts exactly the well-formed strings without forbidden controls, and returns them in NFC', () => {
    fc.assert(
      fc.property(anyString, fc.boolean(), (text, multiline) => {
        const result = cleanText(text, 'field', { multiline })
        expect(result.success).toBe(allowed(text, multiline))
        if (result.success) expect(result.output).toBe(text.normalize('NFC'))
        else
          expect(result.issues).toEqual([
            {
              field: 'field',
              message: expect.stringMatching(
                /^field contains (a control character|a line break|an unpaired surrogate) \(U\+[0-9A-F]{4}\)$/,
              ),
            },
          ])
      }),
      { numRuns: 5000 },
    )
  })

  it('is idempotent, and trimming commutes with NFC (so the order of the two never matters)', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const once = cleanText(text, 'field', { multiline: true })
        if (once.success)
          expect(cleanText(once.output, 'field', { multiline: true }).output).toBe(once.output)
        expect(text.trim().normalize('NFC')).toBe(text.normalize('NFC').trim())
      }),
      { numRuns: 5000 },
    )
  })
})

describe('the validators', () => {
  const json = fc.jsonValue({ stringUnit: nastyUnit, maxDepth: 6 })

  it.each(validators)(
    '%s never throws on any JSON, and what it accepts is clean',
    (_, validate) => {
      fc.assert(
        fc.property(json, (input) => {
          const result = validate(input)
          if (result.success) checkOutput(result.output)
          else expect(result.issues.length).toBeGreaterThan(0)
        }),
        { numRuns: 1000 },
      )
    },
  )

  // Complaints shaped right but filled with anything: every string is a known
  // field, mostly valid for its kind, sometimes hostile.
  const mostly = <T>(good: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: anyString })
  const line = mostly(prose.map((text) => text.replace(/[\t\n\r]/g, ' ')))
  const text = mostly(prose)
  const email = mostly(fc.constant('ada@example.com'))
  const complaintLike = fc.record(
    {
      site: mostly(fc.constant('pk_demo')),
      category: mostly(fc.constant('order')),
      severity: fc.constantFrom(...SEVERITIES),
      description: text,
      contact: fc.record({ email, name: line }, { requiredKeys: [] }),
      orderRef: line,
      customer: fc.record({ id: line, email }, { requiredKeys: [] }),
      page: fc.record({ url: line, title: line, referrer: line }, { requiredKeys: [] }),
      client: fc.record({ locale: line, userAgent: line, sdk: line }, { requiredKeys: [] }),
      metadata: fc.dictionary(
        mostly(fc.string({ maxLength: 10 })),
        fc.oneof(text, fc.double(), fc.boolean()),
        { maxKeys: 5 },
      ),
      customerToken: line,
      occurredAt: mostly(fc.constant('2026-11-23T10:00:00Z')),
      signals: fc.record({ honeypot: text, fillMs: fc.nat() }, { requiredKeys: [] }),
    },
    { requiredKeys: ['site', 'category', 'severity', 'description'] },
  )

  it('refuses a complaint with any forbidden character in any field, and accepts only clean ones', () => {
    let accepted = 0
    fc.assert(
      fc.property(complaintLike, (input) => {
        const dirty = [...strings(input)].some(([, text, multiline]) => !allowed(text, multiline))
        const result = validateComplaint(input)
        if (dirty) expect(result.success).toBe(false)
        if (result.success) {
          accepted++
          checkOutput(result.output)
          expect(result.output.description.length).toBeLessThanOrEqual(LIMITS.description)
        }
      }),
      { numRuns: 3000 },
    )
    // The property above means little unless clean complaints get through too.
    expect(accepted).toBeGreaterThan(300)
  })

  it('names the field at fault when one string is bad', () => {
    const fields = [
      ['description', true],
      ['orderRef', false],
      ['customerToken', false],
      ['contact.name', false],
      ['page.url', false],
      ['client.userAgent', false],
      ['signals.honeypot', true],
    ] as const
    fc.assert(
      fc.property(fc.constantFrom(...fields), hostile, ([path, multiline], bad) => {
        fc.pre(!allowed(bad, multiline))
        const [outer, inner] = path.split('.') as [string, string | undefined]
        const input = {
          site: 'pk_demo',
          category: 'order',
          severity: 'minor',
          description: 'Late',
          [outer]: inner ? { [inner]: bad } : bad,
        }
        const result = validateComplaint(input)
        expect(result.issues?.[0]?.field).toBe(path)
        expect(result.issues?.[0]?.message).toMatch(/ contains (a control|a line|an unpaired)/)
      }),
      { numRuns: 1000 },
    )
  })

  it('round-trips complaints and answers with free text: accepted, NFC, and the same when checked again', () => {
    fc.assert(
      fc.property(prose, prose, prose, (description, comment, name) => {
        const complaint = validateComplaint({
          site: 'pk_demo',
          category: 'order',
          severity: 'major',
          description,
          contact: { name: name.replace(/[\t\n\r]/g, ' ') },
          metadata: { note: comment },
        })
        expect(complaint.success).toBe(true)
        expect(complaint.output?.description).toBe(description.trim().normalize('NFC'))
        expect(validateComplaint(complaint.output).output).toEqual(complaint.output)
        const answer = validateFollowUp({ score: 4, resolved: true, comment })
        expect(answer.output?.comment).toBe(comment.normalize('NFC'))
        expect(validateFollowUp(answer.output).output).toEqual(answer.output)
        const recovery = validateRecovery({ kind: 'apology', message: description })
        expect(validateRecovery(recovery.output).output).toEqual(recovery.output)
      }),
      { numRuns: 1000 },
    )
  })
})
