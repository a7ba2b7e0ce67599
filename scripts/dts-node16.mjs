#!/usr/bin/env node
/**
 * @module Give the relative imports of emitted declaration files their real
 * file name: `node scripts/dts-node16.mjs packages/sdk/dist`.
 *
 * The sources import without extensions (`moduleResolution: Bundler`), and tsc
 * copies those specifiers into the `.d.ts` files as they are. A consumer whose
 * tsconfig says `moduleResolution: node16` or `nodenext` (any Node project in
 * ESM) cannot follow `./adapter` and silently loses the types behind it;
 * `./adapter.js` or `./adapters/index.js` work under every resolution. Each
 * package's `build` runs this after tsc; `scripts/pack-check` (attw, node16)
 * fails when one is missed.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'

const root = process.argv[2]
if (!root) {
  console.error('usage: node scripts/dts-node16.mjs <dist folder>')
  process.exit(2)
}

const isFile = (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false

function* declarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* declarations(path)
    else if (entry.name.endsWith('.d.ts')) yield path
  }
}

/** `./x` → `./x.js` or `./x/index.js`, whichever declaration exists; `undefined` when it needs nothing. */
function withExtension(file, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined
  if (/\.(?:m|c)?js$/.test(specifier)) return undefined
  const base = resolve(dirname(file), specifier)
  if (isFile(`${base}.d.ts`)) return `${specifier}.js`
  if (isFile(join(base, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`
  throw new Error(`${file}: no declaration for '${specifier}'`)
}

/** The module specifiers of imports, exports and `import('…')` types: never a comment's text. */
function specifiers(source) {
  const found = []
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier)
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

let files = 0
let rewritten = 0
for (const file of declarations(resolve(root))) {
  const text = readFileSync(file, 'utf8')
  const edits = []
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest)
  for (const literal of specifiers(source)) {
    const next = withExtension(file, literal.text)
    // getStart() is the opening quote: keep the quotes, replace what is between them.
    if (next !== undefined) {
      edits.push({ pos: literal.getStart(source) + 1, end: literal.end - 1, next })
    }
  }
  if (edits.length === 0) continue
  let out = text
  for (const { pos, end, next } of edits.sort((a, b) => b.pos - a.pos)) {
    out = out.slice(0, pos) + next + out.slice(end)
  }
  writeFileSync(file, out)
  files++
  rewritten += edits.length
}
console.log(
  `dts-node16: ${rewritten} relative imports given extensions in ${files} files under ${root}`,
)
