// `dist/redress.js`: the script-tag entry, one small IIFE with no imports.
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  // The workspace packages' sources, as the app chunk's build reads them, so
  // the launcher compiles the protocol's code it uses rather than a dist chunk.
  resolve: { conditions: ['@redress/source', 'module', 'browser', 'production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: 'src/embed/index.ts',
      formats: ['iife'],
      name: 'redressEmbed',
      fileName: () => 'redress.js',
    },
  },
})
