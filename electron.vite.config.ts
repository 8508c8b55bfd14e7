// Build of the desktop app: main (with the trainer process as a second entry), preload and the
// Svelte renderer. The engine, store and CLI also run from source under tsx with no build.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(root, 'src/main/electron/main.ts'),
          trainer: resolve(root, 'src/main/host/trainer-process.ts'),
          // long exports, drawn off the main process's thread (figures/worker-renderer.ts)
          'render-worker': resolve(root, 'src/main/figures/render-worker.ts'),
        },
        external: ['better-sqlite3', '@tensorflow/tfjs-node', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
      },
    },
  },
  preload: {
    // Sandboxed preloads must be CommonJS.
    build: { rollupOptions: { input: { index: resolve(root, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    build: { rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } } },
    plugins: [svelte({ configFile: resolve(root, 'svelte.config.js') })],
  },
});
