import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import '../test/locales'
import { changedPaths, describeActor, describeChange } from './AuditTrail'

describe('the audit trail', () => {
  setLocale('en')
  const m = settingsMessages.value.audit

  it('names the policy fields that changed', () => {
    expect(changedPaths(null, { caps: { perSiteDay: 75050 }, currency: 'CNY' })).toEqual([
      'caps.perSiteDay',
      'currency',
    ])
    expect(
      changedPaths({ caps: { perSiteDay: 1, perComplaintMax: 2 } }, { caps: { perSiteDay: 1 } }),
    ).toEqual(['caps.perComplaintMax'])
    expect(describeChange('policy', { before: null, after: { caps: { perSiteDay: 5 } } }, m)).toBe(
      'changed caps.perSiteDay',
    )
    expect(describeChange('policy', { before: { currency: 'CNY' }, after: null }, m)).toBe(
      'back to the defaults',
    )
  })

  it('lists origins and categories added and removed', () => {
    expect(
      describeChange('origins', { before: ['https://a.example'], after: ['https://b.example'] }, m),
    ).toBe('added https://b.example; removed https://a.example')
    expect(
      describeChange(
        'categories',
        {
          before: [{ id: 'slow', failureType: 'process' }],
          after: [{ id: 'slow', failureType: 'outcome' }],
        },
        m,
      ),
    ).toBe('changed')
  })

  it('says which endpoint was added or disabled, and what the guarantee says', () => {
    expect(
      describeChange('webhooks', { before: null, after: { id: 'w', url: 'https://h.example' } }, m),
    ).toBe('endpoint added: https://h.example')
    expect(
      describeChange('webhooks', { before: { id: 'w', url: 'https://h.example' }, after: null }, m),
    ).toBe('endpoint disabled: https://h.example')
    expect(describeChange('guarantee', { before: null, after: { text: 'Fast' } }, m)).toBe(
      'set: “Fast”',
    )
    expect(describeChange('guarantee', { before: { text: 'Fast' }, after: null }, m)).toBe(
      'removed',
    )
  })

  it('names the mail settings and what changed in them, in both languages', () => {
    const change = {
      before: null,
      after: { from: 'care@shop.example', team: ['ops@shop.example'], acknowledge: false },
    }
    expect(m.field.mail).toBe('Mail')
    expect(describeChange('mail', change, m)).toBe('changed acknowledge, from, team')
    expect(describeChange('mail', { before: change.after, after: null }, m)).toBe(
      'back to the defaults',
    )
    setLocale('zh-CN')
    expect(settingsMessages.value.audit.field.mail).toBe('邮件')
    setLocale('en')
  })

  it('says which early-warning rules came and went, and when they were turned off', () => {
    const burst = { id: 'burst', kind: 'burst', by: 'category', count: 5, withinMinutes: 60 }
    const night = { id: 'rule-3', kind: 'burst', by: 'site', count: 3, withinMinutes: 30 }
    expect(m.field.alerts).toBe('Early warning')
    // The first rules of its own replace the defaults (burst and spike).
    expect(describeChange('alerts', { before: null, after: [burst, night] }, m)).toBe(
      'added rule-3; removed spike',
    )
    expect(describeChange('alerts', { before: [burst, night], after: [] }, m)).toBe('turned off')
    expect(describeChange('alerts', { before: [], after: null }, m)).toBe('back to the defaults')
    setLocale('zh-CN')
    expect(settingsMessages.value.audit.field.alerts).toBe('预警')
    setLocale('en')
  })

  it('names a new verification secret by its last characters, in both languages', () => {
    const change = { before: null, after: { id: 'vsk_1', hint: 'Zq4x' } }
    expect(m.field.verificationSecrets).toBe('Customer verification')
    expect(describeChange('verificationSecrets', change, m)).toBe('new secret, ending in Zq4x')
    setLocale('zh-CN')
    const zh = settingsMessages.value.audit
    expect(zh.field.verificationSecrets).toBe('客户验证')
    expect(describeChange('verificationSecrets', change, zh)).toBe('新密钥，末尾为 Zq4x')
    setLocale('en')
  })

  it('says which notice was published, changed, ended or deleted, in both languages', () => {
    const published = {
      id: 'ntc_1',
      messages: { en: 'Card payments fail; we are on it.', 'zh-CN': '银行卡支付暂时失败。' },
      level: 'warning',
      page: '/checkout',
      startsAt: '2026-12-04T10:00:00.000Z',
      endsAt: null,
      alertId: null,
      createdAt: '2026-12-04T10:00:00.000Z',
      updatedAt: '2026-12-04T10:00:00.000Z',
    }
    const moved = {
      ...published,
      page: '/pay',
      level: 'info',
      updatedAt: '2026-12-04T11:00:00.000Z',
    }
    const ended = {
      ...published,
      endsAt: '2026-12-04T12:00:00.000Z',
      updatedAt: '2026-12-04T12:00:00.000Z',
    }
    // An end set for later is a change like another, not an ending.
    const later = { ...published, endsAt: '2026-12-05T00:00:00.000Z', updatedAt: ended.updatedAt }
    expect(m.field.notices).toBe('Known-issue notices')
    expect(describeChange('notices', { before: null, after: published }, m)).toBe(
      'published: “Card payments fail; we are on it.”',
    )
    expect(describeChange('notices', { before: published, after: moved }, m)).toBe(
      'changed level, page: “Card payments fail; we are on it.”',
    )
    expect(describeChange('notices', { before: published, after: ended }, m)).toBe(
      'ended: “Card payments fail; we are on it.”',
    )
    expect(describeChange('notices', { before: published, after: later }, m)).toBe(
      'changed endsAt: “Card payments fail; we are on it.”',
    )
    expect(describeChange('notices', { before: published, after: null }, m)).toBe(
      'deleted: “Card payments fail; we are on it.”',
    )
    const long = { ...published, messages: { en: 'x'.repeat(200) } }
    expect(describeChange('notices', { before: null, after: long }, m)).toBe(
      `published: “${'x'.repeat(79)}…”`,
    )
    setLocale('zh-CN')
    const zh = settingsMessages.value.audit
    expect(zh.field.notices).toBe('已知问题公告')
    expect(describeChange('notices', { before: null, after: published }, zh)).toBe(
      '已发布：“银行卡支付暂时失败。”',
    )
    expect(describeChange('notices', { before: published, after: ended }, zh)).toBe(
      '已结束：“银行卡支付暂时失败。”',
    )
    expect(describeChange('notices', { before: published, after: null }, zh)).toBe(
      '已删除：“银行卡支付暂时失败。”',
    )
    expect(describeChange('notices', { before: published, after: moved }, zh)).toBe(
      '修改了 level, page：“银行卡支付暂时失败。”',
    )
    setLocale('en')
  })

  it('says who made a change, when the server names them', () => {
    expect(describeActor({ kind: 'user', id: 'usr_olga', name: 'Olga' }, m)).toBe('by Olga')
    expect(describeActor({ kind: 'token', id: 'tok_1', name: 'Sync' }, m)).toBe(
      'by the token “Sync”',
    )
    expect(describeActor({ kind: 'admin_token', id: 'admin-token', name: 'Admin token' }, m)).toBe(
      'by the admin token',
    )
    expect(describeActor(null, m)).toBe('')
  })

  it('tells the team’s, the tokens’ and the admin token’s changes in words', () => {
    const bo = {
      id: 'usr_bo',
      email: 'bo@shop.example',
      name: 'Bo',
      role: 'agent',
      remedyLimit: 1000,
      dayLimit: null,
      active: false,
      totp: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      disabledAt: null,
    }
    expect(describeChange('team', { before: null, after: bo }, m)).toBe(
      'invited Bo (bo@shop.example) as Agent',
    )
    expect(
      describeChange(
        'team',
        { before: bo, after: { ...bo, role: 'manager', remedyLimit: 2000 } },
        m,
      ),
    ).toBe('Bo: changed remedyLimit, role')
    const disabled = { ...bo, disabledAt: '2026-02-01T00:00:00.000Z' }
    expect(describeChange('team', { before: bo, after: disabled }, m)).toBe('Bo disabled')
    expect(describeChange('team', { before: disabled, after: bo }, m)).toBe('Bo enabled again')
    const token = { id: 'tok_1', name: 'Sync', scopes: ['read', 'write'], revokedAt: null }
    expect(describeChange('tokens', { before: null, after: token }, m)).toBe(
      'token “Sync” made (read, write)',
    )
    expect(
      describeChange('tokens', { before: null, after: { ...token, revokedAt: '2026-02-01' } }, m),
    ).toBe('token “Sync” revoked')
    expect(describeChange('adminToken', { before: 'rotated', after: 'rotated' }, m)).toBe(
      'a new admin token was made; the old one stopped working',
    )
    setLocale('zh-CN')
    const zh = settingsMessages.value.audit
    expect(describeChange('team', { before: null, after: bo }, zh)).toBe(
      '邀请了 Bo（bo@shop.example），角色：客服',
    )
    expect(describeActor({ kind: 'user', id: 'usr_olga', name: 'Olga' }, zh)).toBe('操作人：Olga')
    setLocale('en')
  })
})
