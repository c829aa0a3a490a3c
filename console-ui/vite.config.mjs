// Builds the web console's front end into dist/console-ui, which the console server serves as static files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact()],
  build: {
    outDir: '../dist/console-ui',
    emptyOutDir: true,
  },
  // `npx vite --config console-ui/vite.config.mjs` during development: the API comes from a running console.
  server: {
    proxy: { '/api': 'http://localhost:9021' },
  },
});
