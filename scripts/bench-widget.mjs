#!/usr/bin/env node
/**
 * Time from a click on the launcher to an interactive form (the dialog open,
 * focus in its first field), in Debian's Chromium, each run in a fresh
 * browser context (empty cache):
 *
 * - cold: the customer clicks with no intent shown before (the pointer
 *   arrives and presses at once), so the time includes fetching, parsing and
 *   starting the form's chunk, which only then starts to load;
 * - intent: the pointer rests on the launcher 200 ms before the click, the
 *   usual case: the chunk loads on that intent.
 *
 * The baseline, measured in the same run, is a launcher that imports a tiny
 * module on click and opens a native dialog with the same fields: the floor
 * for any lazily loaded form. Reports medians and cold / baseline.
 *
 *   pnpm -r run build && node scripts/bench-widget.mjs [--runs 10]
 *   (or ./scripts/bench)
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { chromium } from '@playwright/test'
import launchOptions from './lib/chromium.json' with { type: 'json' }

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

async function startDemo() {
  const port = await freePort()
  const child = spawn('pnpm', ['--filter', '@redress/example-sdk-demo', 'start'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  })
  const origin = `http://127.0.0.1:${port}`
  await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the demo server exited (${code})`)))
    child.stdout.on('data', (chunk) => String(chunk).includes(origin) && resolve())
  })
  return { origin, stop: () => process.kill(-child.pid) }
}

/** Arms a listener in the page that records ms from the click to the form being interactive. */
const arm = (hostSelector) => {
  const host = document.querySelector(hostSelector)
  const root = host.shadowRoot
  const launcher = root.querySelector('button')
  launcher.addEventListener(
    'click',
    () => {
      const start = performance.now()
      const check = () => {
        const dialog = root.querySelector('dialog[open]')
        const focused = root.activeElement
        if (
          dialog &&
          focused &&
          dialog.contains(focused) &&
          focused.matches('input, select, textarea')
        ) {
          window.__interactive = performance.now() - start
          observer.disconnect()
        }
      }
      const observer = new MutationObserver(check)
      observer.observe(root, { subtree: true, childList: true, attributes: true })
      root.addEventListener('focusin', check)
      check()
    },
    { once: true },
  )
}

async function measure(browser, url, hostSelector, { intent } = {}) {
  const context = await browser.newContext()
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`${url}: ${error.message}`))
  await page.goto(url, { waitUntil: 'networkidle' })
  const launcher = page.locator(`${hostSelector} button`).first()
  await launcher.waitFor()
  await page.evaluate(arm, hostSelector)
  if (intent) {
    // The scenario itself: a customer whose pointer rests on the launcher first.
    await launcher.hover()
    await page.waitForTimeout(intent)
  }
  await launcher.click()
  // 0 is a real answer: when the chunk is loaded, the form opens within the click.
  await page.waitForFunction(() => window.__interactive !== undefined, null, { polling: 'raf' })
  const ms = await page.evaluate(() => window.__interactive)
  await context.close()
  return ms
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const demo = await startDemo()
const browser = await chromium.launch(launchOptions)
try {
  const cold = []
  const intent = []
  const baseline = []
  const widgetPage = `${demo.origin}/script-tag/`
  // Interleaved, so drift in the machine's load affects all alike.
  for (let run = 0; run < runs; run++) {
    cold.push(await measure(browser, widgetPage, 'redress-widget'))
    intent.push(await measure(browser, widgetPage, 'redress-widget', { intent: 200 }))
    baseline.push(
      await measure(browser, `${demo.origin}/__fixtures/bench-baseline.html`, 'redress-baseline'),
    )
  }
  const round = (ms) => Math.round(ms * 10) / 10
  const result = {
    runs,
    coldMedianMs: round(median(cold)),
    intentMedianMs: round(median(intent)),
    baselineMedianMs: round(median(baseline)),
    coldOverBaseline: Math.round((median(cold) / median(baseline)) * 100) / 100,
    coldMs: cold.map(round),
    intentMs: intent.map(round),
    baselineMs: baseline.map(round),
  }
  console.log(JSON.stringify(result, null, 2))
} finally {
  await browser.close()
  demo.stop()
}
