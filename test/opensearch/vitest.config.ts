import { defineConfig } from 'vitest/config';

// The OpenSearch suites need a real server: `bash .ci/opensearch-start.sh` prints its URL, and
// `.ci/run` sets KB_OPENSEARCH_URL from it. Without one they are skipped, loudly, so `npm test`
// and a laptop without Java stay green.
const url = process.env.KB_OPENSEARCH_URL;
if (!url) {
  process.stderr.write(
    '\nKB_OPENSEARCH_URL is not set: skipping the OpenSearch suites.\n' +
      'Start a server with `bash .ci/opensearch-start.sh` and run\n' +
      '  KB_OPENSEARCH_URL=http://127.0.0.1:9200 npm run test:opensearch\n\n',
  );
}

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: url ? ['test/opensearch/**/*.test.ts'] : [],
    passWithNoTests: true,
    // One server with 512 MB of heap on a small machine: one file at a time keeps timings honest.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
