import { act, render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { signedIn } from '../test/helpers'
import { errorOf, site } from './_test-helpers'
import { Settings } from './Settings'

/** Settings signed in to a fake server, once the categories are drawn. */
async function open(categories = site().categories) {
  const server = signedIn({ site: site({ categories }) })
  render(<Settings />)
  const section = (await screen.findByRole('heading', { name: 'Categories', level: 2 }))
    .parentElement!
  return { server, categories: within(section) }
}

const inputs = (label: string) => screen.getAllByLabelText(label) as HTMLInputElement[]

describe('category labels per language', () => {
  it('shows an old single label as the English one and saves a label per language', async () => {
    const { server, categories } = await open([
      { id: 'late', failureType: 'process', label: 'Late delivery' },
      { id: 'rude', failureType: 'interaction', labels: { en: 'Rude staff', 'zh-CN': '态度差' } },
    ])
    expect(inputs('Label (English)').map((input) => input.value)).toEqual([
      'Late delivery',
      'Rude staff',
    ])
    const chinese = inputs('Label (简体中文)')
    expect(chinese.map((input) => input.value)).toEqual(['', '态度差'])
    expect(chinese[0]!.lang).toBe('zh-CN')
    // A language without a label of its own shows the English one.
    expect(chinese[0]!.placeholder).toBe('Late delivery')
    expect(chinese[0]!.getAttribute('aria-describedby')).toContain('labels-hint')
    await userEvent.type(chinese[0]!, '配送太慢')

    await userEvent.click(categories.getByRole('button', { name: 'Add a category' }))
    await waitFor(() => expect(inputs('Label (English)')).toHaveLength(3))
    await userEvent.type(inputs('Label (English)')[2]!, 'Wrong size')
    await userEvent.type(inputs('Label (简体中文)')[2]!, '尺码不对')
    // A new category's id follows its English label.
    expect((screen.getAllByLabelText('Id') as HTMLInputElement[])[2]!.value).toBe('wrong-size')

    await userEvent.click(categories.getByRole('button', { name: 'Save' }))
    await categories.findByText('Saved')
    const sent = server.sent('PATCH', /\/site$/).map((request) => request.body)
    expect(sent).toEqual([
      {
        categories: [
          {
            id: 'late',
            failureType: 'process',
            label: 'Late delivery',
            labels: { en: 'Late delivery', 'zh-CN': '配送太慢' },
          },
          {
            id: 'rude',
            failureType: 'interaction',
            label: 'Rude staff',
            labels: { en: 'Rude staff', 'zh-CN': '态度差' },
          },
          {
            id: 'wrong-size',
            failureType: 'process',
            label: 'Wrong size',
            labels: { en: 'Wrong size', 'zh-CN': '尺码不对' },
          },
        ],
      },
    ])
    expect(server.site.categories[0]!.labels).toEqual({ en: 'Late delivery', 'zh-CN': '配送太慢' })
  })

  it("places the server's refusal of a label beside that language's field", async () => {
    const { server, categories } = await open([{ id: 'late', failureType: 'process' }])
    server.on('PATCH', /\/site$/, () => ({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'labels.zh-CN is 1–100 characters',
          field: 'categories[0].labels.zh-CN',
        },
      },
    }))
    await userEvent.type(inputs('Label (简体中文)')[0]!, '慢')
    await userEvent.click(categories.getByRole('button', { name: 'Save' }))
    await waitFor(() =>
      expect(errorOf(inputs('Label (简体中文)')[0]!)).toBe('labels.zh-CN is 1–100 characters'),
    )
    expect(errorOf(inputs('Label (English)')[0]!)).toBe('')
  })

  it('names the languages in Chinese too', async () => {
    signedIn({ site: site() })
    setLocale('zh-CN')
    render(<Settings />)
    expect(await screen.findByLabelText('名称（English）')).toBeTruthy()
    expect(screen.getByLabelText('名称（简体中文）')).toBeTruthy()
  })
})

