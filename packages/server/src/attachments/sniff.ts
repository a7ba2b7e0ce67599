/**
 * @module What an uploaded file is, by its bytes: JPEG, PNG or WebP, and its
 * dimensions, read from the header each format puts first. The type a client
 * declares is only compared with this, never trusted.
 */
import type { AttachmentType } from '@redress/protocol'

/** An image whose bytes say what it is. */
export interface Sniffed {
  type: AttachmentType
  width: number
  height: number
}

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  text.split('').every((char, i) => bytes[at + i] === char.charCodeAt(0))

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8)
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 0x10000 + u16be(b, at + 2)

function png(b: Uint8Array): Sniffed | undefined {
  // The signature, then IHDR as the first chunk (the PNG spec requires it there).
  if (b.length < 24 || !ascii(b, 1, 'PNG\r\n\x1a\n') || b[0] !== 0x89 || !ascii(b, 12, 'IHDR'))
    return undefined
  return { type: 'image/png', width: u32be(b, 16), height: u32be(b, 20) }
}

function jpeg(b: Uint8Array): Sniffed | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined
  // Walk the segments to the first start-of-frame, which holds the size.
  let at = 2
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined
    const marker = b[at + 1]!
    if (marker === 0xff) {
      at++
      continue
    }
    const frame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)
    if (frame) return { type: 'image/jpeg', height: u16be(b, at + 5), width: u16be(b, at + 7) }
    // Markers without a length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
      continue
    }
    at += 2 + u16be(b, at + 2)
  }
  return undefined
}

function webp(b: Uint8Array): Sniffed | undefined {
  if (b.length < 30 || !ascii(b, 0, 'RIFF') || !ascii(b, 8, 'WEBP')) return undefined
  const size = (width: number, height: number): Sniffed => ({ type: 'image/webp', width, height })
  if (ascii(b, 12, 'VP8 ') && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
    return size(u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff)
  if (ascii(b, 12, 'VP8L') && b[20] === 0x2f) {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)
    return size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1)
  }
  if (ascii(b, 12, 'VP8X')) return size(u24le(b, 24) + 1, u24le(b, 27) + 1)
  return undefined
}

/**
 * The image `bytes` are, by their own header; `undefined` for anything else
 * (a script named `photo.jpg` included) or an image without a size.
 *
 * @example
 * sniffImage(await readFile('mug.png')) // { type: 'image/png', width: 800, height: 600 }
 */
export function sniffImage(bytes: Uint8Array): Sniffed | undefined {
  const found = png(bytes) ?? jpeg(bytes) ?? webp(bytes)
  return found && found.width > 0 && found.height > 0 ? found : undefined
}

/** The file name endings each type may have. */
const EXTENSIONS: Record<AttachmentType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jfif'],
  'image/png': ['png'],
  'image/webp': ['webp'],
}

/**
 * Whether a file name agrees with the type its bytes are: none, or one
 * ending in that type's extension (`.exe` on a PNG does not).
 *
 * @example
 * nameFits('mug.PNG', 'image/png') // true
 * nameFits('mug.exe', 'image/png') // false
 */
export function nameFits(name: string | null, type: AttachmentType): boolean {
  if (name === null) return true
  const dot = name.lastIndexOf('.')
  return dot > 0 && EXTENSIONS[type].includes(name.slice(dot + 1).toLowerCase())
}

/** `photo-1.webp`: the name a photo is served under, never the customer's own. */
export const servedName = (n: number, type: AttachmentType) => `photo-${n}.${EXTENSIONS[type][0]}`
