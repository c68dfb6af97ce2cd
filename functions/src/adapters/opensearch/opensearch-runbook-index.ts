import { isDeepStrictEqual } from 'node:util';
import { LRUCache } from 'lru-cache';
import type { CompiledRunbook, Tier } from '../../core/runbook/model.ts';
import { PHRASE_WEIGHT, searchDocument } from '../../core/search/documents.ts';
import type { DenseHit, LexicalResult } from '../../core/search/engine-result.ts';
import type { QueryPlan } from '../../core/search/plan.ts';
import { type Embedder, sameModel } from '../../ports/embedder.ts';
import type { IndexFailure, IndexReport, IndexStats, RunbookIndex } from '../../ports/runbook-index.ts';
import { embedRunbooks } from '../runbook-vectors.ts';
import { BULK_LIMITS, type BulkLimits, type BulkOperation, bulkWrite } from './bulk.ts';
import { type OpenSearchConnection, openSearchTransport } from './client.ts';
import { Cluster } from './cluster.ts';
import { DESIGN_VERSION, VECTOR_GRAPH, type VectorModel } from './index-design.ts';
import { type AliasState, aliasState, createIndex, INDEX_LAYOUT, type IndexLayout, versionedName } from './index-lifecycle.ts';
import {
  denseRequest,
  fuzzyCandidates,
  readDenseResponse,
  readSearchResponse,
  type SearchResponseBody,
  searchRequest,
  vectorJson,
  vocabularyRequest,
} from './query-dsl.ts';
import { type Rebuilt, rebuildBehindAlias } from './rebuild.ts';
import { READ_RETRY, type RetryPolicy, WRITE_RETRY } from './retry.ts';

export interface OpenSearchIndexOptions extends IndexLayout {
  bulk: BulkLimits;
  writeRetry: RetryPolicy;
  readRetry: RetryPolicy;
  /** A rebuild where more than this share of runbooks failed is not swapped in. */
  rebuildFailureTolerance: number;
  /** Compiled runbooks kept in memory; one is used only while its hash matches what a search just saw. */
  runbookCacheSize: number;
  /** How long a hash seen in a search vouches for the cached runbook with that hash. */
  seenHashTtlMs: number;
  /** How long the answer to "does the index know this word" (for typo tolerance) is reused. */
  vocabularyTtlMs: number;
}

export const OPENSEARCH_INDEX_DEFAULTS: OpenSearchIndexOptions = {
  ...INDEX_LAYOUT,
  bulk: BULK_LIMITS,
  writeRetry: WRITE_RETRY,
  readRetry: READ_RETRY,
  rebuildFailureTolerance: 0.05,
  runbookCacheSize: 5_000,
  seenHashTtlMs: 5_000,
  vocabularyTtlMs: 5 * 60_000,
};

export type RebuildReport = IndexReport & Rebuilt;

/** A runbook's meaning vectors: the main one, then one per symptom phrase (`embeddingTexts`). */
type Vectors = readonly Float32Array[];

/**
 * What is stored per runbook: the search document, its hash, the compiled runbook for `get()`
 * and, with a model, its vectors (index-design.ts `vectorMappings`: the main vector is also the
 * first of `phrases`, the vectors the closest phrase is picked from).
 */
function toDocument(runbook: CompiledRunbook, vectors: Vectors | undefined, pending: boolean) {
  const [main, ...phrases] = vectors ?? [];
  const meaning = main ? { vector: vectorJson(main), phrases: [main, ...phrases].map((v) => ({ vector: vectorJson(v) })) } : {};
  const hash = pending ? `${VECTORS_PENDING}${runbook.hash}` : runbook.hash;
  return { ...searchDocument(runbook), hash, sections: runbook.sections.length, runbook, ...meaning };
}

/**
 * Prefixed to the stored hash of a runbook written without the vectors its index's model gives
 * (embedding ran out of time): the hash then matches no content, so the next sync or upsert
 * writes the runbook again, with its vectors. Only the search field is marked: `get()` returns
 * the compiled runbook with its own hash.
 */
const VECTORS_PENDING = 'vectors-pending:';

