// The dashboard as a plain app build: `dist/index.html` and hashed assets,
// served by @redress/server under /admin/ with a strict CSP (no inline
// scripts or styles, so everything is in files).
import { defineConfig } from 'vite'

export default defineConfig({
  base: '/admin/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { conditions: ['@redress/source', 'module', 'browser', 'production'] },
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    // Never inline assets as data: URLs or <style>: the CSP allows files only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
})
