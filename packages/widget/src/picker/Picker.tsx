// "Add a photo": the file picker (the camera on a phone), "Capture this page"
// where the browser can, and the chosen photos with a remove button each. A
// class with plain state, as the rest of the widget: no hooks to download.
import { Component, createRef } from 'preact'
import { fill } from '../ui/_format'
import { canCapture, capturePage, type Photo, PhotoError, preparePhoto } from './_image'
import { photoMessages } from './_messages'

export interface PickerProps {
  photos: readonly Photo[]
  onChange: (next: Photo[]) => void
  locale: string
  max: number
  /** Prefix for ids, unique per widget. */
  uid: string
  /** Open the file chooser as soon as it is drawn (the customer just asked for it). */
  open?: boolean
}

interface PickerState {
  busy: boolean
  error: string
}

export class PhotoPicker extends Component<PickerProps, PickerState> {
  override state: PickerState = { busy: false, error: '' }
  private input = createRef<HTMLInputElement>()
  private add = createRef<HTMLButtonElement>()
  private list = createRef<HTMLUListElement>()

  override componentDidMount() {
    if (this.props.open) this.input.current?.click()
  }

  override componentWillUnmount() {
    // Previews only: the blobs themselves go on to the outbox.
    for (const photo of this.props.photos) URL.revokeObjectURL(photo.url)
  }

  /** Prepare each file in turn, up to the limit, keeping what came before. */
  private async take(files: Blob[]) {
    const m = photoMessages(this.props.locale)
    this.setState({ busy: true, error: '' })
    let photos = [...this.props.photos]
    for (const file of files) {
      // One that could not be read takes no place: the next file may.
      if (photos.length >= this.props.max) break
      try {
        photos = [...photos, await preparePhoto(file)]
        this.props.onChange(photos)
      } catch (error) {
        const code = error instanceof PhotoError ? error.code : 'unreadable'
        this.setState({ error: m[code] })
      }
    }
    this.setState({ busy: false })
  }

  private remove(index: number) {
    const photos = this.props.photos
    URL.revokeObjectURL(photos[index]!.url)
    this.props.onChange(photos.filter((_, i) => i !== index))
    // Focus the next remove button, else the one before, else "Add a photo".
    requestAnimationFrame(() => {
      const buttons = this.list.current?.querySelectorAll('button')
      const next = buttons?.[Math.min(index, buttons.length - 1)]
      ;(next ?? this.add.current)?.focus()
    })
  }

  override render({ photos, locale, max, uid }: PickerProps, { busy, error }: PickerState) {
    const m = photoMessages(locale)
    const full = photos.length >= max
    return (
      <div>
        {photos.length > 0 && (
          <ul class="pp" ref={this.list}>
            {photos.map((photo, i) => (
              <li key={photo.url}>
                <img src={photo.url} alt={fill(m.photo, { n: i + 1 })} />
                <button
                  type="button"
                  aria-label={fill(m.remove, { n: i + 1 })}
                  onClick={() => this.remove(i)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <input
          ref={this.input}
          id={`${uid}photo`}
          class="vh"
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            const input = event.currentTarget
            void this.take([...(input.files ?? [])])
            input.value = ''
          }}
        />
        <div class="pb">
          {/* Not disabled while a photo is prepared: focus stays where it is. */}
          <button
            type="button"
            ref={this.add}
            disabled={full}
            onClick={() => busy || this.input.current?.click()}
          >
            {m.add}
          </button>
          {canCapture() && (
            <button
              type="button"
              disabled={full}
              onClick={() =>
                busy ||
                capturePage().then(
                  (shot) => this.take([shot]),
                  () => this.setState({ error: m.capture_failed }),
                )
              }
            >
              {m.capture}
            </button>
          )}
        </div>
        <p role="status" class="h">
          {busy ? m.working : full ? fill(m.limit, { max }) : ''}
        </p>
        <p role="alert" class="er">
          {error}
        </p>
      </div>
    )
  }
}
