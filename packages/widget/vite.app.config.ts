// `dist/redress-app.js` and its chunks: what the embed imports on intent.
// Library mode, so dynamic imports are left alone (an app build would wrap
// them in Vite's preload helper, which adds <link> tags to the host page and
// 1 KB); fully minified by Rolldown itself, since library mode keeps
// whitespace in ES output. The message tables become chunks of their own, so
// a page downloads one language only.
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The workspace packages' sources, so unused exports are shaken out as in an app build.
  resolve: { conditions: ['@redress/source', 'module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    // Read by scripts/size.mjs to sum what a customer downloads.
    manifest: true,
    lib: { entry: { 'redress-app': 'src/app/index.ts' }, formats: ['es'] },
    rolldownOptions: {
      // The photo chunks share Preact and the SDK's errors with the app: let the app
      // chunk export them, rather than split them into chunks of their own, which
      // would cost the form a request and their gzip overhead on every complaint.
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        // The JSX runtime's `/* @__PURE__ */` marks are for bundlers, and
        // nothing bundles this file again: 1.2 KB minified, 80 B gzipped.
        comments: { annotation: false },
        entryFileNames: '[name].js',
        chunkFileNames: 'redress-[name]-[hash].js',
      },
    },
  },
})
