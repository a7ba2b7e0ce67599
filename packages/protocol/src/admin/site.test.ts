import { describe, expect, it } from 'vitest'
import {
  HARD_CAP_PERCENT,
  POLICY_TEXT_KEYS,
  parseAdmin,
  RotationBodySchema,
  SitePatchSchema,
} from './index'

/** Every text, with the placeholders it may use. */
const ALL_TEXTS = {
  apology: 'a',
  explanation: 'b',
  review: 'c',
  replacement: 'd{orderRef}',
  correction: 'e',
  refund: 'f {amount}',
  escalation: 'g',
  couponLabel: '{amount} h',
  couponTerms: 'i {date}',
}

// Each row: the input, then what the server answers today: the checked value,
// or [field, message] of its 400 (field '' is the whole body).
type Row = [input: unknown, expected: { value: unknown } | [field: string, message: string]]
const expectRows = (schema: Parameters<typeof parseAdmin>[0], rows: Row[]) => {
  for (const [input, expected] of rows) {
    const result = parseAdmin(schema, input)
    expect(result, JSON.stringify(input)).toEqual(
      Array.isArray(expected)
        ? { ok: false, field: expected[0], message: expected[1] }
        : { ok: true, value: expected.value },
    )
  }
}

/** `PATCH /v1/admin/site` with one field. */
const patch = (field: string, rows: Row[]): Row[] =>
  rows.map(([input, expected]) => [
    { [field]: input },
    Array.isArray(expected) ? expected : { value: { [field]: expected.value } },
  ])

const GUARANTEE = {
  text: 'A reply within 2 hours, or 5 € off',
  firstReplyWithin: 'PT2H',
  remedy: { kind: 'coupon', value: 500 },
}

