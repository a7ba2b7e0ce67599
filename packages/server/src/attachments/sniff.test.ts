import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nameFits, servedName, sniffImage } from './sniff'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./_fixtures/${name}`, import.meta.url)))
// The two smallest WebP files there are (lossy VP8 and lossless VP8L, 1×1 each).
const VP8 = Buffer.from('UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA', 'base64')
const VP8L = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64')

describe('sniffImage', () => {
  it('reads the type and size of JPEG, PNG and every kind of WebP from their bytes', () => {
    expect(sniffImage(fixture('mug.jpg'))).toEqual({ type: 'image/jpeg', width: 40, height: 30 })
    expect(sniffImage(fixture('mug.png'))).toEqual({ type: 'image/png', width: 40, height: 30 })
    expect(sniffImage(fixture('mug.webp'))).toEqual({ type: 'image/webp', width: 40, height: 30 })
    expect(sniffImage(fixture('mug-alpha.webp'))).toEqual({
      type: 'image/webp',
      width: 33,
      height: 21,
    })
    expect(sniffImage(fixture('mug-lossless.webp'))).toEqual({
      type: 'image/webp',
      width: 17,
      height: 9,
    })
    expect(sniffImage(VP8)).toEqual({ type: 'image/webp', width: 1, height: 1 })
    expect(sniffImage(VP8L)).toEqual({ type: 'image/webp', width: 1, height: 1 })
  })

  it('knows nothing else, whatever it claims to be', () => {
    const text = (value: string) => new TextEncoder().encode(value)
    expect(sniffImage(text('<script>alert(1)</script>'))).toBeUndefined()
    expect(sniffImage(text('GIF89a\x01\x00\x01\x00'))).toBeUndefined()
    expect(sniffImage(new Uint8Array())).toBeUndefined()
    // A JPEG's first bytes, then nothing: no frame, no size.
    expect(sniffImage(fixture('mug.jpg').slice(0, 20))).toBeUndefined()
    // A PNG cut before its header's size.
    expect(sniffImage(fixture('mug.png').slice(0, 20))).toBeUndefined()
    // A RIFF that is not WebP (a WAV file's start).
    expect(
      sniffImage(text('RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00')),
    ).toBeUndefined()
  })
})

describe('names', () => {
  it('takes a name whose ending is the type its bytes are, or none', () => {
    expect(nameFits(null, 'image/png')).toBe(true)
    expect(nameFits('mug.PNG', 'image/png')).toBe(true)
    expect(nameFits('IMG_0001.jpeg', 'image/jpeg')).toBe(true)
    expect(nameFits('mug.exe', 'image/png')).toBe(false)
    expect(nameFits('mug.png', 'image/jpeg')).toBe(false)
    expect(nameFits('png', 'image/png')).toBe(false)
    expect(nameFits('.png', 'image/png')).toBe(false)
  })

  it('serves a photo under a name of its own', () => {
    expect(servedName(2, 'image/webp')).toBe('photo-2.webp')
    expect(servedName(1, 'image/jpeg')).toBe('photo-1.jpg')
  })
})
