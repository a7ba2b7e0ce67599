import { NOTICES_MAX } from '@redress/protocol/admin'
import { act, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { App } from '../App'
import { setLocale } from '../i18n'
import { route } from '../lib/state'
import type { AlertView, NoticeView, SiteView } from '../lib/types'
import { alert, notice, SITE } from '../test/fake-data'
import { signedIn } from '../test/helpers'
import { errorOf, retype } from './_test-helpers'
import { Notices } from './Notices'
import { Settings } from './Settings'

/** A site with a category labelled in both languages, as the owner named it. */
const SHOP: SiteView = {
  ...SITE,
  categories: [
    ...SITE.categories,
    { id: 'delivery', failureType: 'process', labels: { en: 'Delivery', 'zh-CN': '配送' } },
  ],
}

/** A local time of the test's days (December 2026), so that it reads the same in any time zone. */
const at = (day: number, hours: number, minutes = 0) =>
  new Date(2026, 11, day, hours, minutes).toISOString()

const RUNNING = notice({
  id: 'ntc_running',
  messages: {
    en: 'Card payments fail; we are on it.',
    'zh-CN': '银行卡支付暂时失败，我们正在处理。',
  },
  level: 'warning',
  page: '/checkout',
  startsAt: at(4, 10, 0),
  alertId: 'alt_old',
  createdAt: at(4, 10, 0),
})
const UPCOMING = notice({
  id: 'ntc_upcoming',
  messages: { en: 'Maintenance tomorrow morning.' },
  startsAt: at(5, 9, 0),
  endsAt: at(5, 11, 0),
  createdAt: at(4, 11, 0),
})
const ENDED = notice({
  id: 'ntc_ended',
  messages: { 'zh-CN': '昨天的配送延迟已经解决。' },
  page: '/orders/**',
  startsAt: at(2, 8, 0),
  endsAt: at(3, 8, 0),
  createdAt: at(2, 8, 0),
})
/** Its end is the test's noon: as pages read it, over. */
const ENDING_NOW = notice({
  id: 'ntc_now',
  messages: { en: 'Slow answers this morning.' },
  startsAt: at(4, 8, 0),
  endsAt: at(4, 12, 0),
  createdAt: at(4, 8, 0),
})

/** Noon of 4 December 2026, in whatever zone the test runs. */
const NOON = () => new Date(2026, 11, 4, 12, 0)

/** The section alone at `now`, against a fake server holding `notices`. */
function openNotices(notices: NoticeView[] = [], now = NOON()) {
  // Only the clock is fake: the requests and the rendering run as they do.
  vi.useFakeTimers({ toFake: ['Date'], now })
  const server = signedIn({ site: SHOP, notices })
  const onChange = vi.fn()
  render(<Notices site={SHOP} onChange={onChange} />)
  return { server, onChange }
}

/** Text as read, with the narrow spaces `Intl` puts before "AM" made plain. */
const plain = (element: Element) => element.textContent!.replace(/\s/g, ' ')
const group = (name: string) => screen.getByRole('list', { name })
const items = (name: string) => within(group(name)).getAllByRole('listitem')
const editor = () => screen.getByRole('form', { name: /^(New notice|Change the notice)$/ })
const message = (language: 'English' | '简体中文') =>
  screen.getByLabelText(`Message in ${language}`) as HTMLTextAreaElement
const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('the known-issue notices', () => {
  it('lists the running, upcoming and ended ones with their words, pages, times and level', async () => {
    openNotices([UPCOMING, RUNNING, ENDING_NOW, ENDED])
    await screen.findByRole('list', { name: 'Running' })
    expect(
      screen.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent),
    ).toEqual(['Running', 'Upcoming', 'Ended'])
    const [running] = items('Running')
    expect(items('Running')).toHaveLength(1)
    expect(plain(running!)).toContain('WarningFrom an early-warning alert')
    expect(
      within(running!).getByText('Card payments fail; we are on it.').getAttribute('lang'),
    ).toBe('en')
    expect(
      within(running!).getByText('银行卡支付暂时失败，我们正在处理。').getAttribute('lang'),
    ).toBe('zh-CN')
    expect(plain(running!)).toContain(
      'On pages /checkout · Since Dec 4, 2026, 10:00 AM · until you end it',
    )
    expect(within(running!).getByRole('button', { name: 'End now' })).toBeTruthy()

    const [upcoming] = items('Upcoming')
    expect(plain(upcoming!)).toContain('Information')
    expect(plain(upcoming!)).toContain(
      'On every page · Starts Dec 5, 2026, 9:00 AM · ends Dec 5, 2026, 11:00 AM',
    )
    expect(plain(upcoming!)).not.toContain('From an early-warning alert')
    // It has not started, so it cannot end: deleting it calls it off.
    expect(within(upcoming!).queryByRole('button', { name: 'End now' })).toBeNull()

    // The one ending at noon is over at noon, as pages read it; the latest first, as the server sends them.
    expect(
      items('Ended').map(
        (item) => within(item).getAllByText(/./, { selector: '[lang]' })[0]!.textContent,
      ),
    ).toEqual(['Slow answers this morning.', '昨天的配送延迟已经解决。'])
    expect(plain(items('Ended')[1]!)).toContain(
      'On pages /orders/** · Ran from Dec 2, 2026, 8:00 AM to Dec 3, 2026, 8:00 AM',
    )
    expect(within(group('Ended')).queryByRole('button', { name: 'End now' })).toBeNull()
  })

  it('says when there are none', async () => {
    openNotices([])
    expect(await screen.findByText('No notices yet.')).toBeTruthy()
    expect(
      screen.getByText(
        'The widget shows a running notice on the pages it names when the customer opens the widget or reaches for its button, in the customer’s language.',
      ),
    ).toBeTruthy()
  })

  it('publishes a notice with its times read in the browser’s time zone', async () => {
    // Shanghai is 8 hours ahead of UTC: a time read as UTC would be 8 hours off.
    vi.stubEnv('TZ', 'Asia/Shanghai')
    const { server, onChange } = openNotices([], new Date(2026, 11, 4, 9, 0))
    const user = userEvent.setup()
    await screen.findByText('No notices yet.')
    await user.click(screen.getByRole('button', { name: 'Write a notice' }))
    await waitFor(() => expect(document.activeElement).toBe(message('English')))
    // A new notice starts now, on every page, with no end.
    expect(input('Starts').value).toBe('2026-12-04T09:00')
    expect(input('Ends').value).toBe('')
    expect(input('Pages').value).toBe('')
    expect(plain(screen.getByText(/^In your time zone/))).toBe(
      'In your time zone (Asia/Shanghai). Empty: now.',
    )

    await user.type(message('English'), 'Card payments fail; we are on it.')
    await user.type(message('简体中文'), '银行卡支付暂时失败，我们正在处理。')
    await user.click(screen.getByLabelText('Warning: stands out'))
    await user.type(input('Pages'), '/checkout')
    await retype(input('Starts'), '2026-12-04T10:00')
    await retype(input('Ends'), '2026-12-04T18:30')
    await user.click(screen.getByRole('button', { name: 'Publish' }))

    expect(await screen.findByText('Published.')).toBeTruthy()
    expect(server.sent('POST', /^\/v1\/admin\/notices$/).map((request) => request.body)).toEqual([
      {
        messages: {
          en: 'Card payments fail; we are on it.',
          'zh-CN': '银行卡支付暂时失败，我们正在处理。',
        },
        level: 'warning',
        page: '/checkout',
        startsAt: '2026-12-04T02:00:00.000Z',
        endsAt: '2026-12-04T10:30:00.000Z',
      },
    ])
    // It starts in an hour: upcoming, shown in the same zone it was typed in.
    const [published] = items('Upcoming')
    expect(plain(published!)).toContain('Starts Dec 4, 2026, 10:00 AM · ends Dec 4, 2026, 6:30 PM')
    expect(screen.queryByRole('form')).toBeNull()
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Write a notice' })),
    )
    expect(onChange).toHaveBeenCalledTimes(1)
  })

  it('sends no times when the start is emptied and no end is set: from now, until ended', async () => {
    const { server } = openNotices([])
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Write a notice' }))
    await user.type(message('简体中文'), '今天客服电话较忙。')
    await retype(input('Starts'), '')
    await user.click(screen.getByRole('button', { name: 'Publish' }))
    await screen.findByText('Published.')
    expect(server.sent('POST', /\/notices$/)[0]!.body).toEqual({
      messages: { 'zh-CN': '今天客服电话较忙。' },
      level: 'info',
      page: null,
    })
    expect(plain(items('Running')[0]!)).toContain('On every page · Since Dec 4, 2026, 12:00 PM')
  })

  it('shows a refusal at its field and keeps the draft', async () => {
    const { server } = openNotices([])
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Write a notice' }))
    // Nothing written: refused before sending, at both messages.
    await user.click(screen.getByRole('button', { name: 'Publish' }))
    expect(errorOf(message('English'))).toBe('Write the message in at least one language.')
    expect(errorOf(message('简体中文'))).toBe('Write the message in at least one language.')
    expect(server.sent('POST', /\/notices$/)).toHaveLength(0)

    server.on('POST', /^\/v1\/admin\/notices$/, () => ({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'messages.en is text of 1–500 characters',
          field: 'messages.en',
        },
      },
    }))
    await user.type(message('English'), 'Card payments fail.')
    await user.type(message('简体中文'), '银行卡支付暂时失败。')
    await user.type(input('Pages'), '/checkout')
    await user.click(screen.getByRole('button', { name: 'Publish' }))
    await waitFor(() =>
      expect(errorOf(message('English'))).toBe('messages.en is text of 1–500 characters'),
    )
    expect(message('English').getAttribute('aria-invalid')).toBe('true')
    expect(errorOf(message('简体中文'))).toBe('')
    expect(message('English').value).toBe('Card payments fail.')
    expect(message('简体中文').value).toBe('银行卡支付暂时失败。')
    expect(input('Pages').value).toBe('/checkout')
    expect(screen.queryByText('Published.')).toBeNull()
  })

  it('checks the pages and the times before sending', async () => {
    const { server } = openNotices([])
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Write a notice' }))
    await user.type(message('English'), 'Card payments fail.')
    await user.type(input('Pages'), 'checkout')
    await retype(input('Starts'), '2026-12-04T10:00')
    await retype(input('Ends'), '2026-12-04T09:00')
    await user.click(screen.getByRole('button', { name: 'Publish' }))
    expect(errorOf(input('Pages'))).toBe(
      'Start with / (such as /checkout), without spaces, at most 300 characters; or leave it empty for every page.',
    )
    expect(errorOf(input('Ends'))).toBe('The end must be after the start.')
    expect(server.sent('POST', /\/notices$/)).toHaveLength(0)
  })

  it(`says so when ${NOTICES_MAX} notices have not ended`, async () => {
    const many = Array.from({ length: NOTICES_MAX }, () => notice())
    const { server } = openNotices(many)
    const user = userEvent.setup()
    await screen.findByRole('list', { name: 'Running' })
    await user.click(screen.getByRole('button', { name: 'Write a notice' }))
    await user.type(message('English'), 'One more.')
    await user.click(screen.getByRole('button', { name: 'Publish' }))
    expect(
      await within(editor()).findByText(
        `The site has ${NOTICES_MAX} notices that have not ended; end or delete one first`,
      ),
    ).toBeTruthy()
    expect(server.notices.size).toBe(NOTICES_MAX)
    expect(message('English').value).toBe('One more.')
  })

  it('ends a running notice now with PATCH endsAt', async () => {
    const { server, onChange } = openNotices([RUNNING, ENDED])
    const user = userEvent.setup()
    await screen.findByRole('list', { name: 'Running' })
    await user.click(within(items('Running')[0]!).getByRole('button', { name: 'End now' }))
    expect(await screen.findByText('Ended. Pages opened from now on do not show it.')).toBeTruthy()
    expect(server.sent('PATCH').map((request) => [request.path, request.body])).toEqual([
      ['/v1/admin/notices/ntc_running', { endsAt: NOON().toISOString() }],
    ])
    expect(screen.queryByRole('list', { name: 'Running' })).toBeNull()
    expect(items('Ended').map((item) => item.getAttribute('data-notice'))).toContain('ntc_running')
    expect(onChange).toHaveBeenCalledTimes(1)
  })

  it('deletes a notice only once asked again', async () => {
    const { server } = openNotices([RUNNING, UPCOMING])
    const user = userEvent.setup()
    await screen.findByRole('list', { name: 'Upcoming' })
    const upcoming = () => items('Upcoming')[0]!
    await user.click(within(upcoming()).getByRole('button', { name: 'Delete' }))
    // Asked once more, nothing sent yet; Cancel keeps it.
    expect(server.sent('DELETE')).toHaveLength(0)
    await user.click(within(upcoming()).getByRole('button', { name: 'Cancel' }))
    expect(within(upcoming()).queryByRole('button', { name: 'Delete this notice' })).toBeNull()

    await user.click(within(upcoming()).getByRole('button', { name: 'Delete' }))
    await user.click(within(upcoming()).getByRole('button', { name: 'Delete this notice' }))
    expect(
      await screen.findByText('Deleted. Pages opened from now on do not show it.'),
    ).toBeTruthy()
    expect(server.sent('DELETE').map((request) => request.path)).toEqual([
      '/v1/admin/notices/ntc_upcoming',
    ])
    expect(screen.queryByRole('list', { name: 'Upcoming' })).toBeNull()
    expect(server.notices.has('ntc_upcoming')).toBe(false)
    expect(items('Running')).toHaveLength(1)
  })

  it('edits a stored notice, sending a time only when it was changed', async () => {
    // A start with seconds: the minutes the field shows must not replace it.
    const stored = { ...RUNNING, startsAt: new Date(2026, 11, 4, 10, 2, 35).toISOString() }
    const { server } = openNotices([stored])
    const user = userEvent.setup()
    await screen.findByRole('list', { name: 'Running' })
    await user.click(within(items('Running')[0]!).getByRole('button', { name: 'Edit' }))
    expect(within(editor()).getByRole('heading', { level: 3 }).textContent).toBe(
      'Change the notice',
    )
    await waitFor(() => expect(document.activeElement).toBe(message('English')))
    expect(message('简体中文').value).toBe('银行卡支付暂时失败，我们正在处理。')
    expect(input('Starts').value).toBe('2026-12-04T10:02')
    expect((screen.getByLabelText('Warning: stands out') as HTMLInputElement).checked).toBe(true)

    await retype(message('简体中文'), '')
    await retype(input('Pages'), '/checkout/**')
    await user.click(screen.getByLabelText('Information'))
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Saved.')).toBeTruthy()
    expect(server.sent('PATCH')[0]!.body).toEqual({
      messages: { en: 'Card payments fail; we are on it.' },
      level: 'info',
      page: '/checkout/**',
    })
    expect(server.notices.get('ntc_running')!.startsAt).toBe(stored.startsAt)

    await user.click(within(items('Running')[0]!).getByRole('button', { name: 'Edit' }))
    await retype(input('Ends'), '2026-12-04T20:00')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(server.sent('PATCH')).toHaveLength(2))
    expect(server.sent('PATCH')[1]!.body).toEqual({
      messages: { en: 'Card payments fail; we are on it.' },
      level: 'info',
      page: '/checkout/**',
      endsAt: at(4, 20, 0),
    })
  })

  it('tries a path against the page pattern', async () => {
    openNotices([])
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Write a notice' }))
    const result = () => document.getElementById('notice-try-result')!.textContent
    const tryPath = async (page: string, path: string) => {
      await retype(input('Pages'), page)
      await retype(input('Try a path'), path)
      return result()
    }
    // Empty: every page.
    expect(await tryPath('', '/anything')).toBe('Match: shown on /anything.')
    // A prefix: the page and the pages under it, not a longer name.
    expect(await tryPath('/checkout', '/checkout')).toBe('Match: shown on /checkout.')
    expect(await tryPath('/checkout', '/checkout/pay')).toBe('Match: shown on /checkout/pay.')
    expect(await tryPath('/checkout', '/checkouts')).toBe('No match: not shown on /checkouts.')
    // `*` is one part of the path, `**` any number of them.
    expect(await tryPath('/orders/*/track', '/orders/A1/track')).toBe(
      'Match: shown on /orders/A1/track.',
    )
    expect(await tryPath('/orders/*/track', '/orders/A1/B2/track')).toBe(
      'No match: not shown on /orders/A1/B2/track.',
    )
    expect(await tryPath('/help/**', '/help/returns/mugs')).toBe(
      'Match: shown on /help/returns/mugs.',
    )
    // A whole address is tried by its path.
    expect(await tryPath('/checkout', 'https://shop.example/checkout/pay?step=2#card')).toBe(
      'Match: shown on /checkout/pay.',
    )
    expect(input('Try a path').getAttribute('aria-describedby')).toContain('notice-try-result')
  })

  it('previews what a customer reading each language sees', async () => {
    openNotices([])
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Write a notice' }))
    const preview = () => screen.getByRole('region', { name: 'Preview' })
    const cards = () =>
      within(preview())
        .getAllByRole('listitem')
        .map((item) => plain(item))
    expect(cards()).toEqual([
      'A customer reading English: nothing yet, write a message.',
      'A customer reading 简体中文: nothing yet, write a message.',
    ])
    await user.type(message('English'), 'Card payments fail; we are on it.')
    expect(cards()).toEqual([
      'A customer reading English:Card payments fail; we are on it.',
      'A customer reading 简体中文 gets the English message (there is none in 简体中文):Card payments fail; we are on it.',
    ])
    await user.type(message('简体中文'), '银行卡支付暂时失败。')
    expect(cards()[1]).toBe('A customer reading 简体中文:银行卡支付暂时失败。')
    expect(preview().querySelector('[lang="zh-CN"]')!.textContent).toBe('银行卡支付暂时失败。')
    await user.click(screen.getByLabelText('Warning: stands out'))
    expect(preview().querySelectorAll('.notice-card.notice-warning')).toHaveLength(2)
  })

  it('speaks Chinese', async () => {
    openNotices([RUNNING, UPCOMING])
    await act(() => setLocale('zh-CN'))
    const running = await screen.findByRole('list', { name: '进行中' })
    expect(screen.getByRole('heading', { name: '已知问题公告' })).toBeTruthy()
    expect(plain(running)).toContain('警告来自预警')
    expect(plain(running)).toContain('页面 /checkout · 自 2026年12月4日 10:00 起 · 直到您结束它')
    expect(within(running).getByRole('button', { name: '立即结束' })).toBeTruthy()
    expect(plain(screen.getByRole('list', { name: '即将开始' }))).toContain('所有页面')
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: '撰写公告' }))
    expect(screen.getByRole('heading', { name: '新公告' })).toBeTruthy()
    expect(screen.getByLabelText('内容（简体中文）')).toBeTruthy()
    await user.type(screen.getByLabelText('页面'), '/checkout')
    await user.type(screen.getByLabelText('试一个路径'), '/checkouts')
    expect(document.getElementById('notice-try-result')!.textContent).toBe(
      '不匹配：不会在 /checkouts 显示。',
    )
    expect(screen.getByRole('button', { name: '发布' })).toBeTruthy()
  })
})

