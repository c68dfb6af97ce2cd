import { existsSync } from 'node:fs';
import { build } from 'vite';

/**
 * Builds the web app once before the suite, so the tests always drive the current sources.
 * KB_E2E_SKIP_BUILD=1 reuses an existing web/dist (CI runs `npm run build` just before).
 */
export default async function setup(): Promise<void> {
  const root = new URL('../../', import.meta.url).pathname;
  if (process.env.KB_E2E_SKIP_BUILD === '1' && existsSync(`${root}web/dist/index.html`)) return;
  // As shipped: under vitest NODE_ENV is "test", which Vite builds like development (Preact's
  // debug paths kept: 72 KB of JavaScript where the release has 54).
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: `${root}web/vite.config.ts`, logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = env;
  }
}
