import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../functions/src/cli/commands/eval.ts';
import type { LabelledQuery } from '../../functions/src/core/search/metrics.ts';
import { startEmbeddedSearch } from '../../functions/src/local/embedded-platform.ts';
import { CONTENT, SHARED } from '../helpers/runbooks.ts';

const read = (file: string): LabelledQuery[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

// Floors, not targets: they catch a ranking regression. The measured figures are printed by
// `kb eval` and `npm run bench`.
describe('relevance on labelled sets', () => {
  it('the starter library answers its tickets (typos, jargon) with the right runbook first', async () => {
    const platform = await startEmbeddedSearch(CONTENT);
    const queries = read(new URL('./starter-queries.jsonl', import.meta.url).pathname);
    const { report } = await evaluate(queries, (r) => platform.search.suggest(r), '');
    expect(report.queries).toBeGreaterThanOrEqual(60);
    expect(report.mrr10).toBeGreaterThanOrEqual(0.95);
  });

  it('everyday tickets find their runbook by meaning far better than by words alone (0.77 against 0.38)', async (context) => {
    const platform = await startEmbeddedSearch(CONTENT);
    // The floor is for hybrid retrieval: an index given no model (words only) has no vectors to find meaning with.
    if (!(platform.index as { modelId?: string }).modelId) context.skip();
    const queries = read(new URL('./vague-tickets.jsonl', import.meta.url).pathname);
    const { report } = await evaluate(queries, (r) => platform.search.suggest(r), '');
    expect(report.queries).toBe(80);
    expect(report.mrr10).toBeGreaterThanOrEqual(0.75);
  });

  it('everyday tickets written apart from that set find theirs too (0.98 against 0.67 by words)', async (context) => {
    const platform = await startEmbeddedSearch(CONTENT);
    if (!(platform.index as { modelId?: string }).modelId) context.skip();
    const queries = read(new URL('./everyday-tickets.jsonl', import.meta.url).pathname);
    const { report } = await evaluate(queries, (r) => platform.search.suggest(r), '');
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
