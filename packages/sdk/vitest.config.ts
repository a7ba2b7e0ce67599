import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@redress/source'] },
  ssr: { resolve: { conditions: ['@redress/source'] } },
  test: {
    name: 'sdk',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
