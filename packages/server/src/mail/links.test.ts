import { describe, expect, it } from 'vitest'
import { LINK_LIFETIME_MS, linkKey, linkUrl, MAX_TOKEN_LENGTH, readLink, signLink } from './links'
import { classify } from './transport'

const key = linkKey('server-secret')
const mailId = 'mail_0123456789abcdefghijklmn'
const at = new Date('2026-11-01T10:00:00.000Z')
const expiresAt = new Date(at.getTime() + LINK_LIFETIME_MS)

describe('signed mail links', () => {
  it('reads back what was signed, until it expires', () => {
    const token = signLink(key, { purpose: 'r', mailId, expiresAt, answer: '4' })
    expect(token).toMatch(/^r\.mail_0123456789abcdefghijklmn\.[0-9a-z]+\.4\.[A-Za-z0-9_-]{43}$/)
    expect(readLink(key, token, 'r', at)).toEqual({ ok: true, mailId, answer: '4', expiresAt })
    expect(readLink(key, token, 'r', expiresAt).ok).toBe(true)
    expect(readLink(key, token, 'r', new Date(expiresAt.getTime() + 1))).toEqual({
      ok: false,
      reason: 'expired',
    })
  })

  it('refuses any change, another key and another purpose as invalid', () => {
    const token = signLink(key, { purpose: 'r', mailId, expiresAt, answer: 'y' })
    const parts = token.split('.')
    const variants = [
      ...parts.map((_part, index) =>
        parts
          .map((p, i) => (i === index ? p.slice(0, -1) + (p.endsWith('a') ? 'b' : 'a') : p))
          .join('.'),
      ),
      parts.map((p, i) => (i === 3 ? 'n' : p)).join('.'),
      `${token}x`,
      token.slice(1),
      '',
      'x'.repeat(MAX_TOKEN_LENGTH + 1),
    ]
    for (const variant of variants)
      expect(readLink(key, variant, 'r', at), variant).toEqual({ ok: false, reason: 'invalid' })
    expect(readLink(linkKey('another-secret'), token, 'r', at)).toEqual({
      ok: false,
      reason: 'invalid',
    })
    expect(readLink(key, token, 'u', at)).toEqual({ ok: false, reason: 'invalid' })
    // An expired token with a wrong signature says nothing about its expiry.
    const old = signLink(key, { purpose: 'r', mailId, expiresAt: at, answer: '1' })
    expect(readLink(key, `${old.slice(0, -1)}A`, 'r', expiresAt).ok).toBe(false)
    expect(readLink(key, `${old.slice(0, -1)}A`, 'r', expiresAt)).not.toEqual({
      ok: false,
      reason: 'expired',
    })
  })

  it('keeps unsubscribe links working; only they may have no expiry', () => {
    const token = signLink(key, { purpose: 'u', mailId, expiresAt: null, answer: '-' })
    expect(readLink(key, token, 'u', new Date('2099-01-01'))).toEqual({
      ok: true,
      mailId,
      answer: '-',
      expiresAt: null,
    })
    const forever = signLink(key, { purpose: 'r', mailId, expiresAt: null, answer: '-' })
    expect(readLink(key, forever, 'r', at)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('derives its key from the server secret, never equal to it', () => {
    expect(linkKey('s').equals(linkKey('s'))).toBe(true)
    expect(linkKey('s').equals(linkKey('t'))).toBe(false)
    expect(linkKey('s').toString()).not.toBe('s')
  })

  it('puts links under the public URL, with or without a trailing slash or path', () => {
    expect(linkUrl('https://care.shop.example/', 'r', 'tok')).toBe(
      'https://care.shop.example/v1/r/tok',
    )
    expect(linkUrl('https://shop.example/redress', 'u', 'tok')).toBe(
      'https://shop.example/redress/v1/u/tok',
    )
  })
})

describe('what an SMTP answer means', () => {
  const error = (fields: Record<string, unknown>) => Object.assign(new Error('SMTP'), fields)
  it('blames the address only for a 5xx to RCPT TO', () => {
    expect(
      classify(
        error({
          code: 'EENVELOPE',
          command: 'RCPT TO',
          responseCode: 550,
          response: '550 No such user',
        }),
      ),
    ).toEqual({
      kind: 'bounced',
      error: 'RCPT TO: 550 No such user',
    })
    expect(
      classify(
        error({
          code: 'EENVELOPE',
          command: 'MAIL FROM',
          responseCode: 553,
          response: '553 Sender not allowed',
        }),
      ).kind,
    ).toBe('failed')
    expect(
      classify(
        error({ code: 'EMESSAGE', command: 'DATA', responseCode: 554, response: '554 Rejected' }),
      ).kind,
    ).toBe('failed')
  })

  it('tries again after a 4xx, a failed login, a timeout or a lost connection', () => {
    expect(
      classify(
        error({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451, response: '451 Later' }),
      ).kind,
    ).toBe('retry')
    expect(
      classify(
        error({
          code: 'EAUTH',
          command: 'AUTH PLAIN',
          responseCode: 535,
          response: '535 Bad login',
        }),
      ).kind,
    ).toBe('retry')
    expect(classify(error({ code: 'ETIMEDOUT', command: 'CONN' })).kind).toBe('retry')
    expect(
      classify(error({ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:1' })).kind,
    ).toBe('retry')
  })
})