describe('self-help per category', () => {
  const LATE = {
    id: 'late',
    failureType: 'process' as const,
    label: 'Late delivery',
    labels: { en: 'Late delivery' },
    help: {
      en: {
        answer: 'Parcels take 3–5 working days.',
        links: [{ label: 'Track your parcel', url: 'https://shop.example/track' }],
      },
    },
  }

  it('edits the answer and links per language, and sends them with the category', async () => {
    const { server, categories } = await open([LATE, { id: 'rude', failureType: 'interaction' }])
    const user = userEvent.setup()
    const toggle = categories.getByRole('button', { name: /^Self-help for Late delivery/ })
    expect(toggle.textContent).toBe('Self-help for Late delivery (English)')
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    await user.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect((screen.getByLabelText('Answer (English)') as HTMLTextAreaElement).value).toBe(
      'Parcels take 3–5 working days.',
    )
    expect((screen.getByLabelText('Link 1 address (English)') as HTMLInputElement).value).toBe(
      'https://shop.example/track',
    )
    await user.type(screen.getByLabelText('Answer (简体中文)'), '包裹需要 3–5 个工作日。')
    await user.click(screen.getByRole('button', { name: 'Add a link (简体中文)' }))
    await user.type(screen.getByLabelText('Link 1 text (简体中文)'), '查询包裹')
    await user.type(
      screen.getByLabelText('Link 1 address (简体中文)'),
      'https://shop.example/zh/track',
    )
    // A row left blank is no link.
    await user.click(screen.getByRole('button', { name: 'Add a link (English)' }))

    await user.click(categories.getByRole('button', { name: 'Save' }))
    await categories.findByText('Saved')
    const [sent] = server
      .sent('PATCH', /\/site$/)
      .map((request) => request.body as { categories: unknown[] })
    expect(sent!.categories).toEqual([
      {
        id: 'late',
        failureType: 'process',
        label: 'Late delivery',
        labels: { en: 'Late delivery' },
        help: {
          en: LATE.help.en,
          'zh-CN': {
            answer: '包裹需要 3–5 个工作日。',
            links: [{ label: '查询包裹', url: 'https://shop.example/zh/track' }],
          },
        },
      },
      // Nothing typed: no help sent.
      { id: 'rude', failureType: 'interaction' },
    ])
    expect(server.site.categories[0]!.help?.['zh-CN']?.answer).toBe('包裹需要 3–5 个工作日。')
    expect(
      categories.getByRole('button', { name: /^Self-help for Late delivery/ }).textContent,
    ).toBe('Self-help for Late delivery (English, 简体中文)')
  })

  it('keeps a category’s help when only its label is changed', async () => {
    const { server, categories } = await open([LATE])
    const user = userEvent.setup()
    await user.type(inputs('Label (简体中文)')[0]!, '配送太慢')
    await user.click(categories.getByRole('button', { name: 'Save' }))
    await categories.findByText('Saved')
    expect(server.site.categories[0]!.help).toEqual(LATE.help)
  })

  it('refuses half a link before sending, and shows the server’s refusal at its field', async () => {
    const { server, categories } = await open([LATE])
    const user = userEvent.setup()
    await user.click(categories.getByRole('button', { name: /^Self-help for Late delivery/ }))
    const add = screen.getByRole('button', { name: 'Add a link (English)' })
    await user.click(add)
    await user.click(add)
    // Row 2 left blank; row 3 with a text and no address.
    await user.type(screen.getByLabelText('Link 3 text (English)'), 'Returns')
    await user.click(categories.getByRole('button', { name: 'Save' }))
    expect(errorOf(screen.getByLabelText('Link 3 address (English)'))).toBe(
      'Give the link both a text and an address, or leave both empty.',
    )
    await user.type(screen.getByLabelText('Link 3 address (English)'), 'ftp://shop.example/returns')
    await user.click(categories.getByRole('button', { name: 'Save' }))
    expect(errorOf(screen.getByLabelText('Link 3 address (English)'))).toBe(
      'Enter an address starting with https:// or http://.',
    )
    expect(server.sent('PATCH')).toEqual([])

    // The server counts the links it was sent: its links[1] is the form's third row.
    server.on('PATCH', /\/site$/, () => ({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'url is an http(s) URL without credentials',
          field: 'categories[0].help.en.links[1].url',
        },
      },
    }))
    const url = screen.getByLabelText('Link 3 address (English)')
    await user.clear(url)
    await user.type(url, 'https://me:secret@shop.example/returns')
    await user.click(categories.getByRole('button', { name: 'Save' }))
    await waitFor(() =>
      expect(errorOf(screen.getByLabelText('Link 3 address (English)'))).toBe(
        'url is an http(s) URL without credentials',
      ),
    )
    expect(errorOf(screen.getByLabelText('Link 1 address (English)'))).toBe('')
  })

  it('opens the help the server refuses, and takes at most 5 links', async () => {
    const { server, categories } = await open([{ id: 'late', failureType: 'process' }])
    const user = userEvent.setup()
    server.on('PATCH', /\/site$/, () => ({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'answer is text of 1–1000 characters',
          field: 'categories[0].help.zh-CN.answer',
        },
      },
    }))
    await user.click(categories.getByRole('button', { name: 'Save' }))
    const answer = await screen.findByLabelText('Answer (简体中文)')
    await waitFor(() => expect(errorOf(answer)).toBe('answer is text of 1–1000 characters'))

    const add = screen.getByRole('button', { name: 'Add a link (English)' }) as HTMLButtonElement
    for (let n = 0; n < 5; n++) await user.click(add)
    expect(screen.getAllByLabelText(/^Link \d text \(English\)$/)).toHaveLength(5)
    expect(add.disabled).toBe(true)
    expect(screen.getByText('At most 5 links.')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Remove link 2 (English)' }))
    expect(add.disabled).toBe(false)
  })

  it('speaks Chinese', async () => {
    const { categories } = await open([LATE])
    await act(() => setLocale('zh-CN'))
    const toggle = categories.getByRole('button', { name: /自助解答/ })
    expect(toggle.textContent).toBe('Late delivery的自助解答 （English）')
    await userEvent.click(toggle)
    expect(screen.getByLabelText('解答（简体中文）')).toBeTruthy()
    expect(screen.getByRole('button', { name: '添加链接（English）' })).toBeTruthy()
  })
})
