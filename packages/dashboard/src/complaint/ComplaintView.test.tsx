import { act, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { complaint, recovery } from '../test/fake-data'
import { signedIn } from '../test/helpers'
import { setMyName } from './_my-name'
import { ComplaintView } from './ComplaintView'

const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'

const patches = (server: ReturnType<typeof signedIn>) =>
  server.sent('PATCH').map((request) => request.body)

/** `target` on screen, signed in to a fake server that holds it. */
function show(target = complaint()) {
  const server = signedIn({ complaints: [target] })
  const user = userEvent.setup()
  render(<ComplaintView id={target.id} />)
  return { target, server, user }
}

describe('a complaint', () => {
  it('links only a plain e-mail address: no prefilled cc or body', async () => {
    const email = 'a@b.co?cc=evil%40x.example&body=Refund%20me'
    show(complaint({ complaint: { ...complaint().complaint, contact: { email } } }))
    const cell = (await screen.findByText('Email', { selector: 'dt' })).nextElementSibling!
    expect(cell.textContent).toBe(email)
    expect(cell.querySelector('a')).toBeNull()
  })

  it('shows everything the customer sent, as text', async () => {
    const target = complaint({
      complaint: {
        category: 'order',
        severity: 'critical',
        description: `Broken twice.\n${XSS}`,
        contact: { email: 'kim@example.com', name: 'Kim <b>Lee</b>' },
        orderRef: 'A-1001',
        orderValue: { value: 2599, currency: 'EUR' },
        customer: { id: 'cust-7' },
        page: {
          url: 'javascript:alert(1)',
          title: 'Checkout',
          referrer: 'https://shop.example/cart',
        },
        client: { locale: 'zh-CN', userAgent: 'Mozilla/5.0 Test', sdk: 'redress/0.1.0' },
        metadata: { plan: 'pro', '<i>key</i>': '<script>window.__xss=1</script>', items: 3 },
        occurredAt: '2026-01-02T09:59:00.000Z',
      },
    })
    signedIn({ complaints: [target] })
    render(<ComplaintView id={target.id} />)
    expect(
      await screen.findByRole('heading', { name: `Complaint ${target.reference}` }),
    ).toBeTruthy()

    const description = document.querySelector('.description')!
    expect(description.textContent).toBe(`Broken twice.\n${XSS}`)
    expect(
      document.querySelector('.complaint img, .complaint script, .complaint b, .complaint i'),
    ).toBeNull()
    expect((window as { __xss?: number }).__xss).toBeUndefined()

    const facts = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling!
    expect(facts('Category').textContent).toBe('Order problem (order)')
    expect(facts('How bad').textContent).toBe('Critical')
    expect(facts('Name').textContent).toBe('Kim <b>Lee</b>')
    expect(facts('Email').querySelector('a')!.getAttribute('href')).toBe('mailto:kim@example.com')
    expect(facts('Order').textContent).toBe('A-1001')
    expect(facts('Order value').textContent).toBe('€25.99')
    expect(facts('Customer id').textContent).toBe('cust-7')
    // A page address that is not http(s) is shown, never linked.
    expect(facts('Page').textContent).toBe('javascript:alert(1)')
    expect(facts('Page').querySelector('a')).toBeNull()
    expect(facts('Came from').querySelector('a')!.getAttribute('href')).toBe(
      'https://shop.example/cart',
    )
    expect(facts('Page title').textContent).toBe('Checkout')
    expect(facts('Language').textContent).toBe('zh-CN')
    expect(facts('Browser').textContent).toBe('Mozilla/5.0 Test')
    expect(facts('plan').textContent).toBe('pro')
    expect(facts('<i>key</i>').textContent).toBe('<script>window.__xss=1</script>')
    expect(facts('items').textContent).toBe('3')
  })

  it('tells the timeline in words, in both languages', async () => {
    const at = '2026-01-02T10:00:00.000Z'
    const target = complaint({
      recoveries: [recovery({ id: 'rcv_1', status: 'approved', value: 1500 })],
      timeline: [
        { type: 'received', data: { recovery: 'apology', suspicion: null }, at },
        { type: 'recovery', data: { recoveryId: 'rcv_0', kind: 'apology', status: 'issued' }, at },
        {
          type: 'recovery',
          data: {
            recoveryId: 'rcv_1',
            kind: 'coupon',
            status: 'pending_approval',
            value: 1500,
            reason: 'customer_cap',
          },
          at,
        },
        {
          type: 'recovery_approved',
          data: { recoveryId: 'rcv_1', kind: 'coupon', value: 1500 },
          at,
        },
        {
          type: 'assigned',
          data: { from: null, to: 'Ana', actor: { kind: 'user', id: 'usr_1', name: 'Ana' } },
          at,
        },
        { type: 'replied', data: { message: 'We are <b>on it</b>.', author: 'Ana' }, at },
        { type: 'status_changed', data: { from: 'received', to: 'in_progress', by: 'reply' }, at },
        { type: 'follow_up', data: { score: 4, resolved: true }, at },
        {
          type: 'guarantee_broken',
          data: { promise: 'A reply within 2 hours', dueAt: at, recoveryId: 'rcv_2' },
          at,
        },
        {
          type: 'customer_replied',
          data: { message: 'The new one is <i>cracked</i> too.', mailId: 'mail_1' },
          at,
        },
      ],
    })
    signedIn({ complaints: [target] })
    render(<ComplaintView id={target.id} />)
    const events = await waitFor(() => {
      const found = [...document.querySelectorAll('.timeline .event-text')].map(
        (node) => node.textContent,
      )
      expect(found.length).toBe(10)
      return found
    })
    expect(events).toEqual([
      'Complaint received; the policy answered with: Apology',
      'Apology shown to the customer',
      'Coupon drafted, waiting for approval: it is over this customer’s 30-day cap',
      'Coupon approved: €15.00',
      'Taken by Ana',
      'Reply sent by Ana',
      'Status changed from New to In progress by a reply',
      'Customer answered the follow-up: 4/5; made it right: Yes',
      expect.stringMatching(
        /^Service guarantee broken \(“A reply within 2 hours”, due .+\): the promised coupon was given$/,
      ),
      'The customer wrote back from the link in an e-mail',
    ])
    // Who took it, as the server named them.
    expect(
      [...document.querySelectorAll('.timeline .event-by')].map((node) => node.textContent),
    ).toEqual([' · by Ana'])
    // Both sides' words, as text.
    expect(
      [...document.querySelectorAll('.timeline .quote')].map((node) => node.textContent),
    ).toEqual(['We are <b>on it</b>.', 'The new one is <i>cracked</i> too.'])

    await act(() => setLocale('zh-CN'))
    const zh = [...document.querySelectorAll('.timeline .event-text')].map(
      (node) => node.textContent,
    )
    expect(zh.slice(0, 7)).toEqual([
      '收到投诉；政策给予：道歉',
      '已向顾客显示道歉',
      '优惠券已起草，等待审批：超过该顾客 30 天内的上限',
      '优惠券已批准：€15.00',
      '由 Ana 接手',
      'Ana 发送了回复',
      '状态从“新投诉”改为“处理中”（因回复）',
    ])
  })

  it('is taken by whoever takes it first', async () => {
    setMyName('')
    const { target, server, user } = show()
    const take = await screen.findByRole('button', { name: 'Take it' })
    await user.click(take)
    expect(screen.getByText('Enter a name first.')).toBeTruthy()
    expect(patches(server)).toEqual([])

    await user.type(screen.getByLabelText('Your name'), 'Ana')
    // Meanwhile Bo took it.
    server.complaints.set(target.id, { ...target, assignee: 'Bo' })
    await user.click(take)
    expect(await screen.findByText('Someone took it first: Bo owns it now.')).toBeTruthy()
    expect(screen.getByText('Bo owns this complaint.')).toBeTruthy()
    expect(patches(server)).toEqual([{ assignee: 'Ana' }])

    // Taking it over asks first, then forces.
    await user.click(screen.getByRole('button', { name: 'Change owner' }))
    expect(
      screen.getByText('Bo already owns this complaint. Give it to someone else?'),
    ).toBeTruthy()
    expect((screen.getByLabelText('New owner') as HTMLInputElement).value).toBe('Ana')
    await user.click(screen.getByRole('button', { name: 'Yes, reassign' }))
    expect(await screen.findByText('Ana owns this complaint.')).toBeTruthy()
    expect(patches(server).at(-1)).toEqual({ assignee: 'Ana', force: true })
    expect(screen.queryByRole('button', { name: 'Yes, reassign' })).toBeNull()
  })

  it('changes the status, root cause and assessment, each with its own error', async () => {
    const { server, user } = show()
    await user.selectOptions(await screen.findByLabelText('Status'), 'resolved')
    await waitFor(() => expect(patches(server)).toEqual([{ status: 'resolved' }]))
    await user.selectOptions(screen.getByLabelText('Root cause'), 'supplier')
    await user.click(screen.getByLabelText('No'))
    await waitFor(() =>
      expect(patches(server).slice(1)).toEqual([
        { rootCause: 'supplier' },
        { recoveryAppropriate: false },
      ]),
    )

    server.on('PATCH', /./, () => ({
      status: 400,
      body: {
        error: { code: 'invalid_request', message: 'status must be one of …', field: 'status' },
      },
    }))
    await user.selectOptions(screen.getByLabelText('Status'), 'closed')
    const error = await screen.findByText('status must be one of …')
    expect(error.id).toBe('status-error')
    // The choice stays on screen; the root cause's place shows no error.
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('closed')
    expect(document.getElementById('rootCause-error')!.textContent).toBe('')
  })

  it('sends a reply once, however often it is retried', async () => {
    setMyName('Ana')
    const { server, user } = show()
    let down = true
    server.on('POST', /\/replies$/, () =>
      down
        ? { status: 503, body: { error: { code: 'internal_error', message: 'Try again later' } } }
        : undefined,
    )
    const text = (await screen.findByLabelText('Message')) as HTMLTextAreaElement
    await user.type(text, 'We found your parcel.')
    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    expect(await screen.findByText('Try again later')).toBeTruthy()
    expect(text.value).toBe('We found your parcel.')

    down = false
    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    expect(await screen.findByText('Reply sent.')).toBeTruthy()
    expect(text.value).toBe('')
    const replies = () => server.sent('POST', /\/replies$/)
    const sent = replies()
    expect(sent.map((request) => request.body)).toEqual([
      { message: 'We found your parcel.', author: 'Ana' },
      { message: 'We found your parcel.', author: 'Ana' },
    ])
    expect(sent[1]!.headers['idempotency-key']).toBe(sent[0]!.headers['idempotency-key'])

    await user.type(text, 'Tracking: 123')
    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    await waitFor(() => expect(replies()).toHaveLength(3))
    const third = replies()[2]!
    expect(third.headers['idempotency-key']).not.toBe(sent[0]!.headers['idempotency-key'])
  })

  it('approves or rejects a remedy waiting for approval, saying why it waits', async () => {
    const { server, user } = show(
      complaint({
        recoveries: [
          recovery(),
          recovery({ id: 'rcv_other', kind: 'refund', reason: 'no_order_value', value: 0 }),
        ],
      }),
    )
    const [coupon, refund] = await waitFor(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('.remedy-row')]
      expect(rows).toHaveLength(2)
      return rows
    })
    expect(
      within(coupon!).getByText('Why it waits: it is over this customer’s 30-day cap.'),
    ).toBeTruthy()
    expect(
      within(refund!).getByText(
        'Why it waits: a refund needs the order value, and the page sent none.',
      ),
    ).toBeTruthy()

    // A refund drafted without a value needs one to be approved.
    await user.click(within(refund!).getByRole('button', { name: 'Approve' }))
    expect(within(refund!).getByText('Enter the value to approve, e.g. 12.50.')).toBeTruthy()
    await user.type(within(refund!).getByLabelText('Value to approve (EUR)'), '9.99')
    await user.click(within(refund!).getByRole('button', { name: 'Approve' }))
    await waitFor(() =>
      expect(server.sent('POST', /^\/v1\/admin\/recoveries\/rcv_other\/approve$/)).toHaveLength(1),
    )
    expect(server.sent('POST', /rcv_other\/approve$/)[0]!.body).toEqual({ value: 999 })

    await user.click(within(coupon!).getByRole('button', { name: 'Reject' }))
    await waitFor(() =>
      expect(server.sent('POST', /^\/v1\/admin\/recoveries\/rcv_pending\/reject$/)).toHaveLength(1),
    )
    await waitFor(() => expect(screen.getByText('Rejected')).toBeTruthy())
    expect(screen.getByText('Approved')).toBeTruthy()
  })

  it('shows what the customer token vouched for, with its order', async () => {
    show(
      complaint({
        complaint: { orderRef: 'A-1001', customer: { id: 'cus_42' } },
        verified: {
          customerId: 'cus_42',
          email: 'ada@example.com',
          name: 'Ada',
          order: { ref: 'A-1001', value: 4200, currency: 'EUR', date: '2026-11-20' },
        },
      }),
    )
    await screen.findByRole('heading', { level: 1 })
    const head = document.querySelector<HTMLElement>('.complaint-head')!
    expect(within(head).getByText('Verified')).toBeTruthy()
    expect(within(head).queryByText('Unverified')).toBeNull()
    expect(screen.getByRole('heading', { name: 'Confirmed by your backend' })).toBeTruthy()
    const confirmed = document.querySelector('.facts.verified')!
    const fact = (label: string) =>
      within(confirmed as HTMLElement).getByText(label, { selector: 'dt' }).nextElementSibling!
        .textContent
    expect(fact('Customer id')).toBe('cus_42')
    expect(fact('Customer email')).toBe('ada@example.com')
    expect(fact('Name')).toBe('Ada')
    expect(fact('Order')).toBe('A-1001')
    expect(fact('Order value')).toBe('€42.00')
    expect(fact('Order placed')).toBe('Nov 20, 2026')
  })

  it('marks an unverified complaint and says why its money waits, in both languages', async () => {
    show(
      complaint({
        recoveries: [recovery({ reason: 'unverified' })],
        timeline: [
          {
            type: 'recovery',
            data: { kind: 'coupon', status: 'pending_approval', reason: 'unverified' },
            at: '2026-01-02T10:00:00.000Z',
          },
        ],
      }),
    )
    await screen.findByRole('heading', { level: 1 })
    const head = document.querySelector<HTMLElement>('.complaint-head')!
    expect(within(head).getByText('Unverified')).toBeTruthy()
    expect(screen.getByText(/^Not verified: no valid customer token came with it/)).toBeTruthy()
    expect(
      await screen.findByText(
        'Why it waits: not verified, so the customer’s facts are unconfirmed.',
      ),
    ).toBeTruthy()
    expect(document.querySelector('.timeline')!.textContent).toContain(
      'Coupon drafted, waiting for approval: not verified, so the customer’s facts are unconfirmed',
    )

    await act(() => setLocale('zh-CN'))
    expect(within(head).getByText('未验证')).toBeTruthy()
    expect(screen.getByText('等待原因：未验证，顾客提供的信息未经确认。')).toBeTruthy()
    expect(document.querySelector('.timeline')!.textContent).toContain(
      '优惠券已起草，等待审批：未验证，顾客提供的信息未经确认',
    )
  })

  it('says so when there is no such complaint', async () => {
    signedIn()
    render(<ComplaintView id="cmp_missing" />)
    expect(
      await screen.findByText('There is no such complaint (or it belongs to another site).'),
    ).toBeTruthy()
  })
})
