import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import { evaluate } from '../../functions/src/cli/commands/eval.ts';
import { startEmbeddedSearch } from '../../functions/src/local/embedded-platform.ts';
import { startOpenSearchSearch } from '../../functions/src/local/opensearch-platform.ts';
import { CONTENT, SHARED } from '../helpers/runbooks.ts';
import { dropTestIndices, OPENSEARCH_URL, testAlias } from './helpers.ts';
import { denseParity, parity, readQueries, rememberingEmbedder } from './parity.ts';

/**
 * The same labelled tickets through SearchService.suggest on both engines, hybrid against hybrid
 * (words and meaning, the installed model on both). Floors from the issue: the first suggestion
 * agrees on ≥ 90% of tickets and the first five overlap by ≥ 0.8. Figures and the tickets whose
 * first suggestion differs are printed for the report.
 */
const SETS = [
  {
    name: 'starter library',
    content: CONTENT,
    queries: new URL('../relevance/starter-queries.jsonl', import.meta.url).pathname,
    prefix: '',
  },
  { name: 'alerts', content: join(SHARED, 'eval/alerts/corpus'), queries: join(SHARED, 'eval/alerts/queries.jsonl'), prefix: 'corpus/' },
];

afterAll(() => dropTestIndices('parity-'));

describe('parity between the embedded engine and OpenSearch', () => {
  for (const set of SETS) {
    it.skipIf(!existsSync(set.queries))(
      `${set.name}: top-1 agreement ≥ 0.9, top-5 overlap ≥ 0.8`,
      async () => {
        const queries = readQueries(set.queries);
        // One model for both, remembering vectors: both engines compare the very same vectors.
        const embedder = rememberingEmbedder(await sharedEmbedder());
        const embedded = await startEmbeddedSearch(set.content, { embedder });
        const opensearch = await startOpenSearchSearch(
          set.content,
          { node: OPENSEARCH_URL, auth: 'none' },
          { index: { alias: testAlias('parity') }, embedder },
        );
        expect(opensearch.index.modelId).toBe(embedder.modelId);
        const report = await parity(
          queries,
          (r) => embedded.search.suggest(r),
          (r) => opensearch.search.suggest(r),
        );
        const dense = await denseParity(queries, embedder, embedded.index, opensearch.index);
        const mrr = async (suggest: typeof embedded.search) => (await evaluate(queries, (r) => suggest.suggest(r), set.prefix)).report;
        const [e, o] = [await mrr(embedded.search), await mrr(opensearch.search)];
        process.stdout.write(
          `\nparity ${set.name} (hybrid, ${embedder.modelId}): ${report.queries} tickets, top-1 agreement ${report.top1}, top-5 overlap ${report.top5}\n` +
            `  MRR@10 embedded ${e.mrr10} (R@1 ${e.r1}), OpenSearch ${o.mrr10} (R@1 ${o.r1})\n` +
            `  by meaning alone (${dense.plans} plans): same nearest runbooks in the same order on a share of ${dense.sameOrder}, ` +
            `similarities within ${dense.maxDifference.toExponential(1)}\n` +
            report.differences.map((d) => `  differs ${d.id}: embedded ${d.a ?? '-'} | OpenSearch ${d.b ?? '-'}\n`).join(''),
        );
        expect(report.top1).toBeGreaterThanOrEqual(0.9);
        expect(report.top5).toBeGreaterThanOrEqual(0.8);
        // The same vectors scored by the same formula: only float rounding may differ.
        expect(dense.maxDifference).toBeLessThan(1e-4);
        expect(dense.sameOrder).toBeGreaterThanOrEqual(0.9);
      },
      300_000,
    );
  }
});
