import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleHandler } from '../../functions/src/bench/bundle-bench.ts';
import { BUNDLING, HANDLERS, type HandlerName } from '../../infra/constructs/bundling.ts';

/**
 * The bundles CDK deploys, built the same way (bundling.ts). The target is BUNDLING.maxBytes
 * (1 MiB); the API and content indexer are over it today (zod's 40 locales and the OpenSearch
 * client, see infra/README.md), so this guards against growth with a 1.75 MiB ceiling and checks
 * that what must stay out of a bundle does.
 */
const CEILING = 1.75 * 1024 * 1024;
const outDir = mkdtempSync(join(tmpdir(), 'kb-bundles-'));

describe('Lambda bundles', () => {
  for (const name of Object.keys(HANDLERS) as HandlerName[]) {
    it(`bundles ${name} as one minified ESM file with a source map, within the ceiling`, async () => {
      const file = await bundleHandler(name, outDir);
      const bytes = statSync(file).size;
      expect(statSync(`${file}.map`).size).toBeGreaterThan(0);
      expect(bytes).toBeLessThan(CEILING);
      if (name === 'resolutionIndexer') expect(bytes).toBeLessThanOrEqual(BUNDLING.maxBytes);
    });
  }
});
