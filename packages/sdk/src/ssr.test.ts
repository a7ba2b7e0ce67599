// Server-side rendering: importing and creating the SDK must not need a DOM.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))

it('imports and runs in Node without window, document or localStorage', async () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
  const { createRedress, memoryAdapter } = await import('./index')
  const redress = createRedress({ site: 'pk_demo', adapter: memoryAdapter() })
  const { complaint, receipt } = redress.submit({
    category: 'other',
    severity: 'minor',
    description: 'SSR',
  })
  expect(complaint.page).toBeUndefined()
  await expect(receipt).resolves.toMatchObject({ status: 'received' })
  redress.destroy()
})

it('imports from the built package in plain Node', async () => {
  expect(existsSync(`${packageDir}/dist/index.js`), 'build the package first: pnpm -r build').toBe(
    true,
  )
  const script = `
    const { createRedress, memoryAdapter } = await import('@redress/sdk')
    await import('@redress/sdk/http')
    const redress = createRedress({ site: 'pk_demo', adapter: memoryAdapter() })
    const { receipt } = redress.submit({ category: 'other', severity: 'minor', description: 'SSR' })
    console.log((await receipt).status, typeof window)
    redress.destroy()`
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script],
    {
      cwd: packageDir,
    },
  )
  expect(stdout.trim()).toBe('received undefined')
})
