// Signing in, as a person (e-mail and password, a second factor, a mailed
// link, an invitation) or with a token as before, against the fake admin API
// with its session cookie; and what the shell shows once signed in.
import { act, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { App } from './App'
import { setLocale } from './i18n'
import { auth, parseRoute, restoreSession, route } from './lib/state'
import { fakeServer } from './test/_fake-server'
import { FAKE_TOTP, PASSWORD, PASSWORDS, TEAM } from './test/fake-data'
import './test/helpers'

/** The fake server holding `TEAM`, as `fetch`, with nobody signed in yet. */
function serve(options: Parameters<typeof fakeServer>[0] = {}) {
  const server = fakeServer({ team: Object.values(TEAM), passwords: PASSWORDS, ...options })
  vi.stubGlobal('fetch', server.fetch)
  return server
}

/** Open the address `hash` as a link from a mail would. */
function visit(hash: string) {
  history.replaceState(null, '', hash)
  route.value = parseRoute(hash)
}

const inbox = () => screen.findByRole('heading', { name: 'Complaints', level: 1 })

async function signInWith(email: string, password: string) {
  const user = userEvent.setup()
  await user.type(screen.getByLabelText('E-mail address'), email)
  await user.type(screen.getByLabelText('Password'), password)
  await user.click(screen.getByRole('button', { name: 'Sign in' }))
  return user
}

describe('signing in as a person', () => {
  it('takes an e-mail address and a password, then works with the session cookie alone', async () => {
    const server = serve()
    render(<App />)
    await signInWith('Mei@Shop.example ', PASSWORD)
    await inbox()
    // Who is signed in, in the header.
    expect(screen.getByText('Mei, Manager')).toBeTruthy()
    const [signIn] = server.sent('POST', /\/session$/)
    expect(signIn!.body).toEqual({ email: 'Mei@Shop.example', password: PASSWORD })
    expect(signIn!.headers.authorization).toBeUndefined()
    expect(signIn!.credentials).toBe('same-origin')
    // Every call after: no token, the cookie (same-origin), no CSRF token on a GET.
    await waitFor(() => expect(server.sent('GET', /\/complaints$/).length).toBeGreaterThan(0))
    const list = server.sent('GET', /\/complaints$/)[0]!
    expect(list.headers.authorization).toBeUndefined()
    expect(list.headers['x-csrf-token']).toBeUndefined()
    expect(list.credentials).toBe('same-origin')
    // Nothing kept in the tab: the cookie is the browser's, HttpOnly.
    expect(sessionStorage.length).toBe(0)

    // Signing out ends the session on the server too.
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByRole('heading', { name: 'Sign in to your inbox' })).toBeTruthy()
    await waitFor(() => expect(server.people.session).toBeNull())
    expect(server.sent('DELETE', /\/session$/)).toHaveLength(1)
  })

  it('says so when the address or the password is wrong, or after too many tries', async () => {
    const server = serve()
    render(<App />)
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(screen.getByText('Enter your e-mail address.')).toBeTruthy()
    expect(screen.getByText('Enter your password.')).toBeTruthy()
    expect(server.sent('POST')).toEqual([])

    await signInWith('mei@shop.example', 'not the password')
    expect(await screen.findByText('The e-mail address or the password is wrong.')).toBeTruthy()
    expect(auth.value).toBeNull()

    server.on('POST', /\/session$/, () => ({
      status: 429,
      body: { error: { code: 'rate_limited', message: 'Too many sign-in attempts' } },
      headers: { 'retry-after': '90' },
    }))
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText('Too many attempts. Try again in 2 min.')).toBeTruthy()
  })

  it('asks for the authenticator code when the person turned it on', async () => {
    const server = serve({ team: [{ ...TEAM.owner, totp: true }] })
    render(<App />)
    const user = await signInWith('olga@shop.example', PASSWORD)
    const code = await screen.findByLabelText('Code from your authenticator app')
    // The server's "totp_required" is a question, not a failure.
    expect(screen.queryByText(/wrong/)).toBeNull()
    await user.type(code, '000000')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(
      await screen.findByText('That code is not right. Enter the one your app shows now.'),
    ).toBeTruthy()
    await user.clear(code)
    await user.type(code, FAKE_TOTP)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await inbox()
    expect(server.sent('POST', /\/session$/).map((request) => request.body)).toEqual([
      { email: 'olga@shop.example', password: PASSWORD },
      { email: 'olga@shop.example', password: PASSWORD, totp: '000000' },
      { email: 'olga@shop.example', password: PASSWORD, totp: FAKE_TOTP },
    ])
  })

  it('mails a sign-in link, saying the same whether the address has an account or not', async () => {
    const server = serve()
    render(<App />)
    const user = userEvent.setup()
    const link = screen.getByRole('button', { name: 'E-mail me a sign-in link' })
    await user.click(link)
    expect(screen.getByText('Enter your e-mail address.')).toBeTruthy()

    const sent =
      'If that address has an account, a link is on its way. It works once, within 15 minutes.'
    await user.type(screen.getByLabelText('E-mail address'), 'nobody@shop.example')
    await user.click(link)
    expect(await screen.findByText(sent)).toBeTruthy()
    await user.clear(screen.getByLabelText('E-mail address'))
    await user.type(screen.getByLabelText('E-mail address'), 'bo@shop.example')
    await user.click(link)
    await waitFor(() => expect(server.people.linksAsked).toHaveLength(2))
    expect(screen.getByText(sent)).toBeTruthy()
    expect(server.people.linksAsked).toEqual(['nobody@shop.example', 'bo@shop.example'])

    // The mailed link signs in when pressed (a mail scanner opening it spends
    // nothing), and leaves the address.
    const [token] = server.people.linksFor(TEAM.agent.id)
    visit(`#/sign-in/${token}`)
    const use = await screen.findByRole('button', { name: 'Sign in with this link' })
    expect(server.sent('POST', /\/session\/link\/use$/)).toHaveLength(0)
    await user.click(use)
    await inbox()
    expect(screen.getByText('Bo, Agent')).toBeTruthy()
    expect(location.hash).toBe('#/inbox')
  })

  it('says a used sign-in link does not work, and goes back to sign-in', async () => {
    serve()
    visit('#/sign-in/lnk_used')
    render(<App />)
    await userEvent.click(screen.getByRole('button', { name: 'Sign in with this link' }))
    expect(
      await screen.findByText(
        'This sign-in link does not work: it was used already, or it is more than 15 minutes old. Ask for a new one.',
      ),
    ).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Go to sign-in' }))
    expect(await screen.findByLabelText('E-mail address')).toBeTruthy()
    expect(location.hash).toBe('#/inbox')
  })

  it('lands a person whose session is still good in the inbox on load', async () => {
    const server = serve({ session: TEAM.viewer.id })
    // As the entry does: asked before the first render, answered after it.
    const restored = restoreSession()
    render(<App />)
    expect(screen.getByRole('status').textContent).toBe('Loading…')
    await act(() => restored)
    await inbox()
    expect(screen.getByText('Vi, Viewer')).toBeTruthy()
    expect(server.sent('GET', /\/session$/)).toHaveLength(1)
  })

  it('shows the sign-in form when the session is gone', async () => {
    serve()
    render(<App />)
    await act(() => restoreSession())
    expect(screen.getByRole('heading', { name: 'Sign in to your inbox' })).toBeTruthy()
  })
})

