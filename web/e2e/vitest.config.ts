import { defineConfig } from 'vitest/config';

/**
 * The browser suite (`npm run test:e2e`): kept apart from `npm test` so the unit and integration
 * tests stay runnable on a machine without Chromium. global-setup builds web/dist first.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['web/e2e/**/*.e2e.ts'],
    globalSetup: ['web/e2e/global-setup.ts'],
    // Each file starts its own server and browser; one at a time keeps timings honest on small CI machines.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
