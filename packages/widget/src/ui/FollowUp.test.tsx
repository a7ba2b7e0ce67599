import { createRedress, type MemoryAdapter, memoryAdapter, memoryStorage } from '@redress/sdk'
import { within } from '@testing-library/preact'
import { describe, expect, it, vi } from 'vitest'
import { type SetupOptions, setup } from './_test-helpers'

async function sent(options: SetupOptions = {}) {
  // A wrapped memory adapter keeps its `list` and `update`.
  const adapter = (options.adapter ?? memoryAdapter()) as MemoryAdapter
  const ui = await setup({ ...options, adapter })
  await ui.fill()
  await ui.send()
  await vi.waitFor(() => expect(adapter.list()).toHaveLength(1))
  const check = await ui.screen.findByRole('button', { name: 'Check status' })
  return { ...ui, adapter, check, id: adapter.list()[0]!.receipt.id }
}

describe('status and follow-up', () => {
  it('shows the reference of a complaint from an earlier page once it is delivered', async () => {
    // The earlier page's complaint waits in the outbox; this page delivers it
    // after the widget is up (back online, say).
    const storage = memoryStorage()
    const backend = memoryAdapter()
    let up = false
    const adapter = {
      ...backend,
      submit: (...args: Parameters<typeof backend.submit>) =>
        up
          ? backend.submit(...args)
          : Promise.reject(Object.assign(new Error('offline'), { retryable: true })),
    }
    const earlier = createRedress({
      site: 'pk_test',
      adapter,
      storage,
      retry: { baseDelay: 600_000 },
    })
    earlier.submit({ category: 'order', severity: 'minor', description: 'Late again' })
    earlier.destroy()
    const { screen, redress } = await setup({ adapter, sdk: { storage } })
    up = true
    await redress.flush()
    redress.open()
    const { reference } = backend.list()[0]!.receipt
    expect(await screen.findByText(`Your reference: ${reference}`)).toBeTruthy()
  })

  it('picks up a report sent from an earlier page, and follows it up', async () => {
    const adapter = memoryAdapter()
    const receipt = await adapter.submit(
      { site: 'pk_test', category: 'order', severity: 'major', description: 'Box crushed' },
      { idempotencyKey: 'earlier-page' },
    )
    adapter.update(receipt.id, { status: 'resolved' })
    const { screen, user, redress } = await setup({
      adapter,
      resume: { ...receipt, status: 'resolved' },
    })
    redress.open()
    expect(await screen.findByText(`Your reference: ${receipt.reference}`)).toBeTruthy()
    const score = screen.getByRole('group', { name: 'Did we make it right?' })
    await user.click(within(score).getByLabelText('4'))
    await user.click(
      within(screen.getByRole('group', { name: 'Is your problem solved?' })).getByLabelText('Yes'),
    )
    await user.click(screen.getByRole('button', { name: 'Send' }))
    await vi.waitFor(() =>
      expect(adapter.list()[0]!.followUps).toEqual([{ score: 4, resolved: true }]),
    )
  })

  it('checks the status in words, and asks the follow-up once it is resolved', async () => {
    const { screen, user, adapter, check, id } = await sent()
    await user.click(check)
    expect(await screen.findByText("Status: We've received it")).toBeTruthy()
    expect(screen.queryByText('Did we make it right?')).toBeNull()

    adapter.update(id, { status: 'in_progress' })
    await user.click(check)
    expect(await screen.findByText("Status: We're working on it")).toBeTruthy()

    adapter.update(id, { status: 'resolved' })
    await user.click(check)
    expect(await screen.findByText('Status: Resolved')).toBeTruthy()
    const score = screen.getByRole('group', { name: 'Did we make it right?' })
    expect(
      within(score)
        .getAllByRole('radio')
        .map((radio) => radio.parentElement!.textContent),
    ).toEqual(['1', '2', '3', '4', '5'])
    expect(score.getAttribute('aria-describedby')).toBe(
      screen.getByText('1 = not at all, 5 = completely').id,
    )
  })

  it('sends "not solved" with a score and one side of fairness, and says it reopened', async () => {
    const { screen, user, adapter, check, id, live } = await sent()
    adapter.update(id, { status: 'resolved' })
    await user.click(check)
    const score = within(await screen.findByRole('group', { name: 'Did we make it right?' }))

    await user.click(screen.getByRole('button', { name: 'Send' }))
    expect(
      screen.getByText('Please answer the first two questions.', { selector: '.er' }),
    ).toBeTruthy()
    expect(live()).toBe('Please answer the first two questions.')
    expect(adapter.list()[0]!.followUps).toEqual([])

    await user.click(score.getByLabelText('2'))
    await user.click(
      within(screen.getByRole('group', { name: 'Is your problem solved?' })).getByLabelText('No'),
    )
    await user.click(
      within(screen.getByRole('group', { name: 'Was the remedy fair?' })).getByLabelText('1'),
    )
    await user.click(screen.getByRole('button', { name: 'Send' }))
    expect(
      await screen.findByText("Sorry it isn't solved yet. We've reopened your report.", {
        ignore: '[aria-live]',
      }),
    ).toBeTruthy()
    expect(adapter.list()[0]!.followUps).toEqual([
      { score: 2, resolved: false, fairness: { remedy: 1 } },
    ])
    expect(adapter.list()[0]!.status).toBe('reopened')

    // Reopened, then resolved again: the customer is asked again.
    await user.click(screen.getByRole('button', { name: 'Check status' }))
    expect(await screen.findByText("Status: Reopened, we're looking at it again")).toBeTruthy()
    expect(screen.queryByRole('group', { name: 'Did we make it right?' })).toBeNull()
    adapter.update(id, { status: 'resolved' })
    await user.click(screen.getByRole('button', { name: 'Check status' }))
    const again = await screen.findByRole('group', { name: 'Did we make it right?' })
    expect(within(again).getByLabelText<HTMLInputElement>('2').checked).toBe(false)
  })

  it('sends "solved" with all three sides of fairness, after host code saw the status change', async () => {
    const { screen, user, adapter, id, redress } = await sent()
    adapter.update(id, { status: 'resolved' })
    // Host code checking on its own: the widget hears `status:changed`.
    await redress.status({ ...adapter.list()[0]!.receipt })
    const group = async (name: string) => within(await screen.findByRole('group', { name }))
    await user.click((await group('Did we make it right?')).getByLabelText('5'))
    await user.click((await group('Is your problem solved?')).getByLabelText('Yes'))
    await user.click((await group('Was the remedy fair?')).getByLabelText('4'))
    await user.click((await group('Was it quick and easy?')).getByLabelText('3'))
    await user.click((await group('Were you treated with respect?')).getByLabelText('5'))
    await user.click(screen.getByRole('button', { name: 'Send' }))
    expect(
      await screen.findByText('Thank you, this helps us do better.', { ignore: '[aria-live]' }),
    ).toBeTruthy()
    expect(adapter.list()[0]!.followUps).toEqual([
      { score: 5, resolved: true, fairness: { remedy: 4, process: 3, treatment: 5 } },
    ])
  })

  it('shows a failed answer clearly and keeps what was chosen', async () => {
    const adapter = memoryAdapter()
    let fail = true
    const { screen, user, check, id } = await sent({
      adapter: {
        ...adapter,
        followUp: (receipt, answer, context) =>
          fail ? Promise.reject(new Error('offline')) : adapter.followUp(receipt, answer, context),
      },
    })
    adapter.update(id, { status: 'resolved' })
    await user.click(check)
    const score = within(await screen.findByRole('group', { name: 'Did we make it right?' }))
    await user.click(score.getByLabelText('4'))
    await user.click(screen.getByLabelText('Yes'))
    await user.click(screen.getByRole('button', { name: 'Send' }))
    expect(
      await screen.findByText("We couldn't send your answer. Please try again.", {
        selector: '.er',
      }),
    ).toBeTruthy()
    expect(score.getByLabelText<HTMLInputElement>('4').checked).toBe(true)
    expect(screen.getByLabelText<HTMLInputElement>('Yes').checked).toBe(true)

    fail = false
    await user.click(screen.getByRole('button', { name: 'Send' }))
    await screen.findByText('Thank you, this helps us do better.', { ignore: '[aria-live]' })
    expect(adapter.list()[0]!.followUps).toEqual([{ score: 4, resolved: true }])
  })

  it('says so when the status cannot be checked', async () => {
    const adapter = memoryAdapter()
    const { screen, user, check } = await sent({
      adapter: { ...adapter, status: () => Promise.reject(new Error('offline')) },
    })
    await user.click(check)
    expect(
      await screen.findByText("We couldn't check right now. Please try again later."),
    ).toBeTruthy()
  })
})
