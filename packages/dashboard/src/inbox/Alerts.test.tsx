import { act, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { setLocale } from '../i18n'
import type { AlertView, SiteView } from '../lib/types'
import { alert, complaint, SITE } from '../test/fake-data'
import { signedIn, signedInAs } from '../test/helpers'
import { ALERT_CHECK_DELAY_MS } from './_alert-store'
import { filtersFromHash, Inbox } from './Inbox'

/** A site with a category labelled in both languages, as the owner named it. */
const SHOP: SiteView = {
  ...SITE,
  categories: [
    ...SITE.categories,
    { id: 'delivery', failureType: 'process', labels: { en: 'Delivery', 'zh-CN': '配送' } },
  ],
}

/** A local time of the test's day (2 January 2026), so that it reads the same in any time zone. */
const at = (hours: number, minutes: number) => new Date(2026, 0, 2, hours, minutes).toISOString()

const BURST: AlertView = alert({
  id: 'alt_burst',
  rule: { id: 'burst', kind: 'burst', by: 'category', count: 5, withinMinutes: 60 },
  group: 'delivery',
  count: 6,
  windowFrom: at(10, 2),
  raisedAt: at(10, 40),
  lastCrossedAt: at(10, 40),
})
const SPIKE: AlertView = alert({
  id: 'alt_spike',
  rule: { id: 'spike', kind: 'spike', by: 'site', factor: 3, minimum: 10, baselineDays: 7 },
  group: null,
  count: 31,
  baseline: 10,
  windowFrom: at(8, 0),
  raisedAt: at(9, 0),
  lastCrossedAt: at(10, 15),
  endedAt: at(11, 15),
})

/** The inbox at noon of the alerts' day, signed in to a server holding `alerts`. */
function openInbox(alerts: AlertView[], complaints = [complaint()]) {
  // Only the clock is fake: "today" shows a time alone, in whatever zone the test runs.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(2026, 0, 2, 12, 0) })
  const server = signedIn({ site: SHOP, alerts, complaints })
  render(<Inbox />)
  return server
}

const banner = () => screen.findByRole('region', { name: 'Early warning' })
/** Each alert's line as read, with the narrow spaces `Intl` puts before "AM" made plain. */
const lines = (region: HTMLElement) =>
  within(region)
    .getAllByRole('listitem')
    .map((line) => line.querySelector('.alert-text')!.textContent!.replace(/\s/g, ' '))
const rows = () => within(screen.getByRole('listbox')).getAllByRole('option')
const alertRequests = (server: ReturnType<typeof signedIn>) =>
  server.sent('GET', /^\/v1\/admin\/alerts$/).map((request) => Object.fromEntries(request.query))

describe('the early-warning banner', () => {
  it('shows an agent the alerts, without putting them away or publishing a notice', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(2026, 0, 2, 12, 0) })
    signedInAs('agent', { site: SHOP, alerts: [BURST] })
    render(<Inbox />)
    const region = await banner()
    expect(lines(region)).toHaveLength(1)
    expect(within(region).getByRole('link', { name: 'See the affected complaints' })).toBeTruthy()
    // A manager's: the server would refuse them (403).
    expect(within(region).queryByRole('button', { name: 'Dismiss' })).toBeNull()
    expect(within(region).queryByRole('link', { name: 'Publish a notice' })).toBeNull()
  })

  it('says what crossed each rule and whether it is still going on', async () => {
    const server = openInbox([SPIKE, BURST])
    const region = await banner()
    expect(lines(region)).toEqual([
      '6 complaints about Delivery within 60 minutes Still going on, since 10:02 AM',
      '31 complaints in 24 hours, 3.1× an average day (10) Ended 11:15 AM',
    ])
    // Each action names its alert for a screen reader, beside the words it shows.
    const [first] = within(region).getAllByRole('link', { name: 'See the affected complaints' })
    expect(first!.getAttribute('aria-describedby')).toBe('alert-alt_burst-what')
    expect(within(region).getAllByRole('button', { name: 'Dismiss' })).toHaveLength(2)
    // Lines that were there when the inbox opened are not announced.
    expect(region.closest('[role="alert"], [aria-live="assertive"]')).toBeNull()
    expect(document.querySelector('.alerts-arrived')!.textContent).toBe('')
    expect(alertRequests(server)).toEqual([{ dismissed: 'false', limit: '25' }])
  })

  it('names a failure type by its word', async () => {
    const byType = alert({
      rule: { id: 'types', kind: 'burst', by: 'failureType', count: 3, withinMinutes: 30 },
      group: 'outcome',
      count: 3,
      windowFrom: at(11, 0),
    })
    openInbox([byType])
    expect(lines(await banner())).toEqual([
      '3 complaints of type Outcome within 30 minutes Still going on, since 11:00 AM',
    ])
  })

  it('names the categories the site does not list as one group', async () => {
    const other = alert({
      rule: { id: 'each', kind: 'burst', by: 'category', count: 3, withinMinutes: 30 },
      group: '*',
      count: 4,
      windowFrom: at(11, 0),
    })
    openInbox([other])
    expect(lines(await banner())).toEqual([
      '4 complaints about categories you do not list within 30 minutes Still going on, since 11:00 AM',
    ])
  })

  it('speaks Chinese', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(2026, 0, 2, 12, 0) })
    signedIn({ site: SHOP, alerts: [SPIKE, BURST] })
    await act(() => setLocale('zh-CN'))
    render(<Inbox />)
    const region = await screen.findByRole('region', { name: '预警' })
    expect(lines(region)).toEqual([
      '60分钟内收到 6 条关于“配送”的投诉 仍在持续，自 10:02 起',
      '24 小时内收到 31 条投诉，是平均每天（10 条）的 3.1 倍 已于 11:15 结束',
    ])
    expect(within(region).getAllByRole('link', { name: '查看相关投诉' })).toHaveLength(2)
    expect(within(region).getAllByRole('button', { name: '忽略' })).toHaveLength(2)
  })

  it('shows the affected complaints with a link, and a chip that removes the filter', async () => {
    const counted = complaint({
      complaint: { category: 'delivery', description: 'Parcel never came' },
      receivedAt: at(10, 30),
    })
    const other = complaint({ complaint: { category: 'broken' }, receivedAt: at(10, 31) })
    const server = openInbox([BURST], [counted, other])
    const user = userEvent.setup()
    const region = await banner()
    await waitFor(() => expect(rows()).toHaveLength(2))
    // Whatever was chosen before, the link shows exactly the alert's complaints.
    await user.selectOptions(screen.getByLabelText('Severity'), 'critical')

    const link = within(region).getByRole('link', { name: 'See the affected complaints' })
    expect(link.getAttribute('href')).toBe('#/inbox?alert=alt_burst')
    await user.click(link)
    await waitFor(() =>
      expect(server.listQueries().at(-1)).toEqual({ alert: 'alt_burst', limit: '25' }),
    )
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(rows()[0]!.textContent).toContain('Parcel never came')
    expect((screen.getByLabelText('Severity') as HTMLSelectElement).value).toBe('')
    // The address carries the filter, so the list can be bookmarked.
    expect(filtersFromHash(location.hash)).toEqual({ alert: 'alt_burst' })
    const filters = screen.getByRole('form', { name: 'Filter complaints' })
    expect(filters.querySelector('.chip-alert')!.textContent!.replace(/\s/g, ' ')).toBe(
      'Early warning: Delivery, from 10:02 AM',
    )

    await user.click(within(filters).getByRole('button', { name: /^Remove the filter: Early/ }))
    await waitFor(() => expect(server.listQueries().at(-1)).toEqual({ limit: '25' }))
    expect(filters.querySelector('.chip-alert')).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('searchbox'))
    await waitFor(() => expect(rows()).toHaveLength(2))
  })

  it('names a bookmarked alert in the chip, even one put away', async () => {
    const away = { ...BURST, dismissedAt: at(11, 0) }
    history.replaceState(null, '', '#/inbox?alert=alt_burst')
    const server = openInbox([away])
    const chip = await waitFor(() => {
      const element = document.querySelector('.chip-alert')
      expect(element?.textContent).toMatch(/^Early warning: Delivery, from 10:02\sAM$/)
      return element
    })
    expect(chip).toBeTruthy()
    expect(server.listQueries()[0]).toEqual({ alert: 'alt_burst', limit: '25' })
    expect(screen.queryByRole('region', { name: 'Early warning' })).toBeNull()
  })

  it('puts an alert away with Dismiss, and moves the focus to the next one', async () => {
    const server = openInbox([SPIKE, BURST])
    const user = userEvent.setup()
    const region = await banner()
    const [first] = within(region).getAllByRole('button', { name: 'Dismiss' })
    await user.click(first!)
    await waitFor(() => expect(within(region).getAllByRole('listitem')).toHaveLength(1))
    expect(server.sent('POST').map((request) => request.path)).toEqual([
      '/v1/admin/alerts/alt_burst/dismiss',
    ])
    expect(server.alerts.get('alt_burst')!.dismissedAt).not.toBeNull()
    expect(lines(region)[0]).toMatch(/^31 complaints in 24 hours/)
    const next = within(region).getByRole('button', { name: 'Dismiss' })
    await waitFor(() => expect(document.activeElement).toBe(next))

    // The last one gone, the banner goes, and the focus lands on the inbox's heading.
    await user.click(next)
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Early warning' })).toBeNull())
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Complaints' })),
    )
  })

  it('keeps the line and says why when putting it away fails', async () => {
    const server = openInbox([BURST])
    let answer: { status: number; body?: unknown } = { status: 0 }
    server.on('POST', /\/dismiss$/, () => answer)
    const user = userEvent.setup()
    const region = await banner()
    const dismiss = within(region).getByRole('button', { name: 'Dismiss' })
    await user.click(dismiss)
    expect(
      await within(region).findByText(
        'Cannot reach the server. Check your connection and try again.',
      ),
    ).toBeTruthy()
    expect(within(region).getAllByRole('listitem')).toHaveLength(1)
    expect((dismiss as HTMLButtonElement).disabled).toBe(false)

    answer = { status: 404, body: { error: { code: 'not_found', message: 'No alert alt_burst' } } }
    await user.click(dismiss)
    expect(await within(region).findByText('No alert alt_burst')).toBeTruthy()
    expect(within(region).queryByText(/Cannot reach the server/)).toBeNull()
    expect(lines(region)).toHaveLength(1)
  })

  it('shows an alert raised after a complaint arrives, and says so politely', async () => {
    const server = openInbox([BURST])
    await banner()
    await waitFor(() => expect(document.querySelector('.live-badge')!.textContent).toBe('Live'))
    const before = alertRequests(server).length

    vi.useFakeTimers({
      toFake: ['Date', 'setTimeout', 'clearTimeout'],
      now: new Date(2026, 0, 2, 12, 0),
    })
    const raised = alert({
      id: 'alt_new',
      rule: BURST.rule,
      group: 'delivery',
      count: 5,
      windowFrom: at(11, 30),
      raisedAt: at(12, 0),
    })
    for (const description of ['Late again', 'Still late']) {
      const arrived = complaint({ complaint: { category: 'delivery', description } })
      server.complaints.set(arrived.id, arrived)
      server.push({ complaintId: arrived.id, type: 'received', data: {} })
    }
    // The server's worker raises the alert a few seconds after the complaint.
    server.alerts.set(raised.id, raised)
    await vi.advanceTimersByTimeAsync(ALERT_CHECK_DELAY_MS - 1)
    expect(alertRequests(server)).toHaveLength(before)
    await vi.advanceTimersByTimeAsync(1)
    vi.useRealTimers()

    const region = await banner()
    await waitFor(() => expect(within(region).getAllByRole('listitem')).toHaveLength(2))
    expect(lines(region)[0]).toMatch(/^5 complaints about Delivery within 60 minutes/)
    // Two complaints, one request for the alerts.
    expect(alertRequests(server)).toHaveLength(before + 1)
    // (A trailing no-break space, alternating, makes a repeated message heard again.)
    expect(document.querySelector('.alerts-arrived')!.textContent!.trim()).toBe(
      'Early warning: 5 complaints about Delivery within 60 minutes.',
    )
  })
})
