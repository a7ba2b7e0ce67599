import { render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setup } from '../ui/_test-helpers'
import { fitWithin, type Photo } from './_image'

vi.mock('./_image', async (original) => ({
  ...(await original<typeof import('./_image')>()),
  // happy-dom decodes no images: a file named "bad…" is unreadable, any other is a photo.
  preparePhoto: async (file: File) => {
    const { PhotoError } = await original<typeof import('./_image')>()
    if (file.name.startsWith('bad')) throw new PhotoError('unreadable')
    const blob = new Blob([file.name], { type: 'image/webp' })
    return {
      blob,
      type: 'image/webp',
      name: 'photo.webp',
      width: 10,
      height: 10,
      url: `blob:${file.name}`,
    }
  },
}))

afterEach(() => vi.restoreAllMocks())

describe('fitWithin', () => {
  it('scales down to 1600 px on the long side, keeping the shape, never up', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 })
    expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: 1600 })
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900 })
    expect(fitWithin(1, 10_000)).toEqual({ width: 1, height: 1600 })
  })
})

describe('photos in the form', () => {
  const file = (name: string) => new File(['x'], name, { type: 'image/png' })

  it('offers "Add a photo" only when the backend takes photos', async () => {
    const without = await setup()
    await without.fill()
    expect(without.screen.queryByRole('button', { name: 'Add a photo' })).toBeNull()
  })

  it('loads the picker on asking, previews, removes, and hands the photos over with the complaint', async () => {
    const sent: Array<{ id: string; photos: Photo[] }> = []
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const t = await setup({ photos: { max: 2, onSend: (id, photos) => sent.push({ id, photos }) } })
    await t.fill()
    await t.user.click(t.screen.getByRole('button', { name: 'Add a photo' }))
    const input = await waitFor(() => {
      const found = t.dialog().querySelector<HTMLInputElement>('input[type=file]')
      if (!found) throw new Error('The picker has not loaded yet')
      return found
    })
    expect(input.accept).toBe('image/*')
    expect(input.getAttribute('capture')).toBe('environment')
    // A file chooser closed without a choice fires a bubbling `cancel`: the form stays.
    let closed = false
    t.redress.on('close', () => {
      closed = true
    })
    input.dispatchEvent(new Event('cancel', { bubbles: true }))
    expect(closed).toBe(false)
    await t.user.upload(input, [
      file('one.png'),
      file('bad.png'),
      file('two.png'),
      file('three.png'),
    ])
    await t.screen.findByRole('img', { name: 'Photo 2' })
    expect(t.screen.getByRole('img', { name: 'Photo 1' }).getAttribute('src')).toBe('blob:one.png')
    // The unreadable file says so; the limit stops at two, and says so.
    expect(t.screen.getByRole('alert', { hidden: false }).textContent).toContain(
      'That file is not a photo we can read.',
    )
    expect(t.screen.getByText('Up to 2 photos.')).toBeTruthy()
    for (const button of t.screen.getAllByRole('button', { name: 'Add a photo' }))
      expect((button as HTMLButtonElement).disabled).toBe(true)

    await t.user.click(t.screen.getByRole('button', { name: 'Remove photo 1' }))
    expect(revoked).toHaveBeenCalledWith('blob:one.png')
    await waitFor(() => expect(t.screen.queryByRole('img', { name: 'Photo 2' })).toBeNull())
    expect(t.screen.getByRole('img', { name: 'Photo 1' }).getAttribute('src')).toBe('blob:two.png')

    const submitted: string[] = []
    t.redress.on('complaint:submitted', ({ id }) => submitted.push(id))
    await t.send()
    // Handed over under the complaint's own id, the one its photos upload with.
    expect(sent.map((entry) => entry.id)).toEqual(submitted)
    expect(sent[0]!.photos.map((photo) => photo.url)).toEqual(['blob:two.png'])
  })

  it('speaks Chinese', async () => {
    const t = await setup({ locale: 'zh-CN', photos: { max: 3, onSend: () => {} } })
    t.redress.open()
    await t.user.click(await t.screen.findByRole('button', { name: '添加照片' }))
    expect(await t.screen.findAllByRole('button', { name: '添加照片' })).toHaveLength(1)
  })
})

describe('the picker alone', () => {
  it('revokes the previews when it goes away', async () => {
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const { PhotoPicker } = await import('./Picker')
    const photo: Photo = {
      blob: new Blob(),
      type: 'image/webp',
      name: 'photo.webp',
      width: 1,
      height: 1,
      url: 'blob:kept',
    }
    const { unmount } = render(
      <PhotoPicker photos={[photo]} onChange={() => {}} locale="en" max={3} uid="t-" />,
    )
    expect(screen.getByRole('img', { name: 'Photo 1' })).toBeTruthy()
    unmount()
    expect(revoked).toHaveBeenCalledWith('blob:kept')
  })
})

describe('capturing the page', () => {
  afterEach(() => vi.unstubAllGlobals())

  const share = (fails: boolean) => {
    const stopped: string[] = []
    const track = { stop: () => stopped.push('video') }
    // A stream of the DOM's own type (the video element checks it), with a track we can watch.
    const stream = new MediaStream()
    Object.defineProperty(stream, 'getTracks', { value: () => [track] })
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: { getDisplayMedia: vi.fn(async () => stream) },
    })
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(async () => {
      if (fails) throw new Error('no frame')
    })
    vi.stubGlobal(
      'OffscreenCanvas',
      class {
        getContext() {
          return { drawImage: () => {} }
        }
        async convertToBlob() {
          return new Blob(['png'], { type: 'image/png' })
        }
      },
    )
    return stopped
  }

  it('takes one frame and stops sharing at once', async () => {
    const { capturePage } = await import('./_image')
    const stopped = share(false)
    const shot = await capturePage()
    expect(shot.type).toBe('image/png')
    expect(stopped).toEqual(['video'])
  })

  it('stops sharing when the frame cannot be taken, and says the capture failed', async () => {
    const { capturePage, PhotoError } = await import('./_image')
    const stopped = share(true)
    const failure = await capturePage().catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(PhotoError)
    expect((failure as InstanceType<typeof PhotoError>).code).toBe('capture_failed')
    expect(stopped).toEqual(['video'])
  })
})
