import { render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import type { SiteView } from '../lib/types'
import { signedIn } from '../test/helpers'
import { errorOf, retype, site } from './_test-helpers'
import { Settings } from './Settings'

const MAIL = { from: null, team: [], teamLocale: 'en' as const, acknowledge: false }

/** Settings signed in to a fake server holding `view`, once the mail section is drawn. */
async function open(view: SiteView = site({ mail: MAIL })) {
  const server = signedIn({ site: view })
  render(<Settings />)
  const section = (await screen.findByRole('heading', { name: 'Mail', level: 2 })).parentElement!
  return { server, mail: within(section) }
}

const patches = (server: ReturnType<typeof signedIn>) =>
  server.sent('PATCH', /\/site$/).map((request) => request.body)

describe('the mail settings', () => {
  it('saves the From address, the team and the acknowledgment', async () => {
    const { server, mail } = await open()
    expect(mail.getByText('No team addresses: nobody is told by mail.')).toBeTruthy()
    // The API does not say whether SMTP is configured: the section says what happens without it.
    expect(mail.getByText(/Without one, mails are written to the server’s log/)).toBeTruthy()
    await userEvent.type(mail.getByLabelText('From address'), 'care@shop.example')
    await userEvent.click(mail.getByRole('button', { name: 'Add an address' }))
    await waitFor(() => expect(document.activeElement).toBe(mail.getByLabelText('Team address 1')))
    await userEvent.type(mail.getByLabelText('Team address 1'), 'ops@shop.example')
    await userEvent.click(mail.getByRole('button', { name: 'Add an address' }))
    await userEvent.type(mail.getByLabelText('Team address 2'), 'oncall@shop.example')
    // An empty row is left out.
    await userEvent.click(mail.getByRole('button', { name: 'Add an address' }))
    const acknowledge = mail.getByRole('checkbox', { name: 'Send customers an acknowledgment' })
    expect(acknowledge.getAttribute('aria-describedby')).toContain('mail-acknowledge-hint')
    await userEvent.click(acknowledge)
    await userEvent.click(mail.getByRole('button', { name: 'Save' }))
    await mail.findByText('Saved')
    expect(patches(server)).toEqual([
      {
        mail: {
          from: 'care@shop.example',
          team: ['ops@shop.example', 'oncall@shop.example'],
          teamLocale: 'en',
          acknowledge: true,
        },
      },
    ])
    expect(server.site.mail).toEqual({
      from: 'care@shop.example',
      team: ['ops@shop.example', 'oncall@shop.example'],
      teamLocale: 'en',
      acknowledge: true,
    })
    // Redrawn from the answer: the empty row is gone.
    expect(mail.queryByLabelText('Team address 3')).toBeNull()
  })

  it("shows the server's refusals beside the address they name, and keeps what was typed", async () => {
    const { server, mail } = await open(
      site({
        mail: {
          from: 'care@shop.example',
          team: ['ops@shop.example'],
          teamLocale: 'en',
          acknowledge: true,
        },
      }),
    )
    expect((mail.getByLabelText('From address') as HTMLInputElement).value).toBe(
      'care@shop.example',
    )
    expect((mail.getByLabelText('Team address 1') as HTMLInputElement).value).toBe(
      'ops@shop.example',
    )
    expect(
      (mail.getByRole('checkbox', { name: 'Send customers an acknowledgment' }) as HTMLInputElement)
        .checked,
    ).toBe(true)
    // An empty row before the bad one: the server counts only the addresses sent.
    await userEvent.click(mail.getByRole('button', { name: 'Add an address' }))
    await userEvent.click(mail.getByRole('button', { name: 'Add an address' }))
    const bad = mail.getByLabelText('Team address 3') as HTMLInputElement
    await userEvent.type(bad, 'not an address')
    await userEvent.click(mail.getByRole('button', { name: 'Save' }))
    await waitFor(() =>
      expect(errorOf(bad)).toBe('Each team address is an e-mail address such as ops@shop.example'),
    )
    expect(bad.getAttribute('aria-invalid')).toBe('true')
    expect(bad.value).toBe('not an address')
    expect(errorOf(mail.getByLabelText('Team address 1'))).toBe('')

    await retype(bad, 'night@shop.example')
    const from = mail.getByLabelText('From address') as HTMLInputElement
    await retype(from, 'care')
    await userEvent.click(mail.getByRole('button', { name: 'Save' }))
    await waitFor(() =>
      expect(errorOf(from)).toBe('from is an e-mail address such as care@shop.example, or null'),
    )
    expect(errorOf(bad)).toBe('')
    expect(server.site.mail).toEqual({
      from: 'care@shop.example',
      team: ['ops@shop.example'],
      teamLocale: 'en',
      acknowledge: true,
    })

    // Removing the first address; an empty From is the server's own.
    await userEvent.clear(from)
    await userEvent.click(mail.getByRole('button', { name: /^Remove ?: ops@shop\.example$/ }))
    expect(document.activeElement).toBe(mail.getByRole('button', { name: 'Add an address' }))
    await userEvent.click(mail.getByRole('button', { name: 'Save' }))
    await mail.findByText('Saved')
    expect(patches(server).at(-1)).toEqual({
      mail: { from: null, team: ['night@shop.example'], teamLocale: 'en', acknowledge: true },
    })
  })

  it('saves the language of the team’s mails, and starts from the stored one', async () => {
    const { server, mail } = await open()
    const language = mail.getByLabelText('Language of the team’s mails') as HTMLSelectElement
    expect(language.value).toBe('en')
    expect([...language.options].map((option) => option.text)).toEqual(['English', '简体中文'])
    expect(mail.getByText('Customers get theirs in the language of their complaint.')).toBeTruthy()
    await userEvent.selectOptions(language, '简体中文')
    await userEvent.click(mail.getByRole('button', { name: 'Save' }))
    await mail.findByText('Saved')
    expect(patches(server)).toEqual([
      { mail: { from: null, team: [], teamLocale: 'zh-CN', acknowledge: false } },
    ])
    expect(server.site.mail?.teamLocale).toBe('zh-CN')
    // Redrawn from the answer, the choice stays.
    expect(language.value).toBe('zh-CN')
  })

  it('is left out for a server without mail', async () => {
    signedIn({ site: site() })
    render(<Settings />)
    await screen.findByRole('heading', { name: 'Texts the customer reads' })
    expect(screen.queryByRole('heading', { name: 'Mail', level: 2 })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Mail' })).toBeNull()
  })

  it('speaks Chinese', async () => {
    signedIn({ site: site({ mail: MAIL }) })
    setLocale('zh-CN')
    render(<Settings />)
    const section = (await screen.findByRole('heading', { name: '邮件', level: 2 })).parentElement!
    const mail = within(section)
    expect(mail.getByLabelText('发件地址')).toBeTruthy()
    expect(mail.getByRole('checkbox', { name: '向顾客发送确认函' })).toBeTruthy()
    expect((mail.getByLabelText('团队邮件的语言') as HTMLSelectElement).value).toBe('en')
    expect(mail.getByText(/并在每条投诉下列为“未发送”/)).toBeTruthy()
    await userEvent.click(mail.getByRole('button', { name: '添加地址' }))
    expect(mail.getByLabelText('团队地址 1')).toBeTruthy()
  })
})
