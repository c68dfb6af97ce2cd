import { afterAll, describe, expect, it, vi } from 'vitest';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import { ANALYSIS, SIMILARITY } from '../../functions/src/adapters/opensearch/index-design.ts';
import { OpenSearchResolutionIndex, RESOLUTION_MAPPINGS } from '../../functions/src/adapters/opensearch/opensearch-resolution-index.ts';
import type { Signal } from '../../functions/src/core/resolutions/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery, type QueryPlan } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';
import type { ResolutionIndex } from '../../functions/src/ports/resolution-index.ts';
import { contractSignals, resolutionIndexContract } from '../contract/resolution-index.contract.ts';
import { cluster, dropTestIndices, raw, testAlias } from './helpers.ts';

afterAll(() => dropTestIndices('resolution-contract-'));

// Near-real-time: a write is searchable after a refresh (by itself within a second).
const settle = (index: ResolutionIndex) => (index as OpenSearchResolutionIndex).refresh();

resolutionIndexContract(
  'OpenSearchResolutionIndex, words only',
  async () => new OpenSearchResolutionIndex(cluster(), { alias: testAlias('resolution-contract') }),
  { settle, meaning: { unsupported: 'created without an embedder, so it has no meaning vectors to compare' } },
);

// With the installed model, as the OpenSearch shape's API and resolution indexer run it: plans
// with a vector are answered by cosine over the signals' knn_vector field.
resolutionIndexContract(
  'OpenSearchResolutionIndex with the ONNX embedder',
  async () => new OpenSearchResolutionIndex(cluster(), { alias: testAlias('resolution-contract'), embedder: await sharedEmbedder() }),
  { settle, meaning: { embedder: sharedEmbedder } },
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

describe('an index made words only, then used with a model', () => {
  const paraphrase = 'mail program wants my credentials again and again';
  const plan = async (embedder: Embedder, text: string): Promise<QueryPlan> => {
    const [vector] = await embedder.embed([text]);
    return { ...planQuery({ text }, NO_SYNONYMS, searchOptions()), ...(vector ? { vector } : {}) };
  };

  it('takes the vector field on first use, so signals written again are found by meaning', async () => {
    // Prepare: the index as a words-only deployment made and filled it.
    const alias = testAlias('resolution-contract-words');
    const wordsOnly = new OpenSearchResolutionIndex(cluster(), { alias });
    await wordsOnly.upsert(contractSignals());
    const embedder = await sharedEmbedder();
    const withModel = new OpenSearchResolutionIndex(cluster(), { alias, embedder });
    // Act
    await withModel.upsert(contractSignals());
    await withModel.refresh();
    // Assess: the model is recorded and the outlook ticket found by what the paraphrase means.
    const { body } = await raw<Record<string, { mappings: { _meta: { model?: unknown }; properties: Record<string, unknown> } }>>(
      'GET',
      `/${alias}/_mapping`,
    );
    const { mappings } = Object.values(body)[0] as { mappings: { _meta: { model?: unknown }; properties: Record<string, unknown> } };
    expect(mappings._meta.model).toEqual({ id: embedder.modelId, dimension: embedder.dimension });
    expect(mappings.properties.vector).toEqual({ type: 'knn_vector', dimension: embedder.dimension });
    // Through a reader that never wrote, as the API asks: it learns of the vectors from the mapping.
    const reader = new OpenSearchResolutionIndex(cluster(), { alias, embedder });
    const [first] = await reader.similar(await plan(embedder, paraphrase), 5);
    expect(first?.signal.key).toBe('ticket:jira/HD-2');
  });

  it('leaves the index as it was when the model fails, so the indexer can retry the batch', async () => {
    // Prepare: a signal stored with its vector, then a model that fails (the fault injected).
    const alias = testAlias('resolution-contract-fault');
    const embedder = await sharedEmbedder();
    const [first, second] = contractSignals();
    await new OpenSearchResolutionIndex(cluster(), { alias, embedder }).upsert([first as Signal]);
    const failing: Embedder = {
      modelId: embedder.modelId,
      dimension: embedder.dimension,
      embed: () => Promise.reject(new Error('model gone')),
    };
    const index = new OpenSearchResolutionIndex(cluster(), { alias, embedder: failing });
    // Act + Assess: nothing written, the stored signal unchanged.
    await expect(index.upsert([{ ...(first as Signal), text: 'changed' }, second as Signal])).rejects.toThrow('model gone');
    await index.refresh();
    expect(await index.all()).toEqual([first]);
  });

  it('answers by words only when the index holds vectors of another model, and writes none', async () => {
    // Prepare: an index filled through a model of another name (what a model upgrade looks like).
    const alias = testAlias('resolution-contract-other');
    const embedder = await sharedEmbedder();
    const other: Embedder = { modelId: 'another-model', dimension: embedder.dimension, embed: (texts) => embedder.embed(texts) };
    await new OpenSearchResolutionIndex(cluster(), { alias, embedder: other }).upsert(contractSignals());
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const index = new OpenSearchResolutionIndex(cluster(), { alias, embedder });
    // Act
    await index.upsert(contractSignals());
    await index.refresh();
    // Assess: the paraphrase shares no words, so by words nothing is found; its own words still are.
    expect(await index.similar(await plan(embedder, paraphrase), 5)).toEqual([]);
    const [first] = await index.similar(await plan(embedder, 'Outlook keeps asking for my password'), 5);
    expect(first).toMatchObject({ signal: { key: 'ticket:jira/HD-2' }, coverage: 1 });
    expect(first?.similarity).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ alias, index: { id: 'another-model', dimension: embedder.dimension } }));
    warn.mockRestore();
  });
});
