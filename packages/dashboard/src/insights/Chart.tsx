/**
 * @module A small uPlot wrapper: creates the chart on mount at its
 * container's width, follows the container with a ResizeObserver, redraws
 * when the options or data change (the caller memoises them per locale) or
 * the colour scheme flips, and destroys it on unmount. Colours come from the
 * stylesheet's CSS variables, read with getComputedStyle, so dark mode works.
 * The legend names the series with their colours; their values at a day
 * show only while the pointer is on the plot (the root has `u-idle` otherwise).
 * Without a canvas (tests, old browsers) it draws nothing: every chart has a
 * text alternative beside it.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

/** The stylesheet's colours, as the chart's canvas needs them (resolved values). */
export interface ChartTheme {
  text: string
  muted: string
  line: string
  panel: string
  accent: string
  danger: string
  outcome: string
  process: string
  interaction: string
}

const FALLBACK: ChartTheme = {
  text: '#1b1b1f',
  muted: '#5c5f66',
  line: '#d9dbe0',
  panel: '#ffffff',
  accent: '#2251d1',
  danger: '#b3261e',
  outcome: '#2251d1',
  process: '#b8640b',
  interaction: '#a1307a',
}

/** Read the colours from the CSS variables of `:root` (light or dark, whichever applies now). */
export function readTheme(root: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(root)
  const read = (name: keyof ChartTheme) =>
    style.getPropertyValue(`--${name}`).trim() || FALLBACK[name]
  return Object.fromEntries(
    (Object.keys(FALLBACK) as Array<keyof ChartTheme>).map((name) => [name, read(name)]),
  ) as unknown as ChartTheme
}

/** Whether this browser can draw on a canvas (happy-dom and some locked-down browsers cannot). */
export function canvasSupported(): boolean {
  try {
    const canvas = document.createElement('canvas')
    return typeof canvas.getContext === 'function' && canvas.getContext('2d') !== null
  } catch {
    return false
  }
}

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>

export interface ChartProps {
  /** Builds uPlot's options from the current colours; memoise it (with the locale) in the caller. */
  options: (theme: ChartTheme) => ChartOptions
  data: uPlot.AlignedData
  /** Plot height in CSS pixels. @default 240 */
  height?: number
}

const widthOf = (element: HTMLElement) => Math.max(240, Math.floor(element.clientWidth || 0))

/**
 * Marks the chart idle while no day is under the pointer: the stylesheet
 * then hides the legend's values (uPlot would show "—" for each) and keeps
 * the series' names and colours.
 */
export function markIdle(plot: uPlot): void {
  plot.root.classList.toggle('u-idle', plot.legend.idx == null)
}

/** `options` with `markIdle` added to the legend's hooks. */
export function withIdleLegend(options: ChartOptions): ChartOptions {
  return {
    ...options,
    hooks: { ...options.hooks, setLegend: [...(options.hooks?.setLegend ?? []), markIdle] },
  }
}

/** Follows `prefers-color-scheme`, so charts redraw in the other palette. */
function useColourScheme(): number {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    if (typeof matchMedia !== 'function') return
    const query = matchMedia('(prefers-color-scheme: dark)')
    const bump = () => setVersion((value) => value + 1)
    query.addEventListener?.('change', bump)
    return () => query.removeEventListener?.('change', bump)
  }, [])
  return version
}

export function Chart({ options, data, height = 240 }: ChartProps) {
  const container = useRef<HTMLDivElement>(null)
  const scheme = useColourScheme()
  useEffect(() => {
    const element = container.current
    if (!element || !canvasSupported()) return
    let plot: uPlot
    try {
      plot = new uPlot(
        { ...withIdleLegend(options(readTheme())), width: widthOf(element), height },
        data,
        element,
      )
      markIdle(plot)
    } catch {
      return
    }
    let frame = 0
    const observer =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => {
            cancelAnimationFrame(frame)
            frame = requestAnimationFrame(() => {
              const width = widthOf(element)
              if (width !== plot.width) plot.setSize({ width, height })
            })
          })
    observer?.observe(element)
    return () => {
      cancelAnimationFrame(frame)
      observer?.disconnect()
      plot.destroy()
    }
  }, [options, data, height, scheme])
  // The canvas repeats what the text alternative beside it says.
  return <div class="chart" ref={container} aria-hidden="true" />
}