/** What an index's mapping records of its vectors: their model, and whether they are in `VECTOR_GRAPH`. */
interface IndexVectors {
  model: VectorModel | null;
  graph: boolean;
}

/** Whether an index's vectors are what a writer of `wanted` would write: the same model, or none for none. */
function vectorsMatch(found: VectorModel | null, wanted: VectorModel | undefined): boolean {
  return found || wanted ? sameModel(found, wanted) : true;
}

/**
 * The search engine on OpenSearch (self-managed or Amazon OpenSearch Service). Reads and writes go
 * through an alias (index-lifecycle.ts); the query plan becomes query DSL (query-dsl.ts).
 */
export class OpenSearchRunbookIndex implements RunbookIndex {
  readonly options: OpenSearchIndexOptions;
  readonly #cluster: Cluster;
  readonly #runbooks: LRUCache<string, CompiledRunbook>;
  /** Runbook id → hash as the latest search saw it. */
  readonly #seen: LRUCache<string, string>;
  readonly #vocabulary: LRUCache<string, boolean>;
  /** Set once the alias is known to exist; writes then go straight to it (require_alias guards them). */
  #ready = false;
  readonly #embedder: Embedder | undefined;
  readonly #model: VectorModel | undefined;
  /** Asked before each slice of runbooks is embedded (see `setTimeLimit`). */
  #keepEmbedding: (() => boolean) | undefined;
  /** The vectors in the index behind the alias as last read (model `null`: none), and when. */
  #indexVectors: (IndexVectors & { at: number }) | undefined;

  /**
   * With an embedder, every runbook also gets meaning vectors (the embedded engine's: main text and
   * symptom phrases), the index records the model, and plans with a vector get dense hits. Without,
   * the index holds words only.
   */
  constructor(cluster: Cluster, options: Partial<OpenSearchIndexOptions> & { embedder?: Embedder } = {}) {
    const { embedder, ...rest } = options;
    this.#cluster = cluster;
    this.options = { ...OPENSEARCH_INDEX_DEFAULTS, ...rest };
    this.#embedder = embedder;
    this.#model = embedder ? { id: embedder.modelId, dimension: embedder.dimension } : undefined;
    this.#runbooks = new LRUCache({ max: this.options.runbookCacheSize });
    this.#seen = new LRUCache({ max: 50_000, ttl: this.options.seenHashTtlMs });
    this.#vocabulary = new LRUCache({ max: 50_000, ttl: this.options.vocabularyTtlMs });
  }

  static connect(
    connection: OpenSearchConnection,
    options: Partial<OpenSearchIndexOptions> & { embedder?: Embedder } = {},
  ): OpenSearchRunbookIndex {
    return new OpenSearchRunbookIndex(new Cluster(openSearchTransport(connection), connection.node), options);
  }

  get node(): string {
    return this.#cluster.node;
  }

