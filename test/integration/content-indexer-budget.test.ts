import { afterAll, describe, expect, it } from 'vitest';
import { compilePool } from '../../functions/src/adapters/compile/compile-pool.ts';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import type { ContentDeps } from '../../functions/src/handlers/content-events.ts';
import { createContentIndexer } from '../../functions/src/handlers/content-indexer.ts';
import { l1Runbook } from '../helpers/runbooks.ts';

/** A content bucket as the indexer reads it: current objects only. */
function bucketSource(files: Map<string, string>): ContentDeps['source'] {
  const encode = (text: string | undefined) => (text === undefined ? undefined : new TextEncoder().encode(text));
  return {
    location: 'memory://kb-content',
    list: async () => [...files.keys()].filter((p) => p.endsWith('.md')).sort(),
    read: async (path) => encode(files.get(path)) ?? new Uint8Array(),
    readOptional: async (path) => encode(files.get(path)),
    pathOf: (key) => key,
    previousVersion: async () => undefined,
  };
}

const s3Event = (...keys: string[]) => ({
  Records: keys.map((key) => ({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'kb-content' }, object: { key } } })),
});

const pool = compilePool({ threads: 1, budget: { timeoutMs: 1_000, maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 32 } });
afterAll(() => pool.close());

describe('the content indexer compiles under the same budget', () => {
  it('skips a file the parser would take minutes over and indexes the rest of the event', async () => {
    // Prepare: nested images the pre-scan refuses, and a good runbook changed in the same event.
    const files = new Map([
      ['l1/hostile.md', l1Runbook('hostile', { body: `## Symptoms\n\n${'!['.repeat(4_000)}x${'](u)'.repeat(4_000)}\n` })],
      ['l1/good.md', l1Runbook('good')],
    ]);
    const index = new EmbeddedRunbookIndex();
    const deps: ContentDeps = {
      source: bucketSource(files),
      index,
      compile: pool,
      sync: async (runbooks) => ({ mode: 'incremental', ...(await index.upsert(runbooks)), removed: 0, swapped: false }),
    };
    const handler = createContentIndexer(() => deps);

    // Act
    const started = performance.now();
    const { results } = await handler(s3Event('l1/hostile.md', 'l1/good.md') as never);
    const sync = await handler({ kb: 'sync' });

    // Assess
    expect(results).toEqual([
      expect.objectContaining({ path: 'l1/hostile.md', result: 'skipped', messages: [expect.stringMatching(/input-limits/)] }),
      expect.objectContaining({ path: 'l1/good.md', result: 'indexed', id: 'good' }),
    ]);
    expect(sync.results[0]).toMatchObject({ kind: 'sync', skipped: ['l1/hostile.md'] });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await index.get(['good', 'hostile'])).map((r) => r.id)).toEqual(['good']);
  });
});
