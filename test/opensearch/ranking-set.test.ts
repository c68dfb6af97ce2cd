import { afterAll, vi } from 'vitest';
import { dropTestIndices } from './helpers.ts';

// The ranking set (test/relevance/ranking-set.test.ts), unchanged, on OpenSearch: the engine it
// constructs is swapped for the OpenSearch adapter, so its corpus, queries and justified
// expectations stay in one place.
vi.mock('../../functions/src/adapters/embedded/embedded-runbook-index.ts', async () => ({
  EmbeddedRunbookIndex: (await import('./helpers.ts')).RefreshingOpenSearchIndex,
}));
await import('../relevance/ranking-set.test.ts');

afterAll(() => dropTestIndices('suite-'));
