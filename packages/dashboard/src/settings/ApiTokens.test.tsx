// API tokens and the admin token in Settings, for an owner: a token's secret
// shown once, the list, revoking after a yes, and a new admin token after a
// warning, which a browser signed in with the old one goes on with.
import { render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { token } from '../lib/state'
import { signedIn, signedInAs } from '../test/helpers'
import { errorOf } from './_test-helpers'
import { ApiTokens } from './ApiTokens'

async function open(server: ReturnType<typeof signedIn>) {
  const user = userEvent.setup()
  render(<ApiTokens />)
  await screen.findByText('No tokens yet.')
  return { server, user }
}

describe('API tokens', () => {
  it('makes a token with a name and a scope, shows its secret once, and revokes it', async () => {
    const { server, user } = await open(signedInAs('owner'))
    await user.click(screen.getByRole('button', { name: 'Make a token' }))
    expect(errorOf(screen.getByLabelText('Name'))).toBe('Give the token a name.')
    await user.type(screen.getByLabelText('Name'), 'Nightly export')
    await user.click(screen.getByRole('button', { name: 'Make a token' }))
    const shown = (await screen.findByText('Copy the token “Nightly export” now.')).closest(
      '.banner',
    ) as HTMLElement
    const secret = shown.querySelector('code')!.textContent!
    expect(secret).toMatch(/^rdt_/)
    await user.click(within(shown).getByRole('button', { name: 'Copy the token' }))
    expect(await navigator.clipboard.readText()).toBe(secret)

    await user.type(screen.getByLabelText('Name'), 'Sync')
    await user.click(screen.getByLabelText('Read and write'))
    await user.click(screen.getByRole('button', { name: 'Make a token' }))
    await screen.findByText('Copy the token “Sync” now.')
    expect(server.sent('POST', /\/tokens$/).map((request) => request.body)).toEqual([
      { name: 'Nightly export', scopes: ['read'] },
      { name: 'Sync', scopes: ['read', 'write'] },
    ])
    // Only the newest secret is on screen, and the list never shows one.
    expect(document.body.textContent).not.toContain(secret)
    const list = document.querySelector<HTMLElement>('.tokens')!
    const nightly = within(list).getByText('Nightly export', { selector: 'strong' }).closest('li')!
    expect(within(nightly).getByText('Read only')).toBeTruthy()
    expect(within(nightly).getByText(/never used/)).toBeTruthy()
    expect(
      within(within(list).getByText('Sync', { selector: 'strong' }).closest('li')!).getByText(
        'Read and write',
      ),
    ).toBeTruthy()

    await user.click(within(nightly).getByRole('button', { name: 'Revoke Nightly export' }))
    await user.click(within(nightly).getByRole('button', { name: 'Revoke “Nightly export” now' }))
    expect(await within(nightly).findByText('Revoked: it no longer works.')).toBeTruthy()
    expect(within(nightly).getByText(/^Revoked /)).toBeTruthy()
    expect(server.sent('DELETE', /\/tokens\/tok_\d+$/)).toHaveLength(1)
    // The revoked secret no longer works.
    const answer = await server.fetch('/v1/admin/site', {
      headers: { authorization: `Bearer ${secret}` },
    })
    expect(answer.status).toBe(401)
  })

  it('makes a new admin token after a warning; this browser goes on with it', async () => {
    const { server, user } = await open(signedIn())
    const old = token.value
    await user.click(screen.getByRole('button', { name: 'Make a new admin token' }))
    expect(
      screen.getByText(
        'The current admin token stops working at once: every script using it, and everyone signed in with it, needs the new one.',
      ),
    ).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(server.sent('POST', /admin-token$/)).toEqual([])

    await user.click(screen.getByRole('button', { name: 'Make a new admin token' }))
    await user.click(screen.getByRole('button', { name: 'Make it, and stop the old one' }))
    const shown = (await screen.findByText('Copy the new admin token now.')).closest(
      '.banner',
    ) as HTMLElement
    expect(shown.textContent).toContain('This browser goes on with it.')
    const made = shown.querySelector('code')!.textContent
    expect(made).toBe(server.people.adminToken)
    expect(token.value).toBe(made)
    expect(token.value).not.toBe(old)
    // The next request carries the new token, and is answered.
    await waitFor(() =>
      expect(server.sent('GET', /\/tokens$/).at(-1)!.headers.authorization).toBe(`Bearer ${made}`),
    )
  })

  it('leaves a person signed in as they were after a new admin token', async () => {
    const { server, user } = await open(signedInAs('owner'))
    await user.click(screen.getByRole('button', { name: 'Make a new admin token' }))
    await user.click(screen.getByRole('button', { name: 'Make it, and stop the old one' }))
    const shown = (await screen.findByText('Copy the new admin token now.')).closest('.banner')!
    expect(shown.textContent).toContain('It is shown only this once.')
    expect(shown.textContent).not.toContain('This browser')
    expect(token.value).toBeNull()
    expect(server.people.session).not.toBeNull()
  })
})
