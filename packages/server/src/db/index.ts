/**
 * @module Opening the database: PGlite in a data folder by default, or a
 * PostgreSQL server (with a connection pool) when a `postgres://` URL is given.
 */
import { mkdir, open, rm, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { pgliteDialect } from './_pglite-dialect'
import { migrate } from './migrations'
import type { Tables } from './schema'

/**
 * Where `openDatabase` keeps the data: an embedded PGlite folder (the
 * default), or a PostgreSQL server when `url` is given.
 *
 * @example
 * const options: DatabaseOptions = process.env.DATABASE_URL
 *   ? { url: process.env.DATABASE_URL, poolSize: 20 }
 *   : { dataDir: './redress-data' }
 * const database = await openDatabase(options)
 */
export interface DatabaseOptions {
  /**
   * A PostgreSQL connection string (`postgres://user@host:5432/db`). When
   * absent, an embedded PGlite database in `dataDir` is used.
   */
  url?: string | undefined
  /**
   * The PGlite data folder; created when missing. `"memory://"` keeps
   * everything in memory.
   * @default './.redress/data'
   */
  dataDir?: string | undefined
  /**
   * PostgreSQL only: the schema to use (created when missing). Tests give each
   * run its own.
   * @default the server's search_path (usually `public`)
   */
  schema?: string | undefined
  /** PostgreSQL only: the most connections the pool opens. @default 10 */
  poolSize?: number | undefined
}

/**
 * An open, migrated database (`openDatabase`): the Kysely instance to give
 * `createApp` and the workers, and `close` for shutdown.
 *
 * @example
 * const database = await openDatabase()
 * console.log(`${database.kind} at ${database.location}`)
 * const app = createApp({ db: database.db, secret: await loadSecret(database.db) })
 * // … on shutdown:
 * await database.close()
 */
export interface Database {
  /** The query builder over the server's tables. */
  db: Kysely<Tables>
  /** Which engine holds the data. */
  kind: 'pglite' | 'postgres'
  /** Where the data lives: the PGlite folder, or the URL without its password. */
  location: string
  /** Wait for running queries, then close the database or the pool. */
  close(): Promise<void>
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Open the database and apply pending migrations.
 *
 * @example
 * const { db, close } = await openDatabase({ url: process.env.DATABASE_URL })
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const database = options.url ? await openPostgres(options) : await openPGlite(options)
  try {
    await migrate(database.db)
  } catch (error) {
    await database.close()
    throw error
  }
  return database
}

/** The file in a PGlite folder that says which process has it open. */
export const LOCK_FILE = 'redress.lock'

/** Folders this process has open: a second PGlite on one folder would corrupt it. */
const openFolders = new Set<string>()

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** How long an empty (or unparsable) lock is taken as being written before it counts as left behind. */
const LOCK_EMPTY_GRACE_MS = 1000
/** A takeover guard older than this was left by a process that died while taking over. */
const TAKEOVER_STALE_MS = 5000
/** How long to keep trying while other processes start on the folder. */
const LOCK_TIMEOUT_MS = 10_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const code = (error: unknown) => (error as NodeJS.ErrnoException).code

/** The lock file's text and which file it is (inode and mtime), or `undefined` when there is none. */
async function readLock(path: string): Promise<{ text: string; file: string } | undefined> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined
    throw error
  }
  try {
    const stats = await handle.stat()
    return { text: await handle.readFile('utf8'), file: `${stats.ino}:${stats.mtimeMs}` }
  } finally {
    await handle.close()
  }
}

/**
 * Remove a lock judged stale, unless it changed meanwhile. Only the process
 * holding the guard (a folder: `mkdir` is atomic) removes a stale lock; and
 * while the lock exists nobody else can create one (`wx`). So if the lock is
 * still the very file that was judged, it is still stale when removed: a
 * process that just took the folder over is never removed by a second one
 * that judged the old lock a moment before.
 */
