import { isAbsolute } from 'node:path'
import { defineConfig } from 'vite'

export default defineConfig({
  build: {
    ssr: true,
    lib: {
      entry: { index: 'src/index.ts', cli: 'src/cli/cli.ts' },
      formats: ['es'],
    },
    rollupOptions: {
      // Node code: every package and builtin stays an import, resolved at run time.
      external: (id) => !id.startsWith('.') && !isAbsolute(id),
    },
    minify: false,
    sourcemap: true,
    target: 'node20',
  },
})
