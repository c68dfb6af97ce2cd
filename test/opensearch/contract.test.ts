import { afterAll } from 'vitest';
import type { OpenSearchRunbookIndex } from '../../functions/src/adapters/opensearch/opensearch-runbook-index.ts';
import { runbookIndexContract } from '../contract/runbook-index.contract.ts';
import { dropTestIndices, testIndex } from './helpers.ts';

afterAll(() => dropTestIndices('contract-'));

// Near-real-time: a write is searchable after a refresh (by itself within a second).
runbookIndexContract(
  'OpenSearchRunbookIndex',
  async () => testIndex('contract'),
  (index) => (index as OpenSearchRunbookIndex).refresh(),
);
