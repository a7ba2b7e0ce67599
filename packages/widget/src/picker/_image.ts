// Photos as the widget sends them: decoded with the camera's rotation applied,
// at most 1600 px on the long side, re-encoded as WebP (else JPEG). The
// re-encoding keeps pixels only, so EXIF data (the place it was taken) stays
// on the customer's device.
import { LIMITS } from '@redress/protocol'

export const MAX_SIDE = 1600

/** Why a photo could not be added. */
export class PhotoError extends Error {
  override name = 'PhotoError'
  constructor(readonly code: 'unreadable' | 'too_large' | 'capture_failed') {
    super(code)
  }
}

/** A photo ready to send, and its preview. */
export interface Photo {
  blob: Blob
  type: string
  name: string
  width: number
  height: number
  /** An object URL of `blob`, for the preview; revoked when the photo is removed. */
  url: string
}

/**
 * Scale `width` × `height` down to fit `max` on the long side (never up).
 *
 * @example
 * fitWithin(4000, 3000) // { width: 1600, height: 1200 }
 */
export function fitWithin(width: number, height: number, max = MAX_SIDE) {
  const scale = Math.min(1, max / Math.max(width, height))
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  }
}

const encode = async (canvas: OffscreenCanvas, type: string, quality: number) =>
  canvas.convertToBlob({ type, quality })

/**
 * Decode `file`, downscale it and re-encode it as WebP (JPEG where the
 * browser cannot write WebP), at most `LIMITS.attachmentBytes`.
 *
 * @example
 * const photo = await preparePhoto(input.files[0])
 */
export async function preparePhoto(file: Blob, quality = 0.85): Promise<Photo> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    throw new PhotoError('unreadable')
  }
  const { width, height } = fitWithin(bitmap.width, bitmap.height)
  const canvas = new OffscreenCanvas(width, height)
  const g = canvas.getContext('2d')!
  // White under a transparent image, as JPEG would otherwise make it black.
  g.fillStyle = '#fff'
  g.fillRect(0, 0, width, height)
  g.drawImage(bitmap, 0, 0, width, height)
  bitmap.close()
  for (const q of [quality, 0.6]) {
    let blob = await encode(canvas, 'image/webp', q)
    // A browser without a WebP encoder answers PNG: JPEG is smaller.
    if (blob.type !== 'image/webp') blob = await encode(canvas, 'image/jpeg', q)
    if (blob.size <= LIMITS.attachmentBytes) {
      const webp = blob.type === 'image/webp'
      return {
        blob,
        type: blob.type,
        name: webp ? 'photo.webp' : 'photo.jpg',
        width,
        height,
        url: URL.createObjectURL(blob),
      }
    }
  }
  throw new PhotoError('too_large')
}

/** Whether "Capture this page" can work here: a desktop browser with screen capture. */
export const canCapture = (): boolean =>
  !!navigator.mediaDevices?.getDisplayMedia && matchMedia('(pointer: fine)').matches

/**
 * One frame of the tab (or whatever the customer picks to share), as a PNG.
 * The capture stops as soon as the frame is taken, or on failure.
 *
 * @example
 * const shot = await capturePage()
 */
export async function capturePage(): Promise<Blob> {
  let stream: MediaStream | undefined
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({
      video: { displaySurface: 'browser' },
      audio: false,
      preferCurrentTab: true,
    } as DisplayMediaStreamOptions)
    const video = document.createElement('video')
    video.muted = true
    video.srcObject = stream
    await video.play()
    const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight)
    canvas.getContext('2d')!.drawImage(video, 0, 0)
    return await canvas.convertToBlob({ type: 'image/png' })
  } catch {
    throw new PhotoError('capture_failed')
  } finally {
    for (const track of stream?.getTracks() ?? []) track.stop()
  }
}
