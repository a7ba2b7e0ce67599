import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@redress/source'] },
  ssr: { resolve: { conditions: ['@redress/source'] } },
  test: {
    name: 'server',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/_test-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
