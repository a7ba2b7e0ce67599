import { formatMoney } from '@redress/protocol'
import { render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import type { SiteView } from '../lib/types'
import { SERVER_TEXTS } from '../test/fake-data'
import { signedIn } from '../test/helpers'
import { errorOf, retype, site } from './_test-helpers'
import { Settings } from './Settings'

/** Settings signed in to a fake server holding `view`, once the texts section is drawn. */
async function open(view: SiteView = site()) {
  const server = signedIn({ site: view })
  render(<Settings />)
  const section = (await screen.findByRole('heading', { name: 'Texts the customer reads' }))
    .parentElement!
  return { server, section, texts: within(section) }
}

const patches = (server: ReturnType<typeof signedIn>) =>
  server.sent('PATCH', /\/site$/).map((request) => request.body)
const text = (name: string) => screen.getByLabelText(name, { exact: true }) as HTMLTextAreaElement
const hintOf = (input: HTMLElement) =>
  document.getElementById(`${input.id}-hint`)?.textContent ?? ''
const preview = (name: string) =>
  document.querySelector(`[data-preview="${name}"]`)?.textContent ?? ''

/** A site with texts of its own; its effective texts are those over the defaults, as the server answers. */
function withTexts(own: Record<string, Record<string, string>>, change: Partial<SiteView> = {}) {
  const view = site(change)
  view.policy = {
    effective: {
      ...view.policy.effective,
      texts: {
        en: { ...SERVER_TEXTS.en, ...own.en },
        'zh-CN': { ...SERVER_TEXTS['zh-CN'], ...own['zh-CN'] },
      },
    },
    overrides: { ...view.policy.overrides, texts: own },
  }
  return view
}

describe('the texts the customer reads', () => {
  it('shows every text with its default and placeholders; editing a zh-CN text sends only that one', async () => {
    const { server, texts } = await open()
    await userEvent.click(texts.getByRole('radio', { name: '简体中文' }))
    const apology = text('Apology')
    expect(apology.value).toBe(SERVER_TEXTS['zh-CN'].apology)
    expect(apology.lang).toBe('zh-CN')
    expect(hintOf(apology)).toContain('The default text.')
    expect(hintOf(apology)).toContain('No placeholders')
    expect(hintOf(text('Coupon title'))).toContain('You may use {amount}')
    expect(hintOf(text('Coupon small print'))).toContain('You may use {date}')
    expect(hintOf(text('Replacement'))).toContain('You may use {orderRef}')
    expect(texts.queryByRole('button', { name: /Use the default/ })).toBeNull()

    await retype(apology, '非常抱歉，让您久等了。')
    expect(hintOf(apology)).toContain('Your text.')
    expect(hintOf(apology)).toContain(`The default: “${SERVER_TEXTS['zh-CN'].apology}”`)
    await userEvent.click(texts.getByRole('button', { name: 'Save' }))
    await texts.findByText('Saved')
    // Only the site's own text, beside the overrides it had already.
    expect(patches(server)).toEqual([
      {
        policy: {
          coupon: { validDays: 60 },
          texts: { 'zh-CN': { apology: '非常抱歉，让您久等了。' } },
        },
      },
    ])
    expect(text('Apology').value).toBe('非常抱歉，让您久等了。')
    // The English texts are still the defaults.
    await userEvent.click(texts.getByRole('radio', { name: 'English' }))
    expect(text('Apology').value).toBe(SERVER_TEXTS.en.apology)
  })

  it('"Use the default" removes the site\'s text and keeps the others', async () => {
    const view = withTexts({
      en: { refund: 'Your {amount} is on its way back.' },
      'zh-CN': { apology: '非常抱歉。' },
    })
    const { server, texts } = await open(view)
    await userEvent.click(texts.getByRole('radio', { name: '简体中文' }))
    const apology = text('Apology')
    expect(apology.value).toBe('非常抱歉。')
    // The effective text is the site's own: the default comes from the server's defaults.
    expect(hintOf(apology)).toContain(`The default: “${SERVER_TEXTS['zh-CN'].apology}”`)
    await userEvent.click(texts.getByRole('button', { name: /^Use the default ?: Apology$/ }))
    expect(apology.value).toBe(SERVER_TEXTS['zh-CN'].apology)
    expect(document.activeElement).toBe(apology)
    expect(hintOf(apology)).toContain('The default text.')
    await userEvent.click(texts.getByRole('button', { name: 'Save' }))
    await texts.findByText('Saved')
    expect(patches(server)).toEqual([
      {
        policy: {
          coupon: { validDays: 60 },
          texts: { en: { refund: 'Your {amount} is on its way back.' } },
        },
      },
    ])
  })

  it('shows the effective text as the default when the site has none of its own', async () => {
    const view = site()
    view.policy.effective.texts = {
      en: { ...SERVER_TEXTS.en, apology: 'Sorry, truly.' },
      'zh-CN': SERVER_TEXTS['zh-CN'],
    }
    await open(view)
    expect(text('Apology').value).toBe('Sorry, truly.')
    expect(hintOf(text('Apology'))).toContain('The default text.')
  })

  it('previews the texts as a customer reading zh-CN sees them, as they are typed', async () => {
    const view = site()
    view.policy.effective = { ...view.policy.effective, currency: 'CNY' }
    const { texts } = await open(view)
    await userEvent.click(texts.getByRole('radio', { name: '简体中文' }))
    const amount = formatMoney(1050, 'CNY', 'zh-CN')
    expect(amount).toBe('¥10.50')
    expect(preview('coupon')).toContain(`下次购物立减${amount}`)
    expect(preview('refund')).toContain(
      `我们正在为您办理退款，${formatMoney(4200, 'CNY', 'zh-CN')}将原路退回`,
    )
    // Chinese sentences follow each other with no space.
    expect(preview('apology')).toBe(
      `${SERVER_TEXTS['zh-CN'].apology}${SERVER_TEXTS['zh-CN'].explanation}`,
    )
    const date = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(Date.now() + 90 * 86_400_000),
    )
    expect(preview('coupon')).toContain(`有效期至${date}`)
    expect(document.querySelector('[data-preview="coupon"]')!.getAttribute('lang')).toBe('zh-CN')

    const label = text('Coupon title')
    await userEvent.clear(label)
    await userEvent.type(label, '送您{{amount}')
    expect(preview('coupon')).toContain(`送您${amount}`)
    await userEvent.type(label, '<b>券</b>')
    expect(preview('coupon')).toContain(`送您${amount}<b>券</b>`)
    expect(document.querySelector('.texts-preview b')).toBeNull()

    await retype(text('Escalation'), '马上联系您。')
    expect(preview('escalation')).toBe(`${SERVER_TEXTS['zh-CN'].apology}马上联系您。`)
    // English sentences are joined with a space, and English money.
    await userEvent.click(texts.getByRole('radio', { name: 'English' }))
    expect(preview('coupon')).toContain(`${formatMoney(1050, 'CNY', 'en')} off your next order`)
    expect(preview('apology')).toBe(`${SERVER_TEXTS.en.apology} ${SERVER_TEXTS.en.explanation}`)
  })

  it("shows the server's refusal beside its field, in the language it names", async () => {
    const { server, texts } = await open()
    await userEvent.click(texts.getByRole('radio', { name: '简体中文' }))
    const apology = text('Apology')
    await retype(apology, '抱歉，{{name}！')
    await userEvent.click(texts.getByRole('button', { name: 'Save' }))
    await waitFor(() =>
      expect(errorOf(apology)).toBe(
        'policy.texts.zh-CN.apology has no placeholders: {name} would be shown as written',
      ),
    )
    expect(apology.getAttribute('aria-invalid')).toBe('true')
    expect(apology.value).toBe('抱歉，{name}！')
    expect(texts.queryByText('Saved')).toBeNull()
    expect(server.site.policy.overrides).toEqual({ coupon: { validDays: 60 } })

    // A refusal of the other language's text brings that language up.
    await retype(apology, '抱歉！')
    await userEvent.click(texts.getByRole('radio', { name: 'English' }))
    await retype(text('Refund'), 'We refund {{total}.')
    await userEvent.click(texts.getByRole('radio', { name: '简体中文' }))
    await userEvent.click(texts.getByRole('button', { name: 'Save' }))
    await waitFor(() =>
      expect(errorOf(text('Refund'))).toBe('policy.texts.en.refund may use {amount}, not {total}'),
    )
    expect((texts.getByRole('radio', { name: 'English' }) as HTMLInputElement).checked).toBe(true)
  })

  it('refuses an emptied text before sending anything', async () => {
    const { server, texts } = await open()
    const apology = text('Apology')
    await userEvent.clear(apology)
    await userEvent.click(texts.getByRole('button', { name: 'Save' }))
    expect(errorOf(apology)).toBe('Write a text, or use the default.')
    expect(patches(server)).toEqual([])
  })

  it('speaks Chinese', async () => {
    const server = signedIn({ site: site() })
    setLocale('zh-CN')
    render(<Settings />)
    const section = (await screen.findByRole('heading', { name: '顾客看到的文字' })).parentElement!
    // The dashboard's language is the one shown first.
    expect(
      (within(section).getByRole('radio', { name: '简体中文' }) as HTMLInputElement).checked,
    ).toBe(true)
    const apology = screen.getByLabelText('道歉') as HTMLTextAreaElement
    expect(apology.value).toBe(SERVER_TEXTS['zh-CN'].apology)
    expect(hintOf(apology)).toContain('默认文字。')
    expect(within(section).getByText('预览')).toBeTruthy()
    expect(server.sent('PATCH')).toEqual([])
  })
})
