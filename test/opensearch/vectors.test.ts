import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { modelDir } from '../../functions/src/adapters/onnx/model-store.ts';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import { DESIGN_VERSION, exactVectorField, indexBody, VECTOR_GRAPH } from '../../functions/src/adapters/opensearch/index-design.ts';
import { versionedName } from '../../functions/src/adapters/opensearch/index-lifecycle.ts';
import { type OpenSearchIndexOptions, OpenSearchRunbookIndex } from '../../functions/src/adapters/opensearch/opensearch-runbook-index.ts';
import { staleBecause, syncIndex } from '../../functions/src/adapters/opensearch/sync.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import type { CompiledRunbook } from '../../functions/src/core/runbook/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery, type SearchFilters } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';
import { restEvent } from '../helpers/aws-events.ts';
import { type LocalS3, startLocalS3, uploadRunbooks } from '../helpers/local-s3.ts';
import { CONTENT } from '../helpers/runbooks.ts';
import { cluster, dropTestIndices, OPENSEARCH_URL, raw, testAlias, testIndex } from './helpers.ts';
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
    expect(mappings.properties.vector).toEqual({ type: 'knn_vector', dimension: embedder.dimension, method: VECTOR_GRAPH });
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
      const [a, b] = await Promise.all([embedded.nearest(p), index.nearest(p)]);
      expect(b?.length, text).toBeGreaterThan(0);
      expect(
        b?.map((h) => h.runbookId),
        text,
      ).toEqual(a?.map((h) => h.runbookId));
      b?.forEach((h, i) => {
        expect(h.similarity).toBeCloseTo(a?.[i]?.similarity ?? Number.NaN, 5);
      });
      // The plan's words still find runbooks beside its meaning, as the embedded engine's do.
      expect((await index.search(p)).hits.length, text).toBeGreaterThan(0);
    }
    // A window far smaller than the library, filtered to a tier: the graph is searched among that
    // tier's runbooks, so the window still fills with the same runbooks as the embedded engine's.
    for (const tier of ['l2', 'l3'] as const) {
      const narrow = { ...(await plan('the server is slow after the update', { tiers: [tier] })), denseWindow: 8 };
      const [a, b] = await Promise.all([embedded.nearest(narrow), index.nearest(narrow)]);
      expect(a).toHaveLength(8);
      expect(b?.map((h) => h.runbookId)).toEqual(a?.map((h) => h.runbookId));
    }
    // By meaning alone (no words), as the embedded engine answers such a plan.
    const meaningOnly = { ...(await plan('wifi')), terms: [] };
    expect((await index.nearest(meaningOnly))?.map((h) => h.runbookId)).toEqual(
      (await embedded.nearest(meaningOnly))?.map((h) => h.runbookId),
    );
  }, 120_000);

  it('counts learned phrasing as one more phrase of its runbook, as the embedded engine does', async () => {
    const index = vectorIndex(embedder, { alias: testAlias('vectors-learned') });
    await index.upsert(runbooks);
    await index.refresh();
    const p = await plan('my mind is blank on what I type to get into windows');
    const before = (await embedded.nearest(p)) ?? [];
    const [first, , , , , sixth] = before;
    if (!first || !sixth) throw new Error('expected at least six nearest runbooks');
    // The sixth gets a past ticket worded almost as the query; the first one worded unlike it,
    // which is no closer than its own phrases and so changes nothing.
    const learned = new Map([
      [sixth.runbookId, 0.95],
      [first.runbookId, 0.05],
    ]);
    const [a, b] = await Promise.all([embedded.nearest({ ...p, learned }), index.nearest({ ...p, learned })]);
    const rank = (hits: typeof a, id: string) => (hits ?? []).findIndex((h) => h.runbookId === id);
    expect(rank(a, sixth.runbookId)).toBeLessThan(4);
    expect(a?.find((h) => h.runbookId === first.runbookId)?.similarity).toBeCloseTo(first.similarity, 6);
    expect(b?.map((h) => h.runbookId)).toEqual(a?.map((h) => h.runbookId));
    b?.forEach((h, i) => {
      expect(h.similarity).toBeCloseTo(a?.[i]?.similarity ?? Number.NaN, 5);
    });
    // A runbook far from the query's meaning, taught it by past tickets: the graph does not find
    // it among a small window's candidates, yet it is scored and leads, as in the embedded engine.
    const far = before[40];
    if (!far) throw new Error('expected forty nearest runbooks');
    const taught = { ...p, denseWindow: 5, learned: new Map([[far.runbookId, 0.99]]) };
    const [c, d] = await Promise.all([embedded.nearest(taught), index.nearest(taught)]);
    expect(c?.[0]?.runbookId).toBe(far.runbookId);
    expect(d?.map((h) => h.runbookId)).toEqual(c?.map((h) => h.runbookId));
  }, 120_000);

  it('rebuilds an index whose vectors are of another model, or of none, and compares no vectors across models', async () => {
    const alias = testAlias('vectors');
    const some = runbooks.slice(0, 12);
    const words = testIndex('unused', { alias });
    expect((await syncIndex(words, some)).mode).toBe('full');
    expect(words.modelId).toBeUndefined();

    // A words-only index is not current for a writer with a model, and the other way round; the
    // rebuild says which (not "the index design changed", which it did not).
    const current = vectorIndex(embedder, { alias });
    const upgraded = await syncIndex(current, some);
    expect(upgraded).toMatchObject({ mode: 'full', swapped: true });
    expect(upgraded.reason).toBe(`the index holds no vectors and this sync embeds with model ${embedder.modelId}`);
    expect(await current.status()).toMatchObject({ current: true, model: { id: embedder.modelId, dimension: embedder.dimension } });
    expect((await syncIndex(current, some)).mode).toBe('incremental');
    expect((await testIndex('unused', { alias }).status()).current).toBe(false);

    // A reader of another model gets no dense hits from these vectors, only words.
    const other = renamed(embedder, 'another-model');
    const reader = vectorIndex(other, { alias });
    const p = await plan('printer is offline');
    expect(await reader.nearest(p)).toBeUndefined();
    expect((await reader.search(p)).hits.length).toBeGreaterThan(0);
    expect((await current.nearest(p))?.length).toBeGreaterThan(0);

    // Its sync rebuilds with its own model, after which it compares again.
    const switched = await syncIndex(reader, some);
    expect(switched).toMatchObject({ mode: 'full', swapped: true, reason: `the model changed (${embedder.modelId} → another-model)` });
    expect((await reader.status()).model?.id).toBe('another-model');
    expect((await reader.nearest(p))?.length).toBeGreaterThan(0);
  }, 120_000);

  it('answers from an index made before the search graph as it was made, and its next sync rebuilds it with the graph', async () => {
    const alias = testAlias('vectors');
    const some = runbooks.slice(0, 20);
    // The design an earlier release made: the same vectors, scored exactly, with no graph.
    const model = { id: embedder.modelId, dimension: embedder.dimension };
    const { settings, mappings } = indexBody({ replicas: 0, model });
    const { knn: _knn, ...exactSettings } = settings.index as typeof settings.index & { knn?: boolean };
    const { graph: _graph, ...exactMeta } = mappings._meta as typeof mappings._meta & { graph?: unknown };
    const exact = exactVectorField(model);
    const old = {
      settings: { index: exactSettings },
      mappings: {
        ...mappings,
        _meta: exactMeta,
        properties: { ...mappings.properties, vector: exact, phrases: { type: 'nested', properties: { vector: exact } } },
      },
      aliases: { [alias]: {} },
    };
    expect((await raw('PUT', `/${versionedName(alias)}`, old)).status).toBe(200);
    const index = vectorIndex(embedder, { alias });
    await index.upsert(some);
    await index.refresh();
    expect(await index.status()).toMatchObject({ current: false, graph: false });

    const p = await plan('cannot print to the printer on floor 3', { tiers: ['l1'] });
    const before = await index.nearest(p);
    expect(before?.length).toBeGreaterThan(0);

    const synced = await syncIndex(index, some);
    expect(synced).toMatchObject({ mode: 'full', swapped: true });
    expect(synced.reason).toBe(`the index's vectors of model ${embedder.modelId} are in no search graph (it was made before them)`);
    expect(await index.status()).toMatchObject({ current: true, graph: true });
    expect((await syncIndex(index, some)).mode).toBe('incremental');
    expect(await index.nearest(p)).toEqual(before);
  }, 120_000);

  it('writes what it had no time to embed by its words, and the next sync embeds it', async () => {
    // Prepare: a first sync (a rebuild behind the alias) that runs short of time after one slice.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const index = vectorIndex(embedder);
    const some = runbooks.slice(0, 40);
    const late = some.at(-1) as CompiledRunbook;
    let asked = 0;
    index.setTimeLimit(() => asked++ === 0);

    // Act
    const first = await syncIndex(index, some);
    const afterFirst = await index.hashes();
    const p = { ...(await plan(late.meta.title)), terms: [] };
    const denseFirst = (await index.nearest(p))?.map((h) => h.runbookId);
    index.setTimeLimit(undefined);
    const second = await syncIndex(index, some);

    // Assess: the first sync swaps in all 40 runbooks, the last 8 without vectors and marked as
    // not current; the second embeds exactly those, after which meaning finds them too.
    expect(first).toMatchObject({ mode: 'full', swapped: true, indexed: 40 });
    expect([...afterFirst.values()].filter((h) => h.startsWith('vectors-pending:'))).toHaveLength(8);
    expect(warn.mock.calls.map(([entry]) => (entry as { runbooks?: number }).runbooks)).toEqual([8]);
    expect(denseFirst).not.toContain(late.id);
    expect(second).toMatchObject({ mode: 'incremental', indexed: 8 });
    expect(await index.hashes()).toEqual(new Map(some.map((r) => [r.id, r.hash])));
    expect((await index.nearest(p))?.[0]?.runbookId).toBe(late.id);
    expect((await index.get([late.id]))[0]?.hash).toBe(late.hash);
    warn.mockRestore();
  }, 120_000);

  it('names why an index is not current: its design first, else the model of its vectors, with dimensions when only they differ', () => {
    const model = { id: 'm', dimension: 384 };
    expect(staleBecause({ design: 'old12345', model }, model)).toBe(`the index design changed (old12345 → ${DESIGN_VERSION})`);
    expect(staleBecause({}, undefined)).toBe(`the index design changed (unknown → ${DESIGN_VERSION})`);
    expect(staleBecause({ design: DESIGN_VERSION, model }, undefined)).toBe(
      'the index holds vectors of model m and this sync writes words only',
    );
    expect(staleBecause({ design: DESIGN_VERSION, model }, { id: 'm', dimension: 768 })).toBe(
      'the model changed (m (384 dimensions) → m (768 dimensions))',
    );
    expect(staleBecause({ design: DESIGN_VERSION, model, graph: false }, model)).toBe(
      "the index's vectors of model m are in no search graph (it was made before them)",
    );
  });
});

