/**
 * Vitest global setup: one freshly initialised PGlite data folder that each
 * test file copies (initdb takes seconds; a copy takes milliseconds), and a
 * current build of the CLI for the restart test.
 */
import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

const root = fileURLToPath(new URL('..', import.meta.url))

const newest = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory()
        ? newest(join(dir, entry.name))
        : /\.test\.ts$|^_test-/.test(entry.name)
          ? 0
          : statSync(join(dir, entry.name)).mtimeMs,
    ),
  )

/**
 * The template, kept between runs under node_modules/.cache (keyed by the
 * PGlite version): initdb is the slowest part of a run. Tests only copy it.
 */
async function pgliteTemplate(): Promise<string> {
  const version = JSON.parse(
    readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ).version as string
  const cached = join(root, `node_modules/.cache/redress-server/pglite-${version}`)
  if (existsSync(join(cached, 'PG_VERSION'))) return cached
  const fresh = mkdtempSync(join(tmpdir(), 'redress-pglite-template-'))
  const pglite = new PGlite(fresh)
  await pglite.waitReady
  await pglite.close()
  mkdirSync(dirname(cached), { recursive: true })
  try {
    // Copy, then rename: another run never sees half a template.
    const staging = `${cached}.${process.pid}`
    cpSync(fresh, staging, { recursive: true })
    renameSync(staging, cached)
  } catch {
    // Another run made it first, or the cache is read-only: use the fresh one.
    if (!existsSync(join(cached, 'PG_VERSION'))) return fresh
  }
  rmSync(fresh, { recursive: true, force: true })
  return cached
}

export default async function setup(project: TestProject) {
  project.provide('pgliteTemplate', await pgliteTemplate())

  const cli = join(root, 'dist/cli.js')
  const protocolDist = join(root, '../protocol/dist/index.js')
  if (
    !existsSync(protocolDist) ||
    !existsSync(cli) ||
    statSync(cli).mtimeMs < newest(join(root, 'src'))
  ) {
    execFileSync('pnpm', ['--filter', '@redress/server...', 'run', 'build'], {
      cwd: root,
      stdio: 'ignore',
    })
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
  }
}
