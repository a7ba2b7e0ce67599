import { describe, expect, it } from 'vitest'
import { canonicalJson, isRetryableStatus, LIMITS } from '../index'
import {
  cleanText,
  validateComplaint,
  validateErrorBody,
  validateFollowUp,
  validateReceipt,
  validateRecovery,
  validateReply,
  validateSiteConfig,
  validateStatusReport,
} from './index'

// The example body of wire protocol v1, as the protocol README shows it.
const example = {
  site: 'pk_demo',
  category: 'delivery',
  severity: 'minor',
  description: 'The parcel was two days late.',
  contact: { email: 'ada@example.com', name: 'Ada' },
  orderRef: 'A-1001',
  customer: { id: 'u-1', email: 'ada@example.com' },
  page: { url: 'https://shop.example/orders/A-1001', title: 'Your order', referrer: '' },
  client: { locale: 'zh-CN', userAgent: 'Mozilla/5.0', sdk: 'redress/0.1.0' },
  metadata: { plan: 'pro' },
  occurredAt: '2026-11-23T10:00:00Z',
}

describe('validateComplaint', () => {
  it('accepts the documented example', () => {
    expect(validateComplaint(example)).toEqual({ success: true, output: example })
  })

  it('trims required text and drops unknown fields', () => {
    const result = validateComplaint({ ...example, description: '  Late  ', extra: 'dropped' })
    expect(result.output?.description).toBe('Late')
    expect(result.output).not.toHaveProperty('extra')
  })

  it('names each offending field with a dotted path', () => {
    const result = validateComplaint({
      ...example,
      severity: 'apocalyptic',
      description: 'x'.repeat(LIMITS.description + 1),
      contact: { email: 'ada' },
      orderValue: { value: 9.99, currency: 'EUR' },
      occurredAt: 'yesterday',
    })
    expect(result.issues).toEqual([
      { field: 'severity', message: 'severity must be one of minor, major, critical' },
      { field: 'description', message: 'description must be at most 5000 characters' },
      { field: 'contact.email', message: 'email must be a valid email address' },
      { field: 'orderValue.value', message: 'value must be whole minor units (cents, fen)' },
      {
        field: 'occurredAt',
        message: 'occurredAt must be an ISO 8601 timestamp, e.g. 2026-11-23T10:00:00Z',
      },
    ])
  })

  it('takes bot signals, and refuses nonsense in them', () => {
    expect(validateComplaint({ ...example, signals: { honeypot: '', fillMs: 8200 } }).success).toBe(
      true,
    )
    expect(validateComplaint({ ...example, signals: { fillMs: -5 } }).issues).toEqual([
      { field: 'signals.fillMs', message: 'signals.fillMs must not be negative' },
    ])
  })

  it('refuses what is not an object', () => {
    expect(validateComplaint('complaint').issues).toEqual([
      { field: '', message: 'complaint must be a JSON object' },
    ])
    expect(validateComplaint(null).success).toBe(false)
  })
})

describe('validateRecovery', () => {
  it.each([
    { kind: 'apology', message: 'We are sorry.' },
    {
      kind: 'coupon',
      code: 'SORRY-1',
      label: '10% off',
      expiresAt: '2026-12-31T23:59:59Z',
      terms: 'Once',
    },
    { kind: 'refund', amount: { value: 1250, currency: 'CNY' }, message: 'Refunded' },
    { kind: 'replacement', message: 'A new one ships today' },
    { kind: 'correction', message: 'We fixed the page' },
    { kind: 'escalation', message: 'A person will call', contactWithin: 'PT2H' },
  ])('accepts $kind', (recovery) => {
    expect(validateRecovery(recovery)).toEqual({ success: true, output: recovery })
  })

  it('refuses unknown kinds and bad fields', () => {
    expect(validateRecovery({ kind: 'cash', message: 'x' }).issues?.[0]?.message).toMatch(
      /recovery kind must be one of/,
    )
    expect(
      validateRecovery({ kind: 'escalation', message: 'x', contactWithin: '2 hours' }).issues,
    ).toEqual([
      {
        field: 'contactWithin',
        message: 'contactWithin must be an ISO 8601 duration such as PT2H',
      },
    ])
    expect(
      validateRecovery({ kind: 'refund', amount: { value: 5, currency: 'euro' }, message: 'x' })
        .issues,
    ).toEqual([
      { field: 'amount.currency', message: 'currency must be an ISO 4217 code such as EUR' },
    ])
  })
})

