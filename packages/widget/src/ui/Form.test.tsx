import { fireEvent, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setup } from './_test-helpers'

afterEach(() => {
  vi.useRealTimers()
})

describe('the dialog', () => {
  it('opens only on redress.open(), labelled by its heading, focus on the first field', async () => {
    const { redress, screen, dialog, active } = await setup()
    expect(dialog().open).toBe(false)
    redress.open()
    const modal = await screen.findByRole<HTMLDialogElement>('dialog', { name: 'Report a problem' })
    expect(modal).toBe(dialog())
    expect(modal.open).toBe(true)
    expect(modal.getAttribute('lang')).toBe('en')
    expect(modal.getAttribute('dir')).toBe('ltr')
    expect(active()).toBe(screen.getByLabelText('What went wrong?'))
  })

  it('closes with its close button and with Escape, through redress, focus back on the launcher', async () => {
    const { redress, screen, user, dialog, active, launcher } = await setup()
    const closes: unknown[] = []
    redress.on('close', (payload) => closes.push(payload))

    redress.open()
    await screen.findByRole('dialog')
    await user.click(screen.getByRole('button', { name: 'Close' }))
    await vi.waitFor(() => expect(dialog().open).toBe(false))
    expect(active()).toBe(launcher)

    redress.open()
    await screen.findByRole('dialog')
    // What the browser fires on Escape; the widget cancels it and closes through the SDK.
    const cancel = new Event('cancel', { cancelable: true })
    dialog().dispatchEvent(cancel)
    expect(cancel.defaultPrevented).toBe(true)
    await vi.waitFor(() => expect(dialog().open).toBe(false))
    expect(active()).toBe(launcher)
    expect(closes).toHaveLength(2)
  })

  it('keeps Tab inside: past the last stop to the first, and back with Shift+Tab', async () => {
    const { redress, screen, user, active } = await setup()
    redress.open()
    await screen.findByRole('dialog')
    const close = screen.getByRole('button', { name: 'Close' })
    const send = screen.getByRole('button', { name: 'Send' })
    send.focus()
    await user.tab()
    expect(active()).toBe(close)
    await user.tab({ shift: true })
    expect(active()).toBe(send)
  })

  it('keeps in step when the browser closes it on its own', async () => {
    const { redress, screen, dialog } = await setup()
    const closes: unknown[] = []
    redress.on('close', (payload) => closes.push(payload))
    redress.open()
    await screen.findByRole('dialog')
    // A second Escape in Chrome closes without a cancelable `cancel`.
    dialog().close()
    expect(closes).toHaveLength(1)
    redress.open()
    await vi.waitFor(() => expect(dialog().open).toBe(true))
  })

  it('falls back to the open attribute where showModal and close are missing', async () => {
    const proto = HTMLDialogElement.prototype
    const { showModal, close } = proto
    // An engine from before <dialog>: the element is there, its methods are not.
    Object.assign(proto, { showModal: undefined, close: undefined })
    try {
      const { redress, screen, dialog, user, active, launcher } = await setup()
      redress.open()
      await vi.waitFor(() => expect(dialog().hasAttribute('open')).toBe(true))
      expect(active()).toBe(screen.getByLabelText('What went wrong?'))
      await user.click(screen.getByRole('button', { name: 'Close' }))
      await vi.waitFor(() => expect(dialog().hasAttribute('open')).toBe(false))
      expect(active()).toBe(launcher)
    } finally {
      Object.assign(proto, { showModal, close })
    }
  })

  it('closes when host code calls redress.close()', async () => {
    const { redress, screen, dialog } = await setup()
    redress.open()
    await screen.findByRole('dialog')
    redress.close()
    await vi.waitFor(() => expect(dialog().open).toBe(false))
  })
})

