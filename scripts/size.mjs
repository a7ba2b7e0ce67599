#!/usr/bin/env node
/**
 * Bundle size report and budgets. Each entry is bundled from source the way
 * a host app would bundle it (tree-shaken, minified by Vite), then gzipped at
 * level 9; the widget and the dashboard are measured as built, from their
 * Vite manifests. Prints a table with each size as a share of its budget, and for
 * the HTTP adapter a ratio against ky alone, bundled in the same run.
 *
 *   node scripts/size.mjs          report, exit 1 if a budget is exceeded; then
 *                                  the widget flow's bytes per source module
 *   node scripts/size.mjs --json   the same as JSON (the modules under the flow's row)
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
 * The widget as built (`pnpm -r build`): the eager script alone, and what a
 * customer fetches for the whole flow (opening the form, sending, the remedy,
 * the follow-up): the eager script, the app chunk and what it imports, and
 * the larger of the two message tables (a page loads one), each file gzipped
 * on its own as a server sends them.
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
  const perLocale = locales.map((key) => {
    const own = files(closure(key)).filter((file) => !appFiles.includes(file))
    return { key, files: own, ...gzipEach(own) }
  })
  const largest = perLocale.reduce((a, b) => (a.gzip >= b.gzip ? a : b))
  const eager = join(dist, 'redress.js')
  const flow = [eager, ...appFiles, ...largest.files]
  const locale = largest.key.replace(/.*\//, '').replace('.ts', '')
  // Shared with the browser test that sums what Chromium fetched (packages/widget/e2e/page-view.spec.ts).
  const budgets = JSON.parse(readFileSync(join(root, 'packages/widget/budgets.json'), 'utf8'))
  // Loaded only when the customer presses "Add a photo" (the picker) or sends
  // a complaint with photos (their outbox): outside the flow, each on its own.
  const lazy = (source, name, budget) => {
    const key = Object.keys(manifest).find((k) => k.endsWith(source))
    if (!key) throw new Error(`No ${source} chunk in ${manifestPath}: is it still imported?`)
    const own = files(closure(key)).filter((file) => !appFiles.includes(file))
    return { name, ...gzipEach(own), ...(budget ? { budget } : {}) }
  }
  return [
    { name: 'widget eager (redress.js)', ...gzip([eager]), budget: budgets.eager },
    {
      name: `widget flow (eager + app + ${locale} messages)`,
      ...gzipEach(flow),
      // Everything a customer fetches to complain, be answered and follow up.
      budget: budgets.flow,
      modules: modules(flow),
    },
    lazy('src/picker/index.ts', 'widget photo picker chunk (on "Add a photo")', budgets.photos),
    lazy('src/app/_photos.ts', 'widget photo uploads chunk (IndexedDB outbox)', budgets.photos),
  ]
}

/**
 * What each source module adds to `files`, read from their source maps: the
 * minified characters mapped to it, counted in UTF-8 bytes, and what gzip -9
 * of its file would lose without them. The gzip figures do not add up to the
 * file's: what repeats across modules compresses once.
 */
export function modules(files) {
  const found = new Map()
  for (const file of files) {
    const code = readFileSync(file, 'utf8')
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'))
    const spans = mappedSpans(code, map).map((span) => ({
      ...span,
      name: span.source
        ? moduleName(join(dirname(file), map.sourceRoot ?? '', span.source))
        : '(no source)',
    }))
    const whole = gzipSync(code, { level: 9 }).length
    for (const name of new Set(spans.map((span) => span.name))) {
      const own = spans.filter((span) => span.name === name)
      const rest = spans
        .filter((span) => span.name !== name)
        .map((span) => span.text)
        .join('')
      const entry = found.get(name) ?? { name, minified: 0, gzip: 0 }
      entry.minified += own.reduce((sum, span) => sum + Buffer.byteLength(span.text), 0)
      entry.gzip += whole - gzipSync(rest, { level: 9 }).length
      found.set(name, entry)
    }
  }
  return [...found.values()].sort((a, b) => b.minified - a.minified)
}

