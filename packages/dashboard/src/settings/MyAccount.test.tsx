// A person's own account in Settings: who they are, and their second factor
// turned on (the secret and otpauth address shown as text, confirmed with a
// code) and off, against the fake admin API's authenticator.
import { act, render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { me } from '../lib/state'
import { FAKE_TOTP, TEAM } from '../test/fake-data'
import { signedInAs } from '../test/helpers'
import { errorOf } from './_test-helpers'
import { MyAccount } from './MyAccount'

/** The account section as it follows the person signed in. */
function Account() {
  return me.value && <MyAccount person={me.value} currency="EUR" />
}

describe('my account', () => {
  it('says who the person is, with their limits', () => {
    signedInAs('agent')
    render(<Account />)
    expect(screen.getByText('Bo (bo@shop.example), Agent.')).toBeTruthy()
    expect(screen.getByText('Your limit per remedy: €10.00 · per day: €30.00')).toBeTruthy()
    expect(screen.getByText('Off: signing in needs only your password.')).toBeTruthy()
  })

  it('turns the second factor on with a code from the app, and off again', async () => {
    const server = signedInAs('agent')
    const user = userEvent.setup()
    render(<Account />)
    await user.click(screen.getByRole('button', { name: 'Turn on the second factor' }))
    const secret = await screen.findByText('JBSWY3DPEHPK3PXP')
    expect(secret.closest('pre')).toBeTruthy()
    expect(
      screen.getByText('otpauth://totp/Demo:bo@shop.example?secret=JBSWY3DPEHPK3PXP&issuer=Demo'),
    ).toBeTruthy()

    const code = screen.getByLabelText('Code from the app')
    await user.type(code, '12')
    await user.click(screen.getByRole('button', { name: 'Turn it on' }))
    expect(errorOf(code)).toBe('Enter the six digits the app shows.')
    await user.clear(code)
    await user.type(code, '000000')
    await user.click(screen.getByRole('button', { name: 'Turn it on' }))
    await waitFor(() =>
      expect(errorOf(screen.getByLabelText('Code from the app'))).toBe(
        'That code is not right; enter the current one',
      ),
    )
    await user.clear(screen.getByLabelText('Code from the app'))
    await user.type(screen.getByLabelText('Code from the app'), FAKE_TOTP)
    await user.click(screen.getByRole('button', { name: 'Turn it on' }))
    expect(
      await screen.findByText('The second factor is on: signing in asks for a code from now on.'),
    ).toBeTruthy()
    expect(screen.queryByText('JBSWY3DPEHPK3PXP')).toBeNull()
    expect(me.value?.totp).toBe(true)
    expect(server.people.members.get(TEAM.agent.id)!.totp).toBe(true)
    // Each change carried the session's CSRF token.
    expect(
      server
        .sent('POST', /\/me\/totp/)
        .every((request) => request.headers['x-csrf-token'] === server.people.session!.csrf),
    ).toBe(true)

    await user.type(screen.getByLabelText('Code from the app'), FAKE_TOTP)
    await user.click(screen.getByRole('button', { name: 'Turn the second factor off' }))
    expect(await screen.findByText('The second factor is off.')).toBeTruthy()
    expect(me.value?.totp).toBe(false)
    expect(server.sent('DELETE', /\/me\/totp$/)[0]!.body).toEqual({ code: FAKE_TOTP })
  })

  it('speaks Chinese', async () => {
    signedInAs('manager')
    render(<Account />)
    await act(() => setLocale('zh-CN'))
    expect(screen.getByRole('heading', { name: '我的账户' })).toBeTruthy()
    expect(screen.getByText('Mei（mei@shop.example），经理。')).toBeTruthy()
    expect(screen.getByRole('button', { name: '开启双重验证' })).toBeTruthy()
  })
})
