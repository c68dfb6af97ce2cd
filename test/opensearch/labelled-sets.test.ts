import { afterAll, vi } from 'vitest';
import { dropTestIndices } from './helpers.ts';

// The labelled-set floors (test/relevance/labelled-sets.test.ts: starter library MRR@10 ≥ 0.95,
// everyday (vague) tickets ≥ 0.75, everyday tickets written apart ≥ 0.9, alerts ≥ 0.8), unchanged,
// with OpenSearch behind SearchService instead of the embedded engine. Hybrid, as there: the suite
// hands the installed model to the index (RefreshingOpenSearchIndex), so runbooks get their
// vectors and the everyday floors, skipped for an index without them, run.
vi.mock('../../functions/src/adapters/embedded/embedded-runbook-index.ts', async () => ({
  EmbeddedRunbookIndex: (await import('./helpers.ts')).RefreshingOpenSearchIndex,
}));
await import('../relevance/labelled-sets.test.ts');

afterAll(() => dropTestIndices('suite-'));