describe('the form', () => {
  it('labels every field and offers the categories and three severities in plain words', async () => {
    const { redress, screen } = await setup()
    redress.open()
    const category = await screen.findByLabelText<HTMLSelectElement>('What went wrong?')
    expect([...category.options].map((option) => option.text)).toEqual([
      'Choose one',
      'Something is broken',
      'My order is wrong or missing',
      'It took too long',
      'Billing or payment',
      'How I was treated',
      'Something else',
    ])
    const severity = screen.getByRole('group', { name: 'How bad is it?' })
    expect(
      within(severity)
        .getAllByRole('radio')
        .map((radio) => radio.parentElement!.textContent),
    ).toEqual(['A small annoyance', 'It caused me real trouble', "It's serious, I need help now"])
    expect(screen.getByLabelText('What happened?').tagName).toBe('TEXTAREA')
    expect(screen.getByLabelText('Order number (optional)')).toBeTruthy()
    expect(screen.getByLabelText('Email (optional)').getAttribute('type')).toBe('email')
    expect(screen.getByLabelText('Name (optional)')).toBeTruthy()
  })

  it('marks, announces and focuses missing required fields, and sends nothing', async () => {
    const { redress, screen, send, live, active, adapter, container } = await setup()
    redress.open()
    await screen.findByRole('dialog')
    await send()
    await vi.waitFor(() => expect(active()).toBe(screen.getByLabelText('What went wrong?')))

    const category = screen.getByLabelText('What went wrong?')
    expect(category.getAttribute('aria-invalid')).toBe('true')
    const describedBy = category.getAttribute('aria-describedby')!
    expect(container.querySelector(`[id="${describedBy}"]`)!.textContent).toBe(
      'Please choose what went wrong.',
    )
    for (const radio of screen.getAllByRole('radio'))
      expect(radio.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('Please choose how bad it is.', { selector: '.er' })).toBeTruthy()
    expect(screen.getByLabelText('What happened?').getAttribute('aria-invalid')).toBe('true')
    expect(live()).toBe(
      'Please choose what went wrong. Please choose how bad it is. Please tell us what happened.',
    )
    expect(active()).toBe(category)
    expect(redress.pending()).toEqual([])
    expect(adapter.list()).toEqual([])
  })

  it('clears a field’s error once it is filled, and focuses the next invalid one', async () => {
    const { redress, screen, user, send, active } = await setup()
    redress.open()
    await screen.findByRole('dialog')
    await send()
    await user.selectOptions(screen.getByLabelText('What went wrong?'), 'slow')
    expect(screen.queryByText('Please choose what went wrong.')).toBeNull()
    expect(screen.getByLabelText('What went wrong?').hasAttribute('aria-invalid')).toBe(false)
    await user.click(screen.getByLabelText('A small annoyance'))
    await send()
    expect(active()).toBe(screen.getByLabelText('What happened?'))
  })

  it('shows the characters left only near the limit, and refuses more than 5000 without cutting the text', async () => {
    const { redress, screen, user, send, live, active } = await setup()
    redress.open()
    await user.selectOptions(await screen.findByLabelText('What went wrong?'), 'other')
    await user.click(screen.getByLabelText('A small annoyance'))
    const description = screen.getByLabelText<HTMLTextAreaElement>('What happened?')
    // A long paste, in one input event (user-event's paste cannot reach into a shadow root).
    fireEvent.input(description, { target: { value: 'x'.repeat(4499) } })
    await vi.waitFor(() => expect(description.value).toHaveLength(4499))
    expect(screen.queryByText(/characters left/)).toBeNull()
    await user.type(description, 'x')
    const hint = await screen.findByText('500 characters left')
    expect(description.getAttribute('aria-describedby')).toContain(hint.id)

    fireEvent.input(description, { target: { value: 'x'.repeat(5001) } })
    expect(await screen.findByText('0 characters left')).toBeTruthy()
    expect(description.value).toHaveLength(5001)
    await send()
    expect(
      screen.getByText('Please keep it under 5000 characters.', { selector: '.er' }),
    ).toBeTruthy()
    expect(live()).toBe('Please keep it under 5000 characters.')
    expect(active()).toBe(description)
    expect(redress.pending()).toEqual([])
  })

  it('maps a ValidationError from redress.submit to its field', async () => {
    const { redress, screen, user, fill, send, active, live, adapter } = await setup()
    await fill()
    const email = screen.getByLabelText('Email (optional)')
    await user.type(email, 'not-an-email')
    await send()
    expect(email.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('Please check this email address.', { selector: '.er' }).id).toBe(
      email.getAttribute('aria-describedby')!.split(' ')[0],
    )
    expect(live()).toBe('Please check this email address.')
    expect(active()).toBe(email)
    expect(redress.pending()).toEqual([])
    expect(adapter.list()).toEqual([])
  })

  it('shows a refusal of a field the form does not have at the form', async () => {
    // A host whose own metadata the protocol refuses: nothing the customer can fix, but said plainly.
    const { redress, screen, fill, send } = await setup({
      before: (redress) => redress.identify({ email: 'not-an-email' }),
    })
    await fill()
    await send()
    expect(
      screen.getByText(
        "Sorry, we couldn't send your report: customer.email must be a valid email address",
        { selector: '.er' },
      ),
    ).toBeTruthy()
    expect(redress.pending()).toEqual([])
  })

  it('sends the trimmed fields, the honeypot and the fill time as signals', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { redress, screen, user, send, adapter, container } = await setup()
    redress.open()
    await user.selectOptions(await screen.findByLabelText('What went wrong?'), 'billing')
    await user.click(screen.getByLabelText("It's serious, I need help now"))
    await user.type(screen.getByLabelText('What happened?'), 'Charged twice.')
    await user.type(screen.getByLabelText('Order number (optional)'), ' A-1001 ')
    await user.type(screen.getByLabelText('Email (optional)'), 'ana@example.com')
    const honeypot = container.querySelector<HTMLInputElement>('input[name=website]')!
    expect(honeypot.tabIndex).toBe(-1)
    expect(honeypot.getAttribute('autocomplete')).toBe('off')
    expect(honeypot.getAttribute('aria-hidden')).toBe('true')
    expect(honeypot.className).toBe('hp')
    await user.type(honeypot, 'https://spam.example')
    vi.setSystemTime(Date.now() + 4200)
    await send()

    await vi.waitFor(() => expect(adapter.list()).toHaveLength(1))
    const { complaint } = adapter.list()[0]!
    expect(complaint).toMatchObject({
      category: 'billing',
      severity: 'critical',
      description: 'Charged twice.',
      orderRef: 'A-1001',
      contact: { email: 'ana@example.com' },
      signals: { honeypot: 'https://spam.example' },
    })
    // Measured from the opening: at least the 4.2 s moved on, and whole milliseconds.
    expect(complaint.signals!.fillMs).toBeGreaterThanOrEqual(4200)
    expect(Number.isInteger(complaint.signals!.fillMs)).toBe(true)
    expect(complaint.metadata).toBeUndefined()
  })

  it('keeps the draft when closed by accident, and clears it once sent', async () => {
    const { redress, screen, user, fill, send } = await setup()
    await fill('Box arrived crushed.')
    await user.type(screen.getByLabelText('Name (optional)'), 'Ana')
    await user.click(screen.getByRole('button', { name: 'Close' }))
    redress.open()
    await screen.findByRole('dialog')
    expect(screen.getByLabelText<HTMLSelectElement>('What went wrong?').value).toBe('order')
    expect(screen.getByLabelText<HTMLInputElement>('It caused me real trouble').checked).toBe(true)
    expect(screen.getByLabelText<HTMLTextAreaElement>('What happened?').value).toBe(
      'Box arrived crushed.',
    )
    expect(screen.getByLabelText<HTMLInputElement>('Name (optional)').value).toBe('Ana')

    await send()
    await screen.findByText('Thank you for telling us')
    await user.click(screen.getByRole('button', { name: 'Report another problem' }))
    expect(screen.getByLabelText<HTMLSelectElement>('What went wrong?').value).toBe('')
    expect(screen.getByLabelText<HTMLTextAreaElement>('What happened?').value).toBe('')
    expect(screen.getByLabelText<HTMLInputElement>('Name (optional)').value).toBe('')
  })

  it('preselects the category and order that redress.open() asks for', async () => {
    const { redress, screen } = await setup()
    redress.open({ category: 'order', orderRef: 'A-1001' })
    expect((await screen.findByLabelText<HTMLSelectElement>('What went wrong?')).value).toBe(
      'order',
    )
    expect(screen.getByLabelText<HTMLInputElement>('Order number (optional)').value).toBe('A-1001')
    redress.close()
    redress.open({ category: 'no-such-category' })
    await screen.findByRole('dialog')
    expect(screen.getByLabelText<HTMLSelectElement>('What went wrong?').value).toBe('order')
  })

  it('uses a category’s own label, per locale, and shows its help links before sending', async () => {
    const { redress, screen, user } = await setup({
      categories: [
        { id: 'broken', failureType: 'outcome' },
        {
          id: 'delivery',
          failureType: 'outcome',
          label: { en: 'Delivery', 'zh-CN': '配送' },
          help: [
            { label: 'Track your parcel', url: 'https://shop.example/track' },
            { label: 'Sneaky', url: 'javascript:alert(1)' },
          ],
        },
      ],
    })
    redress.open()
    const category = await screen.findByLabelText<HTMLSelectElement>('What went wrong?')
    expect([...category.options].map((option) => option.text)).toEqual([
      'Choose one',
      'Something is broken',
      'Delivery',
    ])
    expect(screen.queryByText('Maybe this helps:')).toBeNull()
    await user.selectOptions(category, 'delivery')
    expect(screen.getByText('Maybe this helps:')).toBeTruthy()
    const link = screen.getByRole('link', { name: 'Track your parcel' })
    expect(link.getAttribute('href')).toBe('https://shop.example/track')
    expect(link.getAttribute('rel')).toBe('noopener noreferrer')
    expect(screen.getByText('Sneaky').hasAttribute('href')).toBe(false)
  })

  it('shows the site’s answer with its links, and counts a form closed after a link was opened', async () => {
    const deflected: string[] = []
    const { redress, screen, user, fill } = await setup({
      onDeflect: (category) => deflected.push(category),
      categories: [
        { id: 'order', failureType: 'outcome' },
        {
          id: 'late',
          failureType: 'process',
          answer: 'Parcels take 3–5 working days.\nTrack yours below.',
          help: [{ label: 'Track your parcel', url: 'https://shop.example/track' }],
        },
      ],
    })
    redress.open()
    const category = await screen.findByLabelText<HTMLSelectElement>('What went wrong?')
    await user.selectOptions(category, 'late')
    expect(screen.getByText(/Parcels take 3–5 working days/).textContent).toBe(
      'Parcels take 3–5 working days.\nTrack yours below.',
    )
    // Closed without opening a link: nothing was avoided.
    redress.close()
    expect(deflected).toEqual([])
    // The link opens in a new tab; the test only needs the click recorded.
    const openLink = async () => {
      const link = await screen.findByRole('link', { name: 'Track your parcel' })
      link.addEventListener('click', (event) => event.preventDefault())
      await user.click(link)
    }
    redress.open()
    await openLink()
    redress.close()
    expect(deflected).toEqual(['late'])
    // Opening a link and then sending anyway is no complaint avoided.
    redress.open()
    await openLink()
    await fill()
    await user.click(screen.getByRole('button', { name: 'Send' }))
    await screen.findByRole('heading', { name: 'Thank you for telling us' })
    redress.close()
    expect(deflected).toEqual(['late'])
  })

  it('takes overrides for any string', async () => {
    const { redress, screen } = await setup({
      overrides: { title: 'Something wrong?', categories: { order: 'My parcel' } },
    })
    redress.open()
    expect(await screen.findByRole('dialog', { name: 'Something wrong?' })).toBeTruthy()
    expect(screen.getByRole('option', { name: 'My parcel' })).toBeTruthy()
  })

  it('renders in Simplified Chinese from the zh-CN table', async () => {
    const { redress, screen, dialog } = await setup({ locale: 'zh-CN' })
    redress.open()
    expect(await screen.findByRole('dialog', { name: '报告问题' })).toBe(dialog())
    expect(dialog().getAttribute('lang')).toBe('zh-CN')
    expect(screen.getByLabelText('遇到了什么问题？')).toBeTruthy()
    expect(screen.getByRole('option', { name: '订单有误或缺件' })).toBeTruthy()
    expect(screen.getByRole('group', { name: '问题有多严重？' })).toBeTruthy()
    expect(screen.getByLabelText('很严重，急需帮助')).toBeTruthy()
    expect(screen.getByLabelText('发生了什么？')).toBeTruthy()
    expect(screen.getByLabelText('邮箱（选填）')).toBeTruthy()
    expect(screen.getByRole('button', { name: '提交' })).toBeTruthy()
    expect(screen.getByRole('button', { name: '关闭' })).toBeTruthy()
  })

  it('stops listening on destroy()', async () => {
    const { redress, ui, container } = await setup()
    ui.destroy()
    expect(container.childNodes).toHaveLength(0)
    redress.open()
    redress.notice({ message: 'Anyone there?' })
    expect(container.childNodes).toHaveLength(0)
  })
})