describe('an invitation', () => {
  /** Invite Li as an owner would, and open the link the answer carries. */
  async function invited(server: ReturnType<typeof serve>) {
    const answer = await server.fetch('/v1/admin/team', {
      method: 'POST',
      headers: { authorization: 'Bearer rdk_owner' },
      body: JSON.stringify({ email: 'li@shop.example', name: 'Li', role: 'agent' }),
    })
    const { inviteUrl } = (await answer.json()) as { inviteUrl: string }
    return new URL(inviteUrl).hash
  }

  it('sets a password of 12 characters or more, typed twice, and signs the person in', async () => {
    const server = serve()
    const link = await invited(server)
    visit(link)
    render(<App />)
    expect(await screen.findByRole('heading', { name: 'Welcome to the team' })).toBeTruthy()
    const user = userEvent.setup()
    const password = screen.getByLabelText('New password')
    const again = screen.getByLabelText('The same password again')
    await user.type(password, 'too short')
    await user.click(screen.getByRole('button', { name: 'Set the password and sign in' }))
    expect(screen.getByText('Use at least 12 characters.')).toBeTruthy()
    await user.clear(password)
    await user.type(password, 'a long enough password')
    await user.type(again, 'a long enough passwort')
    await user.click(screen.getByRole('button', { name: 'Set the password and sign in' }))
    expect(screen.getByText('The two passwords are not the same.')).toBeTruthy()
    expect(server.sent('POST', /\/invites\/accept$/)).toEqual([])

    await user.clear(again)
    await user.type(again, 'a long enough password')
    await user.click(screen.getByRole('button', { name: 'Set the password and sign in' }))
    await inbox()
    expect(screen.getByText('Li, Agent')).toBeTruthy()
    // The link's token leaves the address.
    expect(location.hash).toBe('#/inbox')
    expect(server.sent('POST', /\/invites\/accept$/)[0]!.body).toEqual({
      token: link.replace('#/invite/', ''),
      password: 'a long enough password',
    })
  })

  it('says a used invitation does not work', async () => {
    const server = serve()
    const link = await invited(server)
    await server.fetch('/v1/admin/invites/accept', {
      method: 'POST',
      body: JSON.stringify({ token: link.replace('#/invite/', ''), password: 'x'.repeat(12) }),
    })
    await server.fetch('/v1/admin/session', { method: 'DELETE' })
    visit(link)
    render(<App />)
    const user = userEvent.setup()
    await user.type(await screen.findByLabelText('New password'), 'a long enough password')
    await user.type(screen.getByLabelText('The same password again'), 'a long enough password')
    await user.click(screen.getByRole('button', { name: 'Set the password and sign in' }))
    expect(await screen.findByText(/^This invitation does not work/)).toBeTruthy()
    expect(auth.value).toBeNull()
  })
})

