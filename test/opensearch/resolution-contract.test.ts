import { afterAll, describe, expect, it } from 'vitest';
import { ANALYSIS, SIMILARITY } from '../../functions/src/adapters/opensearch/index-design.ts';
import { OpenSearchResolutionIndex, RESOLUTION_MAPPINGS } from '../../functions/src/adapters/opensearch/opensearch-resolution-index.ts';
import type { Signal } from '../../functions/src/core/resolutions/model.ts';
import { contractSignals, resolutionIndexContract } from '../contract/resolution-index.contract.ts';
import { cluster, dropTestIndices, raw, testAlias } from './helpers.ts';

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

describe('an index made before the gap fields existed', () => {
  it('takes them on first use, so new signals are stored and listed instead of refused by the strict mapping', async () => {
    const alias = testAlias('resolution-contract-old');
    const { at: _at, noted: _noted, ...oldFields } = RESOLUTION_MAPPINGS.properties;
    const created = await raw('PUT', `/${alias}-old`, {
      settings: { index: { number_of_shards: 1, number_of_replicas: 0, analysis: ANALYSIS, similarity: SIMILARITY } },
      mappings: { ...RESOLUTION_MAPPINGS, properties: oldFields },
      aliases: { [alias]: {} },
    });
    expect(created.status).toBe(200);
    const index = new OpenSearchResolutionIndex(cluster(), { alias });
    const [signal] = contractSignals().filter((s) => s.key === 'ticket:jira/HD-4');
    await index.upsert([signal as Signal]);
    await index.refresh();
    expect((await index.gapSignals(10)).uncovered).toEqual([signal]);
  });
});
