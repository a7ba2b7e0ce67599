import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { describeEachDatabase } from '../_test-harness'
import { openDatabase } from './'
import { MIGRATIONS, migrate } from './migrations'

describeEachDatabase('migrations', (database) => {
  it('apply once, are recorded, and run safely from two connections at once', async () => {
    const options = await database().create()
    const a = await openDatabase(options)
    try {
      const versions = await a.db
        .selectFrom('redress_migrations')
        .select('version')
        .orderBy('version')
        .execute()
      expect(versions.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((m) => m.version))
      // Nothing left to apply, even when asked twice at once.
      expect(await Promise.all([migrate(a.db), migrate(a.db)])).toEqual([[], []])

      if (database().name === 'PostgreSQL') {
        // Two pools (as two processes would be) migrating a new migration together.
        const b = await openDatabase(options)
        try {
          const extra = [
            ...MIGRATIONS,
            { version: 999, name: 'test', sql: 'CREATE TABLE migration_probe (id int)' },
          ]
          const applied = await Promise.all([migrate(a.db, extra), migrate(b.db, extra)])
          expect(applied.flat()).toEqual([999])
          const probe = await sql<{
            n: number
          }>`SELECT count(*)::int AS n FROM migration_probe`.execute(b.db)
          expect(probe.rows[0]!.n).toBe(0)
        } finally {
          await b.close()
        }
      }
    } finally {
      await a.close()
    }
  })

  it('roll back a migration that fails, leaving nothing half applied', async () => {
    const { db, close } = await openDatabase(await database().create())
    try {
      const broken = [
        ...MIGRATIONS,
        { version: 1000, name: 'half', sql: 'CREATE TABLE half_done (id int); SELECT nope;' },
      ]
      await expect(migrate(db, broken)).rejects.toThrow()
      const table = await sql<{
        name: string | null
      }>`SELECT to_regclass('half_done') AS name`.execute(db)
      expect(table.rows[0]!.name).toBeNull()
      const recorded = await db
        .selectFrom('redress_migrations')
        .select('version')
        .where('version', '=', 1000)
        .execute()
      expect(recorded).toEqual([])
    } finally {
      await close()
    }
  })
})
