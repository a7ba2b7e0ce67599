/**
 * @module The root Vitest config: one project per package, each with its own
 * environment. Run with `vitest run --config vitest.workspace.ts`.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts'],
  },
})
