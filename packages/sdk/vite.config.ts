import { defineConfig } from 'vite'

export default defineConfig({
  build: {
    lib: {
      entry: {
        index: 'src/index.ts',
        'http/index': 'src/http/index.ts',
        'photos/index': 'src/photos/index.ts',
        'testing/index': 'src/testing/index.ts',
      },
      formats: ['es'],
    },
    rollupOptions: { external: [/^@redress\//, /^valibot/, /^vitest/] },
    minify: false,
    sourcemap: true,
    target: 'es2022',
  },
})
