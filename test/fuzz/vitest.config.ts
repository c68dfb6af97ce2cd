import { defineConfig } from 'vitest/config';

// Schemathesis (Python) fuzzes the HTTP API from its own OpenAPI document. `.ci/run` installs it
// in a virtualenv and sets KB_SCHEMATHESIS to its `st`; without it the suite is skipped, loudly.
const st = process.env.KB_SCHEMATHESIS;
if (!st) {
  process.stderr.write(
    '\nKB_SCHEMATHESIS is not set: skipping the API fuzzing suite.\n' +
      'Install it with `python3 -m pip install schemathesis` and run\n' +
      '  KB_SCHEMATHESIS=$(command -v st) npm run test:fuzz\n\n',
  );
}

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: st ? ['test/fuzz/**/*.test.ts'] : [],
    passWithNoTests: true,
    testTimeout: 480_000,
    hookTimeout: 120_000,
  },
});
