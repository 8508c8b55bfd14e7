// Svelte options for the renderer (src/renderer). electron.vite.config.ts points the Svelte plugin
// here explicitly, because the renderer's root is not the repository root.
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
  },
};