/*
 * The OpenSearch shape's Lambda functions with the model (KB_MODEL_DIR, as the CDK app sets it
 * for the API and the content indexer): the handlers in-process against this server and the S3
 * API served locally (s3rver), over the starter library. A second API handler, imported without
 * KB_MODEL_DIR, is a words-only function reading the same index.
 */
describe('the OpenSearch Lambda functions with the model (KB_MODEL_DIR)', () => {
  type Api = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
  type ContentIndexer = (event: { kb: 'sync' | 'rebuild' }, context?: { getRemainingTimeInMillis(): number }) => Promise<unknown>;
  const CONTENT_BUCKET = 'kb-content';
  const INDEX_BUCKET = 'kb-index';
  const alias = testAlias('vectors-lambda');
  const saved = { ...process.env };
  let local: LocalS3;

  beforeAll(async () => {
    local = await startLocalS3([CONTENT_BUCKET, INDEX_BUCKET]);
    await uploadRunbooks(local.s3, CONTENT_BUCKET, CONTENT);
    const taxonomy = await readFile(join(CONTENT, 'taxonomy.yaml'));
    await local.s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: 'taxonomy.yaml', Body: taxonomy }));
    // What CDK gives both functions with -c search=opensearch, pointing at the local services.
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_S3: local.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      KB_SEARCH_ENGINE: 'opensearch',
      KB_OPENSEARCH_URL: OPENSEARCH_URL,
      KB_OPENSEARCH_AUTH: 'none',
      KB_RUNBOOK_ALIAS: alias,
      KB_RESOLUTION_ALIAS: `${alias}-resolutions`,
      KB_TABLE: 'unused',
      KB_CONTENT_BUCKET: CONTENT_BUCKET,
      KB_INDEX_BUCKET: INDEX_BUCKET,
      KB_API_CLIENTS: JSON.stringify([{ keyId: 'key-jira', name: 'jira', scopes: ['search'], tier: 'l2' }]),
      KB_WEB_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
      KB_MODEL_DIR: modelDir(),
    });
    for (const level of ['log', 'info', 'warn'] as const) vi.spyOn(console, level).mockImplementation(() => {});
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await local?.close();
  });

  /** A function's handler as a cold start loads it: its own copy of the modules, with the environment as it is now. */
  async function coldStart<T>(path: string): Promise<T> {
    vi.resetModules();
    return ((await import(path)) as { handler: T }).handler;
  }

  async function suggest(api: Api, subject: string): Promise<string | undefined> {
    const response = await api(restEvent('POST', '/suggest', { apiKeyId: 'key-jira', body: { subject, limit: 5 } }));
    expect(response.statusCode, response.body).toBe(200);
    return (JSON.parse(response.body) as { suggestions: { id: string }[] }).suggestions[0]?.id;
  }

  it('the content indexer writes vectors of the model, and the API answers an everyday ticket by meaning; without the model, by words', async () => {
    // Act: the hourly sync, then an agent's ticket to an API with the model and to one without.
    const vectorCount = async () =>
      (await raw<{ count: number }>('POST', `/${alias}/_count`, { query: { exists: { field: 'vector' } } })).body.count;
    const indexer = await coldStart<ContentIndexer>('../../functions/src/handlers/content-indexer.ts');
    await indexer({ kb: 'sync' }, { getRemainingTimeInMillis: () => 900_000 });
    const withModel = await coldStart<Api>('../../functions/src/handlers/api.ts');
    delete process.env.KB_MODEL_DIR;
    const wordsOnly = await coldStart<Api>('../../functions/src/handlers/api.ts');
    process.env.KB_MODEL_DIR = modelDir();

    // Assess: the index records the model and every runbook has its vector.
    const { body: mapping } = await raw<Record<string, { mappings: { _meta: { model?: unknown } } }>>('GET', `/${alias}/_mapping`);
    expect(Object.values(mapping)[0]?.mappings._meta.model).toEqual({ id: embedder.modelId, dimension: embedder.dimension });
    expect(await vectorCount()).toBe(runbooks.length);
    const ticket = "can't type anything the keys do nothing on the wireless one";
    expect(await suggest(withModel, ticket)).toBe('bluetooth-keyboard-mouse-not-working');
    expect(await suggest(wordsOnly, ticket)).not.toBe('bluetooth-keyboard-mouse-not-working');

    // The sync also published the taxonomy's escalation queues for the API (which parses no YAML):
    // a ticket for an L3 runbook from this L2 client names the owner's team as taxonomy.yaml does.
    const hidden = await withModel(
      restEvent('POST', '/suggest', { apiKeyId: 'key-jira', body: { subject: 'AD replication failing between domain controllers' } }),
    );
    expect(JSON.parse(hidden.body).escalation).toMatchObject({ toTier: 'l3', team: 'Windows Infrastructure (queue WIN-L3)' });

    // A rebuild left no time to embed (Lambda's clock, less than the time kept for writing) writes
    // every runbook by its words; the next sync embeds them all.
    await indexer({ kb: 'rebuild' }, { getRemainingTimeInMillis: () => 60_000 });
    const withoutTime = await vectorCount();
    await indexer({ kb: 'sync' }, { getRemainingTimeInMillis: () => 900_000 });
    expect(withoutTime).toBe(0);
    expect(await vectorCount()).toBe(runbooks.length);
  }, 180_000);
});
