import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { setLocale } from '../i18n'
import { route } from '../lib/state'
import { complaint, recovery, TEAM } from '../test/fake-data'
import { signedIn, signedInAs } from '../test/helpers'
import { SEARCH_DEBOUNCE_MS } from './_inbox-store'
import { filtersFromHash, Inbox } from './Inbox'

const rows = () => within(screen.getByRole('listbox')).getAllByRole('option')
const lastQuery = (server: ReturnType<typeof signedIn>) => server.listQueries().at(-1)!

describe('the inbox', () => {
  it('lists complaints newest first, with labels and badges', async () => {
    const older = complaint({
      complaint: { category: 'order', severity: 'critical', description: 'The mug arrived broken' },
      assignee: 'Ana',
      suspicion: 'too_fast',
    })
    const newer = complaint({
      complaint: { category: 'billing', description: 'Charged twice' },
      guarantee: {
        text: 'A reply within 2 hours',
        firstReplyWithin: 'PT2H',
        remedy: { kind: 'coupon', value: 500 },
        dueAt: null,
        state: 'broken',
      },
      recoveries: [recovery({ id: 'rcv_p', reason: 'site_day_cap', value: 500 })],
    })
    signedIn({ complaints: [older, newer] })
    render(<Inbox />)

    const list = await screen.findByRole('listbox', { name: 'Complaints, newest first' })
    await waitFor(() => expect(rows()).toHaveLength(2))
    const [first, second] = rows()
    expect(first!.textContent).toContain(newer.reference)
    expect(second!.textContent).toContain(older.reference)

    // The site's label where it has one, the built-in name where it has not.
    expect(within(second!).getByText('Order problem')).toBeTruthy()
    expect(within(first!).getByText('Billing or payment')).toBeTruthy()
    expect(within(second!).getByText('Outcome')).toBeTruthy()
    expect(within(second!).getByText('Critical')).toBeTruthy()
    expect(within(second!).getByText('Owner: Ana')).toBeTruthy()
    expect(within(first!).getByText('Nobody owns it')).toBeTruthy()
    expect(within(second!).getByText('Suspected bot')).toBeTruthy()
    expect(within(first!).getByText('Guarantee broken')).toBeTruthy()
    await waitFor(() => expect(within(first!).getByText('Waiting for approval')).toBeTruthy())
    expect(within(second!).queryByText('Waiting for approval')).toBeNull()
    expect(list.getAttribute('aria-busy')).toBe('false')
    expect(screen.getByRole('status').textContent).toMatch(/Live|Connecting/)
  })

  it('sends the chosen filters as the query, and clears them', async () => {
    const server = signedIn({ complaints: [complaint(), complaint()] })
    const user = userEvent.setup()
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(2))

    await user.selectOptions(screen.getByLabelText('Status'), 'in_progress')
    await waitFor(() => expect(lastQuery(server)).toEqual({ status: 'in_progress', limit: '25' }))

    // The site's categories, by their labels.
    const category = screen.getByLabelText('Category') as HTMLSelectElement
    expect([...category.options].map((option) => option.text)).toEqual([
      'Any',
      'Something is broken',
      'Order problem',
      'It took too long',
      'Rude staff',
    ])
    await user.selectOptions(category, 'Order problem')
    await user.selectOptions(screen.getByLabelText('Failure type'), 'outcome')
    await user.selectOptions(screen.getByLabelText('Severity'), 'critical')
    await user.selectOptions(screen.getByLabelText('Remedy'), 'No remedy given')
    await user.click(screen.getByLabelText('Waiting for approval'))
    await user.click(screen.getByLabelText('Suspected bots'))
    await waitFor(() =>
      expect(lastQuery(server)).toEqual({
        status: 'in_progress',
        category: 'order',
        failureType: 'outcome',
        severity: 'critical',
        hasRemedy: 'false',
        pending: 'true',
        suspected: 'true',
        limit: '25',
      }),
    )
    expect(await screen.findByText('No complaints match these filters.')).toBeTruthy()
    // The address names the filters, so the view can be bookmarked.
    expect(filtersFromHash(location.hash)).toMatchObject({ status: 'in_progress', pending: true })

    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(lastQuery(server)).toEqual({ limit: '25' }))
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('')
    expect((screen.getByLabelText('Waiting for approval') as HTMLInputElement).checked).toBe(false)
    await waitFor(() => expect(rows()).toHaveLength(2))
    expect(
      (screen.getByRole('button', { name: 'Clear filters' }) as HTMLButtonElement).disabled,
    ).toBe(true)
  })

  it('searches descriptions once typing pauses', async () => {
    const server = signedIn({
      complaints: [
        complaint({ complaint: { description: 'Handle snapped off the mug' } }),
        complaint(),
      ],
    })
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(2))
    const before = server.listQueries().length

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const search = screen.getByRole('searchbox', { name: 'Search descriptions' })
    for (const text of ['m', 'mu', 'mug']) {
      fireEvent.input(search, { target: { value: text } })
      vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 50)
    }
    expect(server.listQueries()).toHaveLength(before)
    vi.advanceTimersByTime(50)
    expect(server.listQueries()).toHaveLength(before + 1)
    expect(lastQuery(server)).toEqual({ q: 'mug', limit: '25' })
    vi.useRealTimers()
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(rows()[0]!.textContent).toContain('Handle snapped off the mug')

    // Emptying the search lists everything again.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    fireEvent.input(search, { target: { value: '' } })
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS)
    expect(lastQuery(server)).toEqual({ limit: '25' })
  })

  it('moves with j and k, opens with Enter, and leaves the keys alone while typing', async () => {
    const complaints = [complaint(), complaint(), complaint()]
    signedIn({ complaints })
    const user = userEvent.setup()
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(3))
    const selected = () =>
      rows()
        .filter((row) => row.getAttribute('aria-selected') === 'true')
        .map((row) => row.dataset.id)

    expect(selected()).toEqual([])
    await user.keyboard('j')
    expect(selected()).toEqual([complaints[2]!.id])
    expect(document.activeElement).toBe(rows()[0])
    await user.keyboard('jj')
    expect(selected()).toEqual([complaints[0]!.id])
    // At the end it stays at the end.
    await user.keyboard('j')
    expect(selected()).toEqual([complaints[0]!.id])
    await user.keyboard('k')
    expect(selected()).toEqual([complaints[1]!.id])
    expect(document.activeElement).toBe(rows()[1])
    // One row is reachable with Tab: the selected one.
    expect(rows().map((row) => row.tabIndex)).toEqual([-1, 0, -1])

    // Typing a search is typing, not moving.
    const search = screen.getByRole('searchbox', { name: 'Search descriptions' })
    await user.click(search)
    await user.keyboard('jk')
    expect((search as HTMLInputElement).value).toBe('jk')
    expect(selected()).toEqual([complaints[1]!.id])
    await user.keyboard('{Enter}')
    expect(route.value).toEqual({ name: 'inbox' })

    rows()[1]!.focus()
    await user.keyboard('{Enter}')
    expect(route.value).toEqual({ name: 'complaint', id: complaints[1]!.id })
    expect(location.hash).toBe(`#/complaints/${complaints[1]!.id}`)
  })

  it('shows a new complaint at the top as it arrives, without a reload', async () => {
    const first = complaint()
    const server = signedIn({ complaints: [first] })
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(1))
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Live'))

    const arrived = complaint({ complaint: { description: 'Arrived just now' } })
    server.complaints.set(arrived.id, arrived)
    server.push({ complaintId: arrived.id, type: 'received', data: {} })
    await waitFor(() => expect(rows()).toHaveLength(2))
    expect(rows()[0]!.textContent).toContain('Arrived just now')
    expect(rows()[0]!.classList.contains('fresh')).toBe(true)
    expect(screen.getByText('A new complaint arrived.')).toBeTruthy()

    // Another kind of event refreshes its row.
    server.complaints.set(first.id, { ...first, assignee: 'Bo', status: 'in_progress' })
    server.push({ complaintId: first.id, type: 'assigned', data: { from: null, to: 'Bo' } })
    await waitFor(() => expect(within(rows()[1]!).getByText('Owner: Bo')).toBeTruthy())
    expect(within(rows()[1]!).getByText('In progress')).toBeTruthy()
  })

  it('keeps the list beside an open complaint; Esc goes back to the list', async () => {
    const complaints = [complaint(), complaint()]
    signedIn({ complaints })
    const user = userEvent.setup()
    route.value = { name: 'complaint', id: complaints[0]!.id }
    render(<Inbox openId={complaints[0]!.id} />)
    expect(
      await screen.findByRole('heading', { name: `Complaint ${complaints[0]!.reference}` }),
    ).toBeTruthy()
    await waitFor(() => expect(rows()).toHaveLength(2))
    const open = rows().find((row) => row.dataset.id === complaints[0]!.id)!
    expect(open.getAttribute('aria-selected')).toBe('true')
    expect(open.getAttribute('aria-current')).toBe('true')
    ;(document.activeElement as HTMLElement | null)?.blur()
    await user.keyboard('{Escape}')
    expect(route.value).toEqual({ name: 'inbox' })
  })

  it('loads more with the cursor', async () => {
    const server = signedIn({ complaints: Array.from({ length: 30 }, () => complaint()) })
    const user = userEvent.setup()
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(25))
    await user.click(screen.getByRole('button', { name: 'Load more' }))
    await waitFor(() => expect(rows()).toHaveLength(30))
    expect(lastQuery(server)).toEqual({ limit: '25', cursor: '25' })
    expect(screen.getByText('All 30 shown.')).toBeTruthy()
  })

  it('shows a failed load with a way to try again', async () => {
    const server = signedIn({ complaints: [complaint()] })
    let fail = true
    server.on('GET', /^\/v1\/admin\/complaints$/, () => (fail ? { status: 0 } : undefined))
    const user = userEvent.setup()
    render(<Inbox />)
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Cannot reach the server. Check your connection and try again.',
    )
    fail = false
    await user.click(screen.getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(rows()).toHaveLength(1))
  })

  it('renders customer text as text, never as markup', async () => {
    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
    signedIn({ complaints: [complaint({ complaint: { description: payload } })] })
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(1))
    const excerpt = rows()[0]!.querySelector('.excerpt')!
    expect(excerpt.textContent).toBe(payload)
    expect(document.querySelector('.rows img, .rows script')).toBeNull()
    expect((window as { __xss?: number }).__xss).toBeUndefined()
  })

  it('speaks Chinese', async () => {
    signedIn({ complaints: [complaint({ complaint: { category: 'staff', severity: 'minor' } })] })
    await act(() => setLocale('zh-CN'))
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(screen.getByRole('heading', { name: '投诉' })).toBeTruthy()
    expect(within(rows()[0]!).getByText('轻微')).toBeTruthy()
    expect(within(rows()[0]!).getByText('互动')).toBeTruthy()
    expect(screen.getByLabelText('状态')).toBeTruthy()
  })
})

