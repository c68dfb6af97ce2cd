import { afterAll } from 'vitest';
import { OpenSearchResolutionIndex } from '../../functions/src/adapters/opensearch/opensearch-resolution-index.ts';
import { resolutionIndexContract } from '../contract/resolution-index.contract.ts';
import { cluster, dropTestIndices, testAlias } from './helpers.ts';

afterAll(() => dropTestIndices('resolution-contract-'));

// Near-real-time: a write is searchable after a refresh (by itself within a second).
resolutionIndexContract(
  'OpenSearchResolutionIndex',
  async () => new OpenSearchResolutionIndex(cluster(), { alias: testAlias('resolution-contract') }),
  {
    settle: (index) => (index as OpenSearchResolutionIndex).refresh(),
    meaning: {
      unsupported:
        'OpenSearchResolutionIndex has no vector field (RESOLUTION_MAPPINGS has no knn_vector) and similar() ignores plan.vector: past tickets are matched by words only',
    },
  },
);
