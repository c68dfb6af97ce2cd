import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import { type OpenSearchIndexOptions, OpenSearchRunbookIndex } from '../../functions/src/adapters/opensearch/opensearch-runbook-index.ts';
import { syncIndex } from '../../functions/src/adapters/opensearch/sync.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import type { CompiledRunbook } from '../../functions/src/core/runbook/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery, type SearchFilters } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';
import { CONTENT } from '../helpers/runbooks.ts';
import { cluster, dropTestIndices, raw, testAlias, testIndex } from './helpers.ts';
import { rememberingEmbedder } from './parity.ts';

/**
 * Meaning vectors in the OpenSearch index (the k-NN plugin's knn_vector fields), with the installed
 * model: the same nearest runbooks as the embedded engine, the model recorded in the index, and an
 * index of another model (or of none) rebuilt rather than compared.
 */
let embedder: Embedder;
let runbooks: CompiledRunbook[];
let embedded: EmbeddedRunbookIndex;

beforeAll(async () => {
  // Remembering: both engines hold the very same vectors, and the model runs once per text.
  embedder = rememberingEmbedder(await sharedEmbedder());
  runbooks = (await loadLibrary(new FsContentSource(CONTENT))).runbooks;
  embedded = new EmbeddedRunbookIndex({ embedder });
  await embedded.upsert(runbooks);
}, 180_000);

afterAll(() => dropTestIndices('vectors-'));

/** An index on the test server, with a model (`testIndex` takes index options only). */
const vectorIndex = (embedder: Embedder, options: Partial<OpenSearchIndexOptions> = {}) =>
  new OpenSearchRunbookIndex(cluster(), { alias: testAlias('vectors'), ...options, embedder });

/** The same model under another name: what a model upgrade looks like to the index. */
const renamed = (inner: Embedder, modelId: string): Embedder => ({ modelId, dimension: inner.dimension, embed: (t) => inner.embed(t) });

async function plan(text: string, filters: SearchFilters = {}) {
  const [vector] = await embedder.embed([text]);
  return { ...planQuery({ text, filters }, NO_SYNONYMS, searchOptions()), ...(vector ? { vector } : {}) };
}

describe('OpenSearch with meaning vectors', () => {
  it('records the model, keeps vectors out of _source and finds the embedded engine’s nearest runbooks, after filters', async () => {
    const index = vectorIndex(embedder);
    await index.upsert(runbooks);
    await index.refresh();
    expect(index.modelId).toBe(embedder.modelId);

    const alias = index.options.alias;
    type Mappings = {
      _meta: { model?: unknown };
      _source: { excludes: string[] };
      properties: Record<string, { type: string; dimension?: number }>;
    };
    const { body: mapping } = await raw<Record<string, { mappings: Mappings }>>('GET', `/${alias}/_mapping`);
    const { mappings } = Object.values(mapping)[0] as { mappings: Mappings };
    expect(mappings._meta.model).toEqual({ id: embedder.modelId, dimension: embedder.dimension });
    expect(mappings.properties.vector).toEqual({ type: 'knn_vector', dimension: embedder.dimension });
    expect(mappings.properties.phrases?.type).toBe('nested');
    expect(mappings._source.excludes).toEqual(expect.arrayContaining(['vector', 'phrases']));
    const { body: doc } = await raw<{ _source: Record<string, unknown> }>('GET', `/${alias}/_doc/${runbooks[0]?.id}`);
    expect(doc._source).not.toHaveProperty('vector');

    const cases: [string, SearchFilters][] = [
      ['my laptop will not connect to the office wifi', {}],
      ['cannot print to the printer on floor 3', { tiers: ['l1'] }],
      ['locked out of my account after too many tries', { categories: ['accounts'] }],
      ['outlook keeps asking for my password', { audience: 'l1' }],
      ['vpn drops every few minutes', { tiers: ['l2', 'l3'], states: ['validated'] }],
    ];
    for (const [text, filters] of cases) {
      const p = await plan(text, filters);
      const [a, b] = await Promise.all([embedded.search(p), index.search(p)]);
      expect(b.dense?.length, text).toBeGreaterThan(0);
      expect(
        b.dense?.map((h) => h.runbookId),
        text,
      ).toEqual(a.dense?.map((h) => h.runbookId));
      b.dense?.forEach((h, i) => {
        expect(h.similarity).toBeCloseTo(a.dense?.[i]?.similarity ?? Number.NaN, 5);
      });
      // Words and meaning side by side, as the embedded engine returns them.
      expect(b.hits.length, text).toBeGreaterThan(0);
    }
    // By meaning alone (no words), as the embedded engine answers such a plan.
    const meaningOnly = { ...(await plan('wifi')), terms: [] };
    expect((await index.search(meaningOnly)).dense?.map((h) => h.runbookId)).toEqual(
      (await embedded.search(meaningOnly)).dense?.map((h) => h.runbookId),
    );
  }, 120_000);

  it('rebuilds an index whose vectors are of another model, or of none, and compares no vectors across models', async () => {
    const alias = testAlias('vectors');
    const some = runbooks.slice(0, 12);
    const words = testIndex('unused', { alias });
    expect((await syncIndex(words, some)).mode).toBe('full');
    expect(words.modelId).toBeUndefined();

    // A words-only index is not current for a writer with a model, and the other way round.
    const current = vectorIndex(embedder, { alias });
    const upgraded = await syncIndex(current, some);
    expect(upgraded).toMatchObject({ mode: 'full', swapped: true });
    expect(await current.status()).toMatchObject({ current: true, model: { id: embedder.modelId, dimension: embedder.dimension } });
    expect((await syncIndex(current, some)).mode).toBe('incremental');
    expect((await testIndex('unused', { alias }).status()).current).toBe(false);

    // A reader of another model gets no dense hits from these vectors, only words.
    const other = renamed(embedder, 'another-model');
    const reader = vectorIndex(other, { alias });
    const p = await plan('printer is offline');
    const answer = await reader.search(p);
    expect(answer.dense).toBeUndefined();
    expect(answer.hits.length).toBeGreaterThan(0);
    expect((await current.search(p)).dense?.length).toBeGreaterThan(0);

    // Its sync rebuilds with its own model, after which it compares again.
    const switched = await syncIndex(reader, some);
    expect(switched).toMatchObject({ mode: 'full', swapped: true });
    expect((await reader.status()).model?.id).toBe('another-model');
    expect((await reader.search(p)).dense?.length).toBeGreaterThan(0);
  }, 120_000);
});
