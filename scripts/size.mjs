#!/usr/bin/env node
/**
 * Bundle size report and budgets. Each entry is bundled from source the way
 * a host app would bundle it (tree-shaken, minified by Vite), then gzipped at
 * level 9; the widget and the dashboard are measured as built, from their
 * Vite manifests. Prints a table with each size as a share of its budget, and for
 * the HTTP adapter a ratio against ky alone, bundled in the same run.
 *
 *   node scripts/size.mjs          report, exit 1 if a budget is exceeded
 *   node scripts/size.mjs --json   the same as JSON
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** What is measured; `budget` in bytes of gzip -9, `baseline` names another entry to compare with. */
export const entries = [
  {
    name: 'sdk core (createRedress, no adapter)',
    code: `export { createRedress } from '@redress/sdk'`,
    // 3 KB until customer tokens (a refused token is refreshed once for the same customer).
    budget: 3.25 * 1024,
  },
  {
    // What the HTTP adapter would weigh if it were built on ky (a devDependency kept for this line).
    name: 'ky alone (baseline)',
    code: `export { default } from 'ky'`,
  },
  {
    name: 'httpAdapter (fetch)',
    code: `export { httpAdapter } from '@redress/sdk/http'`,
    baseline: 'ky alone (baseline)',
  },
  {
    name: 'sdk core + httpAdapter',
    code: `export { createRedress } from '@redress/sdk'\nexport { httpAdapter } from '@redress/sdk/http'`,
  },
  {
    name: 'memoryAdapter',
    code: `export { memoryAdapter } from '@redress/sdk'`,
  },
]

