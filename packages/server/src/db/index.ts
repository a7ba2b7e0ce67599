/**
 * @module Opening the database: PGlite in a data folder by default, or a
 * PostgreSQL server (with a connection pool) when a `postgres://` URL is given.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { pgliteDialect } from './_pglite-dialect'
import { migrate } from './migrations'
import type { Tables } from './schema'

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

export interface Database {
  db: Kysely<Tables>
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

/**
 * Take the folder for this process, or throw when another live process (or
 * this one) has it. PGlite is one process's database; a lock left by a
 * process that died (a crash, SIGKILL) is taken over.
 */
async function lockFolder(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE)
  const inUse = (pid: number) =>
    new Error(
      `The data folder ${dir} is in use by process ${pid}. Stop that server first, or run several ` +
        'servers on one PostgreSQL (DATABASE_URL).',
    )
  if (openFolders.has(dir)) throw inUse(process.pid)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' })
      openFolders.add(dir)
      return async () => {
        openFolders.delete(dir)
        await rm(path, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid))
        throw inUse(pid)
      await rm(path, { force: true })
    }
  }
  throw new Error(`Could not take ${path}; another process is starting on this folder`)
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
