import { createHash } from 'node:crypto'
import type { Receipt } from '@redress/protocol'
import type { ComplaintDetail } from '@redress/protocol/admin'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { adminFetch, describeEachDatabase, expectJson, submitComplaint } from '../_test-harness'
import { RETRY_SCHEDULE_MS } from '../outbox'
import {
  type Arrived,
  linksOf,
  postForm,
  type SmtpReceiver,
  startSmtp,
  useMailServer,
} from './_test-smtp'
import { LINK_LIFETIME_MS, linkKey, linkUrl, signLink } from './links'
import { MESSAGES_PER_LINK } from './status'

const TOKEN = 'test-admin-token'

describeEachDatabase('mail over SMTP', (database) => {
  let smtp: SmtpReceiver
  beforeAll(async () => {
    smtp = await startSmtp()
  })
  afterAll(() => smtp.close())
  const get = useMailServer(database, () => smtp.url)
  const base = () => get().server.url
  const db = () => get().server.database.db
  const admin = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
    adminFetch(base(), TOKEN, path, init)

  let sent = 0
  /** A complaint from `email`, in `locale`, through the public API. */
  const complain = (email: string, locale: string, extra: Record<string, unknown> = {}) =>
    submitComplaint(base(), {
      contact: { email },
      client: { locale },
      description: `The mug arrived broken (${++sent})`,
      ...extra,
    })
  const reply = async (receipt: Receipt, message: string) =>
    expectJson(
      await admin(`/complaints/${receipt.id}/replies`, {
        method: 'POST',
        body: { message, author: 'Ana' },
      }),
      201,
    )
  const resolve = async (receipt: Receipt) =>
    expectJson(
      await admin(`/complaints/${receipt.id}`, { method: 'PATCH', body: { status: 'resolved' } }),
    )
  const detail = async (receipt: Receipt) =>
    (await expectJson(await admin(`/complaints/${receipt.id}`))) as ComplaintDetail
  const only = (list: Arrived[], subject: RegExp) => {
    const found = list.filter((item) => subject.test(item.mail.subject ?? ''))
    expect(found.map((item) => item.mail.subject)).toHaveLength(1)
    return found[0]!
  }
  const mailRows = (receipt: Receipt) =>
    db()
      .selectFrom('mail_messages')
      .selectAll()
      .where('complaint_id', '=', receipt.id)
      .orderBy('seq')
      .execute()
  const followUps = (receipt: Receipt) =>
    db().selectFrom('follow_ups').selectAll().where('complaint_id', '=', receipt.id).execute()

  beforeAll(async () => {
    await expectJson(
      await admin('/site', {
        method: 'PATCH',
        body: { mail: { from: 'care@acme.example', team: [], acknowledge: false } },
      }),
    )
  })

  it('sends the reply and the follow-up once each, in the complaint’s language', async () => {
    const english = await complain('ada@example.com', 'en-GB')
    const chinese = await complain('li@example.com', 'zh-TW')
    for (const receipt of [english, chinese]) {
      await reply(
        receipt,
        `We found your parcel.\nIt is on its way <b>today</b>. (${receipt.reference})`,
      )
      await resolve(receipt)
    }
    expect(await get().drain()).toBe(4)
    // Nothing is due again, now or much later.
    get().advance(2 * 86_400_000)
    expect(await get().drain()).toBe(0)

    const ada = smtp.to('ada@example.com')
    expect(ada).toHaveLength(2)
    const adaReply = only(ada, new RegExp(`^A reply about your report ${english.reference}$`))
    expect(adaReply.mail.text).toContain('We found your parcel.')
    expect(adaReply.mail.text).toContain('> It is on its way <b>today</b>.')
    expect(adaReply.mail.html).toContain('It is on its way &lt;b&gt;today&lt;/b&gt;')
    expect(adaReply.mail.html).toContain(english.reference)
    expect(adaReply.envelope).toEqual({ from: 'care@acme.example', to: ['ada@example.com'] })
    expect(adaReply.header('from')).toContain('care@acme.example')
    const adaFollowUp = only(
      ada,
      new RegExp(`^Did we make it right\\? \\(${english.reference}\\)$`),
    )
    expect(adaFollowUp.mail.text).toContain(english.reference)
    expect(adaFollowUp.mail.html).toContain(english.reference)
    expect([...linksOf(adaFollowUp).answers.keys()].sort()).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      'n',
      'y',
    ])

    const li = smtp.to('li@example.com')
    expect(li).toHaveLength(2)
    const liReply = only(li, new RegExp(`^关于您的反馈 ${chinese.reference} 的回复$`))
    expect(liReply.mail.text).toContain('查看处理进度')
    const liFollowUp = only(li, new RegExp(`^处理结果您满意吗？（${chinese.reference}）$`))
    expect(liFollowUp.mail.text).toContain('还没有')
    expect(liFollowUp.mail.html).toContain('lang="zh-CN"')

    // RFC 8058 on every customer mail, and a Message-ID of each row's own.
    for (const item of [...ada, ...li]) {
      expect(item.header('list-unsubscribe')).toMatch(
        /^<http:\/\/127\.0\.0\.1:\d+\/v1\/u\/u\.mail_/,
      )
      expect(item.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    }
    const ids = [...ada, ...li].map((item) => item.messageId)
    expect(new Set(ids).size).toBe(4)
    const rows = await mailRows(english)
    expect(rows.map((row) => [row.kind, row.state, row.attempts])).toEqual([
      ['reply', 'sent', 1],
      ['follow_up', 'sent', 1],
    ])
    expect(rows.map((row) => row.message_id).sort()).toEqual(
      ada.map((item) => item.messageId).sort(),
    )

    // The timeline shows each mail queued, then sent.
    const view = await detail(english)
    const events = (type: string) => view.timeline.filter((event) => event.type === type)
    expect(events('mail_queued').map((event) => event.data.kind)).toEqual(['reply', 'follow_up'])
    // Sent side by side: either may be recorded first.
    expect(
      events('mail_delivery')
        .map((event) => `${event.data.kind} ${event.data.state} ${event.data.to}`)
        .sort(),
    ).toEqual(['follow_up sent ada@example.com', 'reply sent ada@example.com'])
    expect(view.mails?.map((mail) => [mail.kind, mail.to, mail.state, mail.subject])).toEqual([
      ['reply', 'ada@example.com', 'sent', adaReply.mail.subject],
      ['follow_up', 'ada@example.com', 'sent', adaFollowUp.mail.subject],
    ])
    expect(view.mails?.[0]?.text).toBe(adaReply.mail.text)
  })

  it('records an answer only from the page’s button, once per mail, and a “no” reopens', async () => {
    const receipt = await complain('zhang@example.com', 'zh-CN')
    await resolve(receipt)
    await get().drain()
    const { answers, status } = linksOf(only(smtp.to('zhang@example.com'), /处理结果/))

    // What a mail scanner does: follow every link. Nothing is recorded.
    for (const url of [...answers.values(), status]) {
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
      expect(page.headers.get('set-cookie')).toBeNull()
      expect(page.headers.get('cache-control')).toBe('no-store')
      expect(page.headers.get('referrer-policy')).toBe('no-referrer')
      const html = await page.text()
      expect(html).not.toContain('<script')
      expect(html).toContain(receipt.reference)
      // The one style block is the one the policy allows.
      const style = /<style>([^<]*)<\/style>/.exec(html)![1]!
      const hash = createHash('sha256').update(style).digest('base64')
      expect(page.headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}'`)
    }
    expect(await followUps(receipt)).toEqual([])

    // The "not yet" link preselects that answer; the score is still asked.
    const page = await (await fetch(answers.get('n')!)).text()
    expect(page).toContain('value="no" checked')
    expect(page).not.toContain('value="yes" checked')
    expect(page).toContain('已解决')

    // Its button without a score: asked again, nothing recorded.
    const incomplete = await postForm(answers.get('n')!, { resolved: 'no' })
    expect(incomplete.status).toBe(400)
    expect(await incomplete.text()).toContain('请回答上面两个问题')
    expect(await followUps(receipt)).toEqual([])

    const answered = await postForm(answers.get('n')!, { score: '2', resolved: 'no' })
    expect(answered.status).toBe(200)
    const html = await answered.text()
    expect(html).toContain('抱歉还没解决，已重新受理')
    expect(html).toContain('已重新受理')
    // Answered: the follow-up form is gone; the one to write back stays.
    expect(html).not.toContain('name="score"')
    expect(html).toContain('name="intent" value="message"')

    // Exactly as the widget's follow-up: one answer, the complaint reopened by it.
    expect((await followUps(receipt)).map((row) => [row.score, row.resolved])).toEqual([[2, false]])
    const view = await detail(receipt)
    expect(view.status).toBe('reopened')
    expect(
      view.timeline.filter((event) => event.type === 'status_changed').map((event) => event.data),
    ).toContainEqual({ from: 'resolved', to: 'reopened', by: 'follow_up' })

    // The same link again, and another link of the same mail: no second answer.
    const again = await postForm(answers.get('n')!, { score: '2', resolved: 'no' })
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('我们已收到您的回答')
    expect((await postForm(answers.get('5')!, { score: '5', resolved: 'yes' })).status).toBe(409)
    expect(await followUps(receipt)).toHaveLength(1)
    expect((await detail(receipt)).status).toBe('reopened')
  })

  it('asks the three fairness taps too, each optional, and records those given', async () => {
    const receipt = await complain('fair@example.com', 'en')
    await resolve(receipt)
    await get().drain()
    const { answers } = linksOf(only(smtp.to('fair@example.com'), /Did we make it right/))
    const page = await (await fetch(answers.get('4')!)).text()
    for (const question of [
      'Was the remedy fair?',
      'Was it quick and easy?',
      'Were you treated with respect?',
    ])
      expect(page).toContain(question)
    // Incomplete: the taps already given come back checked.
    const incomplete = await postForm(answers.get('4')!, { fair_remedy: '2' })
    expect(incomplete.status).toBe(400)
    expect(await incomplete.text()).toContain('name="fair_remedy" value="2" checked')
    const answered = await postForm(answers.get('4')!, {
      score: '4',
      resolved: 'yes',
      fair_remedy: '2',
      fair_treatment: '5',
      fair_process: 'nine',
    })
    expect(answered.status).toBe(200)
    expect((await followUps(receipt)).map((row) => [row.score, row.fairness])).toEqual([
      [4, { remedy: 2, treatment: 5 }],
    ])
  })

  it('records one answer when a link is used twice at once', async () => {
    const receipt = await complain('twice@example.com', 'en')
    await resolve(receipt)
    await get().drain()
    const { answers } = linksOf(only(smtp.to('twice@example.com'), /Did we make it right/))
    const posts = await Promise.all(
      Array.from({ length: 6 }, () => postForm(answers.get('4')!, { score: '4', resolved: 'yes' })),
    )
    expect(posts.map((response) => response.status).sort()).toEqual([200, 409, 409, 409, 409, 409])
    expect((await followUps(receipt)).map((row) => [row.score, row.resolved])).toEqual([[4, true]])
    expect((await detail(receipt)).status).toBe('resolved')
  })

  it('refuses a tampered, expired or misused link with a clear page and no effect', async () => {
    const receipt = await complain('mallory@example.com', 'en')
    await resolve(receipt)
    await get().drain()
    const arrived = only(smtp.to('mallory@example.com'), /Did we make it right/)
    const { answers, unsubscribe } = linksOf(arrived)
    const good = answers.get('5')!
    const token = good.split('/v1/r/')[1]!
    const [purpose, mailId, expires, , signature] = token.split('.') as [
      string,
      string,
      string,
      string,
      string,
    ]
    const flip = (text: string) => text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A')
    const forged = [
      // Another answer under the same signature, a changed signature, a later expiry.
      `${purpose}.${mailId}.${expires}.1.${signature}`,
      `${purpose}.${mailId}.${expires}.5.${flip(signature)}`,
      `${purpose}.${mailId}.${(Number.parseInt(expires, 36) + 86_400).toString(36)}.5.${signature}`,
      // The unsubscribe token on the status page, and garbage.
      unsubscribe.split('/v1/u/')[1]!,
      `r.mail_000000000000000000000000.zzzzzz.5.${'A'.repeat(43)}`,
      'x'.repeat(5000),
    ]
    for (const bad of forged) {
      const page = await fetch(`${base()}/v1/r/${bad}`)
      expect(page.status, bad).toBe(404)
      expect(await page.text()).toContain('This link is not valid')
      const post = await postForm(`${base()}/v1/r/${bad}`, { score: '1', resolved: 'no' })
      expect(post.status).toBe(404)
    }
    expect(
      await get()
        .server.database.db.selectFrom('mail_suppressions')
        .selectAll()
        .where('mail_id', '=', mailId)
        .execute(),
    ).toEqual([])
    // A link the server signed, 14 days and a second ago.
    const key = linkKey('test-secret')
    const expired = linkUrl(
      base(),
      'r',
      signLink(key, {
        purpose: 'r',
        mailId,
        expiresAt: new Date(Date.now() - 1000),
        answer: '1',
      }),
    )
    const page = await fetch(expired)
    expect(page.status).toBe(410)
    expect(await page.text()).toContain('This link has expired')
    expect((await postForm(expired, { score: '1', resolved: 'no' })).status).toBe(410)
    // One still within its 14 days works.
    const fresh = signLink(key, {
      purpose: 'r',
      mailId,
      expiresAt: new Date(Date.now() + LINK_LIFETIME_MS),
      answer: '3',
    })
    expect((await fetch(linkUrl(base(), 'r', fresh))).status).toBe(200)
    expect(await followUps(receipt)).toEqual([])
    expect((await detail(receipt)).status).toBe('resolved')
  })

  it('lets the customer write back from the reply’s link, and tells the team once per message', async () => {
    await expectJson(
      await admin('/site', {
        method: 'PATCH',
        body: {
          mail: { from: 'care@acme.example', team: ['ops@acme.example'], acknowledge: false },
        },
      }),
    )
    try {
      const receipt = await complain('wu@example.com', 'zh-CN')
      await reply(receipt, 'We sent a new mug.')
      await get().drain()
      const { status } = linksOf(only(smtp.to('wu@example.com'), /的回复$/))
      const page = await (await fetch(status)).text()
      expect(page).toContain('给我们留言')
      expect(page).toContain('name="intent" value="message"')

      // Empty: asked again, nothing recorded.
      const empty = await postForm(status, { intent: 'message', message: '   ' })
      expect(empty.status).toBe(400)
      expect(await empty.text()).toContain('请填写留言内容')

      const sent = await postForm(status, {
        intent: 'message',
        message: 'The new one is <b>cracked</b> too.',
      })
      expect(sent.status).toBe(200)
      const html = await sent.text()
      expect(html).toContain('我们已收到您的留言')
      expect(html).toContain('The new one is &lt;b&gt;cracked&lt;/b&gt; too.')
      // The form sent again (a reload): one message.
      const again = await postForm(status, {
        intent: 'message',
        message: 'The new one is <b>cracked</b> too.',
      })
      expect(await again.text()).toContain('这条留言我们已经收到了')

      const view = await detail(receipt)
      expect(
        view.timeline
          .filter((event) => event.type === 'customer_replied')
          .map((e) => e.data.message),
      ).toEqual(['The new one is <b>cracked</b> too.'])
      await get().drain()
      const team = smtp
        .to('ops@acme.example')
        .filter((item) => item.mail.subject?.includes(receipt.reference))
      expect(team.map((item) => item.mail.subject)).toEqual([
        `The customer wrote back about ${receipt.reference}`,
      ])
      expect(team[0]!.mail.text).toContain('The new one is <b>cracked</b> too.')
      expect(team[0]!.mail.html).toContain('&lt;b&gt;cracked&lt;/b&gt;')
      // The follow-up form is not on a reply's page, and its answer is refused there.
      expect((await postForm(status, { score: '1', resolved: 'no' })).status).toBe(400)
    } finally {
      await expectJson(
        await admin('/site', {
          method: 'PATCH',
          body: { mail: { from: 'care@acme.example', team: [], acknowledge: false } },
        }),
      )
    }
  })

  it('takes at most a bounded number of messages through one link', async () => {
    const receipt = await complain('chatty@example.com', 'en')
    await reply(receipt, 'Anything else?')
    await get().drain()
    const { status } = linksOf(only(smtp.to('chatty@example.com'), /^A reply about/))
    for (let i = 0; i < MESSAGES_PER_LINK; i++)
      expect((await postForm(status, { intent: 'message', message: `Note ${i}` })).status).toBe(200)
    const refused = await postForm(status, { intent: 'message', message: 'One more' })
    expect(refused.status).toBe(429)
    expect(await refused.text()).toContain('we will answer what we have first')
    const events = (await detail(receipt)).timeline.filter((e) => e.type === 'customer_replied')
    expect(events).toHaveLength(MESSAGES_PER_LINK)
  })

  it('retries a refused (4xx) mail on the schedule and sends it once', async () => {
    const address = 'busy@example.com'
    smtp.rule = (to, attempt) => (to === address && attempt <= 2 ? 451 : undefined)
    const receipt = await complain(address, 'en')
    await reply(receipt, 'Sorry about the wait.')
    expect(await get().drain()).toBe(1)
    const [first] = await mailRows(receipt)
    expect(first).toMatchObject({ state: 'pending', attempts: 1 })
    expect(first!.last_error).toContain('451')
    // Not before its time (5 s, ±20%: the test's jitter is the middle).
    get().advance(RETRY_SCHEDULE_MS[0]! - 1000)
    expect(await get().drain()).toBe(0)
    get().advance(1000)
    expect(await get().drain()).toBe(1)
    get().advance(RETRY_SCHEDULE_MS[1]!)
    expect(await get().drain()).toBe(1)
    get().advance(86_400_000)
    expect(await get().drain()).toBe(0)

    expect(smtp.attempts.get(address)).toBe(3)
    const arrived = smtp.to(address)
    expect(arrived).toHaveLength(1)
    const [row] = await mailRows(receipt)
    expect(row).toMatchObject({ state: 'sent', attempts: 3, last_error: null })
    expect(arrived[0]!.messageId).toBe(row!.message_id)
    const deliveries = (await detail(receipt)).timeline.filter((e) => e.type === 'mail_delivery')
    expect(deliveries.map((event) => [event.data.state, event.data.attempts])).toEqual([
      ['sent', 3],
    ])
    smtp.rule = () => undefined
  })

  it('marks a refused (5xx) address bounced, never retries it, and mails it no more', async () => {
    const address = 'nobody@example.com'
    smtp.rule = (to) => (to === address ? 550 : undefined)
    const receipt = await complain(address, 'en')
    await reply(receipt, 'First reply.')
    expect(await get().drain()).toBe(1)
    const [row] = await mailRows(receipt)
    expect(row).toMatchObject({ state: 'bounced', attempts: 1 })
    expect(row!.last_error).toContain('550')
    const suppressed = await db()
      .selectFrom('mail_suppressions')
      .selectAll()
      .where('address', '=', address)
      .execute()
    expect(suppressed.map((s) => [s.reason, s.mail_id])).toEqual([['bounced', row!.id]])
    get().advance(30 * 86_400_000)
    expect(await get().drain()).toBe(0)

    // The next mail to it is not even tried.
    await reply(receipt, 'Second reply.')
    expect(await get().drain()).toBe(1)
    expect(smtp.attempts.get(address)).toBe(1)
    const rows = await mailRows(receipt)
    expect(rows.map((r) => [r.state, r.last_error])).toEqual([
      ['bounced', row!.last_error],
      ['suppressed', 'the address bounced before'],
    ])
    expect(smtp.to(address)).toEqual([])
    const view = await detail(receipt)
    expect(view.mails?.map((mail) => mail.state)).toEqual(['bounced', 'suppressed'])
    expect(
      view.timeline.filter((e) => e.type === 'mail_delivery').map((e) => e.data.state),
    ).toEqual(['bounced', 'suppressed'])
    smtp.rule = () => undefined
  })

  it('stops every mail to an address that unsubscribed with one click', async () => {
    const address = 'enough@example.com'
    const receipt = await complain(address, 'en')
    await reply(receipt, 'Here is an update.')
    await get().drain()
    const arrived = only(smtp.to(address), /A reply about/)
    const url = arrived.header('list-unsubscribe')!.replace(/^<|>$/g, '')
    expect(linksOf(arrived).unsubscribe).toBe(url)

    // Following the link only asks.
    const ask = await fetch(url)
    expect(ask.status).toBe(200)
    expect(await ask.text()).toContain(`Stop e-mails from`)
    await reply(receipt, 'Another update.')
    await get().drain()
    expect(smtp.to(address)).toHaveLength(2)

    // What a mail provider sends (RFC 8058): a POST with no cookies and no context.
    const done = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('will send no more e-mails to enough@example.com')
    expect((await postForm(url, { 'List-Unsubscribe': 'One-Click' })).status).toBe(200)

    await reply(receipt, 'A third update.')
    await resolve(receipt)
    expect(await get().drain()).toBe(2)
    expect(smtp.to(address)).toHaveLength(2)
    const rows = await mailRows(receipt)
    expect(rows.slice(2).map((r) => [r.kind, r.state, r.last_error])).toEqual([
      ['reply', 'suppressed', 'the address unsubscribed from this site'],
      ['follow_up', 'suppressed', 'the address unsubscribed from this site'],
    ])
    // Another address of the same customer is still mailed.
    const other = await complain('enough+other@example.com', 'en')
    await reply(other, 'Hello.')
    await get().drain()
    expect(smtp.to('enough+other@example.com')).toHaveLength(1)
  })
})
