// The photos' outbox, a chunk of its own: loaded when a complaint is sent
// with photos, or on the next page while some still wait to upload.
import type { Adapter, Photo, Redress } from '@redress/sdk'
import { type PhotoOutbox, photoOutbox } from '@redress/sdk/photos'
import type { Receipts } from './_receipts'

/**
 * The outbox for `redress`'s photos. The count kept is mirrored in
 * localStorage (`redress:photos:<site>`), where the embed looks to load the
 * widget at idle on the next page, so nothing waits for the customer to
 * come back to the form.
 */
export function startPhotos(
  redress: Redress,
  adapter: Adapter,
  receipts: Pick<Receipts, 'byLocal'>,
): PhotoOutbox {
  const flag = `redress:photos:${redress.site}`
  return photoOutbox({
    redress,
    adapter,
    receiptFor: (id) => receipts.byLocal(id),
    onPending: (count) => {
      try {
        if (count) localStorage.setItem(flag, String(count))
        else localStorage.removeItem(flag)
      } catch {}
    },
  })
}

export type { Photo }
