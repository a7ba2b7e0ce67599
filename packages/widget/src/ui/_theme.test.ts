import { describe, expect, it } from 'vitest'
import { css } from './index'

// The custom properties a block of the stylesheet sets, with the defaults the host can override.
const block = (selector: string) => {
  const start = css.indexOf(`${selector}{`)
  expect(start).toBeGreaterThanOrEqual(0)
  const body = css.slice(start + selector.length + 1, css.indexOf('}', start))
  return Object.fromEntries(
    [...body.matchAll(/--(\w+):(?:var\(--redress-[\w-]+,)?(#\w+)/g)].map(([, name, hex]) => [
      name,
      hex,
    ]),
  ) as Record<string, string>
}

const rgb = (hex: string) => {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d) : hex.slice(1).match(/../g)!
  return digits.map((pair) => Number.parseInt(pair, 16))
}
// color-mix(in srgb, a p%, b), as `--m` and `--l` are made.
const mix = (a: string, b: string, share: number) => {
  const [x, y] = [rgb(a), rgb(b)]
  return `#${x
    .map((v, i) =>
      Math.round(v * share + y[i]! * (1 - share))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`
}
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

const light = block(':host')
const dark = block(':host([data-theme=dark])')

describe('theme', () => {
  it('sets the same dark colours for the system preference and for data-theme', () => {
    expect(block('@media(prefers-color-scheme:dark){:host(:not([data-theme=light]))')).toEqual(dark)
  })

  it.each([
    ['light', light],
    ['dark', dark],
  ])('has text contrast of at least 4.5:1 in the %s theme', (_, t) => {
    const muted = mix(t.f!, t.b!, 0.75)
    const pairs: [string, string, string][] = [
      ['text', t.f!, t.b!],
      ['hints', muted, t.b!],
      ['errors', t.e!, t.b!],
      ['links and outlined buttons', t.a!, t.b!],
      ['primary buttons', t.o!, t.a!],
      ['warning banners', t.w!, t.v!],
    ]
    for (const [what, fg, bg] of pairs)
      expect({ what, ok: contrast(fg, bg) >= 4.5 }).toEqual({ what, ok: true })
    // Field borders are not text, but need 3:1 to be seen (WCAG 1.4.11).
    expect(contrast(mix(t.f!, t.b!, 0.55), t.b!)).toBeGreaterThanOrEqual(3)
  })
})
