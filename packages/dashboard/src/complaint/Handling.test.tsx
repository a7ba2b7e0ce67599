// A complaint handled by a person signed in: owning it as themselves, what
// their role and limits allow (the server's 403 in its own words), remedies
// that wait for someone's authority, and who did what on the timeline.
import { act, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { complaint, recovery, TEAM } from '../test/fake-data'
import { signedInAs } from '../test/helpers'
import { ComplaintView } from './ComplaintView'

/** `target` on screen for `role`'s person, with the fake server's options. */
async function show(
  role: keyof typeof TEAM,
  target = complaint(),
  options: Parameters<typeof signedInAs>[1] = {},
) {
  const server = signedInAs(role, { complaints: [target], ...options })
  const user = userEvent.setup()
  render(<ComplaintView id={target.id} />)
  await screen.findByRole('heading', { name: `Complaint ${target.reference}` })
  return { target, server, user }
}

const patches = (server: ReturnType<typeof signedInAs>) =>
  server.sent('PATCH').map((request) => request.body)
/** Each timeline entry's words and who did it, without its time. */
const timeline = () =>
  [...document.querySelectorAll('.timeline li')].map(
    (item) =>
      item.querySelector('.event-text')!.textContent! +
      (item.querySelector('.event-by')?.textContent ?? ''),
  )

describe('owning a complaint as a person', () => {
  it('takes a free complaint as "me", and lets it go', async () => {
    const { server, user } = await show('agent')
    // No name to type: the person is who takes it.
    expect(screen.queryByLabelText('Your name')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Take it' }))
    expect(await screen.findByText('You own this complaint.')).toBeTruthy()
    expect(patches(server)).toEqual([{ assignee: 'me' }])
    // A change made with the session carries its CSRF token.
    expect(server.sent('PATCH')[0]!.headers['x-csrf-token']).toBe(server.people.session!.csrf)
    expect(timeline()).toContain('Taken by Bo · by Bo')

    await user.click(screen.getByRole('button', { name: 'Let it go' }))
    expect(
      await screen.findByText('Nobody owns this complaint yet. Whoever takes it first owns it.'),
    ).toBeTruthy()
    expect(patches(server).at(-1)).toEqual({ assignee: null })
  })

  it('offers an agent no taking over of someone else’s complaint: a manager hands it on', async () => {
    const taken = complaint({ assignee: 'Mei' })
    await show('agent', taken, { owners: { [taken.id]: TEAM.manager.id } })
    expect(screen.getByText('Mei owns this complaint.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Take it over' })).toBeNull()
    expect(screen.getByText('To take it over, ask a manager to hand it to you.')).toBeTruthy()
  })

  it('lets a manager take one over, asked first', async () => {
    const taken = complaint({ assignee: 'Bo' })
    const { user, server } = await show('manager', taken, { owners: { [taken.id]: TEAM.agent.id } })
    await user.click(screen.getByRole('button', { name: 'Take it over' }))
    expect(screen.getByText('Bo owns this complaint. Take it over?')).toBeTruthy()
    expect(patches(server)).toEqual([])
    await user.click(screen.getByRole('button', { name: 'Yes, take it over' }))
    expect(await screen.findByText('You own this complaint.')).toBeTruthy()
    expect(timeline()).toContain('Reassigned from Bo to Mei · by Mei')
  })

  it('says who took it first', async () => {
    const { target, server, user } = await show('manager')
    server.complaints.set(target.id, { ...target, assignee: 'Bo' })
    server.owners.set(target.id, TEAM.agent.id)
    await user.click(screen.getByRole('button', { name: 'Take it' }))
    expect(await screen.findByText('Someone took it first: Bo owns it now.')).toBeTruthy()
    expect(screen.getByText('Bo owns this complaint.')).toBeTruthy()
  })

  it('shows an agent the server’s refusal when someone took it first, and who', async () => {
    const { target, server, user } = await show('agent')
    server.complaints.set(target.id, { ...target, assignee: 'Mei' })
    server.owners.set(target.id, TEAM.manager.id)
    await user.click(screen.getByRole('button', { name: 'Take it' }))
    expect(
      await screen.findByText('Mei owns this complaint; only a manager hands it on'),
    ).toBeTruthy()
    expect(await screen.findByText('Mei owns this complaint.')).toBeTruthy()
  })

  it('shows a viewer everything, and nothing to change', async () => {
    await show('viewer', complaint({ recoveries: [recovery()], assignee: 'Bo' }))
    expect(screen.getByText('Bo owns this complaint.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Take it/ })).toBeNull()
    expect((screen.getByLabelText('Status') as HTMLSelectElement).disabled).toBe(true)
    expect((screen.getByLabelText('Root cause') as HTMLSelectElement).disabled).toBe(true)
    expect(screen.queryByRole('heading', { name: 'Give a remedy' })).toBeNull()
    expect(screen.queryByRole('heading', { name: 'Reply to the customer' })).toBeNull()
    // The remedy waiting is there to read, not to decide.
    expect(screen.getByText('Waiting for approval')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull()
  })
})

describe('remedies and a person’s authority', () => {
  it('gives within the agent’s limit, and drafts for approval above it or past their day', async () => {
    const { server, user } = await show('agent', complaint(), {
      team: [{ ...TEAM.agent, dayLimit: 1400 }],
    })
    expect(
      await screen.findByText(
        'Your own limit: €10.00 a remedy and €14.00 a day. Above it, a remedy waits for a manager’s approval.',
      ),
    ).toBeTruthy()
    const give = async (value: string) => {
      await user.clear(screen.getByLabelText('Value in EUR'))
      await user.type(screen.getByLabelText('Value in EUR'), value)
      await user.click(screen.getByRole('button', { name: 'Give Coupon' }))
    }
    await give('5')
    expect(await screen.findByText('Coupon given: code CODE2345.')).toBeTruthy()
    await give('12')
    expect(await screen.findByText('Coupon is waiting for approval.')).toBeTruthy()
    await give('10')
    await waitFor(() => expect(server.sent('POST', /\/recoveries$/)).toHaveLength(3))
    await waitFor(() => expect(document.querySelectorAll('.remedy-row')).toHaveLength(3))

    const rows = [...document.querySelectorAll<HTMLElement>('.remedy-row')]
    expect(
      within(rows[1]!).getByText(
        'Why it waits: it is more than the person who gave it may give on their own.',
      ),
    ).toBeTruthy()
    expect(
      within(rows[2]!).getByText(
        'Why it waits: it would take the person who gave it past their limit for today.',
      ),
    ).toBeTruthy()
    // An agent does not approve, their own or anyone's.
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull()
    expect(timeline()).toContain(
      'Coupon drafted, waiting for approval: it is more than the person who gave it may give on their own · by Bo',
    )

    await act(() => setLocale('zh-CN'))
    expect(within(rows[1]!).getByText('等待原因：超过发放人可自行决定的额度。')).toBeTruthy()
    expect(within(rows[2]!).getByText('等待原因：发放人今日的额度将被超出。')).toBeTruthy()
    expect(
      screen.getByText('你的额度：每次 €10.00和每天 €14.00。超出时，补救需等待经理审批。'),
    ).toBeTruthy()
  })

  it('lets a manager approve within their limit, and shows the server’s 403 above it', async () => {
    const { server, user } = await show(
      'manager',
      complaint({
        recoveries: [
          recovery({ id: 'rcv_small', reason: 'authority', value: 2000 }),
          recovery({ id: 'rcv_big', reason: 'authority', value: 9000 }),
        ],
      }),
    )
    const [small, big] = [...document.querySelectorAll<HTMLElement>('.remedy-row')]
    await user.click(within(big!).getByRole('button', { name: 'Approve' }))
    expect(
      await within(big!).findByText('€90.00 is more than Mei may approve (€50.00)'),
    ).toBeTruthy()
    await user.click(within(small!).getByRole('button', { name: 'Approve' }))
    await waitFor(() => expect(screen.getByText('Approved')).toBeTruthy())
    expect(timeline()).toContain('Coupon approved: €20.00 · by Mei')
    expect(
      server.sent('POST', /approve$/).map((request) => request.headers['x-csrf-token']),
    ).toEqual([server.people.session!.csrf, server.people.session!.csrf])
  })

  it('signs a reply with the person’s name, by the server', async () => {
    const { server, user } = await show('agent')
    expect(screen.getByText(/Signed “Bo”\./)).toBeTruthy()
    await user.type(screen.getByLabelText('Message'), 'We are on it.')
    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    await waitFor(() => expect(server.sent('POST', /\/replies$/)).toHaveLength(1))
    expect(server.sent('POST', /\/replies$/)[0]!.body).toEqual({ message: 'We are on it.' })
  })
})
