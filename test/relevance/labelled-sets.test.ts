import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { evaluate } from '../../functions/src/cli/commands/eval.ts';
import type { LabelledQuery } from '../../functions/src/core/search/metrics.ts';
import { startEmbeddedSearch } from '../../functions/src/local/embedded-platform.ts';
import { CONTENT, SHARED } from '../helpers/runbooks.ts';

const read = (file: string): LabelledQuery[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/**
 * The figures of a labelled set over the starter library. `hybridOnly` skips the test for an index
 * given no model (words only): the everyday floors are for meaning, which such an index cannot find.
 */
async function starterLibraryReport(file: string, hybridOnly?: TestContext) {
  const platform = await startEmbeddedSearch(CONTENT);
  if (hybridOnly && !(platform.index as { modelId?: string }).modelId) hybridOnly.skip();
  const queries = read(new URL(file, import.meta.url).pathname);
  return (await evaluate(queries, (r) => platform.search.suggest(r), '')).report;
}

// Floors, not targets: they catch a ranking regression. The measured figures are printed by
// `kb eval` and `npm run bench`.
describe('relevance on labelled sets', () => {
  it('the starter library answers its tickets (typos, jargon) with the right runbook first', async () => {
    const report = await starterLibraryReport('./starter-queries.jsonl');
    expect(report.queries).toBeGreaterThanOrEqual(60);
    expect(report.mrr10).toBeGreaterThanOrEqual(0.95);
  });

  it('everyday tickets find their runbook by meaning far better than by words alone (0.77 against 0.38)', async (context) => {
    const report = await starterLibraryReport('./vague-tickets.jsonl', context);
    expect(report.queries).toBe(80);
    expect(report.mrr10).toBeGreaterThanOrEqual(0.75);
  });

  it('everyday tickets written apart from that set find theirs too (0.98 against 0.67 by words)', async (context) => {
    const report = await starterLibraryReport('./everyday-tickets.jsonl', context);
    expect(report.queries).toBe(40);
    expect(report.mrr10).toBeGreaterThanOrEqual(0.9);
  });

  const alerts = join(SHARED, 'eval/alerts');
  it.skipIf(!existsSync(alerts))(
    'the alert set beats plain BM25 (MRR@10 0.699)',
    async () => {
      const platform = await startEmbeddedSearch(join(alerts, 'corpus'));
      const { report } = await evaluate(read(join(alerts, 'queries.jsonl')), (r) => platform.search.suggest(r), 'corpus/');
      expect(report.mrr10).toBeGreaterThanOrEqual(0.8);
    },
    120_000,
  );
});