describe('SitePatchSchema (PATCH /site)', () => {
  it('refuses what is not a change of the settings', () => {
    expectRows(SitePatchSchema, [
      [[], ['', 'Send a JSON object']],
      [
        {},
        [
          '',
          'Send at least one of origins, categories, policy, rateLimits, guarantee, mail, alerts, attachments',
        ],
      ],
      [{ name: 'x' }, ['name', 'Unknown field name']],
      [{ origins: 'x', name: 'x' }, ['name', 'Unknown field name']],
      // In the server's order: origins, categories, policy, rateLimits, guarantee.
      [
        { guarantee: 1, rateLimits: 1, policy: 1, categories: 1, origins: 1 },
        ['origins', 'origins is an array of origins'],
      ],
      [
        { guarantee: 1, rateLimits: 1, policy: 1, categories: 1 },
        ['categories', 'categories is an array'],
      ],
      [{ guarantee: 1, rateLimits: 1, policy: 1 }, ['policy', 'policy is an object']],
      [
        { guarantee: 1, rateLimits: 1 },
        ['rateLimits', 'rateLimits is { perIp?, perSite? } or null'],
      ],
      [{ guarantee: 1 }, ['guarantee', 'guarantee is { text, firstReplyWithin, remedy } or null']],
      [
        { policy: null, rateLimits: null, guarantee: null },
        { value: { policy: null, rateLimits: null, guarantee: null } },
      ],
    ])
  })

  it('normalises origins and drops duplicates', () => {
    const many = Array.from({ length: 51 }, (_, i) => `https://s${i}.example`)
    expectRows(
      SitePatchSchema,
      patch('origins', [
        [[], { value: [] }],
        [
          [
            'HTTPS://Shop.Example/',
            'https://shop.example',
            'http://localhost:*',
            ' http://a.example:8080 ',
          ],
          { value: ['https://shop.example', 'http://localhost:*', 'http://a.example:8080'] },
        ],
        [many.slice(0, 50), { value: many.slice(0, 50) }],
        [many, ['origins', 'origins holds at most 50 entries']],
        [[1], ['origins[0]', 'An origin is a text such as https://shop.example']],
        [
          [`https://${'a'.repeat(300)}.example`],
          ['origins[0]', 'An origin is a text such as https://shop.example'],
        ],
        [
          ['https://shop.example\u0000'],
          ['origins[0]', 'origins[0] contains a control character (U+0000)'],
        ],
        [
          ['https://a.example/path'],
          [
            'origins[0]',
            'Not an origin: https://a.example/path (expected https?://host[:port], no path)',
          ],
        ],
        [
          ['ftp://a.example'],
          ['origins[0]', 'Not an origin: ftp://a.example (expected https?://host[:port], no path)'],
        ],
        [
          ['https://ok.example', 'https://a.example?x=1'],
          [
            'origins[1]',
            'Not an origin: https://a.example?x=1 (expected https?://host[:port], no path)',
          ],
        ],
        [
          ['https://a.example:99999'],
          [
            'origins[0]',
            'Not an origin: "https://a.example:99999" (expected e.g. https://shop.example)',
          ],
        ],
      ]),
    )
  })

  it('checks categories one by one, naming the item', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `c${i}`, failureType: 'outcome' }))
    expectRows(
      SitePatchSchema,
      patch('categories', [
        [
          [{ id: 'late', failureType: 'process', label: ' Late\u0301 ', firmResponsible: false }],
          {
            value: [{ id: 'late', failureType: 'process', label: 'Laté', firmResponsible: false }],
          },
        ],
        [many.slice(0, 100), { value: many.slice(0, 100) }],
        [many, ['categories', 'categories holds at most 100 entries']],
        [
          [null],
          [
            'categories[0]',
            'A category is { id, failureType, label?, labels?, help?, firmResponsible? }',
          ],
        ],
        [
          [{ id: 'a', failureType: 'outcome' }, []],
          [
            'categories[1]',
            'A category is { id, failureType, label?, labels?, help?, firmResponsible? }',
          ],
        ],
        [[{ id: 'Bad Id', failureType: 'outcome', x: 1 }], ['categories[0].x', 'Unknown field x']],
        [
          [{ id: 'Bad Id', failureType: 'outcome' }],
          ['categories[0].id', 'id is 1–64 of a-z, 0-9, _ and -'],
        ],
        [[{ failureType: 'outcome' }], ['categories[0].id', 'id is 1–64 of a-z, 0-9, _ and -']],
        [
          [
            { id: 'a', failureType: 'outcome' },
            { id: 'a', failureType: 'other' },
          ],
          ['categories[1].id', 'Duplicate category id a'],
        ],
        [
          [{ id: 'a', failureType: 'other' }],
          ['categories[0].failureType', 'failureType must be one of outcome, process, interaction'],
        ],
        [
          [{ id: 'a' }],
          ['categories[0].failureType', 'failureType must be one of outcome, process, interaction'],
        ],
        [
          [{ id: 'late', failureType: 'process', label: 'Late\r\n' }],
          ['categories[0].label', 'categories[0].label contains a line break (U+000D)'],
        ],
        [
          [
            { id: 'a', failureType: 'process' },
            { id: 'b', failureType: 'process', label: '\u0000' },
          ],
          ['categories[1].label', 'categories[1].label contains a control character (U+0000)'],
        ],
        [
          [{ id: 'a', failureType: 'process', label: ' ' }],
          ['categories[0].label', 'label is 1–100 characters'],
        ],
        [
          [{ id: 'a', failureType: 'process', label: null }],
          ['categories[0].label', 'label is 1–100 characters'],
        ],
        [
          [{ id: 'a', failureType: 'process', label: 'x'.repeat(101) }],
          ['categories[0].label', 'label is 1–100 characters'],
        ],
        [
          [{ id: 'a', failureType: 'process', firmResponsible: 'no' }],
          ['categories[0].firmResponsible', 'firmResponsible is true or false'],
        ],
      ]),
    )
  })

  it('takes a label per locale beside the one label, each checked like it', () => {
    const LABELS = 'labels is { "en"?, "zh-CN"? }, a label per locale'
    expectRows(
      SitePatchSchema,
      patch('categories', [
        [
          [
            {
              id: 'late',
              failureType: 'process',
              label: 'Late',
              labels: { 'zh-CN': ' 配送太慢 ', en: 'Late delivery' },
            },
            { id: 'gift', failureType: 'outcome', labels: { 'zh-CN': '礼品包装' } },
          ],
          {
            value: [
              {
                id: 'late',
                failureType: 'process',
                label: 'Late',
                labels: { en: 'Late delivery', 'zh-CN': '配送太慢' },
              },
              { id: 'gift', failureType: 'outcome', labels: { 'zh-CN': '礼品包装' } },
            ],
          },
        ],
        [[{ id: 'a', failureType: 'process', labels: 'Late' }], ['categories[0].labels', LABELS]],
        [[{ id: 'a', failureType: 'process', labels: null }], ['categories[0].labels', LABELS]],
        [
          [{ id: 'a', failureType: 'process', labels: { fr: 'En retard' } }],
          ['categories[0].labels.fr', 'labels has no locale fr: one of en, zh-CN'],
        ],
        [
          [{ id: 'a', failureType: 'process', labels: { 'zh-cn': '慢' } }],
          ['categories[0].labels.zh-cn', 'labels has no locale zh-cn: one of en, zh-CN'],
        ],
        [
          [{ id: 'a', failureType: 'process', labels: { 'zh-CN': ' ' } }],
          ['categories[0].labels.zh-CN', 'labels.zh-CN is 1–100 characters'],
        ],
        [
          [{ id: 'a', failureType: 'process', labels: { en: 'x'.repeat(101) } }],
          ['categories[0].labels.en', 'labels.en is 1–100 characters'],
        ],
        [
          [{ id: 'a', failureType: 'process', labels: { en: 'Late\u0000' } }],
          [
            'categories[0].labels.en',
            'categories[0].labels.en contains a control character (U+0000)',
          ],
        ],
      ]),
    )
  })

  it('bounds, cleans and strictly checks policy overrides', () => {
    let nested: unknown = 'x'
    for (let i = 0; i < 8; i++) nested = { a: nested }
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`c${i}`, 'outcome']))
    expectRows(
      SitePatchSchema,
      patch('policy', [
        [{}, { value: {} }],
        [
          {
            caps: { perComplaintPercent: HARD_CAP_PERCENT, perSiteDay: 0 },
            categories: { late: 'process' },
            coupon: { source: 'pool', validDays: 1 },
            escalation: { contactWithin: 'P1D' },
            texts: { en: { apology: 'Sorry.\nWe are on it, cafe\u0301 included.' } },
            remedies: { outcome: { kind: 'refund' } },
            goodwill: { enabled: true },
          },
          {
            value: {
              caps: { perComplaintPercent: HARD_CAP_PERCENT, perSiteDay: 0 },
              categories: { late: 'process' },
              coupon: { source: 'pool', validDays: 1 },
              escalation: { contactWithin: 'P1D' },
              texts: { en: { apology: 'Sorry.\nWe are on it, café included.' } },
              remedies: { outcome: { kind: 'refund' } },
              goodwill: { enabled: true },
            },
          },
        ],
        ['strict', ['policy', 'policy is an object']],
        [[], ['policy', 'policy is an object']],
        [{ texts: nested }, ['policy', 'policy nests deeper than 8 levels']],
        [{ categories: wide }, ['policy', 'policy has more than 200 keys']],
        [
          { texts: { 'x\u0085': 1 } },
          ['policy.texts', 'A key of policy.texts contains a control character (U+0085)'],
        ],
        [{ 'x\u0085': 1 }, ['policy', 'A key of policy contains a control character (U+0085)']],
        [
          { texts: { en: { apology: 'Sorry\u0000' } } },
          [
            'policy.texts.en.apology',
            'policy.texts.en.apology contains a control character (U+0000)',
          ],
        ],
        [
          { texts: { en: { apology: ['a\u0000'] } } },
          [
            'policy.texts.en.apology.0',
            'policy.texts.en.apology.0 contains a control character (U+0000)',
          ],
        ],
        [{ nope: 1 }, ['policy.nope', 'Unknown policy field policy.nope']],
        [
          { caps: { perDay: 1 } },
          ['policy.caps.perDay', 'Unknown policy field policy.caps.perDay'],
        ],
        [
          { caps: { perComplaintPercent: 200 } },
          [
            'policy.caps.perComplaintPercent',
            'policy.caps.perComplaintPercent may not exceed the hard cap of 150',
          ],
        ],
        [
          { caps: { perSiteDay: 1.5 } },
          ['policy.caps.perSiteDay', 'policy.caps.perSiteDay is a whole number'],
        ],
        [
          { caps: { perSiteDay: -1 } },
          ['policy.caps.perSiteDay', 'policy.caps.perSiteDay is a number from 0'],
        ],
        [
          { caps: { perSiteDay: '1' } },
          ['policy.caps.perSiteDay', 'policy.caps.perSiteDay is a number from 0'],
        ],
        [{ caps: 1 }, ['policy.caps', 'policy.caps is an object']],
        [
          { remedies: { outcome: { kind: 'cash' } } },
          [
            'policy.remedies.outcome.kind',
            'policy.remedies.outcome.kind must be one of coupon, refund, replacement, correction, apology',
          ],
        ],
        [
          { remedies: { outcome: { escalate: 'yes' } } },
          ['policy.remedies.outcome.escalate', 'policy.remedies.outcome.escalate is true or false'],
        ],
        [
          { currency: 'euro' },
          ['policy.currency', 'policy.currency is an ISO 4217 code such as EUR'],
        ],
        [
          { categories: { x: 'bad' } },
          [
            'policy.categories.x',
            'policy.categories.x must be one of outcome, process, interaction',
          ],
        ],
        [
          { categories: { 'Bad Id': 'outcome' } },
          ['policy.categories.Bad Id', 'policy.categories: Bad Id is not a category id'],
        ],
        [
          { categories: [] },
          ['policy.categories', 'policy.categories is an object of category id → failure type'],
        ],
        [
          { escalation: { contactWithin: '2 hours' } },
          [
            'policy.escalation.contactWithin',
            'policy.escalation.contactWithin is an ISO 8601 duration such as PT2H',
          ],
        ],
        [
          { coupon: { validDays: 0 } },
          ['policy.coupon.validDays', 'policy.coupon.validDays is at least 1'],
        ],
        [
          { coupon: { source: 'x' } },
          ['policy.coupon.source', 'policy.coupon.source must be one of generated, pool'],
        ],
        [
          { unknownCategory: 'x' },
          [
            'policy.unknownCategory',
            'policy.unknownCategory must be one of outcome, process, interaction',
          ],
        ],
        [
          { texts: { 'zh-CN': { apology: ' ' } } },
          [
            'policy.texts.zh-CN.apology',
            'policy.texts.zh-CN.apology is a text of 1–1000 characters',
          ],
        ],
        [
          { goodwill: { enabled: 'yes' } },
          ['policy.goodwill.enabled', 'policy.goodwill.enabled is true or false'],
        ],
        [
          { repeatWindowDays: 2 ** 53 },
          ['policy.repeatWindowDays', 'policy.repeatWindowDays is a whole number'],
        ],
        [{ caps: { perComplaintPercent: 2.5 } }, { value: { caps: { perComplaintPercent: 2.5 } } }],
      ]),
    )
  })

  it('takes the customer’s texts per locale, and points the old text fields to them', () => {
    const moved = (from: string, key: string): [string, string] => [
      from,
      `${from} moved to policy.texts.en.${key} (English; policy.texts.zh-CN.${key} for Chinese)`,
    ]
    expectRows(
      SitePatchSchema,
      patch('policy', [
        [
          {
            texts: {
              'zh-CN': { apology: '非常抱歉。', couponLabel: '立减{amount}' },
              en: { couponTerms: 'Until {date}.', replacement: 'A new one{orderRef}.' },
            },
          },
          {
            value: {
              texts: {
                'zh-CN': { apology: '非常抱歉。', couponLabel: '立减{amount}' },
                en: { couponTerms: 'Until {date}.', replacement: 'A new one{orderRef}.' },
              },
            },
          },
        ],
        // Every text of both locales fits within the key limit.
        [
          { texts: { en: ALL_TEXTS, 'zh-CN': ALL_TEXTS } },
          { value: { texts: { en: ALL_TEXTS, 'zh-CN': ALL_TEXTS } } },
        ],
        [{ messages: { apology: 'Sorry.' } }, moved('policy.messages.apology', 'apology')],
        [
          { messages: { correction: 'Fixed.', apology: 'Sorry.' } },
          moved('policy.messages.correction', 'correction'),
        ],
        [{ messages: { review: 1 } }, moved('policy.messages.review', 'review')],
        [
          { messages: { thanks: 'Thanks.' } },
          [
            'policy.messages.thanks',
            'policy.messages.thanks: the texts moved to policy.texts, one set per locale (en, zh-CN)',
          ],
        ],
        [
          { messages: 'Sorry.' },
          [
            'policy.messages',
            'policy.messages: the texts moved to policy.texts, one set per locale (en, zh-CN)',
          ],
        ],
        [{ coupon: { label: '{amount} off' } }, moved('policy.coupon.label', 'couponLabel')],
        [{ coupon: { validDays: 9, terms: 'x' } }, moved('policy.coupon.terms', 'couponTerms')],
        [{ refund: { message: 'Refunded.' } }, moved('policy.refund.message', 'refund')],
        [{ escalation: { message: 'We call.' } }, moved('policy.escalation.message', 'escalation')],
        [
          { texts: { fr: { apology: 'Pardon.' } } },
          [
            'policy.texts.fr',
            'policy.texts.fr: policy.texts has one set of texts per locale, one of en, zh-CN',
          ],
        ],
        [
          { texts: { 'zh-CN': { thanks: '谢谢' } } },
          [
            'policy.texts.zh-CN.thanks',
            "Unknown policy field policy.texts.zh-CN.thanks: a locale's texts are apology, " +
              'explanation, review, replacement, correction, refund, escalation, couponLabel, couponTerms',
          ],
        ],
        [{ texts: { en: 'Sorry.' } }, ['policy.texts.en', 'policy.texts.en is an object']],
        [
          { texts: { en: { apology: 'x'.repeat(1001) } } },
          ['policy.texts.en.apology', 'policy.texts.en.apology is a text of 1–1000 characters'],
        ],
        [
          { texts: { en: { refund: 'Refunding {amout}.' } } },
          ['policy.texts.en.refund', 'policy.texts.en.refund may use {amount}, not {amout}'],
        ],
        [
          { texts: { 'zh-CN': { couponTerms: '有效期至{amount}。' } } },
          [
            'policy.texts.zh-CN.couponTerms',
            'policy.texts.zh-CN.couponTerms may use {date}, not {amount}',
          ],
        ],
        [
          { texts: { en: { apology: 'Sorry about {orderRef}.' } } },
          [
            'policy.texts.en.apology',
            'policy.texts.en.apology has no placeholders: {orderRef} would be shown as written',
          ],
        ],
        // Braces that are no placeholder are text.
        [
          { texts: { en: { apology: 'Sorry :-{ } {}' } } },
          { value: { texts: { en: { apology: 'Sorry :-{ } {}' } } } },
        ],
      ]),
    )
    expect(POLICY_TEXT_KEYS).toEqual(Object.keys(ALL_TEXTS))
  })

  it('reads rate limits scope by scope, in the order sent', () => {
    const LIMIT = (scope: string) =>
      `${scope} is false or { limit: a whole number ≥ 0, windowSeconds: 1–86400 }`
    expectRows(
      SitePatchSchema,
      patch('rateLimits', [
        [{}, { value: {} }],
        [
          { perIp: { limit: 20 }, perSite: false },
          { value: { perIp: { limit: 20, windowSeconds: 60 }, perSite: false } },
        ],
        [
          { perIp: false, perSite: { limit: 0, windowSeconds: 86400 } },
          { value: { perIp: false, perSite: { limit: 0, windowSeconds: 86400 } } },
        ],
        [
          // The server's quirk: `null` reads as off, then is refused as no limit.
          { perIp: null },
          ['rateLimits.perIp', LIMIT('perIp')],
        ],
        [[], ['rateLimits', 'rateLimits is { perIp?, perSite? } or null']],
        [{ perMinute: 1 }, ['rateLimits.perMinute', 'Unknown field perMinute']],
        [{ perIp: 1, perMinute: 1 }, ['rateLimits.perIp', LIMIT('perIp')]],
        [{ perIp: true }, ['rateLimits.perIp', LIMIT('perIp')]],
        [{ perIp: { limit: -1 } }, ['rateLimits.perIp', LIMIT('perIp')]],
        [{ perSite: { limit: 1, windowSeconds: 0 } }, ['rateLimits.perSite', LIMIT('perSite')]],
        [{ perSite: { limit: 1, windowSeconds: null } }, ['rateLimits.perSite', LIMIT('perSite')]],
        [{ perSite: { limit: 1, x: 1 } }, ['rateLimits.perSite', LIMIT('perSite')]],
      ]),
    )
  })

  it('checks the guarantee', () => {
    const DURATION =
      'firstReplyWithin is an ISO 8601 duration from one minute to 30 days, e.g. PT2H or P1D'
    const VALUE = 'value is a whole number of minor units from 1 to 1000000'
    expectRows(
      SitePatchSchema,
      patch('guarantee', [
        [GUARANTEE, { value: GUARANTEE }],
        [
          {
            ...GUARANTEE,
            text: ' A reply\nsoon ',
            remedy: { kind: 'coupon', value: 1, note: 'x' },
          },
          { value: { ...GUARANTEE, text: 'A reply\nsoon', remedy: { kind: 'coupon', value: 1 } } },
        ],
        [
          { ...GUARANTEE, firstReplyWithin: 'P30D' },
          { value: { ...GUARANTEE, firstReplyWithin: 'P30D' } },
        ],
        [
          { ...GUARANTEE, firstReplyWithin: 'PT1M' },
          { value: { ...GUARANTEE, firstReplyWithin: 'PT1M' } },
        ],
        [[], ['guarantee', 'guarantee is { text, firstReplyWithin, remedy } or null']],
        [{ ...GUARANTEE, extra: 1 }, ['guarantee.extra', 'Unknown field extra']],
        [{ ...GUARANTEE, text: '' }, ['guarantee.text', 'text is 1–300 characters']],
        [{ ...GUARANTEE, text: 'x'.repeat(301) }, ['guarantee.text', 'text is 1–300 characters']],
        [
          { ...GUARANTEE, text: 'A reply\u0007' },
          ['guarantee.text', 'guarantee.text contains a control character (U+0007)'],
        ],
        [{ text: 'x' }, ['guarantee.firstReplyWithin', DURATION]],
        [{ ...GUARANTEE, firstReplyWithin: 'PT10S' }, ['guarantee.firstReplyWithin', DURATION]],
        [{ ...GUARANTEE, firstReplyWithin: 'P30DT1S' }, ['guarantee.firstReplyWithin', DURATION]],
        [{ ...GUARANTEE, firstReplyWithin: 'P1M' }, ['guarantee.firstReplyWithin', DURATION]],
        [
          { ...GUARANTEE, remedy: { kind: 'refund', value: 5 } },
          ['guarantee.remedy', 'remedy is { kind: "coupon", value }'],
        ],
        [
          { ...GUARANTEE, remedy: undefined },
          ['guarantee.remedy', 'remedy is { kind: "coupon", value }'],
        ],
        [{ ...GUARANTEE, remedy: { kind: 'coupon', value: 0 } }, ['guarantee.remedy.value', VALUE]],
        [{ ...GUARANTEE, remedy: { kind: 'coupon' } }, ['guarantee.remedy.value', VALUE]],
        [
          { ...GUARANTEE, remedy: { kind: 'coupon', value: 1_000_001 } },
          ['guarantee.remedy.value', VALUE],
        ],
      ]),
    )
  })
})

