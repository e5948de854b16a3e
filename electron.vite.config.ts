import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Bundled, not required from node_modules: resolving and loading Fastify's ~100 files and
      // zod's one by one was 70–110 ms of every cold start here. better-sqlite3 (native), ngrok (native,
      // loaded only for a tunnel) and ulid stay external. Only `dependencies` are externalised, and
      // fastify and zod are devDependencies; the exclude keeps them bundled should they move back.
      externalizeDeps: { exclude: ['fastify', 'zod'] },
      rollupOptions: {
        // The one dynamic import (the ngrok SDK, loaded for a tunnel only) becomes a lazy
        // require, which the CLI's compile cache (bin/compile-cache.js) can run.
        output: { dynamicImportInCjs: false },
        input: {
          // The desktop app's main process.
          index: resolve(__dirname, 'src/main/index.ts'),
          // `hooklens` on the command line: plain Node, never loads electron.
          cli: resolve(__dirname, 'src/main/cli-main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // The window is sandboxed: its preload can require only `electron` (and a few polyfills),
      // so zod & co. are bundled in, never left as `require("zod")` (which would fail at load).
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      // electron-vite leaves bundles unminified; the renderer is also served to browsers.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
