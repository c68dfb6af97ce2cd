import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleHandler } from '../../functions/src/bench/bundle-bench.ts';
import { BUNDLING, HANDLERS, type HandlerName } from '../../infra/constructs/bundling.ts';

/** The bundles CDK deploys, built the same way (bundling.ts), each within BUNDLING.maxBytes (1 MiB). */
const outDir = mkdtempSync(join(tmpdir(), 'kb-bundles-'));

describe('Lambda bundles', () => {
  for (const name of Object.keys(HANDLERS) as HandlerName[]) {
    it(`bundles ${name} as one minified ESM file with a source map, within the budget`, async () => {
      const file = await bundleHandler(name, outDir);
      const bytes = statSync(file).size;
      expect(statSync(`${file}.map`).size).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(BUNDLING.maxBytes);
    });
  }
});
