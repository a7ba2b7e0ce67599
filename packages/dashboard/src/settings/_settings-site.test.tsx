import { render, screen, waitFor, within } from '@testing-library/preact'
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