describe('replies and answers', () => {
  const receipt = {
    id: 'cmp_1',
    reference: 'R-7K3Q9',
    status: 'received',
    token: 't0k3n',
    recovery: null,
    receivedAt: '2026-11-23T10:00:01Z',
  }

  it('checks the owner’s replies in a status report', () => {
    const report = {
      id: 'cmp_1',
      reference: 'R-7K3Q9',
      status: 'in_progress',
      recoveries: [],
      updatedAt: '2026-11-23T11:00:00Z',
    }
    const reply = { message: ' We found your parcel. ', author: 'Ana', at: '2026-11-23T11:00:00Z' }
    expect(validateStatusReport(report).output).toEqual(report)
    expect(validateStatusReport({ ...report, replies: [reply] }).output?.replies).toEqual([
      { ...reply, message: 'We found your parcel.' },
    ])
    expect(
      validateStatusReport({ ...report, replies: [{ message: 'Hi', at: reply.at }] }).success,
    ).toBe(true)
    expect(
      validateStatusReport({ ...report, replies: [{ ...reply, message: '  ' }] }).issues?.[0],
    ).toEqual({ field: 'replies.0.message', message: 'message is required' })
    expect(
      validateStatusReport({ ...report, replies: [{ ...reply, at: 'yesterday' }] }).issues?.[0]
        ?.field,
    ).toBe('replies.0.at')
    expect(
      validateStatusReport({
        ...report,
        replies: [{ ...reply, message: 'x'.repeat(LIMITS.reply + 1) }],
      }).success,
    ).toBe(false)
    expect(validateStatusReport({ ...report, replies: 'none' }).issues?.[0]?.field).toBe('replies')
    expect(validateReply(reply).success).toBe(true)
    expect(
      validateReply({ ...reply, author: 'x'.repeat(LIMITS.author + 1) }).issues?.[0]?.field,
    ).toBe('author')
  })

  it('checks receipts, status reports, follow-ups and error bodies', () => {
    expect(validateReceipt(receipt).success).toBe(true)
    expect(validateReceipt({ ...receipt, status: 'lost' }).issues?.[0]?.field).toBe('status')
    expect(
      validateStatusReport({
        id: 'cmp_1',
        reference: 'R-7K3Q9',
        status: 'resolved',
        recoveries: [{ kind: 'apology', message: 'Sorry' }],
        updatedAt: '2026-11-23T11:00:00Z',
      }).success,
    ).toBe(true)
    expect(
      validateFollowUp({
        score: 4,
        resolved: true,
        fairness: { remedy: 4, process: 5, treatment: 5 },
      }).success,
    ).toBe(true)
    expect(validateFollowUp({ score: 0, resolved: 'yes' }).issues).toEqual([
      { field: 'score', message: 'score must be a whole number from 1 to 5' },
      { field: 'resolved', message: 'resolved must be true or false' },
    ])
    expect(
      validateErrorBody({ error: { code: 'rate_limited', message: 'Slow down' } }).success,
    ).toBe(true)
    expect(validateErrorBody({ error: { code: 'teapot', message: 'No' } }).success).toBe(false)
  })
})

describe('validateSiteConfig', () => {
  const config = {
    categories: [
      { id: 'order', failureType: 'outcome' },
      { id: 'late', failureType: 'process', label: 'Late delivery' },
    ],
    guarantee: { text: 'A reply within 2 hours, or €5 off' },
  }

  it('accepts the documented example, with or without a guarantee', () => {
    expect(validateSiteConfig(config)).toEqual({ success: true, output: config })
    expect(validateSiteConfig({ ...config, guarantee: null }).success).toBe(true)
  })

  it('names what is wrong, and drops anything but the public fields', () => {
    const field = (input: unknown) => validateSiteConfig(input).issues?.[0]?.field
    expect(field({ ...config, categories: 'order' })).toBe('categories')
    expect(field({ ...config, categories: [{ id: 'x', failureType: 'late' }] })).toBe(
      'categories.0.failureType',
    )
    expect(field({ ...config, categories: [{ id: ' ', failureType: 'outcome' }] })).toBe(
      'categories.0.id',
    )
    expect(
      field({
        ...config,
        categories: [
          { id: 'x', failureType: 'outcome', label: 'x'.repeat(LIMITS.categoryLabel + 1) },
        ],
      }),
    ).toBe('categories.0.label')
    expect(field({ ...config, guarantee: { text: '' } })).toBe('guarantee.text')
    expect(field({ categories: [] })).toBe('guarantee')
    const loose = validateSiteConfig({
      ...config,
      policy: { caps: {} },
      categories: [{ id: 'order', failureType: 'outcome', firmResponsible: false }],
      guarantee: { text: 'Promise', remedy: { kind: 'coupon', value: 500 } },
    })
    expect(loose.output).toEqual({
      categories: [{ id: 'order', failureType: 'outcome' }],
      guarantee: { text: 'Promise' },
    })
  })
})

describe('validateSiteConfig: labels per locale', () => {
  it('keeps the labels of the locales there are texts for, each checked like label', () => {
    const category = { id: 'late', failureType: 'process', label: 'Late' }
    const config = (labels: unknown) => ({ categories: [{ ...category, labels }], guarantee: null })
    expect(validateSiteConfig(config({ 'zh-CN': '配送太慢', fr: 'En retard' })).output).toEqual(
      config({ 'zh-CN': '配送太慢' }),
    )
    expect(validateSiteConfig(config({ en: 'Late delivery' })).success).toBe(true)
    expect(validateSiteConfig({ categories: [category], guarantee: null }).success).toBe(true)
    const field = (labels: unknown) => validateSiteConfig(config(labels)).issues?.[0]?.field
    expect(field({ 'zh-CN': '' })).toBe('categories.0.labels.zh-CN')
    expect(field({ en: 'x'.repeat(LIMITS.categoryLabel + 1) })).toBe('categories.0.labels.en')
    expect(field('Late')).toBe('categories.0.labels')
  })
})

