// The team in Settings, for an owner signed in: the list with roles, limits in
// the site's currency, who is active or only invited and who has a second
// factor; inviting (the link shown once), changing a role and limits, the
// last owner kept, disabling and enabling, a new invitation link; and what
// other roles see of Settings instead.
import { act, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { member, TEAM } from '../test/fake-data'
import { signedIn, signedInAs } from '../test/helpers'
import { errorOf, site } from './_test-helpers'
import { Settings } from './Settings'
import { Team } from './Team'

const INVITED = member({
  id: 'usr_li',
  email: 'li@shop.example',
  name: 'Li',
  role: 'agent',
  active: false,
})

/** The team section of an owner signed in, with `TEAM` and Li, invited, once it is listed. */
async function open(options: Parameters<typeof signedInAs>[1] = {}) {
  const server = signedInAs('owner', {
    site: site(),
    team: [...Object.values(TEAM), INVITED],
    ...options,
  })
  const user = userEvent.setup()
  render(<Team site={site()} />)
  await screen.findByText('Mei', { selector: 'strong' })
  return { server, user }
}

/** One person's card. */
const card = (name: string) => screen.getByText(name, { selector: 'strong' }).closest('li')!

describe('the team', () => {
  it('lists everyone with their role, limits in the site’s currency, state and second factor', async () => {
    await open({
      team: [
        ...Object.values(TEAM),
        INVITED,
        {
          ...TEAM.viewer,
          id: 'usr_x',
          name: 'Xu',
          email: 'xu@shop.example',
          totp: true,
          disabledAt: '2026-02-01T00:00:00.000Z',
        },
      ],
    })
    const lines = (name: string) =>
      [...card(name).querySelectorAll('p.hint')].map((line) => line.textContent)
    expect(within(card('Olga')).getByText('olga@shop.example')).toBeTruthy()
    expect(lines('Olga')).toEqual([
      'Owner · Active · No second factor',
      'Limit per remedy: none of their own · per day: none of their own',
    ])
    expect(within(card('Olga')).getByText('(you)')).toBeTruthy()
    expect(lines('Bo')).toEqual([
      'Agent · Active · No second factor',
      'Limit per remedy: €10.00 · per day: €30.00',
    ])
    expect(lines('Li')[0]).toBe('Agent · Invited: has not set a password yet · No second factor')
    expect(lines('Xu')[0]).toBe('Viewer · Disabled · Second factor on')
    // The limits as typed amounts, ready to change.
    expect(
      (within(card('Bo')).getByLabelText('Most per remedy (EUR)') as HTMLInputElement).value,
    ).toBe('10')
    expect((within(card('Bo')).getByLabelText('Role') as HTMLSelectElement).value).toBe('agent')
  })

  it('invites a person, and shows their link once with a copy button', async () => {
    const { server, user } = await open()
    const form = screen.getByRole('heading', { name: 'Invite someone' }).closest('form')!
    const field = (label: string) => within(form).getByLabelText(label)
    await user.click(within(form).getByRole('button', { name: 'Invite' }))
    expect(errorOf(field('E-mail address'))).toBe('Enter their e-mail address.')
    expect(errorOf(field('Name'))).toBe('Enter their name.')

    await user.type(field('E-mail address'), 'Ana@Shop.example')
    await user.type(field('Name'), 'Ana')
    await user.selectOptions(field('Role'), 'manager')
    await user.type(field('Most per remedy (EUR)'), '50')
    await user.type(field('Most per day (EUR)'), 'lots')
    await user.click(within(form).getByRole('button', { name: 'Invite' }))
    expect(errorOf(field('Most per day (EUR)'))).toBe(
      'Enter an amount such as 10.00, or leave it empty.',
    )
    await user.clear(field('Most per day (EUR)'))
    await user.click(within(form).getByRole('button', { name: 'Invite' }))

    const banner = await screen.findByText('Copy the invitation link for Ana now.')
    const shown = banner.closest('.banner')!
    const url = shown.querySelector('code')!.textContent!
    expect(url).toMatch(/^http:\/\/dashboard\.test\/admin\/#\/invite\/inv_\d+$/)
    expect(server.sent('POST', /\/team$/)[0]!.body).toEqual({
      email: 'Ana@Shop.example',
      name: 'Ana',
      role: 'manager',
      remedyLimit: 5000,
    })
    const ana = [...server.people.members.values()].find((one) => one.name === 'Ana')!
    expect(server.people.invitesFor(ana.id)).toEqual([url.split('/').at(-1)])
    await user.click(within(shown as HTMLElement).getByRole('button', { name: 'Copy the link' }))
    expect(await navigator.clipboard.readText()).toBe(url)
    expect(within(card('Ana')).getByText(/Invited: has not set a password yet/)).toBeTruthy()
    // The form is empty for the next person.
    expect((field('E-mail address') as HTMLInputElement).value).toBe('')

    await user.click(within(shown as HTMLElement).getByRole('button', { name: 'Done' }))
    expect(screen.queryByText('Copy the invitation link for Ana now.')).toBeNull()
  })

  it('shows the server’s refusal of an address at its field', async () => {
    const { user } = await open()
    const form = screen.getByRole('heading', { name: 'Invite someone' }).closest('form')!
    await user.type(within(form).getByLabelText('E-mail address'), 'bo@shop.example')
    await user.type(within(form).getByLabelText('Name'), 'Bo again')
    await user.click(within(form).getByRole('button', { name: 'Invite' }))
    await waitFor(() =>
      expect(errorOf(within(form).getByLabelText('E-mail address'))).toBe(
        'bo@shop.example has an account already',
      ),
    )
  })

  it('changes a role and the limits, and keeps the last owner', async () => {
    const { server, user } = await open()
    const bo = card('Bo')
    await user.selectOptions(within(bo).getByLabelText('Role'), 'manager')
    const remedy = within(bo).getByLabelText('Most per remedy (EUR)')
    await user.clear(remedy)
    await user.type(remedy, '20.50')
    await user.clear(within(bo).getByLabelText('Most per day (EUR)'))
    await user.click(within(bo).getByRole('button', { name: 'Save' }))
    await within(bo).findByText('Saved')
    expect(server.sent('PATCH', /\/team\/usr_bo$/)[0]!.body).toEqual({
      role: 'manager',
      remedyLimit: 2050,
      dayLimit: null,
    })
    expect(within(bo).getByText('Manager · Active · No second factor')).toBeTruthy()
    expect(
      within(bo).getByText('Limit per remedy: €20.50 · per day: none of their own'),
    ).toBeTruthy()

    const olga = card('Olga')
    await user.selectOptions(within(olga).getByLabelText('Role'), 'viewer')
    await user.click(within(olga).getByRole('button', { name: 'Save' }))
    await waitFor(() =>
      expect(errorOf(within(olga).getByLabelText('Role'))).toBe(
        'The site’s last active owner can be neither demoted nor disabled',
      ),
    )
    expect(server.people.members.get(TEAM.owner.id)!.role).toBe('owner')
  })

  it('disables and enables a person, and makes a new invitation link', async () => {
    const { server, user } = await open()
    // Asked twice: it signs them out everywhere.
    await user.click(within(card('Bo')).getByRole('button', { name: 'Disable Bo' }))
    expect(server.sent('PATCH', /\/team\/usr_bo$/)).toHaveLength(0)
    await user.click(
      within(card('Bo')).getByRole('button', { name: 'Disable Bo and sign them out everywhere' }),
    )
    expect(
      await within(card('Bo')).findByText('Disabled: signed out everywhere, and cannot sign in.'),
    ).toBeTruthy()
    expect(within(card('Bo')).getByText('Agent · Disabled · No second factor')).toBeTruthy()
    expect(server.sent('PATCH', /\/team\/usr_bo$/)[0]!.body).toEqual({ disabled: true })
    await user.click(within(card('Bo')).getByRole('button', { name: 'Enable Bo' }))
    expect(await within(card('Bo')).findByText('Enabled: can sign in again.')).toBeTruthy()
    // Nobody disables their own account from here.
    expect(within(card('Olga')).queryByRole('button', { name: /Disable/ })).toBeNull()

    // Only someone who has not set a password gets a new link.
    expect(within(card('Bo')).queryByRole('button', { name: /New invitation link/ })).toBeNull()
    await user.click(within(card('Li')).getByRole('button', { name: 'New invitation link Li' }))
    const banner = (await screen.findByText('Copy the invitation link for Li now.')).closest(
      '.banner',
    )!
    expect(banner.querySelector('code')!.textContent).toBe(
      `http://dashboard.test/admin/#/invite/${server.people.invitesFor('usr_li')[0]}`,
    )
    expect(banner.textContent).toContain('It was mailed to li@shop.example too')
  })

  it('speaks Chinese', async () => {
    await open()
    await act(() => setLocale('zh-CN'))
    expect(screen.getByRole('heading', { name: '团队' })).toBeTruthy()
    expect(within(card('Bo')).getByText('客服 · 已启用 · 未开启双重验证')).toBeTruthy()
    expect(within(card('Bo')).getByText('每次上限：€10.00 · 每天上限：€30.00')).toBeTruthy()
    expect(screen.getByRole('heading', { name: '邀请成员' })).toBeTruthy()
  })
})

describe('Settings for each role', () => {
  /** Settings, once the site's settings are drawn. */
  async function settings() {
    render(<Settings />)
    return screen.findByRole('heading', { name: 'Allowed origins', level: 2 })
  }
  const locked = (label: RegExp) =>
    (screen.getByLabelText(label) as HTMLElement).closest<HTMLFieldSetElement>('fieldset.locked')

  it('gives an owner the team and the tokens, and their own account', async () => {
    signedInAs('owner', { site: site() })
    await settings()
    expect(screen.getByRole('heading', { name: 'Team', level: 2 })).toBeTruthy()
    expect(screen.getByRole('heading', { name: 'API tokens', level: 2 })).toBeTruthy()
    expect(screen.getByRole('heading', { name: 'My account', level: 2 })).toBeTruthy()
    expect(screen.queryByRole('note')).toBeNull()
    expect(locked(/Origins, one per line/)).toBeNull()
  })

  it('shows a manager the settings read-only but the notices, and no team', async () => {
    signedInAs('manager', { site: site() })
    await settings()
    expect(screen.getByRole('note').textContent).toBe(
      'Only an owner changes the site’s settings: ask one. You keep the known-issue notices and the coupon pool.',
    )
    expect(locked(/Origins, one per line/)?.disabled).toBe(true)
    expect(
      screen.getByRole('button', { name: 'Write a notice' }).closest('fieldset.locked'),
    ).toBeNull()
    expect(screen.queryByRole('heading', { name: 'Team', level: 2 })).toBeNull()
    expect(screen.queryByRole('heading', { name: 'API tokens', level: 2 })).toBeNull()
    expect(
      screen.getByText(
        'An owner keeps the team and the API tokens: ask one to invite someone, change a role or make a token.',
      ),
    ).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Team' })).toBeNull()
    expect(screen.getByRole('heading', { name: 'My account', level: 2 })).toBeTruthy()
  })

  it('shows a viewer everything read-only', async () => {
    signedInAs('viewer', { site: site() })
    await settings()
    expect(screen.getByRole('note').textContent).toBe(
      'Only an owner changes the site’s settings: ask one. You can read them here.',
    )
    expect((screen.getByLabelText(/Origins, one per line/) as HTMLTextAreaElement).value).toBe(
      'https://shop.example',
    )
    expect(locked(/Origins, one per line/)?.disabled).toBe(true)
    expect(
      screen
        .getByRole('button', { name: 'Write a notice' })
        .closest<HTMLFieldSetElement>('fieldset.locked')?.disabled,
    ).toBe(true)
  })

  it('shows the admin token no account of its own', async () => {
    signedIn({ site: site() })
    await settings()
    expect(screen.getByRole('heading', { name: 'Team', level: 2 })).toBeTruthy()
    expect(screen.queryByRole('heading', { name: 'My account', level: 2 })).toBeNull()
  })

  it('names who changed the team in the audit trail', async () => {
    signedInAs('owner', { site: site() })
    await settings()
    const form = screen.getByRole('heading', { name: 'Invite someone' }).closest('form')!
    const user = userEvent.setup()
    await user.type(within(form).getByLabelText('E-mail address'), 'ana@shop.example')
    await user.type(within(form).getByLabelText('Name'), 'Ana')
    await user.click(within(form).getByRole('button', { name: 'Invite' }))
    const trail = screen.getByRole('heading', { name: 'Audit trail' }).closest('section')!
    expect(
      await within(trail).findByText(/invited Ana \(ana@shop\.example\) as Agent/),
    ).toBeTruthy()
    expect(within(trail).getByText('· by Olga', { exact: false })).toBeTruthy()
  })
})