/** A source's path as a reader knows it: the package (and subpath) for a dependency, else from the repository root. */
const moduleName = (path) => {
  if (!path.includes('node_modules')) return path.slice(root.length + 1)
  const [, name, rest] = path.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/)
  const sub = rest.match(/^([^/]+)\/dist\//)
  return sub && sub[1] !== 'dist' ? `${name}/${sub[1]}` : name
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * Cut `code` into spans, one per source-map segment, each running to the
 * next segment; a segment without a source has `source` undefined. Columns
 * count UTF-16 units, as strings do.
 */
function mappedSpans(code, map) {
  const spans = []
  const lines = code.split('\n')
  const mappings = map.mappings.split(';')
  let source = 0
  lines.forEach((line, index) => {
    const segments = []
    let column = 0
    for (const segment of mappings[index]?.split(',') ?? []) {
      if (!segment) continue
      const values = vlq(segment)
      column += values[0]
      if (values.length > 1) source += values[1]
      segments.push({ column, source: values.length > 1 ? map.sources[source] : undefined })
    }
    // A line that starts unmapped continues the last token of the one before
    // (a template literal's lines), unless it is the source map's own comment.
    if (!segments.length || segments[0].column > 0)
      segments.unshift({
        column: 0,
        source: line.startsWith('//# sourceMappingURL=') ? undefined : spans.at(-1)?.source,
      })
    segments.forEach((segment, i) => {
      const end = segments[i + 1]?.column ?? line.length
      spans.push({ source: segment.source, text: line.slice(segment.column, end) })
    })
    // The line break belongs with the line's last span.
    if (index < lines.length - 1) spans.at(-1).text += '\n'
  })
  return spans
}

/** One segment's fields, decoded from base64 VLQ. */
function vlq(segment) {
  const values = []
  let value = 0
  let shift = 0
  for (const char of segment) {
    const digit = BASE64.indexOf(char)
    value += (digit & 31) << shift
    shift += 5
    if (digit & 32) continue
    values.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return values
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
 * CSS), plus the larger of its message tables (one chunk per locale, which
 * the entry fetches before it renders: a user downloads one); then each view
 * imported on its route, counting only the files the first load has not
 * already brought, plus the larger of the view's own tables if it has any.
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
  const paths = (names) => names.map((file) => join(dist, file))
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry)
  const first = files(closure(entry))
  /** The files of `key` not in `brought`, with its largest message table (a `src/i18n/` module it imports dynamically). */
  const withMessages = (key, brought) => {
    const own = files(closure(key)).filter((file) => !brought.includes(file))
    const tables = (manifest[key].dynamicImports ?? [])
      .filter((next) => next.startsWith('src/i18n/'))
      .map((table) => {
        const extra = files(closure(table)).filter(
          (file) => !brought.includes(file) && !own.includes(file),
        )
        return { table, extra, ...gzipEach(paths(extra)) }
      })
    if (!tables.length) return { files: own, locale: null }
    const largest = tables.reduce((a, b) => (a.gzip >= b.gzip ? a : b))
    const locale = largest.table.replace(/.*\//, '').replace('.ts', '')
    return { files: [...own, ...largest.extra], locale }
  }
  const view = (name) => {
    const key = Object.keys(manifest).find(
      (k) => manifest[k].isDynamicEntry && manifest[k].name === name,
    )
    if (!key)
      throw new Error(`No ${name} chunk in ${manifestPath}: is it still imported on its route?`)
    return withMessages(key, first)
  }
  const firstLoad = withMessages(entry, [])
  const settings = view('Settings')
  return [
    {
      name: `dashboard first load (JS + CSS${firstLoad.locale ? ` + ${firstLoad.locale} messages` : ''})`,
      ...gzipEach(paths(firstLoad.files)),
      budget: 44 * 1024,
    },
    {
      name: 'dashboard insights chunk (uPlot)',
      ...gzipEach(paths(view('Insights').files)),
      budget: 32 * 1024,
    },
    {
      name: `dashboard settings chunk${settings.locale ? ` (+ ${settings.locale} messages)` : ''}`,
      ...gzipEach(paths(settings.files)),
    },
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

const table = (head, rows) => {
  const all = [head, ...rows]
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i].length)))
  for (const row of all)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
}

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
    table(
      ['entry', 'minified', 'gzip -9', 'budget', 'ratio'],
      results.map((r) => [
        r.name,
        kb(r.minified),
        kb(r.gzip),
        r.budget
          ? `${kb(r.budget)} (${Math.round((r.gzip / r.budget) * 100)}%)${r.ok ? '' : ' OVER'}`
          : '',
        r.ratio ? `${r.ratio.toFixed(2)}× ${r.baseline}` : '',
      ]),
    )
    const flow = results.find((r) => r.modules)
    const total = flow.modules.reduce((sum, m) => sum + m.minified, 0)
    console.log(`\n${flow.name}, per source module (from the source maps):`)
    table(
      ['module', 'minified', 'share', 'gzip -9 saved without it'],
      flow.modules.map((m) => [
        m.name,
        `${m.minified} B`,
        `${((m.minified / total) * 100).toFixed(1)}%`,
        `${m.gzip} B`,
      ]),
    )
  }
  if (results.some((r) => r.ok === false)) process.exitCode = 1
}
