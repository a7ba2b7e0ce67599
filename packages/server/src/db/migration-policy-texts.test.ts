// Migration 8 moves what a site stored in the policy's old text fields to
// `texts.en`. Each case stores a site's policy as the older server did, then
// runs the migration again as an upgrade would (it changes data only, so it is
// replayed on a migrated database rather than one held back at version 7).
import { PolicyOverridesSchema, parseAdmin } from '@redress/protocol/admin'
import { expect, it } from 'vitest'
import { siteId } from '../_lib/crypto'
import { describeEachDatabase } from '../_test-harness'
import { DEFAULT_POLICY, effectivePolicy } from '../recovery'
import { openDatabase } from './'
import { MIGRATIONS, migrate } from './migrations'

const VERSION = 8

const CASES: [string, unknown, unknown][] = [
  [
    'every old text, beside settings that stay',
    {
      currency: 'CNY',
      messages: { apology: 'So sorry.', review: 'We will look at it.' },
      coupon: { percent: { major: 10 }, label: '{amount} back', terms: 'Until {date}.' },
      refund: { message: 'Refunding {amount}.' },
      escalation: { contactWithin: 'PT4H', message: 'We will call.' },
    },
    {
      currency: 'CNY',
      coupon: { percent: { major: 10 } },
      escalation: { contactWithin: 'PT4H' },
      texts: {
        en: {
          apology: 'So sorry.',
          review: 'We will look at it.',
          couponLabel: '{amount} back',
          couponTerms: 'Until {date}.',
          refund: 'Refunding {amount}.',
          escalation: 'We will call.',
        },
      },
    },
  ],
  [
    'one coupon label: the coupon object goes with it',
    { coupon: { label: '{amount} off' } },
    { texts: { en: { couponLabel: '{amount} off' } } },
  ],
  [
    'values that were never texts: dropped, as the merge ignored them',
    { messages: { apology: 42, correction: null }, coupon: { label: ['x'], validDays: 30 } },
    { coupon: { validDays: 30 } },
  ],
  [
    'old texts that were not an object',
    { messages: 'Sorry', caps: { perSiteDay: 100 } },
    { caps: { perSiteDay: 100 } },
  ],
  [
    'texts already in the new place win over the old',
    {
      messages: { apology: 'Old apology.', explanation: 'Old explanation.' },
      texts: { en: { apology: 'New apology.' }, 'zh-CN': { apology: '新的道歉。' } },
    },
    {
      texts: {
        en: { apology: 'New apology.', explanation: 'Old explanation.' },
        'zh-CN': { apology: '新的道歉。' },
      },
    },
  ],
  ['nothing old: unchanged', { caps: { perSiteDay: 100 } }, { caps: { perSiteDay: 100 } }],
  ['the defaults', null, null],
]

describeEachDatabase('migration 8: policy texts per locale', (database) => {
  it('moves each site’s old text overrides to texts.en, and leaves the rest as it was', async () => {
    expect(Math.max(...MIGRATIONS.map((m) => m.version))).toBeGreaterThanOrEqual(VERSION)
    expect(MIGRATIONS.find((m) => m.version === VERSION)?.name).toMatch(/texts/)
    const { db, close } = await openDatabase(await database().create())
    try {
      const ids = CASES.map(() => siteId())
      await db
        .insertInto('sites')
        .values(
          CASES.map(([name, policy], i) => ({
            id: ids[i]!,
            public_key: `pk_migration_${i}`,
            name,
            origins: '[]',
            categories: '[]',
            policy: JSON.stringify(policy),
            admin_token_hash: `hash-${i}`,
          })),
        )
        .execute()
      await db.deleteFrom('redress_migrations').where('version', '=', VERSION).execute()
      expect(await migrate(db)).toEqual([VERSION])

      const sites = await db.selectFrom('sites').selectAll().where('id', 'in', ids).execute()
      const byId = new Map(sites.map((site) => [site.id, site]))
      for (const [i, [name, , after]] of CASES.entries()) {
        const site = byId.get(ids[i]!)!
        expect(site.policy, name).toEqual(after)
        // What was moved is what an owner may save now, and what the engine reads.
        if (after)
          expect(parseAdmin(PolicyOverridesSchema, after), name).toMatchObject({ ok: true })
      }
      const first = effectivePolicy(byId.get(ids[0]!)!)
      expect(first.texts.en).toEqual({
        ...DEFAULT_POLICY.texts.en,
        apology: 'So sorry.',
        review: 'We will look at it.',
        couponLabel: '{amount} back',
        couponTerms: 'Until {date}.',
        refund: 'Refunding {amount}.',
        escalation: 'We will call.',
      })
      // The English overrides stay English: a Chinese customer reads the Chinese defaults.
      expect(first.texts['zh-CN']).toEqual(DEFAULT_POLICY.texts['zh-CN'])

      // Run twice, it finds nothing more to move.
      await db.deleteFrom('redress_migrations').where('version', '=', VERSION).execute()
      await migrate(db)
      const again = await db
        .selectFrom('sites')
        .select(['id', 'policy'])
        .where('id', 'in', ids)
        .execute()
      for (const row of again) expect(row.policy).toEqual(byId.get(row.id)!.policy)
    } finally {
      await close()
    }
  })
})
