// A complaint is answered in the language its widget spoke (`client.locale`):
// every text the server writes for the customer, money and dates included,
// and the owner's texts per locale. Written once, when each remedy is made.
import type { Complaint, CouponRecovery, Receipt, Recovery, StatusReport } from '@redress/protocol'
import { describe, expect, it } from 'vitest'
import { complaintId, reference } from '../_lib/crypto'
import {
  adminFetch,
  describeEachDatabase,
  expectJson,
  submitComplaint,
  useServer,
  verifiedComplaint,
} from '../_test-harness'
import type { Site } from '../db/schema'
import { createSite } from '../sites'
import { applyPolicy } from './decide'
import { startGuaranteeWorker } from './guarantee'
import { DEFAULT_POLICY, effectivePolicy, type PolicyOverrides } from './policy'
import { complaintLocale, voice } from './texts'

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`

const EN = DEFAULT_POLICY.texts.en
const ZH = DEFAULT_POLICY.texts['zh-CN']
const CHINESE = { client: { locale: 'zh-CN' } }

/** The day a coupon expires as a Chinese customer reads it: `2027年2月21日`, in UTC. */
const zhDay = (iso: string) => {
  const date = new Date(iso)
  return `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日`
}

describe('the policy’s voice', () => {
  const policy = effectivePolicy({ categories: [], policy: { currency: 'CNY' } } as never)

  it('reads the locale from the complaint, as the widget does', () => {
    expect(complaintLocale({ client: { locale: 'zh-TW' } })).toBe('zh-CN')
    expect(complaintLocale({ client: { locale: 'ZH' } })).toBe('zh-CN')
    expect(complaintLocale({ client: { locale: 'de-CH' } })).toBe('en')
    expect(complaintLocale({})).toBe('en')
    expect(complaintLocale(undefined)).toBe('en')
  })

  it('fills money, dates and the order for each language, and joins sentences its way', () => {
    const zh = voice(policy, 'zh-CN')
    const en = voice(policy, 'en')
    expect(zh.amount(zh.texts.couponLabel, 1050)).toBe('下次购物立减¥10.50')
    expect(en.amount(en.texts.couponLabel, 1050)).toBe('CN¥10.50 off your next order')
    const day = new Date('2027-02-21T23:30:00Z')
    expect(zh.date(zh.texts.couponTerms, day)).toBe('仅限您本人使用一次，有效期至2027年2月21日。')
    expect(en.date(en.texts.couponTerms, day)).toBe(
      'Single use, for you only. Valid until February 21, 2027.',
    )
    expect(zh.order(zh.texts.replacement, 'A-7')).toBe(
      '我们会为您补寄订单 A-7 的新商品，费用全部由我们承担。',
    )
    expect(zh.order(zh.texts.replacement, null)).toBe('我们会为您补寄新商品，费用全部由我们承担。')
    expect(en.order(en.texts.replacement, 'A-7')).toBe(
      "We'll send you a replacement for order A-7 at no cost.",
    )
    expect(zh.join(ZH.apology, false, ZH.review)).toBe(`${ZH.apology}${ZH.review}`)
    expect(en.join(EN.apology, null, EN.review)).toBe(`${EN.apology} ${EN.review}`)
  })

  it('puts what the customer typed in as text, never as a replacement pattern', () => {
    const zh = voice(policy, 'zh-CN')
    expect(zh.order('{orderRef}!', "A$&B$'C$$")).toBe("订单 A$&B$'C$$ 的!")
  })

  it('has every default text in both languages, each with the placeholders it fills', () => {
    for (const texts of [EN, ZH]) {
      expect(texts.refund).toContain('{amount}')
      expect(texts.couponLabel).toContain('{amount}')
      expect(texts.couponTerms).toContain('{date}')
      expect(texts.replacement).toContain('{orderRef}')
    }
    // Chinese texts in Chinese: each has Han characters and Chinese punctuation, no English words.
    for (const [key, text] of Object.entries(ZH)) {
      expect(text, key).toMatch(/\p{Script=Han}/u)
      expect(text.replace(/\{\w+\}/g, ''), key).not.toMatch(/[A-Za-z]{2,}/)
    }
  })
})

describeEachDatabase('answered in the complaint’s language', (database) => {
  const server = useServer(database, { guarantees: false })
  const db = () => server().database.db

  const newSite = async (policy: PolicyOverrides = {}) =>
    createSite(db(), { name: `Shop ${unique()}`, origins: [], policy })

  const post = (site: Site, extra: Partial<Complaint> = {}) =>
    submitComplaint(server().url, {
      site: site.public_key,
      category: 'broken',
      severity: 'major',
      ...extra,
    })
  const postVerified = async (site: Site, extra: Partial<Complaint> = {}) =>
    post(site, await verifiedComplaint(db(), site, extra))

  const status = async (receipt: Receipt) =>
    (await (
      await fetch(`${server().url}/v1/complaints/${receipt.id}`, {
        headers: { authorization: `Bearer ${receipt.token}` },
      })
    ).json()) as StatusReport

  const CNY = (value: number) => ({ value, currency: 'CNY' })

  it('a minor complaint: the Chinese apology and explanation, no space between', async () => {
    const { site } = await newSite()
    const receipt = await post(site, { ...CHINESE, severity: 'minor' })
    expect(receipt.recovery).toEqual({ kind: 'apology', message: `${ZH.apology}${ZH.explanation}` })
  })

  it('a major complaint: a coupon labelled in Chinese, money and date written for zh-CN', async () => {
    const { site } = await newSite({ currency: 'CNY' })
    const receipt = await postVerified(site, { ...CHINESE, orderValue: CNY(4200) })
    const coupon = receipt.recovery as CouponRecovery
    expect(coupon).toMatchObject({ kind: 'coupon', label: '下次购物立减¥10.50' })
    expect(coupon.terms).toBe(`仅限您本人使用一次，有效期至${zhDay(coupon.expiresAt!)}。`)
    expect((await status(receipt)).recoveries).toEqual([
      { kind: 'apology', message: ZH.apology },
      coupon,
    ])

    // The same complaint in English reads as it always did.
    const english = await postVerified(site, {
      client: { locale: 'en-GB' },
      orderValue: CNY(4200),
    })
    const date = new Date((english.recovery as CouponRecovery).expiresAt!)
    expect(english.recovery).toMatchObject({
      label: 'CN¥10.50 off your next order',
      terms: `Single use, for you only. Valid until ${date.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' })}.`,
    })
  })

  it('a major complaint nobody vouched for: the Chinese apology and that a person will decide', async () => {
    const { site } = await newSite()
    const receipt = await post(site, CHINESE)
    expect(receipt.recovery).toEqual({ kind: 'apology', message: `${ZH.apology}${ZH.review}` })
    const english = await post(site)
    expect(english.recovery).toEqual({ kind: 'apology', message: `${EN.apology} ${EN.review}` })
  })

  it('a critical complaint: the coupon, and a person who gets in touch, in Chinese', async () => {
    const { site } = await newSite()
    const receipt = await postVerified(site, {
      ...CHINESE,
      severity: 'critical',
      orderValue: { value: 4200, currency: 'EUR' },
    })
    expect(receipt.recovery).toMatchObject({ kind: 'coupon', label: '下次购物立减€25.20' })
    const [apology, coupon, escalation] = (await status(receipt)).recoveries
    expect(apology).toEqual({ kind: 'apology', message: ZH.apology })
    expect(coupon).toEqual(receipt.recovery)
    expect(escalation).toEqual({
      kind: 'escalation',
      message: `${ZH.apology}${ZH.escalation}`,
      contactWithin: 'PT2H',
    })
  })

  it('a refund, a replacement and a correction in Chinese', async () => {
    const refunds = (await newSite({ currency: 'CNY', remedies: { outcome: { kind: 'refund' } } }))
      .site
    const refund = await postVerified(refunds, { ...CHINESE, orderValue: CNY(4200) })
    expect(refund.recovery).toEqual({
      kind: 'refund',
      amount: CNY(4200),
      message: '我们正在为您办理退款，¥42.00将原路退回您的付款账户。',
    })

    const replaces = (await newSite({ remedies: { outcome: { kind: 'replacement' } } })).site
    const replaced = await postVerified(replaces, {
      ...CHINESE,
      orderRef: 'A-7',
      orderValue: { value: 2000, currency: 'EUR' },
    })
    expect(replaced.recovery).toEqual({
      kind: 'replacement',
      message: '我们会为您补寄订单 A-7 的新商品，费用全部由我们承担。',
    })

    const corrects = (await newSite({ remedies: { process: { kind: 'correction' } } })).site
    const corrected = await post(corrects, { ...CHINESE, category: 'slow' })
    expect(corrected.recovery).toEqual({ kind: 'correction', message: ZH.correction })
  })

  it('the owner’s Chinese texts win over the defaults, for Chinese customers only', async () => {
    const texts = {
      'zh-CN': { apology: '对不起，是我们没做好。', couponLabel: '送您{amount}，下次用' },
    }
    const { site, adminToken } = await newSite()
    await expectJson(
      await adminFetch(server().url, adminToken, '/site', {
        method: 'PATCH',
        body: { policy: { texts } },
      }),
    )
    const order = { value: 4000, currency: 'EUR' }
    const chinese = await postVerified(site, { ...CHINESE, orderValue: order })
    expect(chinese.recovery).toMatchObject({ label: '送您€10.00，下次用' })
    expect((await status(chinese)).recoveries[0]).toEqual({
      kind: 'apology',
      message: '对不起，是我们没做好。',
    })
    const unverified = await post(site, { ...CHINESE, severity: 'minor' })
    expect(unverified.recovery).toEqual({
      kind: 'apology',
      message: `对不起，是我们没做好。${ZH.explanation}`,
    })

    const english = await postVerified(site, { orderValue: order })
    expect(english.recovery).toMatchObject({ label: '€10.00 off your next order' })
    expect((await status(english)).recoveries[0]).toEqual({ kind: 'apology', message: EN.apology })

    // Texts are written once: changing them later leaves what customers were given.
    await expectJson(
      await adminFetch(server().url, adminToken, '/site', {
        method: 'PATCH',
        body: { policy: null },
      }),
    )
    expect((await status(chinese)).recoveries[0]).toEqual({
      kind: 'apology',
      message: '对不起，是我们没做好。',
    })
    const later = await post(site, { ...CHINESE, severity: 'minor' })
    expect(later.recovery).toEqual({ kind: 'apology', message: `${ZH.apology}${ZH.explanation}` })
  })

  it('refuses the old text fields with their new place, and keeps what was stored', async () => {
    const { site, adminToken } = await newSite()
    const patch = (policy: unknown) =>
      adminFetch(server().url, adminToken, '/site', { method: 'PATCH', body: { policy } })
    const stored = { texts: { 'zh-CN': { review: '店主会尽快回复您。' } } }
    await expectJson(await patch(stored))
    expect(await expectJson(await patch({ messages: { apology: 'Sorry.' } }), 400)).toEqual({
      error: {
        code: 'invalid_request',
        message:
          'policy.messages.apology moved to policy.texts.en.apology (English; policy.texts.zh-CN.apology for Chinese)',
        field: 'policy.messages.apology',
      },
    })
    expect(
      (await expectJson(await patch({ ...stored, coupon: { label: '{amount} off' } }), 400)).error,
    ).toMatchObject({
      field: 'policy.coupon.label',
      message: expect.stringContaining('moved to policy.texts.en.couponLabel'),
    })
    expect(
      (await expectJson(await patch({ texts: { 'zh-CN': { refund: '退款{amout}' } } }), 400)).error,
    ).toEqual({
      code: 'invalid_request',
      message: 'policy.texts.zh-CN.refund may use {amount}, not {amout}',
      field: 'policy.texts.zh-CN.refund',
    })
    const view = await expectJson(await adminFetch(server().url, adminToken, '/site'))
    expect(view.policy.overrides).toEqual(stored)
    expect(view.policy.effective.texts['zh-CN']).toEqual({ ...ZH, review: '店主会尽快回复您。' })
    expect(view.policy.effective.texts.en).toEqual(EN)
    const receipt = await post(site, CHINESE)
    expect(receipt.recovery).toEqual({
      kind: 'apology',
      message: `${ZH.apology}店主会尽快回复您。`,
    })
  })

  it('an approved remedy, a hand-issued one and a goodwill coupon speak the complaint’s language', async () => {
    const { site, adminToken } = await newSite({ goodwill: { enabled: true, value: 300 } })
    // Goodwill: a stranger's complaint gets a small coupon at once.
    const goodwill = await post(site, CHINESE)
    expect(goodwill.recovery).toMatchObject({ kind: 'coupon', label: '下次购物立减€3.00' })

    // Waiting for the owner (the goodwill budget of this client is spent), then approved.
    const waiting = await post(site, CHINESE)
    expect(waiting.recovery).toEqual({ kind: 'apology', message: `${ZH.apology}${ZH.review}` })
    const pending = await db()
      .selectFrom('recoveries')
      .select('id')
      .where('complaint_id', '=', waiting.id)
      .where('status', '=', 'pending_approval')
      .executeTakeFirstOrThrow()
    const approved = await expectJson(
      await adminFetch(server().url, adminToken, `/recoveries/${pending.id}/approve`, {
        method: 'POST',
        body: { value: 800 },
      }),
    )
    expect(approved.recovery).toMatchObject({ kind: 'coupon', label: '下次购物立减€8.00' })
    expect(approved.recovery.terms).toBe(
      `仅限您本人使用一次，有效期至${zhDay(approved.recovery.expiresAt)}。`,
    )

    // By hand: the policy's Chinese where the owner gives no words, theirs as given where they do.
    const issue = async (body: unknown) =>
      (
        await expectJson(
          await adminFetch(server().url, adminToken, `/complaints/${waiting.id}/recoveries`, {
            method: 'POST',
            body,
          }),
          201,
        )
      ).recovery as Recovery
    expect(await issue({ kind: 'escalation' })).toEqual({
      kind: 'escalation',
      message: ZH.escalation,
      contactWithin: 'PT2H',
    })
    expect(await issue({ kind: 'coupon', value: 200, label: 'A gift of {amount}' })).toMatchObject({
      kind: 'coupon',
      label: 'A gift of €2.00',
    })
    expect(await issue({ kind: 'apology', message: 'Sorry, from Ana.' })).toEqual({
      kind: 'apology',
      message: 'Sorry, from Ana.',
    })
  })

  it('a broken service guarantee pays its coupon in the complaint’s language', async () => {
    const { site, adminToken } = await newSite()
    await expectJson(
      await adminFetch(server().url, adminToken, '/site', {
        method: 'PATCH',
        body: {
          guarantee: {
            text: '1分钟内回复，否则送您优惠',
            firstReplyWithin: 'PT1M',
            remedy: { kind: 'coupon', value: 500 },
          },
        },
      }),
    )
    const receipt = await postVerified(site, { ...CHINESE, severity: 'minor' })
    const worker = startGuaranteeWorker({
      db: db(),
      interval: false,
      now: () => new Date(Date.now() + 2 * 60_000),
    })
    await worker.runOnce()
    await worker.stop()
    expect((await status(receipt)).recoveries).toContainEqual(
      expect.objectContaining({ kind: 'coupon', label: '下次购物立减€5.00' }),
    )
  })

  it('a complaint that looks sent by a bot: the Chinese apology and explanation only', async () => {
    const { site } = await newSite()
    const complaint = {
      site: site.public_key,
      category: 'broken',
      severity: 'critical',
      description: 'x',
      ...CHINESE,
    } as Complaint
    const decision = await db()
      .transaction()
      .execute(async (trx) => {
        const id = complaintId()
        const now = new Date()
        await trx
          .insertInto('complaints')
          .values({
            id,
            site_id: site.id,
            reference: reference(),
            idempotency_key: unique(),
            request_hash: 'test',
            token_hash: 'test',
            body: JSON.stringify(complaint),
            category: complaint.category,
            severity: complaint.severity,
            status: 'received',
            customer_id: null,
            order_ref: null,
            receipt: '{}',
            received_at: now,
            updated_at: now,
            suspicion: 'honeypot',
          })
          .execute()
        return applyPolicy(trx, { id, complaint, suspicion: 'honeypot' }, site, now)
      })
    expect(decision.recovery).toEqual({
      kind: 'apology',
      message: `${ZH.apology}${ZH.explanation}`,
    })
  })
})
