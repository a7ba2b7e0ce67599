import { defineConfig } from 'vite'

export default defineConfig({
  build: {
    lib: {
      entry: {
        index: 'src/index.ts',
        'schema/index': 'src/schema/index.ts',
        'admin/index': 'src/admin/index.ts',
      },
      formats: ['es'],
    },
    rollupOptions: { external: [/^valibot/] },
    minify: false,
    sourcemap: true,
    target: 'es2022',
  },
})
