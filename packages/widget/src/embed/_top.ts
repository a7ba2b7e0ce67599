/**
 * @module Keeping the launcher reachable whatever the page has on screen.
 * Above overlays: the launcher's host element sits in the top layer (as a
 * manual popover), which no `z-index` reaches. Over the page's own modal
 * dialog: a modal makes everything outside it inert, so the launcher moves
 * into the topmost modal, in a host element of its own, and comes home when
 * that dialog closes or leaves the page. Nothing polls: a MutationObserver
 * sees dialogs' `open` attribute change, and `:modal` says which are modal.
 */

/**
 * Put `element` in the top layer, where the browser has popovers (elsewhere it
 * stays where its `z-index` puts it). Call again after re-inserting it:
 * leaving the document takes an element out of the top layer.
 */
export const raise = (element: HTMLElement) => {
  if (!('showPopover' in element) || !element.isConnected) return
  element.popover = 'manual'
  if (!element.matches(':popover-open')) element.showPopover()
}

const isModal = (dialog: Element) => {
  try {
    return dialog.isConnected && dialog.matches(':modal')
  } catch {
    // Engines without `:modal` have no inert page around a dialog either.
    return false
  }
}

/**
 * Follow the page's modal dialogs with `launcher`, which lives in `home`.
 * `away` is the host element (with a shadow root styled like `home`) that
 * carries it into a modal. Returns a function that stops and brings it home.
 */
export function followModals(launcher: HTMLElement, home: ShadowRoot, away: HTMLElement) {
  const d = document
  // In the order they became modal, which is their order in the top layer.
  let modals: Element[] = []
  let top: Element | undefined

  const sync = () => {
    for (const dialog of d.querySelectorAll('dialog'))
      if (isModal(dialog) && !modals.includes(dialog)) modals.push(dialog)
    modals = modals.filter(isModal)
    const next = modals.at(-1)
    if (next === top && (!next || away.isConnected)) return
    top = next
    if (next) {
      next.append(away)
      away.shadowRoot!.append(launcher)
      raise(away)
      // Only while away: a modal taken out of the page takes the launcher with it.
      removals.observe(d, { childList: true, subtree: true })
    } else {
      removals.disconnect()
      home.prepend(launcher)
      away.remove()
    }
  }

  const removals = new MutationObserver(() => away.isConnected || sync())
  const toggles = new MutationObserver(sync)
  toggles.observe(d, { attributes: true, attributeFilter: ['open'], subtree: true })
  sync()
  return () => {
    toggles.disconnect()
    modals = []
    sync()
  }
}