describe('signing in with a token', () => {
  it('keeps the admin token way, one click away', async () => {
    const server = serve()
    render(<App />)
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Use an admin token instead' }))
    await user.type(screen.getByLabelText('Admin token'), 'rdk_owner')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await inbox()
    const header = document.querySelector<HTMLElement>('header.top')!
    expect(within(header).getByText('Admin token')).toBeTruthy()
    expect(sessionStorage.getItem('redress:admin-token')).toBe('rdk_owner')
    const list = server.sent('GET', /\/complaints$/)[0]!
    expect(list.headers.authorization).toBe('Bearer rdk_owner')
    expect(list.credentials).toBe('omit')
  })

  it('refuses a token the server does not know', async () => {
    serve()
    render(<App />)
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Use an admin token instead' }))
    await user.type(screen.getByLabelText('Admin token'), 'rdt_unknown')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(
      await screen.findByText('That token was not accepted. Check it and try again.'),
    ).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Use your e-mail address instead' }))
    expect(screen.getByLabelText('E-mail address')).toBeTruthy()
  })

  it('speaks Chinese', async () => {
    serve()
    setLocale('zh-CN')
    render(<App />)
    expect(screen.getByRole('heading', { name: '登录收件箱' })).toBeTruthy()
    expect(screen.getByLabelText('电子邮件地址')).toBeTruthy()
    expect(screen.getByLabelText('密码')).toBeTruthy()
    expect(screen.getByRole('button', { name: '用电子邮件发送登录链接' })).toBeTruthy()
    expect(screen.getByRole('button', { name: '改用管理令牌登录' })).toBeTruthy()
  })
})
