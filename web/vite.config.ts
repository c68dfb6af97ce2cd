import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The help-desk web app. `npm run build` writes web/dist, which `kb serve` serves at `/` and
 * CloudFront serves on AWS. `npm run dev:web` serves the sources with the API proxied to a
 * running `kb serve --port 3000`.
 *
 * JSX is compiled by Vite's own transformer (automatic runtime, Preact) rather than
 * @preact/preset-vite: the preset pulls in Babel and adds only hot-reload niceties.
 */
const API_PATHS = ['/search', '/suggest', '/runbooks', '/tickets', '/health', '/openapi.json'];
const apiTarget = process.env.KB_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: Object.fromEntries(API_PATHS.map((path) => [path, { target: apiTarget, changeOrigin: true }])),
  },
});