describe('RotationBodySchema (POST /site/verification-secrets)', () => {
  const HOURS = 'overlapHours is a number of hours from 0 to 720'
  it('reads the overlap in hours as milliseconds', () => {
    expectRows(RotationBodySchema, [
      [undefined, { value: { overlapMs: undefined } }],
      [null, { value: { overlapMs: undefined } }],
      [{}, { value: { overlapMs: undefined } }],
      [{ overlapHours: 0 }, { value: { overlapMs: 0 } }],
      [{ overlapHours: 0.5 }, { value: { overlapMs: 1_800_000 } }],
      [{ overlapHours: 720 }, { value: { overlapMs: 720 * 3_600_000 } }],
      [[], ['', 'Send a JSON object { overlapHours? }']],
      ['24', ['', 'Send a JSON object { overlapHours? }']],
      [{ overlapHours: 1, hours: 1 }, ['hours', 'Unknown field hours']],
      [{ overlapHours: -1 }, ['overlapHours', HOURS]],
      [{ overlapHours: 721 }, ['overlapHours', HOURS]],
      [{ overlapHours: '1' }, ['overlapHours', HOURS]],
      [{ overlapHours: null }, ['overlapHours', HOURS]],
    ])
  })
})

describe('a category’s self-help', () => {
  const categories = (help: unknown) =>
    parseAdmin(SitePatchSchema, { categories: [{ id: 'late', failureType: 'process', help }] })

  it('keeps an answer and links per locale, trimmed, a locale with neither dropped', () => {
    expect(
      categories({
        en: {
          answer: ' Parcels take 3–5 days.\nTrack yours below. ',
          links: [{ label: 'Track', url: 'https://shop.example/track' }],
        },
        'zh-CN': {},
      }),
    ).toEqual({
      ok: true,
      value: {
        categories: [
          {
            id: 'late',
            failureType: 'process',
            help: {
              en: {
                answer: 'Parcels take 3–5 days.\nTrack yours below.',
                links: [{ label: 'Track', url: 'https://shop.example/track' }],
              },
            },
          },
        ],
      },
    })
  })

  it('refuses a link it would not show, naming it', () => {
    const refused = (help: unknown) => {
      const result = categories(help)
      return result.ok ? result : [result.field, result.message]
    }
    expect(refused({ fr: {} })).toEqual([
      'categories[0].help.fr',
      'help has no locale fr: one of en, zh-CN',
    ])
    expect(refused({ en: { links: [{ label: 'x', url: 'javascript:alert(1)' }] } })).toEqual([
      'categories[0].help.en.links[0].url',
      'url is an http(s) URL without credentials',
    ])
    expect(refused({ en: { answer: 'x'.repeat(1001) } })).toEqual([
      'categories[0].help.en.answer',
      'answer is text of 1–1000 characters',
    ])
    expect(
      refused({
        en: { links: Array.from({ length: 6 }, () => ({ label: 'a', url: 'https://a.example' })) },
      }),
    ).toEqual(['categories[0].help.en.links', 'links is an array of at most 5 links'])
  })
})
