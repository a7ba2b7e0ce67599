import type { Receipt } from '@redress/protocol'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { adminFetch, describeEachDatabase, expectJson, submitComplaint } from '../_test-harness'
import { type SmtpReceiver, startSmtp, useMailServer } from './_test-smtp'
import { ACKNOWLEDGMENTS_PER_DAY } from './worker'

const TEAM = ['ops@acme.example', 'boss@acme.example']

describeEachDatabase('mail to the team, and acknowledgments', (database) => {
  let smtp: SmtpReceiver
  beforeAll(async () => {
    smtp = await startSmtp()
  })
  afterAll(() => smtp.close())
  const get = useMailServer(database, () => smtp.url)
  const base = () => get().server.url
  const admin = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
    adminFetch(base(), 'test-admin-token', path, init)
  const kinds = async (receipt: Receipt) =>
    (
      await get()
        .server.database.db.selectFrom('mail_messages')
        .select(['kind', 'recipient', 'state'])
        .where('complaint_id', '=', receipt.id)
        .orderBy('seq')
        .execute()
    ).map((row) => `${row.kind} ${row.recipient} ${row.state}`)
  const about = (receipt: Receipt) =>
    smtp.arrived.filter((item) => (item.mail.subject ?? '').includes(receipt.reference))

  beforeAll(async () => {
    await expectJson(
      await admin('/site', {
        method: 'PATCH',
        body: { mail: { from: 'care@acme.example', team: TEAM, acknowledge: true } },
      }),
    )
  })

  it('tells the team of a critical complaint and of a remedy that waits, and acknowledges it', async () => {
    const receipt = await submitComplaint(base(), {
      severity: 'critical',
      description: 'The kettle caught fire',
      contact: { email: 'ada@example.com' },
      client: { locale: 'en-US' },
    })
    await get().drain()
    expect(await kinds(receipt)).toEqual([
      'team_critical ops@acme.example sent',
      'team_critical boss@acme.example sent',
      'acknowledgment ada@example.com sent',
      // Nobody vouched for the customer: the policy's coupon waits for a person.
      'team_approval ops@acme.example sent',
      'team_approval boss@acme.example sent',
    ])
    const mails = about(receipt)
    const critical = mails.filter(
      (item) => item.mail.subject === `Critical complaint ${receipt.reference}`,
    )
    // One mail per address, sent side by side: in either order.
    expect(critical.map((item) => item.envelope.to.join()).sort()).toEqual([...TEAM].sort())
    expect(critical[0]!.mail.text).toContain('The kettle caught fire')
    expect(critical[0]!.mail.text).toContain(`/admin/#/complaints/${receipt.id}`)
    expect(critical[0]!.header('list-unsubscribe')).toBeUndefined()
    const approval = mails.filter((item) =>
      item.mail.subject?.startsWith('A remedy waits for your approval'),
    )
    expect(approval).toHaveLength(2)
    expect(approval[0]!.mail.text).toContain('A coupon')
    expect(approval[0]!.mail.text).toContain('unverified')

    // The acknowledgment: the reference and what the customer was given at once.
    const [ack] = mails.filter((item) => item.envelope.to[0] === 'ada@example.com')
    expect(ack!.mail.subject).toBe(`We received your report ${receipt.reference}`)
    expect(receipt.recovery).not.toBeNull()
    const given = receipt.recovery as { message: string }
    expect(ack!.mail.text).toContain(given.message.split('\n')[0])
    expect(ack!.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
  })

  it('writes team mails in the team’s language, whatever the complaint’s', async () => {
    const critical = async (locale: string) => {
      const receipt = await submitComplaint(base(), {
        severity: 'critical',
        category: 'broken',
        description: '水壶着火了',
        client: { locale },
      })
      await get().drain()
      // The critical complaint's mails, not those about the remedy waiting for approval.
      return about(receipt).filter((item) => item.mail.text?.includes('水壶着火了'))
    }
    // English by default, also about a Chinese customer's complaint.
    const english = await critical('zh')
    expect(english).toHaveLength(2)
    expect(english[0]!.mail.subject).toMatch(/^Critical complaint R-/)
    expect(english[0]!.mail.text).toContain('Category: Something is broken')

    await expectJson(
      await admin('/site', {
        method: 'PATCH',
        body: {
          mail: { from: 'care@acme.example', team: TEAM, teamLocale: 'zh-CN', acknowledge: true },
        },
      }),
    )
    const chinese = await critical('en-US')
    expect(chinese).toHaveLength(2)
    expect(chinese[0]!.mail.subject).toMatch(/^严重投诉 R-/)
    expect(chinese[0]!.mail.text).toContain('严重程度：严重')
    expect(chinese[0]!.mail.text).toContain('类别：东西坏了或用不了')
    await expectJson(
      await admin('/site', {
        method: 'PATCH',
        body: { mail: { from: 'care@acme.example', team: TEAM, acknowledge: true } },
      }),
    )
  })

  it('mails nothing for a complaint that looks sent by a bot', async () => {
    const receipt = await submitComplaint(base(), {
      severity: 'critical',
      contact: { email: 'victim@example.com' },
      signals: { honeypot: 'http://spam.example' },
    })
    await get().drain()
    expect(await kinds(receipt)).toEqual([])
    expect(smtp.to('victim@example.com')).toEqual([])
  })

  it('tells the team when a service guarantee is broken', async () => {
    await expectJson(
      await admin('/site', {
        method: 'PATCH',
        body: {
          guarantee: {
            text: 'A reply within 2 hours, or €5 off',
            firstReplyWithin: 'PT2H',
            remedy: { kind: 'coupon', value: 500 },
          },
        },
      }),
    )
    const receipt = await submitComplaint(base(), { description: 'Nobody answers' })
    await get().drain()
    expect(await kinds(receipt)).toEqual([])
    get().advance(3 * 3_600_000)
    expect(await get().server.guarantees!.runOnce()).toBe(1)
    await get().drain()
    expect(await kinds(receipt)).toEqual([
      'team_approval ops@acme.example sent',
      'team_approval boss@acme.example sent',
      'team_guarantee ops@acme.example sent',
      'team_guarantee boss@acme.example sent',
    ])
    const broken = about(receipt).filter(
      (item) => item.mail.subject === `Service guarantee broken: ${receipt.reference}`,
    )
    expect(broken).toHaveLength(2)
    expect(broken[0]!.mail.text).toContain('"A reply within 2 hours, or €5 off"')
    await expectJson(await admin('/site', { method: 'PATCH', body: { guarantee: null } }))
  })

  it(`acknowledges at most ${ACKNOWLEDGMENTS_PER_DAY} complaints a day to one address`, async () => {
    const receipts: Receipt[] = []
    for (let i = 0; i <= ACKNOWLEDGMENTS_PER_DAY; i++)
      receipts.push(
        await submitComplaint(base(), {
          contact: { email: 'Flood@Example.com' },
          description: `Flood ${i}`,
        }),
      )
    await get().drain()
    const states = (await Promise.all(receipts.map(kinds))).flat()
    expect(states).toEqual([
      ...Array.from(
        { length: ACKNOWLEDGMENTS_PER_DAY },
        () => 'acknowledgment Flood@Example.com sent',
      ),
      'acknowledgment Flood@Example.com suppressed',
    ])
    expect(smtp.to('Flood@Example.com')).toHaveLength(ACKNOWLEDGMENTS_PER_DAY)
  })
})