async function measure(code) {
  // Inside the SDK's node_modules, so bare imports resolve as they would in an app.
  const sdk = join(root, 'packages/sdk')
  mkdirSync(join(sdk, 'node_modules/.cache'), { recursive: true })
  const dir = mkdtempSync(join(sdk, 'node_modules/.cache/size-'))
  try {
    const entry = join(dir, 'entry.js')
    writeFileSync(entry, code)
    const output = await build({
      root: sdk,
      configFile: false,
      logLevel: 'silent',
      resolve: {
        conditions: ['@redress/source', 'browser', 'module', 'import', 'default'],
        alias: [
          { find: /^@redress\/sdk$/, replacement: join(sdk, 'src/index.ts') },
          { find: /^@redress\/sdk\/(.*)$/, replacement: join(sdk, 'src/$1/index.ts') },
        ],
      },
      build: {
        write: false,
        minify: true,
        target: 'es2022',
        // Not library mode: it keeps whitespace in ES output, and an app's bundler would not.
        rolldownOptions: {
          input: entry,
          preserveEntrySignatures: 'strict',
          output: { format: 'es', codeSplitting: false },
        },
      },
    })
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output)
    const js = chunks
      .filter((chunk) => chunk.type === 'chunk')
      .map((chunk) => chunk.code)
      .join('\n')
    return { minified: Buffer.byteLength(js), gzip: gzipSync(js, { level: 9 }).length }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const gzip = (files) => {
  const code = files.map((file) => readFileSync(file)).join('\n')
  return { minified: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length }
}

/**
 * The widget as built (`pnpm -r build`): the eager script, and everything a
 * customer has downloaded once a complaint is sent: the app chunk, what it
 * imports, and the larger of the two message tables (a page loads one).
 */
function widget() {
  const dist = join(root, 'packages/widget/dist')
  const manifestPath = join(dist, '.vite/manifest.json')
  if (!existsSync(manifestPath)) throw new Error('Build the widget first: pnpm -r run build')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  const closure = (key, seen = new Set()) => {
    if (seen.has(key)) return seen
    seen.add(key)
    for (const next of manifest[key].imports ?? []) closure(next, seen)
    return seen
  }
  const files = (keys) => [...keys].map((key) => join(dist, manifest[key].file))
  const app = Object.keys(manifest).find((key) => manifest[key].isEntry)
  const locales = Object.keys(manifest).filter(
    (key) => /i18n\/[\w-]+\.ts$/.test(key) && !key.endsWith('index.ts'),
  )
  const appFiles = files(closure(app))
  const perLocale = locales.map((key) => ({
    key,
    ...gzip([...appFiles, ...files(closure(key)).filter((file) => !appFiles.includes(file))]),
  }))
  const largest = perLocale.reduce((a, b) => (a.gzip >= b.gzip ? a : b))
  return [
    { name: 'widget eager (redress.js)', ...gzip([join(dist, 'redress.js')]), budget: 2.5 * 1024 },
    {
      name: `widget after send (app + ${largest.key.replace(/.*\//, '').replace('.ts', '')} messages)`,
      minified: largest.minified,
      gzip: largest.gzip,
      // 20 KB until customer tokens came into the SDK; the flow is to get back under 20 KB.
      budget: 20.25 * 1024,
    },
  ]
}

/** Each file gzipped on its own, as the server sends them, summed. */
const gzipEach = (files) =>
  files
    .map((file) => gzip([file]))
    .reduce(
      (sum, size) => ({ minified: sum.minified + size.minified, gzip: sum.gzip + size.gzip }),
      { minified: 0, gzip: 0 },
    )

/**
 * The dashboard as built (`pnpm -r build`, with `build.manifest`): the first
 * load, what `index.html` names and its entry imports statically (JS and
 * CSS); then each view imported on its route, counting only the files the
 * first load has not already brought.
 */
function dashboard() {
  const dist = join(root, 'packages/dashboard/dist')
  const manifestPath = join(dist, '.vite/manifest.json')
  if (!existsSync(manifestPath)) throw new Error('Build the dashboard first: pnpm -r run build')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  const closure = (key, seen = new Set()) => {
    if (seen.has(key)) return seen
    seen.add(key)
    for (const next of manifest[key].imports ?? []) closure(next, seen)
    return seen
  }
  const files = (keys) =>
    [...keys].flatMap((key) => [manifest[key].file, ...(manifest[key].css ?? [])])
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry)
  const first = files(closure(entry))
  const view = (name) => {
    const key = Object.keys(manifest).find(
      (k) => manifest[k].isDynamicEntry && manifest[k].name === name,
    )
    if (!key)
      throw new Error(`No ${name} chunk in ${manifestPath}: is it still imported on its route?`)
    return gzipEach(
      files(closure(key))
        .filter((file) => !first.includes(file))
        .map((file) => join(dist, file)),
    )
  }
  return [
    {
      name: 'dashboard first load (JS + CSS)',
      ...gzipEach(first.map((file) => join(dist, file))),
      budget: 44 * 1024,
    },
    { name: 'dashboard insights chunk (uPlot)', ...view('Insights'), budget: 32 * 1024 },
    { name: 'dashboard settings chunk', ...view('Settings') },
  ]
}

export async function report() {
  const results = []
  for (const entry of entries) results.push({ ...entry, ...(await measure(entry.code)) })
  results.push(...widget())
  results.push(...dashboard())
  for (const result of results) {
    const base = results.find((other) => other.name === result.baseline)
    if (base) result.ratio = result.gzip / base.gzip
    if (result.budget) result.ok = result.gzip <= result.budget
  }
  return results
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await report()
  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify(
        results.map(({ code, ...rest }) => rest),
        null,
        2,
      ),
    )
  } else {
    const rows = results.map((r) => [
      r.name,
      kb(r.minified),
      kb(r.gzip),
      r.budget
        ? `${kb(r.budget)} (${Math.round((r.gzip / r.budget) * 100)}%)${r.ok ? '' : ' OVER'}`
        : '',
      r.ratio ? `${r.ratio.toFixed(2)}× ${r.baseline}` : '',
    ])
    rows.unshift(['entry', 'minified', 'gzip -9', 'budget', 'ratio'])
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
    for (const row of rows)
      console.log(
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
  }
  if (results.some((r) => r.ok === false)) process.exitCode = 1
}