  get #alias(): string {
    return encodeURIComponent(this.options.alias);
  }

  /** The model behind the vectors this index writes and searches; undefined for words only. */
  get modelId(): string | undefined {
    return this.#model?.id;
  }

  /** The same with its dimension, as recorded in an index this one builds (sync.ts names both sides of a mismatch). */
  get model(): VectorModel | undefined {
    return this.#model;
  }

  /**
   * The index behind the alias and whether this code's index design made it, with this index's
   * model (or, without one, with no vectors): vectors of another model must not be compared with
   * this one's, nor a words-only writer leave runbooks without vectors among those with.
   */
  async status(): Promise<AliasState & { current: boolean; model?: VectorModel; graph: boolean }> {
    const state = await aliasState(this.#cluster, this.options.alias);
    const { model, graph } = state.index ? await this.#readIndexVectors() : { model: null, graph: false };
    // With a model, an index made before its graph (exact scoring only) is rebuilt too.
    const current = state.design === DESIGN_VERSION && vectorsMatch(model, this.#model) && (!this.#model || graph);
    return { ...state, ...(model ? { model } : {}), graph, current };
  }

  async #readIndexVectors(): Promise<IndexVectors> {
    const { statusCode, body } = await this.#cluster.call<
      Record<string, { mappings?: { _meta?: { model?: VectorModel; graph?: unknown } } }>
    >('GET', `/${this.#alias}/_mapping`, { ignore: [404], retry: this.options.readRetry });
    const meta = statusCode === 404 ? undefined : Object.values(body)[0]?.mappings?._meta;
    const vectors = { model: meta?.model ?? null, graph: isDeepStrictEqual(meta?.graph, VECTOR_GRAPH) };
    this.#indexVectors = { ...vectors, at: Date.now() };
    return vectors;
  }

  /**
   * The index's vectors when they are of this index's model (else undefined), as read at most
   * `vocabularyTtlMs` ago: a reader (the API) does not sync, and the index may have been rebuilt
   * with another model, or with the graph.
   */
  async #comparableVectors(): Promise<IndexVectors | undefined> {
    const known = this.#indexVectors;
    const vectors = known && Date.now() - known.at < this.options.vocabularyTtlMs ? known : await this.#readIndexVectors();
    return sameModel(vectors.model, this.#model) ? vectors : undefined;
  }

  /** What a new index is made with besides its layout: the vector fields of this index's model, if any. */
  get #modelOption(): { model?: VectorModel } {
    return this.#model ? { model: this.#model } : {};
  }

  /** Creates the first index, already behind the alias, when there is none yet. */
  async ensureIndex(): Promise<void> {
    if (this.#ready) return;
    if (!(await aliasState(this.#cluster, this.options.alias)).index) {
      await createIndex(this.#cluster, versionedName(this.options.alias), {
        replicas: this.options.replicas,
        alias: this.options.alias,
        ...this.#modelOption,
      });
      this.#indexVectors = { model: this.#model ?? null, graph: !!this.#model, at: Date.now() };
    }
    this.#ready = true;
  }

  async upsert(runbooks: readonly CompiledRunbook[]): Promise<IndexReport> {
    if (runbooks.length === 0) return { indexed: 0, unchanged: 0, failed: [] };
    await this.ensureIndex();
    const current = await this.#currentHashes(runbooks.map((r) => r.id));
    const changed = runbooks.filter((r) => current.get(r.id) !== r.hash);
    // Embedded first: a model failure then leaves the index as it was.
    const outcome = await this.#write(await this.#indexOps(changed));
    return { indexed: outcome.written, unchanged: runbooks.length - changed.length, failed: outcome.failed };
  }

  /**
   * Bounds the embedding of the writes that follow: `keepEmbedding` is asked before each slice of
   * runbooks, and once it says no (a Lambda near its time limit) the rest are written by their
   * words only, marked so that the next sync embeds them. `undefined` lifts the bound.
   */
  setTimeLimit(keepEmbedding: (() => boolean) | undefined): void {
    this.#keepEmbedding = keepEmbedding;
  }

  /** Each runbook's write, with its vectors when the index has a model and there was time to embed it. */
  async #indexOps(runbooks: readonly CompiledRunbook[]): Promise<BulkOperation[]> {
    const embedder = this.#embedder;
    const vectors = embedder ? await embedRunbooks(embedder, runbooks, this.#keepEmbedding) : new Map<string, Vectors>();
    const pending = embedder ? runbooks.length - vectors.size : 0;
    if (pending > 0)
      console.warn({ message: 'runbooks indexed by words only until the next sync embeds them (time limit)', runbooks: pending });
    return runbooks.map((r) => ({
      action: 'index',
      id: r.id,
      document: toDocument(r, vectors.get(r.id), !!embedder && !vectors.has(r.id)),
    }));
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    if (!this.#ready && !(await aliasState(this.#cluster, this.options.alias)).index) return; // nothing indexed, nothing to remove
    this.#ready = true;
    const outcome = await this.#write(ids.map((id) => ({ action: 'delete', id })));
    if (outcome.failed.length > 0) throw new Error(`could not remove ${outcome.failed.map((f) => `${f.id} (${f.reason})`).join(', ')}`);
  }

  async #write(ops: BulkOperation[]) {
    if (ops.length === 0) return { written: 0, failed: [] as IndexFailure[], retried: 0 };
    // Searchable on return, so that an answer cached right after a write (SearchService) is current;
    // and if the alias vanished, fail rather than auto-create an unmapped index by its name.
    const outcome = await bulkWrite(this.#cluster.transport, this.#cluster.node, this.options.alias, ops, {
      limits: this.options.bulk,
      retry: this.options.writeRetry,
      requireAlias: true,
      waitForRefresh: true,
    });
    this.#forget(ops.map((o) => o.id));
    return outcome;
  }

  #forget(ids?: readonly string[]): void {
    this.#vocabulary.clear();
    if (!ids) this.#runbooks.clear();
    else for (const id of ids) this.#runbooks.delete(id);
  }

  /** Hashes as stored right now (`_mget` is real-time: it sees writes not yet refreshed). */
  async #currentHashes(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let at = 0; at < ids.length; at += 1_000) {
      const { body } = await this.#cluster.call<{ docs: { _id: string; found?: boolean; _source?: { hash?: string } }[] }>(
        'POST',
        `/${this.#alias}/_mget`,
        { body: { ids: ids.slice(at, at + 1_000) }, querystring: { _source_includes: 'hash' }, retry: this.options.readRetry },
      );
      for (const doc of body.docs) if (doc.found && doc._source?.hash) out.set(doc._id, doc._source.hash);
    }
    return out;
  }

  /**
   * Runs the plan's words. Typo tolerance applies only to words the index does not know (as in the
   * embedded engine), so the fuzzy words are first looked up, once per few minutes per word.
   */
  async search(plan: QueryPlan): Promise<LexicalResult> {
    const empty: LexicalResult = { hits: [], total: 0, facets: { tier: {}, category: {}, state: {} } };
    if (plan.terms.length === 0) return empty;
    const known = await this.#known(fuzzyCandidates(plan));
    const { statusCode, body } = await this.#cluster.call<SearchResponseBody>('POST', `/${this.#alias}/_search`, {
      body: searchRequest(plan, known),
      ignore: [404],
      retry: this.options.readRetry,
    });
    if (statusCode === 404) return empty; // nothing indexed yet
    const { hashes, ...result } = readSearchResponse(plan, body);
    for (const [id, hash] of hashes) this.#seen.set(id, hash);
    return result;
  }

  /**
   * Nearest runbooks by meaning, when the plan has a vector of this index's model and the index
   * holds vectors of that model (as the embedded engine: with no vectors to compare, none).
   */
  async nearest(plan: QueryPlan): Promise<DenseHit[] | undefined> {
    if (!plan.vector || !this.#model || plan.vector.length !== this.#model.dimension) return undefined;
    const vectors = await this.#comparableVectors();
    if (!vectors) return undefined;
    const { statusCode, body } = await this.#cluster.call<SearchResponseBody>('POST', `/${this.#alias}/_search`, {
      body: denseRequest(plan, plan.vector, PHRASE_WEIGHT, { graph: vectors.graph }),
      ignore: [404],
      retry: this.options.readRetry,
    });
    return statusCode === 404 ? [] : readDenseResponse(body);
  }

  async #known(terms: readonly string[]): Promise<Set<string>> {
    const unknown = terms.filter((t) => !this.#vocabulary.has(t));
    if (unknown.length > 0) {
      const { statusCode, body } = await this.#cluster.call<{ aggregations?: Record<string, { doc_count: number }> }>(
        'POST',
        `/${this.#alias}/_search`,
        { body: vocabularyRequest(unknown), ignore: [404], retry: this.options.readRetry },
      );
      if (statusCode !== 404) {
        for (const [i, t] of unknown.entries()) this.#vocabulary.set(t, (body.aggregations?.[`t${i}`]?.doc_count ?? 0) > 0);
      }
    }
    return new Set(terms.filter((t) => this.#vocabulary.get(t) === true));
  }

  /**
   * Compiled runbooks by id. Right after a search (the usual caller), a cached runbook whose hash
   * equals the one the search returned is as current as the search itself; the rest is fetched.
   */
  async get(ids: readonly string[]): Promise<CompiledRunbook[]> {
    const missing = ids.filter((id) => {
      const cached = this.#runbooks.get(id);
      return !cached || cached.hash !== this.#seen.get(id);
    });
    const fetched = new Map<string, CompiledRunbook>();
    if (missing.length > 0) {
      const { statusCode, body } = await this.#cluster.call<{
        docs: { _id: string; found?: boolean; _source?: { runbook?: CompiledRunbook } }[];
      }>('POST', `/${this.#alias}/_mget`, {
        body: { ids: [...new Set(missing)] },
        querystring: { _source_includes: 'runbook' },
        ignore: [404],
        retry: this.options.readRetry,
      });
      if (statusCode === 404) return [];
      for (const doc of body.docs) {
        const runbook = doc._source?.runbook;
        if (!doc.found || !runbook) continue;
        fetched.set(doc._id, runbook);
        this.#runbooks.set(doc._id, runbook);
        this.#seen.set(doc._id, runbook.hash);
      }
    }
    // From what was fetched first: the cache may be smaller than one request.
    return ids.flatMap((id) => {
      const runbook = fetched.get(id) ?? this.#runbooks.get(id);
      return runbook && (fetched.has(id) || runbook.hash === this.#seen.get(id)) ? [runbook] : [];
    });
  }

  /** Every id and hash, paged in id order (search_after), as of the last refresh. */
  async hashes(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let after: unknown[] | undefined;
    for (;;) {
      // stored_fields _none_: ids and hashes come from doc values, no stored document is read.
      const body = {
        size: 5_000,
        stored_fields: '_none_',
        docvalue_fields: ['id', 'hash'],
        sort: [{ id: 'asc' }],
        ...(after ? { search_after: after } : {}),
      };
      const response = await this.#cluster.call<{ hits: { hits: { sort: unknown[]; fields?: { id?: string[]; hash?: string[] } }[] } }>(
        'POST',
        `/${this.#alias}/_search`,
        { body, ignore: [404], retry: this.options.readRetry },
      );
      if (response.statusCode === 404) return out;
      const hits = response.body.hits.hits;
      for (const h of hits) if (h.fields?.id?.[0]) out.set(h.fields.id[0], h.fields.hash?.[0] ?? '');
      if (hits.length < body.size) return out;
      after = hits.at(-1)?.sort;
    }
  }

  async stats(): Promise<IndexStats> {
    const body = {
      size: 0,
      track_total_hits: true,
      aggs: { tier: { terms: { field: 'tier', size: 10 } }, sections: { sum: { field: 'sections' } } },
    };
    const response = await this.#cluster.call<{
      hits: { total: { value: number } };
      aggregations: { tier: { buckets: { key: Tier; doc_count: number }[] }; sections: { value: number } };
    }>('POST', `/${this.#alias}/_search`, { body, ignore: [404], retry: this.options.readRetry });
    if (response.statusCode === 404) return { runbooks: 0, sections: 0, byTier: {} };
    const { hits, aggregations } = response.body;
    const byTier: Partial<Record<Tier, number>> = {};
    for (const b of aggregations.tier.buckets) byTier[b.key] = b.doc_count;
    return { runbooks: hits.total.value, sections: aggregations.sections.value, byTier };
  }

  /** Makes every write so far searchable (OpenSearch does so by itself within a second). */
  async refresh(): Promise<void> {
    await this.#cluster.call('POST', `/${this.#alias}/_refresh`, { ignore: [404], retry: this.options.writeRetry });
  }

  /**
   * Builds a new index from all runbooks and swaps the alias to it atomically; searches keep
   * running on the old index meanwhile (see `rebuildBehindAlias`).
   */
  async rebuild(runbooks: readonly CompiledRunbook[]): Promise<RebuildReport> {
    const ops = await this.#indexOps(runbooks);
    const report = await rebuildBehindAlias(this.#cluster, this.options, ops, {
      limits: this.options.bulk,
      retry: this.options.writeRetry,
      failureTolerance: this.options.rebuildFailureTolerance,
      ...this.#modelOption,
    });
    this.#forget();
    if (report.swapped) {
      this.#ready = true;
      this.#indexVectors = { model: this.#model ?? null, graph: !!this.#model, at: Date.now() };
    }
    return { ...report, unchanged: 0 };
  }
}
