// Each language's table is fetched on its own: the first screen waits for the
// current one and never shows another, a switch fetches the next table before
// it changes anything, and a table that cannot be fetched leaves the language
// as it was. Every test imports the dashboard afresh (no table loaded yet),
// with the tables behind mocks it controls.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { render as preactRender } from 'preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

/** A promise a test resolves when it chooses. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { open, opened }
}

/** Record which tables are imported; `hold` keeps one from arriving until its gate opens, `fail` makes it fail. */
function tables(options: { hold?: Record<string, Promise<void>>; fail?: string[] } = {}): string[] {
  const imported: string[] = []
  for (const path of ['./en', './zh-CN', './settings/en', './settings/zh-CN'])
    vi.doMock(path, async () => {
      imported.push(path)
      await options.hold?.[path]
      if (options.fail?.includes(path)) throw new TypeError('Failed to fetch')
      return vi.importActual(path)
    })
  return imported
}

beforeEach(() => {
  vi.resetModules()
  localStorage.clear()
})

afterEach(async () => {
  cleanup()
  const app = document.getElementById('app')
  if (app) {
    preactRender(null, app)
    app.remove()
  }
  ;(await import('../lib/state')).signOut()
  vi.doUnmock('./en')
  vi.doUnmock('./zh-CN')
  vi.doUnmock('./settings/en')
  vi.doUnmock('./settings/zh-CN')
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  localStorage.clear()
})

/** The dashboard signed in against a fake admin API, its tables for the current locale loaded. */
async function signedInApp() {
  const { fakeServer } = await import('../test/_fake-server')
  vi.stubGlobal('fetch', fakeServer().fetch)
  const i18n = await import('./index')
  await i18n.loadLocale()
  ;(await import('../lib/state')).signIn('rdk_test_locales')
  const { App } = await import('../App')
  render(<App />)
  await screen.findByRole('heading', { level: 1 })
  return i18n
}

const picker = () => document.querySelector('.locale select') as HTMLSelectElement

describe('the first load', () => {
  it('renders only once the saved language is loaded, and fetches no other', async () => {
    localStorage.setItem('redress:dashboard-locale', 'zh-CN')
    const zh = gate()
    const imported = tables({ hold: { './zh-CN': zh.opened } })
    const app = document.createElement('div')
    app.id = 'app'
    document.body.append(app)
    // The entry asks whether a person is signed in: nobody is.
    const { fakeServer } = await import('../test/_fake-server')
    vi.stubGlobal('fetch', fakeServer().fetch)

    await import('../main')
    await vi.waitFor(() => expect(imported).toEqual(['./zh-CN']))
    // Nothing at all while the table is on its way: no English, no empty labels.
    expect(app.innerHTML).toBe('')

    zh.open()
    await waitFor(() => expect(app.querySelector('h1')?.textContent).toBe('登录收件箱'))
    expect(app.textContent).not.toMatch(/Sign in|Admin token/)
    expect(imported).toEqual(['./zh-CN'])
  })

  it('takes the browser’s language when nothing is saved', async () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['zh-TW', 'en'])
    const imported = tables()
    const { loadLocale, locale, messages } = await import('./index')
    await loadLocale()
    expect(locale.value).toBe('zh-CN')
    expect(messages.value.common.inbox).toBe('收件箱')
    expect(imported).toEqual(['./zh-CN'])
  })
})

describe('switching language', () => {
  it('fetches the other table, keeping the current language meanwhile, then re-renders', async () => {
    localStorage.setItem('redress:dashboard-locale', 'en')
    const zh = gate()
    const imported = tables({ hold: { './zh-CN': zh.opened } })
    const { locale } = await signedInApp()
    expect(screen.getByRole('heading', { name: 'Complaints', level: 1 })).toBeTruthy()
    expect(imported).toEqual(['./en'])

    fireEvent.change(picker(), { target: { value: 'zh-CN' } })
    await vi.waitFor(() => expect(imported).toEqual(['./en', './zh-CN']))
    // The choice shows, busy, over texts still in English.
    expect(picker().value).toBe('zh-CN')
    expect(picker().getAttribute('aria-busy')).toBe('true')
    expect(screen.getByRole('link', { name: 'Inbox' })).toBeTruthy()
    expect(locale.value).toBe('en')

    zh.open()
    expect(await screen.findByRole('heading', { name: '投诉', level: 1 })).toBeTruthy()
    expect(screen.getByRole('link', { name: '收件箱' })).toBeTruthy()
    expect(picker().getAttribute('aria-busy')).toBe('false')
    await waitFor(() => expect(document.documentElement.lang).toBe('zh-CN'))
    expect(localStorage.getItem('redress:dashboard-locale')).toBe('zh-CN')

    // Back to English: already loaded, so at once, with nothing fetched again.
    fireEvent.change(picker(), { target: { value: 'en' } })
    expect(screen.getByRole('heading', { name: 'Complaints', level: 1 })).toBeTruthy()
    expect(imported).toEqual(['./en', './zh-CN'])
  })

  it('keeps the current language and says so when the table cannot be fetched', async () => {
    localStorage.setItem('redress:dashboard-locale', 'en')
    const imported = tables({ fail: ['./zh-CN'] })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { locale } = await signedInApp()

    fireEvent.change(picker(), { target: { value: 'zh-CN' } })
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not load 简体中文. Check your connection and choose it again.',
    )
    expect(imported).toEqual(['./en', './zh-CN'])
    expect(locale.value).toBe('en')
    expect(screen.getByRole('heading', { name: 'Complaints', level: 1 })).toBeTruthy()
    // The picker is back on the language shown, and the choice is not remembered.
    expect(picker().value).toBe('en')
    expect(picker().getAttribute('aria-busy')).toBe('false')
    expect(localStorage.getItem('redress:dashboard-locale')).toBe('en')
  })

  it('lets the last choice win when an earlier one is still loading', async () => {
    localStorage.setItem('redress:dashboard-locale', 'en')
    const zh = gate()
    tables({ hold: { './zh-CN': zh.opened } })
    const { locale, pendingLocale, setLocale } = await import('./index')
    await setLocale('en')

    const first = setLocale('zh-CN')
    expect(pendingLocale.value).toBe('zh-CN')
    await setLocale('en')
    expect(pendingLocale.value).toBeNull()
    zh.open()
    await first
    expect(locale.value).toBe('en')
    expect(localStorage.getItem('redress:dashboard-locale')).toBe('en')
  })
})

describe('a view’s own tables', () => {
  it('load with the current locale, and switch with the main ones', async () => {
    localStorage.setItem('redress:dashboard-locale', 'zh-CN')
    const imported = tables()
    const { loadLocale, setLocale } = await import('./index')
    await loadLocale()
    expect(imported).toEqual(['./zh-CN'])

    // As the Settings chunk does: import its tables, then load them for the locale shown.
    const { settingsMessages } = await import('./settings')
    await loadLocale()
    expect(settingsMessages.value.title).toBe('设置')
    expect(imported).toEqual(['./zh-CN', './settings/zh-CN'])

    await setLocale('en')
    expect(settingsMessages.value.title).toBe('Settings')
    expect(imported.sort()).toEqual(['./en', './settings/en', './settings/zh-CN', './zh-CN'])
  })
})