describe('verified complaints in the inbox', () => {
  const VERIFIED = {
    customerId: 'cus_42',
    email: 'ada@example.com',
    name: null,
    order: { ref: 'A-1001', value: 4200, currency: 'EUR' },
  }

  it('badges each row verified or unverified, in both languages', async () => {
    const unverified = complaint({ complaint: { description: 'Nobody vouched for me' } })
    const verified = complaint({
      complaint: { description: 'Signed in', orderRef: 'A-1001' },
      verified: VERIFIED,
    })
    signedIn({ complaints: [unverified, verified] })
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(2))
    const [signedRow, strangerRow] = rows()
    expect(signedRow!.textContent).toContain('Signed in')
    expect(within(signedRow!).getByText('Verified')).toBeTruthy()
    expect(within(signedRow!).queryByText('Unverified')).toBeNull()
    expect(within(strangerRow!).getByText('Unverified')).toBeTruthy()
    expect(within(strangerRow!).queryByText('Verified')).toBeNull()

    await act(() => setLocale('zh-CN'))
    await waitFor(() => expect(within(rows()[0]!).getByText('已验证')).toBeTruthy())
    expect(within(rows()[1]!).getByText('未验证')).toBeTruthy()
  })
})

describe('filtersFromHash', () => {
  it('reads known filters and drops unknown values', () => {
    expect(
      filtersFromHash(
        '#/inbox?status=resolved&severity=huge&pending=true&q=%20mug%20&hasRemedy=false',
      ),
    ).toEqual({ status: 'resolved', pending: true, q: 'mug', hasRemedy: false })
    expect(filtersFromHash('#/inbox?alert=alt_7&status=new')).toEqual({ alert: 'alt_7' })
    expect(filtersFromHash('#/inbox')).toEqual({})
  })

  it('reads a person’s filters, and drops those naming "me" for a token', () => {
    const hash = '#/inbox?mine=true&unassigned=true&awaitingMe=true'
    expect(filtersFromHash(hash)).toEqual({ mine: true, unassigned: true, awaitingMe: true })
    expect(filtersFromHash(hash, false)).toEqual({ unassigned: true })
  })
})