describe('input rules', () => {
  const issue = (input: Record<string, unknown>) =>
    validateComplaint({ ...example, ...input }).issues?.[0]

  it('refuses control characters, naming the field and the character', () => {
    expect(issue({ description: 'Broken\u0000' })).toEqual({
      field: 'description',
      message: 'description contains a control character (U+0000)',
    })
    expect(issue({ contact: { name: 'Ada\u007f' } })).toEqual({
      field: 'contact.name',
      message: 'name contains a control character (U+007F)',
    })
    expect(issue({ page: { url: 'https://shop.example/\u0085' } })).toEqual({
      field: 'page.url',
      message: 'page.url contains a control character (U+0085)',
    })
    expect(issue({ occurredAt: '2026-11-23T10:00:00Z\u0000' })?.message).toBe(
      'occurredAt contains a control character (U+0000)',
    )
    expect(issue({ customer: { email: 'ada@example.com\u0007' } })?.field).toBe('customer.email')
  })

  it('keeps tab and line breaks in free text only', () => {
    const text = 'Line one\r\nLine two\n\tindented\rold Mac'
    expect(validateComplaint({ ...example, description: text }).output?.description).toBe(text)
    expect(validateFollowUp({ score: 2, resolved: false, comment: text }).success).toBe(true)
    expect(validateRecovery({ kind: 'apology', message: text }).success).toBe(true)
    expect(
      validateRecovery({ kind: 'coupon', code: 'C-1', label: '5 off', terms: text }).success,
    ).toBe(true)
    expect(issue({ orderRef: 'A-1\n' })).toEqual({
      field: 'orderRef',
      message: 'orderRef contains a line break (U+000A)',
    })
    expect(issue({ customerToken: 'a.b\tc' })).toEqual({
      field: 'customerToken',
      message: 'customerToken contains a control character (U+0009)',
    })
    expect(
      validateRecovery({ kind: 'coupon', code: 'C-1', label: '5\r\noff' }).issues?.[0]?.field,
    ).toBe('label')
  })

  it('refuses unpaired surrogates, and takes pairs', () => {
    expect(issue({ description: 'Late \ud83d' })).toEqual({
      field: 'description',
      message: 'description contains an unpaired surrogate (U+D83D)',
    })
    expect(issue({ contact: { name: '\ude00Ada' } })?.message).toBe(
      'name contains an unpaired surrogate (U+DE00)',
    )
    expect(validateComplaint({ ...example, description: 'Late \ud83d\ude00' }).success).toBe(true)
  })

  it('normalises to NFC, and counts the limit on what it returns', () => {
    const result = validateComplaint({
      ...example,
      description: ' Cafe\u0301 ',
      contact: { name: '\u212bsa' },
      metadata: { 'cafe\u0301': 'cre\u0300me' },
    })
    expect(result.output?.description).toBe('Café')
    expect(result.output?.contact?.name).toBe('Åsa')
    expect(result.output?.metadata).toEqual({ café: 'crème' })
    // U+0958 is one unit in, two in NFC.
    expect(issue({ description: '\u0958'.repeat(LIMITS.description) })?.message).toBe(
      `description must be at most ${LIMITS.description} characters`,
    )
  })

  it('bounds metadata, and never puts a refused key into the field', () => {
    expect(issue({ metadata: { 'plan\u0001': 'pro' } })).toEqual({
      field: 'metadata',
      message: 'metadata key contains a control character (U+0001)',
    })
    expect(issue({ metadata: { note: 'pro\u0000' } })).toEqual({
      field: 'metadata.note',
      message: 'metadata value contains a control character (U+0000)',
    })
    expect(validateComplaint({ ...example, metadata: { note: 'a\nb' } }).success).toBe(true)
    expect(issue({ metadata: { seats: Number.POSITIVE_INFINITY } })?.field).toBe('metadata.seats')
    const huge = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}\u0000`, i]))
    expect(issue({ metadata: huge })).toEqual({
      field: 'metadata',
      message: `metadata may have at most ${LIMITS.metadataEntries} entries`,
    })
  })

  it('cleanText applies the same rules to one string', () => {
    expect(cleanText('Cafe\u0301', 'label')).toEqual({ success: true, output: 'Café' })
    expect(cleanText('a\nb', 'label').issues).toEqual([
      { field: 'label', message: 'label contains a line break (U+000A)' },
    ])
    expect(cleanText('a\nb', 'message', { multiline: true }).output).toBe('a\nb')
    expect(cleanText('\udfff', 'message', { multiline: true }).success).toBe(false)
  })
})

describe('helpers', () => {
  it('compares bodies regardless of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}',
    )
  })

  it('retries only 429 and 5xx', () => {
    expect([400, 401, 404, 409, 413, 429, 500, 503].map(isRetryableStatus)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ])
  })
})