describe('a notice from an early warning', () => {
  const BURST: AlertView = alert({
    id: 'alt_burst',
    rule: { id: 'burst', kind: 'burst', by: 'category', count: 5, withinMinutes: 60 },
    group: 'delivery',
    count: 6,
    windowFrom: at(4, 10, 2),
    raisedAt: at(4, 10, 40),
  })

  it('opens the editor from the banner with the alert’s words in both languages, and publishes it with alertId', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOON() })
    const server = signedIn({ site: SHOP, alerts: [BURST] })
    render(<App />)
    const banner = await screen.findByRole('region', { name: 'Early warning' })
    const link = within(banner).getByRole('link', { name: 'Publish a notice' })
    expect(link.getAttribute('href')).toBe('#/settings?notice-from=alt_burst')
    const user = userEvent.setup()
    await user.click(link)
    expect(location.hash).toBe('#/settings?notice-from=alt_burst')

    // The Settings chunk loads, then the editor opens with the focus in its first field.
    const english = (await screen.findByLabelText(
      'Message in English',
      {},
      { timeout: 5000 },
    )) as HTMLTextAreaElement
    await waitFor(() => expect(document.activeElement).toBe(english))
    expect(english.value).toBe(
      'We know about a problem with Delivery and are working on it. Thank you for your patience.',
    )
    expect(message('简体中文').value).toBe('我们已经知道配送方面的问题，正在处理，感谢您的耐心。')
    expect((screen.getByLabelText('Warning: stands out') as HTMLInputElement).checked).toBe(true)
    expect(input('Pages').value).toBe('')
    expect(input('Starts').value).toBe('2026-12-04T12:00')
    expect(input('Ends').value).toBe('')
    expect(
      within(editor())
        .getByText(/^From the early warning:/)
        .textContent!.replace(/\s/g, ' '),
    ).toBe('From the early warning: 6 complaints about Delivery within 60 minutes.')

    await user.click(screen.getByRole('button', { name: 'Publish' }))
    expect(await screen.findByText('Published.')).toBeTruthy()
    expect(server.sent('POST', /\/notices$/)[0]!.body).toEqual({
      messages: {
        en: 'We know about a problem with Delivery and are working on it. Thank you for your patience.',
        'zh-CN': '我们已经知道配送方面的问题，正在处理，感谢您的耐心。',
      },
      level: 'warning',
      page: null,
      startsAt: NOON().toISOString(),
      alertId: 'alt_burst',
    })
    expect(plain(items('Running')[0]!)).toContain('From an early-warning alert')
    // Done with the alert: a reload does not draft it again.
    expect(location.hash).toBe('#/settings')
    expect(route.value).toEqual({ name: 'settings' })
    // The audit trail has the new notice.
    expect(
      await within(document.getElementById('settings-audit')!).findByText(
        /^: published: “We know about a problem with Delivery/,
      ),
    ).toBeTruthy()
  })

  it('drafts a general sentence for an alert it cannot find, answering it all the same', async () => {
    const server = signedIn({ site: SHOP, alerts: [] })
    server.on('GET', /^\/v1\/admin\/alerts$/, () => ({ status: 0 }))
    render(<Settings noticeFrom="alt_gone" />)
    const english = (await screen.findByLabelText('Message in English')) as HTMLTextAreaElement
    expect(english.value).toBe(
      'We know about a problem and are working on it. Thank you for your patience.',
    )
    expect(message('简体中文').value).toBe('我们已经知道目前出现的问题，正在处理，感谢您的耐心。')
    expect(within(editor()).getByText('From an early-warning alert')).toBeTruthy()
  })

  it('names the button in Chinese', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOON() })
    signedIn({ site: SHOP, alerts: [BURST] })
    await act(() => setLocale('zh-CN'))
    render(<App />)
    const banner = await screen.findByRole('region', { name: '预警' })
    expect(within(banner).getByRole('link', { name: '发布公告' }).getAttribute('href')).toBe(
      '#/settings?notice-from=alt_burst',
    )
  })
})
