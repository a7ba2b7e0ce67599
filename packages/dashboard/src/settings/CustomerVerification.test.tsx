import { render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import type { VerificationSecret } from '../lib/types'
import { SITE } from '../test/fake-data'
import { signedIn } from '../test/helpers'
import { CustomerVerification } from './CustomerVerification'

const OLD: VerificationSecret = {
  id: 'vsk_old',
  hint: 'q7Zr',
  createdAt: '2026-10-01T08:00:00.000Z',
  expiresAt: null,
}

const secretField = () => screen.getByLabelText('New verification secret') as HTMLInputElement
const rows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1)
/** What the live regions say now. */
const statuses = () => screen.getAllByRole('status').map((element) => element.textContent)
const posted = (server: ReturnType<typeof signedIn>) =>
  server.sent('POST', /verification-secrets$/).map((request) => request.body)

describe('customer verification', () => {
  it('creates the first secret and shows it once; afterwards the list has only its hint', async () => {
    const server = signedIn()
    render(<CustomerVerification site={SITE} />)
    await screen.findByText('No secret yet: every complaint is unverified.')
    // No older secret, so no overlap to choose.
    expect(screen.queryByRole('radio')).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Create a secret' }))

    const field = await waitFor(secretField)
    const secret = field.value
    expect(secret).toMatch(/^vsec_/)
    expect(field.readOnly).toBe(true)
    // Focused and selected, ready to copy; the note says it is shown only now.
    await waitFor(() => expect(document.activeElement).toBe(field))
    expect(field.selectionStart).toBe(0)
    expect(field.selectionEnd).toBe(field.value.length)
    expect(field.getAttribute('aria-describedby')).toContain('verification-new-secret-hint')
    expect(document.getElementById('verification-new-secret-hint')!.textContent).toMatch(
      /shown only now: copy it to your backend’s configuration/,
    )
    expect(screen.getByRole('button', { name: 'Copy the secret' })).toBeTruthy()
    expect(posted(server)).toEqual([{}])
    const hint = secret.slice(-4)
    expect(statuses()).toContain(
      `New secret made, ending in ${hint}. Copy it now: it is shown only once.`,
    )

    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(rows()[0]!.textContent).toContain(`…${hint}`)
    expect(rows()[0]!.textContent).toContain('Current: sign with this one')

    await userEvent.click(screen.getByRole('button', { name: 'I have saved it' }))
    expect(screen.queryByLabelText('New verification secret')).toBeNull()
    // Gone from the page: only its last characters remain, in the list.
    expect(document.body.textContent).not.toContain(secret)
    expect([...document.querySelectorAll('input')].some((input) => input.value === secret)).toBe(
      false,
    )
    expect(rows()[0]!.textContent).toContain(`…${hint}`)
    expect(screen.getByRole('button', { name: 'Rotate the secret' })).toBeTruthy()
  })

  it('rotates with the chosen overlap; the old secret stays listed until it expires', async () => {
    const server = signedIn({ secrets: [OLD] })
    render(<CustomerVerification site={SITE} />)
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect((screen.getByLabelText('keeps working for 24 hours') as HTMLInputElement).checked).toBe(
      true,
    )
    await userEvent.click(screen.getByLabelText('keeps working for 7 days'))
    await userEvent.click(screen.getByRole('button', { name: 'Rotate the secret' }))

    const secret = (await waitFor(secretField)).value
    expect(posted(server)).toEqual([{ overlapHours: 168 }])
    await waitFor(() => expect(rows()).toHaveLength(2))
    expect(rows()[0]!.textContent).toContain(`…${secret.slice(-4)}`)
    expect(rows()[0]!.textContent).toContain('Current')
    expect(rows()[1]!.textContent).toContain('…q7Zr')
    expect(rows()[1]!.textContent).toMatch(/Still accepted until /)
    expect(screen.getByRole('table').textContent).not.toContain(secret)
  })

  it('asks once more before stopping the old secret now', async () => {
    const server = signedIn({ secrets: [OLD] })
    render(<CustomerVerification site={SITE} />)
    await waitFor(() => expect(rows()).toHaveLength(1))
    await userEvent.click(screen.getByLabelText('stops working now'))
    expect(screen.getByText(/refused from this moment/)).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Rotate the secret' }))
    expect(posted(server)).toEqual([])
    await userEvent.click(screen.getByRole('button', { name: 'Rotate and stop the old one now' }))
    await waitFor(secretField)
    expect(posted(server)).toEqual([{ overlapHours: 0 }])
    // The old one no longer verifies, so it is no longer listed.
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(screen.getByRole('table').textContent).not.toContain('q7Zr')
  })

  it('says why a rotation failed and shows no secret', async () => {
    const server = signedIn({ secrets: [OLD] })
    server.on('POST', /verification-secrets$/, () => ({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'overlapHours is a number of hours from 0 to 720',
          field: 'overlapHours',
        },
      },
    }))
    render(<CustomerVerification site={SITE} />)
    await waitFor(() => expect(rows()).toHaveLength(1))
    await userEvent.click(screen.getByRole('button', { name: 'Rotate the secret' }))
    await waitFor(() =>
      expect(statuses()).toContain('overlapHours is a number of hours from 0 to 720'),
    )
    expect(screen.queryByLabelText('New verification secret')).toBeNull()
    expect(rows()).toHaveLength(1)
  })

  it('shows how to sign a token for this site, with jose, and how the page passes it', async () => {
    signedIn()
    render(<CustomerVerification site={SITE} />)
    const samples = [...document.querySelectorAll('pre code')].map((code) => code.textContent)
    expect(samples[0]).toContain("import { SignJWT } from 'jose'")
    expect(samples[0]).toContain("orders: [{ ref: 'A-1001', value: 4200, currency: 'EUR' }]")
    expect(samples[0]).toContain(".setProtectedHeader({ alg: 'HS256' })")
    expect(samples[0]).toContain(".setAudience('pk_demo')")
    expect(samples[0]).toContain(".setExpirationTime('1h')")
    expect(samples[0]).toContain('.sign(new TextEncoder().encode(')
    expect(samples[1]).toBe("redress('identify', { token })")
    expect(screen.getByText(/values in minor units: 4200 = €42\.00/)).toBeTruthy()
  })

  it('speaks Chinese', async () => {
    signedIn({ secrets: [OLD] })
    setLocale('zh-CN')
    render(<CustomerVerification site={SITE} />)
    expect(screen.getByRole('heading', { name: '客户验证' })).toBeTruthy()
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(rows()[0]!.textContent).toContain('当前密钥：请用它签名')
    expect(screen.getByLabelText('继续有效 24 小时')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: '轮换密钥' }))
    const field = (await screen.findByLabelText('新的验证密钥')) as HTMLInputElement
    expect(field.value).toMatch(/^vsec_/)
    expect(screen.getByRole('button', { name: '复制密钥' })).toBeTruthy()
    expect(screen.getByRole('button', { name: '我已保存' })).toBeTruthy()
  })
})