async function removeStale(path: string, judged: { text: string; file: string }): Promise<void> {
  const guard = `${path}.takeover`
  try {
    await mkdir(guard)
  } catch (error) {
    if (code(error) !== 'EEXIST') throw error
    // Another process is taking over: wait for it, unless it died doing so.
    const since = await stat(guard).then(
      (stats) => stats.mtimeMs,
      () => Date.now(),
    )
    if (Date.now() - since > TAKEOVER_STALE_MS) await rm(guard, { recursive: true, force: true })
    else await sleep(10 + Math.random() * 20)
    return
  }
  try {
    const now = await readLock(path)
    if (now && now.text === judged.text && now.file === judged.file) await rm(path, { force: true })
  } finally {
    await rm(guard, { recursive: true, force: true })
  }
}

/**
 * Take the folder for this process, or throw when another live process (or
 * this one) has it. PGlite is one process's database; a lock left by a
 * process that died (a crash, SIGKILL) is taken over, by one process only
 * however many start at once (see `removeStale`). An empty lock is one being
 * written: it is waited for, and taken over only once it has stayed empty for
 * `LOCK_EMPTY_GRACE_MS`.
 */
async function lockFolder(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE)
  const mine = `${process.pid}\n`
  const inUse = (pid: number) =>
    new Error(
      `The data folder ${dir} is in use by process ${pid}. Stop that server first, or run several ` +
        'servers on one PostgreSQL (DATABASE_URL).',
    )
  if (openFolders.has(dir)) throw inUse(process.pid)
  // Before the first await: a second opening in this process fails at once.
  openFolders.add(dir)
  try {
    const deadline = Date.now() + LOCK_TIMEOUT_MS
    let unreadableSince: number | undefined
    while (Date.now() < deadline) {
      try {
        await writeFile(path, mine, { flag: 'wx' })
        // Still ours once written (not judged empty and removed meanwhile)?
        if ((await readLock(path))?.text === mine) {
          return async () => {
            try {
              // Only our own: a lock that is not was taken over, and is its taker's.
              if ((await readLock(path))?.text === mine) await rm(path, { force: true })
            } finally {
              openFolders.delete(dir)
            }
          }
        }
        continue
      } catch (error) {
        if (code(error) !== 'EEXIST') throw error
      }
      const lock = await readLock(path)
      if (!lock) continue
      const match = /^\s*(\d{1,10})\s*$/.exec(lock.text)
      if (match) {
        const pid = Number(match[1])
        // Our own pid, yet not open here: a previous process that had it (a container restart).
        if (pid > 0 && pid !== process.pid && isRunning(pid)) throw inUse(pid)
      } else {
        unreadableSince ??= Date.now()
        if (Date.now() - unreadableSince < LOCK_EMPTY_GRACE_MS) {
          await sleep(50)
          continue
        }
      }
      await removeStale(path, lock)
    }
    throw new Error(`Could not take ${path}: other processes keep starting on this folder`)
  } catch (error) {
    openFolders.delete(dir)
    throw error
  }
}

async function openPGlite(options: DatabaseOptions): Promise<Database> {
  const dir = options.dataDir ?? './.redress/data'
  const memory = dir.startsWith('memory://')
  const location = memory ? dir : resolve(dir)
  let unlock = async () => {}
  if (!memory) {
    await mkdir(location, { recursive: true })
    unlock = await lockFolder(location)
  }
  try {
    const pglite = new PGlite(location)
    const db = new Kysely<Tables>({ dialect: pgliteDialect(pglite) })
    const close = async () => {
      try {
        await db.destroy()
      } finally {
        await unlock()
      }
    }
    return { db, kind: 'pglite', location, close }
  } catch (error) {
    await unlock()
    throw error
  }
}

async function openPostgres(options: DatabaseOptions): Promise<Database> {
  const url = options.url!
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const schema = options.schema
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name ${JSON.stringify(schema)}: use a-z, 0-9 and _`)
  }
  if (schema) {
    // Create it with a one-off connection, before the pool pins search_path to it.
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    } finally {
      await client.end()
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {})
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) })
  await sql`SELECT 1`.execute(db)
  const location = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
  return { db, kind: 'postgres', location, close: () => db.destroy() }
}
