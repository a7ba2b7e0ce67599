import { cleanup, render, screen } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setLocale } from './i18n'
import { lazyView } from './lazy'
import './test/locales'

afterEach(() => {
  cleanup()
  setLocale('en')
  vi.restoreAllMocks()
})

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const Hello = ({ who }: { who: string }) => <h1>Hello {who}</h1>

describe('lazyView', () => {
  it('says it is loading, then renders the view with its props; loads once', async () => {
    const chunk = deferred<typeof Hello>()
    const load = vi.fn(() => chunk.promise)
    const View = lazyView(load)
    render(<View who="owner" />)
    expect(screen.getByRole('status').textContent).toBe('Loading…')
    chunk.resolve(Hello)
    expect((await screen.findByRole('heading')).textContent).toBe('Hello owner')
    cleanup()
    // Back on the route later: already there, no second import and no loading state.
    render(<View who="again" />)
    expect(screen.getByRole('heading').textContent).toBe('Hello again')
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('preload starts the import before the view is shown, once', async () => {
    const load = vi.fn(async () => Hello)
    const View = lazyView(load)
    View.preload()
    View.preload()
    render(<View who="owner" />)
    await screen.findByRole('heading')
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('says when the chunk failed to load, and tries again', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const load = vi
      .fn<() => Promise<typeof Hello>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValueOnce(Hello)
    const View = lazyView(load)
    render(<View who="owner" />)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('This view could not be loaded')
    expect(screen.getByRole('button', { name: 'Reload the page' })).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect((await screen.findByRole('heading')).textContent).toBe('Hello owner')
    expect(screen.queryByRole('alert')).toBeNull()
    expect(load).toHaveBeenCalledTimes(2)
  })

  it('speaks the chosen language', async () => {
    setLocale('zh-CN')
    const View = lazyView(() => new Promise<typeof Hello>(() => {}))
    render(<View who="owner" />)
    expect(screen.getByRole('status').textContent).toBe('加载中…')
  })
})
