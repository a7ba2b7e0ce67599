import type { ComplaintDetail } from '@redress/protocol/admin'
import { expect, it } from 'vitest'
import { adminFetch, describeEachDatabase, expectJson, submitComplaint } from '../_test-harness'
import { useMailServer } from './_test-smtp'
import type { MailLogLine } from './worker'

describeEachDatabase('mail without an SMTP server', (database) => {
  const get = useMailServer(database, () => null)
  const admin = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
    adminFetch(get().server.url, 'test-admin-token', path, init)

  it('logs each mail, marks it not_sent and shows it in the complaint', async () => {
    const receipt = await submitComplaint(get().server.url, {
      contact: { email: 'ada@example.com' },
      client: { locale: 'zh-CN' },
    })
    await expectJson(
      await admin(`/complaints/${receipt.id}/replies`, {
        method: 'POST',
        body: { message: '包裹已找到，今天发出。' },
      }),
      201,
    )
    await expectJson(
      await admin(`/complaints/${receipt.id}`, { method: 'PATCH', body: { status: 'resolved' } }),
    )

    // Before the worker's round: queued, not written yet.
    const before = (await expectJson(await admin(`/complaints/${receipt.id}`))) as ComplaintDetail
    expect(before.mails?.map((mail) => [mail.kind, mail.state, mail.text])).toEqual([
      ['reply', 'pending', null],
      ['follow_up', 'pending', null],
    ])

    expect(await get().drain()).toBe(2)
    const view = (await expectJson(await admin(`/complaints/${receipt.id}`))) as ComplaintDetail
    const [replyMail, followUpMail] = view.mails!
    expect(replyMail).toMatchObject({
      kind: 'reply',
      to: 'ada@example.com',
      subject: `关于您的反馈 ${receipt.reference} 的回复`,
      state: 'not_sent',
      attempts: 1,
      sentAt: null,
    })
    expect(replyMail!.text).toContain('包裹已找到，今天发出。')
    expect(followUpMail).toMatchObject({ kind: 'follow_up', state: 'not_sent' })
    expect(followUpMail!.text).toContain('/v1/r/r.mail_')
    expect(
      view.timeline.filter((e) => e.type === 'mail_delivery').map((e) => e.data.state),
    ).toEqual(['not_sent', 'not_sent'])

    // One JSON log line per mail, with what would have been sent (the two side by side).
    const logged = (get().lines as MailLogLine[]).filter((line) => line.mailId)
    expect(logged).toHaveLength(2)
    for (const mail of [replyMail!, followUpMail!]) {
      const line = logged.find((entry) => entry.mailId === mail.id)
      expect(line).toMatchObject({
        level: 'info',
        msg: 'mail not sent: no SMTP server configured (REDRESS_SMTP_URL)',
        kind: mail.kind,
        to: 'ada@example.com',
        subject: mail.subject,
        text: mail.text,
      })
    }

    // Nothing is tried again: not_sent is final.
    get().advance(86_400_000)
    expect(await get().drain()).toBe(0)

    // Its links work all the same (a developer follows them from the log).
    const link = /https?:\/\/\S+\/v1\/r\/\S+/.exec(followUpMail!.text!)![0]
    expect((await fetch(link)).status).toBe(200)
  })

  it('shows the site’s mail settings and refuses bad ones, changing nothing', async () => {
    const site = await expectJson(await admin('/site'))
    expect(site.mail).toEqual({ from: null, team: [], teamLocale: 'en', acknowledge: false })
    for (const [mail, field, message] of [
      [
        { from: 'care' },
        'mail.from',
        'from is an e-mail address such as care@shop.example, or null',
      ],
      [
        { team: ['ops@shop.example', 'a,b@shop.example'] },
        'mail.team[1]',
        'Each team address is an e-mail address such as ops@shop.example',
      ],
      [
        { team: Array.from({ length: 11 }, (_, i) => `ops${i}@shop.example`) },
        'mail.team',
        'team is an array of at most 10 e-mail addresses',
      ],
      [{ acknowledge: 'yes' }, 'mail.acknowledge', 'acknowledge is true or false'],
      [{ teamLocale: 'fr' }, 'mail.teamLocale', 'teamLocale is one of en, zh-CN'],
      [{ smtp: 'x' }, 'mail.smtp', 'Unknown field smtp'],
    ] as const) {
      const refused = await expectJson(
        await admin('/site', { method: 'PATCH', body: { mail } }),
        400,
      )
      expect(refused).toEqual({ error: { code: 'invalid_request', message, field } })
    }
    expect((await expectJson(await admin('/site'))).mail).toEqual({
      from: null,
      team: [],
      teamLocale: 'en',
      acknowledge: false,
    })
    const changed = await expectJson(
      await admin('/site', {
        method: 'PATCH',
        body: {
          mail: { from: ' care@shop.example ', team: ['ops@shop.example', 'OPS@shop.example'] },
        },
      }),
    )
    expect(changed.mail).toEqual({
      from: 'care@shop.example',
      team: ['ops@shop.example'],
      teamLocale: 'en',
      acknowledge: false,
    })
    const audit = await expectJson(await admin('/site/changes?limit=1'))
    expect(audit.items[0].changes.mail).toEqual({
      before: null,
      after: {
        from: 'care@shop.example',
        team: ['ops@shop.example'],
        teamLocale: 'en',
        acknowledge: false,
      },
    })
    await expectJson(await admin('/site', { method: 'PATCH', body: { mail: null } }))
    expect((await expectJson(await admin('/site'))).mail).toEqual({
      from: null,
      team: [],
      teamLocale: 'en',
      acknowledge: false,
    })
  })
})
