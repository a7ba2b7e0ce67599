import type { Adapter } from '@redress/sdk'
import { HttpError, memoryAdapter, RedressError } from '@redress/sdk'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setup } from './_test-helpers'

afterEach(() => {
  vi.restoreAllMocks()
})

const APOLOGY = "We're sorry this happened. We have your report and we're on it."

// An adapter that never answers: anything shown came without the network.
const silent: Adapter = { name: 'silent', submit: () => new Promise(() => {}) }

const down = (error: unknown): Adapter => ({ name: 'down', submit: () => Promise.reject(error) })

describe('after sending', () => {
  it('shows the apology at once, without waiting for the backend', async () => {
    const { screen, fill, send, live, active, redress } = await setup({ adapter: silent })
    await fill()
    await send()
    const heading = await screen.findByRole('heading', { name: 'Thank you for telling us' })
    expect(screen.getByText(APOLOGY, { ignore: '[aria-live]' })).toBeTruthy()
    expect(screen.getByText('Sending…')).toBeTruthy()
    expect(live()).toBe(APOLOGY)
    await vi.waitFor(() => expect(active()).toBe(heading))
    // The dialog stays labelled by the heading in view.
    expect(screen.getByRole('dialog', { name: 'Thank you for telling us' })).toBeTruthy()
    expect(redress.pending()).toHaveLength(1)
  })

  it('shows the reference once the backend has it, and keeps the view across close and reopen', async () => {
    const { screen, fill, send, adapter, redress, user } = await setup()
    await fill()
    await send()
    await vi.waitFor(() => expect(adapter.list()).toHaveLength(1))
    const { reference } = adapter.list()[0]!.receipt
    expect(reference).toMatch(/^R-/)
    expect(await screen.findByText(`Your reference: ${reference}`)).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Close' }))
    redress.open()
    expect(await screen.findByText(`Your reference: ${reference}`)).toBeTruthy()
  })

  it('says it will keep trying when the backend cannot be reached', async () => {
    const { screen, fill, send } = await setup({ adapter: down({ retryable: true }) })
    await fill()
    await send()
    expect(
      await screen.findByText(
        "We couldn't reach our server. Your report is saved and we'll keep trying.",
      ),
    ).toBeTruthy()
  })

  it('says the report is saved while the browser is offline', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const { screen, fill, send } = await setup({ adapter: down({ retryable: true }) })
    await fill()
    await send()
    expect(
      await screen.findByText(
        "You're offline. We saved your report and will send it automatically.",
      ),
    ).toBeTruthy()
    expect(screen.getByText(APOLOGY, { ignore: '[aria-live]' })).toBeTruthy()
  })

  it('shows a refusal plainly, and "Try again" brings back the complaint to send again', async () => {
    const adapter = memoryAdapter()
    let refuse = true
    const { screen, fill, send, user, active } = await setup({
      adapter: {
        ...adapter,
        submit: (complaint, context) =>
          refuse
            ? Promise.reject(new RedressError('This site is paused', { code: 'unknown_site' }))
            : adapter.submit(complaint, context),
      },
    })
    vi.useFakeTimers({ toFake: ['Date'] })
    await fill('Wrong size.')
    await user.type(screen.getByLabelText('Email (optional)'), 'ana@example.com')
    // The customer took 4.2 s to write it.
    vi.setSystemTime(Date.now() + 4200)
    await send()
    expect(
      await screen.findByText("Sorry, we couldn't send your report: This site is paused"),
    ).toBeTruthy()

    await user.click(screen.getByRole('button', { name: 'Try again' }))
    const category = await screen.findByLabelText<HTMLSelectElement>('What went wrong?')
    expect(category.value).toBe('order')
    expect(screen.getByLabelText<HTMLInputElement>('It caused me real trouble').checked).toBe(true)
    expect(screen.getByLabelText<HTMLTextAreaElement>('What happened?').value).toBe('Wrong size.')
    expect(screen.getByLabelText<HTMLInputElement>('Email (optional)').value).toBe(
      'ana@example.com',
    )
    await vi.waitFor(() => expect(active()).toBe(category))

    refuse = false
    await send()
    await vi.waitFor(() => expect(adapter.list()).toHaveLength(1))
    const { complaint } = adapter.list()[0]!
    expect(complaint.description).toBe('Wrong size.')
    // Sent again at once, but the time taken is the first attempt's: not a bot's.
    expect(complaint.signals!.fillMs).toBeGreaterThanOrEqual(4200)
    vi.useRealTimers()
  })

  it('points "Try again" at the field a backend refused', async () => {
    const { screen, fill, send, user, active } = await setup({
      adapter: down(
        new HttpError('contact.email is not deliverable', {
          status: 400,
          code: 'invalid_request',
          field: 'contact.email',
        }),
      ),
    })
    await fill()
    await user.type(screen.getByLabelText('Email (optional)'), 'ana@invalid.example')
    await send()
    await user.click(await screen.findByRole('button', { name: 'Try again' }))
    const email = await screen.findByLabelText('Email (optional)')
    expect(email.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('Please check this email address.', { selector: '.er' })).toBeTruthy()
    await vi.waitFor(() => expect(active()).toBe(email))
  })

  it('ignores progress of complaints it did not send', async () => {
    const { screen, fill, send, redress } = await setup({ adapter: silent })
    await fill()
    await send()
    await screen.findByText('Sending…')
    // Host code sending its own complaint through the same instance.
    redress.submit({ category: 'other', severity: 'minor', description: 'From host code' })
    expect(screen.getByText('Sending…')).toBeTruthy()
  })
})
