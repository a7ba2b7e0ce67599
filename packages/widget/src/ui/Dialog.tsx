import { Component, createRef } from 'preact'
import type { State } from './_state'
import { Done } from './Done'
import { Form } from './Form'

/**
 * The modal: opened and closed only through the SDK's `open` and `close` events.
 * A class, for its lifecycle: the widget then needs no hooks, 800 B gzipped.
 */
export class Dialog extends Component<{ s: State }> {
  ref = createRef<HTMLDialogElement>()
  shown = false
  // The view and focus request that focus was last moved for.
  focused = ''

  override componentDidMount() {
    this.componentDidUpdate()
  }

  // After every render, so the element follows the state whatever closed it meanwhile.
  override componentDidUpdate() {
    const { s } = this.props
    const dialog = this.ref.current!
    const open = s.open.value
    if (open) {
      // `showModal` puts it in the top layer, above the host's own modals; engines
      // without it still get a dialog, drawn by the CSS.
      if (!dialog.open) dialog.showModal ? dialog.showModal() : dialog.setAttribute('open', '')
    } else if (this.shown) {
      dialog.close ? dialog.close() : dialog.removeAttribute('open')
      // Browsers hand focus back to what had it before opening (the launcher, or a
      // page's own "report" button); where none did, the launcher takes it.
      const inside = (dialog.getRootNode() as ShadowRoot | Document).activeElement
      if (document.activeElement === document.body || dialog.contains(inside))
        s.options.launcher?.focus()
    }
    this.shown = open
    // On opening, on a new view, and after a refused send: the first invalid field, or the first.
    const focus = s.view.value + s.focus.value
    if (focus !== this.focused && open)
      (
        dialog.querySelector<HTMLElement>('[aria-invalid=true]') ??
        dialog.querySelector<HTMLElement>('[data-first]')
      )?.focus()
    this.focused = focus
  }

  override render({ s }: { s: State }) {
    const { redress } = s.options
    return (
      <dialog
        ref={this.ref}
        class="d"
        aria-labelledby={`${s.uid}h`}
        lang={s.options.locale}
        dir={s.dir}
        onCancel={(event) => {
          // A file chooser the customer closed fires a bubbling `cancel` at its input:
          // that is not the dialog being dismissed.
          if (event.target !== event.currentTarget) return
          // Closing goes through the SDK, so host code hears of it as of any close.
          event.preventDefault()
          redress.close()
        }}
        onKeyDown={(event) => {
          // Tab goes round inside the modal rather than out to the browser's toolbar.
          // The first and last stops are always buttons: Close, and Send or "Report another".
          const buttons = this.ref.current!.querySelectorAll('button')
          const [from, to] = event.shiftKey ? [0, buttons.length - 1] : [buttons.length - 1, 0]
          if (event.key === 'Tab' && event.target === buttons[from]) {
            event.preventDefault()
            buttons[to]!.focus()
          }
        }}
        onClose={() => {
          // The browser may close it on its own (a second Escape); keep the state in step.
          if (s.open.value) redress.close()
        }}
      >
        <button type="button" class="x" aria-label={s.m.close} onClick={() => redress.close()}>
          ×
        </button>
        {s.view.value === 'form' ? <Form s={s} /> : <Done s={s} />}
        <p class="sr" aria-live="polite">
          {s.live.value}
        </p>
      </dialog>
    )
  }
}
