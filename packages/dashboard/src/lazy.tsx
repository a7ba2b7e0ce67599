/**
 * @module Views loaded on demand. Insights (with uPlot) and Settings are
 * separate chunks, imported the first time their route is shown (or their
 * link is pointed at), so the first screen, sign-in and the inbox, loads
 * without them. While a chunk loads the view says "Loading…"; if it fails
 * (offline, or a deploy replaced the hashed files this page names) it says
 * so, with **Try again** (imports it again) and **Reload the page** (fetches
 * the new build's page; the token and the route survive a reload).
 */
import { signal } from '@preact/signals'
import type { ComponentType, FunctionComponent } from 'preact'
import { useEffect } from 'preact/hooks'
import { messages } from './i18n'

type LoadState<P> =
  | { status: 'idle' | 'loading' | 'error' }
  | { status: 'ready'; View: ComponentType<P> }

export type LazyView<P> = FunctionComponent<P> & {
  /** Start loading the chunk (once; again after a failure). */
  preload(): void
}

/** A component that imports its view with `load` when first rendered, then renders it. */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): LazyView<P> {
  const state = signal<LoadState<P>>({ status: 'idle' })
  const preload = () => {
    const { status } = state.peek()
    if (status === 'loading' || status === 'ready') return
    state.value = { status: 'loading' }
    load().then(
      (View) => {
        state.value = { status: 'ready', View }
      },
      (error: unknown) => {
        console.warn('Could not load a view:', error)
        state.value = { status: 'error' }
      },
    )
  }

  function Lazy(props: P) {
    const current = state.value
    useEffect(() => {
      if (state.peek().status === 'idle') preload()
    }, [])
    const m = messages.value.common
    if (current.status === 'ready') return <current.View {...props} />
    if (current.status === 'error')
      return (
        <div class="panel view-failed" role="alert">
          <p class="error">{m.viewFailed}</p>
          <div class="view-failed-actions">
            <button type="button" onClick={preload}>
              {m.retry}
            </button>
            <button type="button" class="secondary" onClick={() => location.reload()}>
              {m.reload}
            </button>
          </div>
        </div>
      )
    return <p role="status">{m.loading}</p>
  }
  return Object.assign(Lazy, { preload })
}