describe('the inbox of a person signed in', () => {
  it('shows only theirs, nobody’s, or those waiting for their approval', async () => {
    const mine = complaint({ assignee: 'Mei', complaint: { description: 'Mine' } })
    const free = complaint({ complaint: { description: 'Free' } })
    const waiting = complaint({
      assignee: 'Bo',
      complaint: { description: 'Within my limit' },
      recoveries: [recovery({ id: 'rcv_small', reason: 'authority', value: 2000 })],
    })
    const tooBig = complaint({
      assignee: 'Bo',
      complaint: { description: 'Above my limit' },
      recoveries: [recovery({ id: 'rcv_big', reason: 'authority', value: 9000 })],
    })
    const server = signedInAs('manager', {
      complaints: [mine, free, waiting, tooBig],
      owners: {
        [mine.id]: TEAM.manager.id,
        [waiting.id]: TEAM.agent.id,
        [tooBig.id]: TEAM.agent.id,
      },
    })
    const user = userEvent.setup()
    render(<Inbox />)
    await waitFor(() => expect(rows()).toHaveLength(4))
    const shown = () => rows().map((row) => row.querySelector('.excerpt')!.textContent)

    await user.click(screen.getByLabelText('Mine'))
    await waitFor(() => expect(shown()).toEqual(['Mine']))
    expect(lastQuery(server)).toEqual({ mine: 'true', limit: '25' })

    await user.click(screen.getByLabelText('Mine'))
    await user.click(screen.getByLabelText('Unassigned'))
    await waitFor(() => expect(shown()).toEqual(['Free']))
    expect(lastQuery(server)).toEqual({ unassigned: 'true', limit: '25' })

    await user.click(screen.getByLabelText('Unassigned'))
    // Mei may approve up to €50.00: the €90.00 one waits for someone else.
    await user.click(screen.getByLabelText('Waiting for my approval'))
    await waitFor(() => expect(shown()).toEqual(['Within my limit']))
    expect(lastQuery(server)).toEqual({ awaitingMe: 'true', limit: '25' })
    expect(location.hash).toBe('#/inbox?awaitingMe=true')
    // Every request a person makes rides on the cookie, never a token.
    expect(server.requests.every((request) => !request.headers.authorization)).toBe(true)
  })

  it('offers "Waiting for my approval" only to those who may approve, and "Mine" to no token', async () => {
    signedInAs('agent')
    render(<Inbox />)
    expect(await screen.findByLabelText('Mine')).toBeTruthy()
    expect(screen.getByLabelText('Unassigned')).toBeTruthy()
    expect(screen.queryByLabelText('Waiting for my approval')).toBeNull()
    cleanup()

    signedIn()
    render(<Inbox />)
    expect(await screen.findByLabelText('Unassigned')).toBeTruthy()
    expect(screen.queryByLabelText('Mine')).toBeNull()
    expect(screen.queryByLabelText('Waiting for my approval')).toBeNull()
  })

  it('names the filters in Chinese', async () => {
    signedInAs('owner')
    setLocale('zh-CN')
    render(<Inbox />)
    expect(await screen.findByLabelText('我负责的')).toBeTruthy()
    expect(screen.getByLabelText('无人负责')).toBeTruthy()
    expect(screen.getByLabelText('等待我审批')).toBeTruthy()
  })
})
