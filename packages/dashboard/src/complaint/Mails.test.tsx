import { render, screen, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { complaint, mail } from '../test/fake-data'
import { signedIn } from '../test/helpers'
import { ComplaintView } from './ComplaintView'
import { describe as sentence } from './Timeline'

const MAILS = [
  mail({ id: 'mail_ack', kind: 'acknowledgment', state: 'sent' }),
  mail({
    id: 'mail_reply',
    kind: 'reply',
    state: 'pending',
    attempts: 1,
    lastError: '451 try again later',
    sentAt: null,
  }),
  mail({
    id: 'mail_follow',
    kind: 'follow_up',
    state: 'not_sent',
    attempts: 1,
    sentAt: null,
    text: 'Did we make it right?\n<b>1</b> <script>window.__xss=1</script>',
  }),
  mail({
    id: 'mail_critical',
    kind: 'team_critical',
    to: 'ops@shop.example',
    state: 'bounced',
    lastError: '550 no such user',
    sentAt: null,
  }),
  mail({
    id: 'mail_approval',
    kind: 'team_approval',
    to: 'ops@shop.example',
    state: 'failed',
    attempts: 6,
    lastError: 'connection refused',
    sentAt: null,
  }),
  mail({
    id: 'mail_unsubscribed',
    kind: 'acknowledgment',
    state: 'suppressed',
    attempts: 1,
    lastError: 'the address unsubscribed from this site',
    sentAt: null,
  }),
  mail({
    id: 'mail_guarantee',
    kind: 'team_guarantee',
    to: 'ops@shop.example',
    state: 'pending',
    attempts: 0,
    subject: null,
    text: null,
    sentAt: null,
  }),
]

/** The complaint's mail rows, each as the words a reader meets. */
function rows() {
  const section = screen.getByRole('heading', { name: /^(Mails|邮件)$/ }).parentElement!
  return [...section.querySelectorAll<HTMLElement>('.mail-row')].map((row) => ({
    id: row.dataset.id,
    head: row.querySelector('.remedy-head strong')!.textContent,
    state: row.querySelector('.chip')!.textContent,
    to: row.querySelector('.mail-to')!.textContent,
  }))
}

async function show(mails = MAILS) {
  const target = complaint({ mails })
  const server = signedIn({ complaints: [target] })
  render(<ComplaintView id={target.id} />)
  await screen.findByRole('heading', { name: `Complaint ${target.reference}` })
  return { target, server }
}

describe("a complaint's mails", () => {
  it('lists each mail with its kind, recipient, subject and state in words', async () => {
    await show()
    expect(rows()).toEqual([
      {
        id: 'mail_ack',
        head: 'Acknowledgment, to the customer',
        state: 'Sent',
        to: 'To kim@example.com',
      },
      {
        id: 'mail_reply',
        head: 'Your reply, to the customer',
        state: 'Waiting to send (attempt 2)',
        to: 'To kim@example.com',
      },
      {
        id: 'mail_follow',
        head: '“Did we make it right?”, to the customer',
        state: 'Not sent: no mail server is configured',
        to: 'To kim@example.com',
      },
      {
        id: 'mail_critical',
        head: 'To the team: a critical complaint',
        state: 'Bounced',
        to: 'To ops@shop.example',
      },
      {
        id: 'mail_approval',
        head: 'To the team: a remedy waits for approval',
        state: 'Failed',
        to: 'To ops@shop.example',
      },
      {
        id: 'mail_unsubscribed',
        head: 'Acknowledgment, to the customer',
        state: 'Not sent: unsubscribed',
        to: 'To kim@example.com',
      },
      {
        id: 'mail_guarantee',
        head: 'To the team: the service guarantee was broken',
        state: 'Waiting to send',
        to: 'To ops@shop.example',
      },
    ])
    const row = (id: string) => within(document.querySelector<HTMLElement>(`[data-id="${id}"]`)!)
    expect(row('mail_ack').getByText('We got your report R-AAAA1')).toBeTruthy()
    // When it was sent, as the other times of the view.
    expect(row('mail_ack').getByText(/2026/).getAttribute('datetime')).toBe(
      '2026-01-02T10:01:05.000Z',
    )
    expect(row('mail_approval').getByText('The server said: connection refused')).toBeTruthy()
    expect(row('mail_reply').getByText('The server said: 451 try again later')).toBeTruthy()
    // Nothing written yet: no subject, no text.
    expect(
      row('mail_guarantee').getByText('No subject yet: it is written on the first try.'),
    ).toBeTruthy()
    expect(
      row('mail_guarantee').getByText('No text yet: it is written on the first try.'),
    ).toBeTruthy()
  })

  it('opens the text body, as text', async () => {
    await show()
    const row = within(document.querySelector<HTMLElement>('[data-id="mail_follow"]')!)
    const body = row.getByText(/Did we make it right\?/, { selector: 'pre' })
    expect(body.closest('details')!.open).toBe(false)
    await userEvent.click(row.getByText('Text of the mail'))
    expect(body.closest('details')!.open).toBe(true)
    expect(body.textContent).toBe('Did we make it right?\n<b>1</b> <script>window.__xss=1</script>')
    expect(document.querySelector('.mails b, .mails script')).toBeNull()
    expect((window as { __xss?: number }).__xss).toBeUndefined()
  })

  it('says it in Chinese', async () => {
    await show()
    setLocale('zh-CN')
    await screen.findByRole('heading', { name: '邮件' })
    expect(rows().map((row) => [row.head, row.state])).toEqual([
      ['确认函，发给顾客', '已发送'],
      ['您的回复，发给顾客', '等待发送（第 2 次尝试）'],
      ['“问题解决了吗？”回访，发给顾客', '未发送：没有配置邮件服务器'],
      ['发给团队：严重投诉', '被退回'],
      ['发给团队：补救等待审批', '发送失败'],
      ['确认函，发给顾客', '未发送：已退订'],
      ['发给团队：服务承诺未兑现', '等待发送'],
    ])
    expect(rows()[0]!.to).toBe('收件人：kim@example.com')
    expect(screen.getAllByText('邮件正文')).toHaveLength(6)
  })

  it('names another reason for holding a mail back, and says when there are none', async () => {
    await show([
      mail({ state: 'suppressed', lastError: 'the address bounced before', sentAt: null }),
    ])
    expect(rows()[0]!.state).toBe('Not sent')
    expect(screen.getByText('The server said: the address bounced before')).toBeTruthy()
  })

  it('has no mails section when the server sends no mails field', async () => {
    const target = complaint()
    signedIn({ complaints: [target] })
    render(<ComplaintView id={target.id} />)
    await screen.findByRole('heading', { name: `Complaint ${target.reference}` })
    expect(screen.queryByRole('heading', { name: 'Mails' })).toBeNull()
  })

  it('says when a complaint has no mails', async () => {
    await show([])
    expect(screen.getByText('No mails for this complaint.')).toBeTruthy()
  })

  it('tells the mails in the timeline, in both languages', () => {
    const at = '2026-01-02T10:01:00.000Z'
    const queued = {
      type: 'mail_queued',
      data: { mailId: 'mail_1', kind: 'acknowledgment', to: 'kim@example.com' },
      at,
    }
    const delivered = {
      type: 'mail_delivery',
      data: {
        mailId: 'mail_2',
        kind: 'team_critical',
        to: 'ops@shop.example',
        state: 'not_sent',
        attempts: 1,
        error: null,
      },
      at,
    }
    setLocale('en')
    expect(sentence(queued, { recoveries: [] })).toBe(
      'Acknowledgment, to the customer (kim@example.com) — written, waiting to send',
    )
    expect(sentence(delivered, { recoveries: [] })).toBe(
      'To the team: a critical complaint (ops@shop.example) — Not sent: no mail server is configured',
    )
    setLocale('zh-CN')
    expect(sentence(delivered, { recoveries: [] })).toBe(
      '发给团队：严重投诉（ops@shop.example）— 未发送：没有配置邮件服务器',
    )
    setLocale('en')
  })
})
