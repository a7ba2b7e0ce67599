import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@redress/source'] },
  ssr: { resolve: { conditions: ['@redress/source'] } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'dashboard',
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
})
