// The dashboard as a plain app build: `dist/index.html` and hashed assets,
// served by @redress/server under /admin/ with a strict CSP (no inline
// scripts or styles, so everything is in files).
import { defineConfig } from 'vite'

/**
 * File names the server serves: `/admin/assets/<name>` must match its
 * DASHBOARD_ASSET (`packages/server/src/static.ts`), letters, digits, `_`
 * and `-` then `-<hash>.<ext>`. Chunk names come from module names, which may
 * have dots (`uPlot.esm`), so anything else becomes `_`.
 */
const safe = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_')

/** The Settings view's message tables share their file names with the main ones; tell them apart. */
const chunkName = (chunk: { name: string; facadeModuleId: string | null }) =>
  chunk.facadeModuleId?.includes('/src/i18n/settings/') ? `settings-${chunk.name}` : chunk.name

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
    // dist/.vite/manifest.json: what the first load needs, for scripts/size.mjs.
    manifest: true,
    rolldownOptions: {
      output: {
        entryFileNames: (chunk) => `assets/${safe(chunk.name)}-[hash].js`,
        chunkFileNames: (chunk) => `assets/${safe(chunkName(chunk))}-[hash].js`,
        assetFileNames: (asset) =>
          `assets/${safe((asset.names[0] ?? 'asset').replace(/\.[^.]*$/, ''))}-[hash][extname]`,
      },
    },
  },
})
