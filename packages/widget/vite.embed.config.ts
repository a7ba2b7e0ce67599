// `dist/redress.js`: the script-tag entry, one small IIFE with no imports.
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
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
