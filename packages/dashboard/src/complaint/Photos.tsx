/**
 * @module The customer's photos: thumbnails, and a larger view in a modal
 * dialog on click. Each is fetched with the signed-in credentials (the admin
 * API never gives a photo a public URL) and shown from a `blob:` URL that is
 * revoked when it leaves the page.
 */
import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { fill, messages } from '../i18n'
import { api } from '../lib/state'
import type { AttachmentView, ComplaintDetail } from '../lib/types'

const pixels = (photo: AttachmentView) => `${photo.width} × ${photo.height}`

function Photo({ photo, n }: { photo: AttachmentView; n: number }) {
  const m = messages.value.complaint
  const client = api.value
  const src = useSignal<string | null>(null)
  const failed = useSignal(false)
  const open = useSignal(false)
  const dialog = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    if (!client) return
    const controller = new AbortController()
    let url: string | undefined
    client.photo(photo.url, controller.signal).then(
      (blob) => {
        url = URL.createObjectURL(blob)
        src.value = url
      },
      () => {
        if (!controller.signal.aborted) failed.value = true
      },
    )
    return () => {
      controller.abort()
      if (url) URL.revokeObjectURL(url)
    }
  }, [client, photo.url])

  useEffect(() => {
    if (open.value && dialog.current && !dialog.current.open) dialog.current.showModal?.()
  }, [open.value])

  const alt = fill(m.photoAlt, { n, size: pixels(photo) })
  if (failed.value) return <li class="error">{fill(m.photoFailed, { n })}</li>
  return (
    <li>
      <button
        type="button"
        class="photo-thumb"
        aria-label={fill(m.photoOpen, { n })}
        disabled={!src.value}
        onClick={() => {
          open.value = true
        }}
      >
        {src.value && <img src={src.value} alt={alt} width={photo.width} height={photo.height} />}
      </button>
      {open.value && src.value && (
        <dialog
          ref={dialog}
          class="photo-view"
          aria-label={alt}
          onClose={() => {
            open.value = false
          }}
        >
          <img src={src.value} alt={alt} width={photo.width} height={photo.height} />
          <form method="dialog">
            <button type="submit" class="secondary">
              {m.photoClose}
            </button>
          </form>
        </dialog>
      )}
    </li>
  )
}

/** The complaint's photos, in the order they came; nothing when it has none. */
export function Photos({ detail }: { detail: ComplaintDetail }) {
  const photos = detail.attachments ?? []
  if (photos.length === 0) return null
  return (
    <section class="panel photos" aria-labelledby="photos-title">
      <h2 id="photos-title">{messages.value.complaint.photos}</h2>
      <ul class="photo-list">
        {photos.map((photo, index) => (
          <Photo key={photo.id} photo={photo} n={index + 1} />
        ))}
      </ul>
    </section>
  )
}
