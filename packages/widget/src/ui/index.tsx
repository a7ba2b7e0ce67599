/**
 * @module The widget's UI: the complaint dialog, the remedies and the
 * follow-up, and known-issue notices, rendered with Preact into the widget's
 * shadow root and driven by the SDK's events.
 */
import type { Receipt, Redress } from '@redress/sdk'
import { Component, render } from 'preact'
import type { Messages } from '../i18n'
import type { Photo } from '../picker'
import type { Category } from '../types'
import { createState, type State } from './_state'
import { theme } from './_theme.css'
import { Dialog } from './Dialog'
import { dialog } from './Dialog.css'
import { form } from './Form.css'
import { Notices } from './Notices'
import { notices } from './Notices.css'
import { recovery } from './Recovery.css'

/** What {@link mountUI} needs from the glue that loads it. */
export interface MountOptions {
  /** An element inside the widget's shadow root to render into. */
  container: HTMLElement
  /** The SDK instance (already created with the site key and HTTP adapter). */
  redress: Redress
  /** The locale's table with the site's overrides applied. */
  messages: Messages
  /** `'en'` or `'zh-CN'`, for `Intl` formatting and the dialog's `lang`. */
  locale: string
  /** What the customer can pick as "what went wrong". */
  categories: readonly Category[]
  /** The site's service guarantee, as its owner wrote it: shown as text in the form and after sending. */
  guarantee?: string | undefined
  /** Where focus returns when the dialog closes, unless the browser returned it to what opened it. */
  launcher?: HTMLElement | null
  /**
   * A complaint sent from an earlier page that is not settled yet: the
   * dialog opens on it (reference, status, follow-up) until the customer
   * starts another.
   */
  resume?: Pick<Receipt, 'id' | 'token' | 'reference' | 'receivedAt' | 'status'>
  /**
   * The customer opened a help link of this category and closed the form
   * without sending: a complaint the help avoided. Called once per such close.
   */
  onDeflect?: ((category: string) => void) | undefined
  /**
   * The backend takes photos: up to `max` with a complaint, handed to
   * `onSend` with the complaint's id once it is accepted (they upload after
   * it). The picker's code and styles load when the customer asks for it.
   */
  photos?:
    | {
        max: number
        onSend(id: string, photos: Photo[]): void
        /** Load what sending needs now, while online: called when the picker loads. */
        ready?(): void
      }
    | undefined
  /** Adopt a style sheet into the widget's shadow root (the picker's, when it loads). */
  adopt?: ((css: string) => void) | undefined
}

/**
 * Render the widget into `container`. It stays closed until `redress.open()`
 * and closes on `redress.close()`; `destroy()` unsubscribes and unmounts.
 *
 * @example
 * const { destroy } = mountUI({
 *   container: shadowRoot.appendChild(document.createElement('div')),
 *   redress, locale: 'en', categories: DEFAULT_CATEGORIES, launcher,
 *   messages: withOverrides(await loadMessages('en'), { title: 'Something wrong?' }),
 * })
 * redress.open({ category: 'order', orderRef: 'A-1001' })
 */
export function mountUI(options: MountOptions): { destroy(): void } {
  const state = createState(options)
  render(<Widget s={state} />, options.container)
  return {
    destroy() {
      state.off()
      render(null, options.container)
    },
  }
}

// Redrawn through Preact's render queue, so changes made together render once.
class Widget extends Component<{ s: State }> {
  // Preact calls it inside `render()`, so no change can come before the watch.
  override componentDidMount() {
    this.props.s.watch(() => this.setState({}))
  }

  override render({ s }: { s: State }) {
    return (
      <>
        <Dialog s={s} />
        <Notices s={s} />
      </>
    )
  }
}

/**
 * The UI's styles, for the glue to adopt into the shadow root. There are no
 * inline styles anywhere, so a strict CSP needs no `'unsafe-inline'`. Hosts
 * theme it through custom properties on the host element (`--redress-accent`,
 * `--redress-bg`, `--redress-fg`, `--redress-radius`, `--redress-font`,
 * `--redress-z`) and `data-theme="light|dark"`.
 *
 * @example
 * const sheet = new CSSStyleSheet()
 * sheet.replaceSync(css)
 * shadowRoot.adoptedStyleSheets = [sheet]
 */
export const css: string = theme + dialog + form + recovery + notices
