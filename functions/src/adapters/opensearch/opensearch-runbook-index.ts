import { LRUCache } from 'lru-cache';
import type { CompiledRunbook, Tier } from '../../core/runbook/model.ts';
import { searchDocument } from '../../core/search/documents.ts';
import type { EngineResult } from '../../core/search/engine-result.ts';
import type { QueryPlan } from '../../core/search/plan.ts';
import type { IndexFailure, IndexReport, IndexStats, RunbookIndex } from '../../ports/runbook-index.ts';
import { BULK_LIMITS, type BulkLimits, type BulkOperation, bulkWrite } from './bulk.ts';
import { type OpenSearchConnection, openSearchClient } from './client.ts';
import { Cluster } from './cluster.ts';
import { DESIGN_VERSION } from './index-design.ts';
import {
  type AliasState,
  aliasState,
  createIndex,
  dropIndex,
  finishBulkLoad,
  INDEX_LAYOUT,
  type IndexLayout,
  pruneIndices,
  swapAlias,
  versionedName,
} from './index-lifecycle.ts';
import { fuzzyCandidates, readSearchResponse, type SearchResponseBody, searchRequest, vocabularyRequest } from './query-dsl.ts';
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

export interface RebuildReport extends IndexReport {
  /** The index built. */
  index: string;
  /** The index the alias pointed at before, if any. */
  previous?: string;
  /** False when too many runbooks failed: the new index was dropped and the alias left alone. */
  swapped: boolean;
  /** Superseded indices deleted afterwards. */
  pruned: string[];
  /** Requests or items the backoff sent again. */
  retried: number;
}

/** What is stored per runbook: the search document, its hash, and the compiled runbook for `get()`. */
function toDocument(runbook: CompiledRunbook) {
  return { ...searchDocument(runbook), hash: runbook.hash, sections: runbook.sections.length, runbook };
}

const indexOp = (runbook: CompiledRunbook): BulkOperation => ({ action: 'index', id: runbook.id, document: toDocument(runbook) });

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

  constructor(cluster: Cluster, options: Partial<OpenSearchIndexOptions> = {}) {
    this.#cluster = cluster;
    this.options = { ...OPENSEARCH_INDEX_DEFAULTS, ...options };
    this.#runbooks = new LRUCache({ max: this.options.runbookCacheSize });
    this.#seen = new LRUCache({ max: 50_000, ttl: this.options.seenHashTtlMs });
    this.#vocabulary = new LRUCache({ max: 50_000, ttl: this.options.vocabularyTtlMs });
  }

  static connect(connection: OpenSearchConnection, options: Partial<OpenSearchIndexOptions> = {}): OpenSearchRunbookIndex {
    return new OpenSearchRunbookIndex(new Cluster(openSearchClient(connection), connection.node), options);
  }

  get node(): string {
    return this.#cluster.node;
  }

  get #alias(): string {
    return encodeURIComponent(this.options.alias);
  }

  /** The index behind the alias and whether this code's index design made it. */
  async status(): Promise<AliasState & { current: boolean }> {
    const state = await aliasState(this.#cluster, this.options.alias);
    return { ...state, current: state.design === DESIGN_VERSION };
  }

  /** Creates the first index, already behind the alias, when there is none yet. */
  async ensureIndex(): Promise<void> {
    if ((await aliasState(this.#cluster, this.options.alias)).index) return;
    await createIndex(this.#cluster, versionedName(this.options.alias), { replicas: this.options.replicas, alias: this.options.alias });
  }

  async upsert(runbooks: readonly CompiledRunbook[]): Promise<IndexReport> {
    if (runbooks.length === 0) return { indexed: 0, unchanged: 0, failed: [] };
    await this.ensureIndex();
    const current = await this.#currentHashes(runbooks.map((r) => r.id));
    const changed = runbooks.filter((r) => current.get(r.id) !== r.hash);
    const outcome = await this.#write(changed.map(indexOp));
    return { indexed: outcome.written, unchanged: runbooks.length - changed.length, failed: outcome.failed };
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0 || !(await aliasState(this.#cluster, this.options.alias)).index) return;
    const outcome = await this.#write(ids.map((id) => ({ action: 'delete', id })));
    if (outcome.failed.length > 0) throw new Error(`could not remove ${outcome.failed.map((f) => `${f.id} (${f.reason})`).join(', ')}`);
  }

  async #write(ops: BulkOperation[]) {
    if (ops.length === 0) return { written: 0, failed: [] as IndexFailure[], retried: 0 };
    // require_alias: if the alias vanished, fail instead of auto-creating an unmapped index by its name.
    const outcome = await bulkWrite(this.#cluster.client, this.#cluster.node, this.options.alias, ops, {
      limits: this.options.bulk,
      retry: this.options.writeRetry,
      requireAlias: true,
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
   * Runs the plan. Typo tolerance applies only to words the index does not know (as in the
   * embedded engine), so the fuzzy words are first looked up, once per few minutes per word.
   */
  async search(plan: QueryPlan): Promise<EngineResult> {
    const empty: EngineResult = { hits: [], total: 0, facets: { tier: {}, category: {}, state: {} } };
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

  async #known(terms: readonly string[]): Promise<Set<string>> {
    const unknown = terms.filter((t) => !this.#vocabulary.has(t));
    if (unknown.length > 0) {
      const { statusCode, body } = await this.#cluster.call<{ aggregations?: Record<string, { doc_count: number }> }>(
        'POST',
        `/${this.#alias}/_search`,
        { body: vocabularyRequest(unknown), ignore: [404], retry: this.options.readRetry },
      );
      if (statusCode !== 404) unknown.forEach((t, i) => this.#vocabulary.set(t, (body.aggregations?.[`t${i}`]?.doc_count ?? 0) > 0));
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
    if (missing.length > 0) {
      const { statusCode, body } = await this.#cluster.call<{ docs: { _id: string; found?: boolean; _source?: { runbook?: CompiledRunbook } }[] }>(
        'POST',
        `/${this.#alias}/_mget`,
        { body: { ids: [...new Set(missing)] }, querystring: { _source_includes: 'runbook' }, ignore: [404], retry: this.options.readRetry },
      );
      if (statusCode === 404) return [];
      for (const doc of body.docs) {
        const runbook = doc._source?.runbook;
        if (!doc.found || !runbook) continue;
        this.#runbooks.set(doc._id, runbook);
        this.#seen.set(doc._id, runbook.hash);
      }
    }
    return ids.flatMap((id) => {
      const runbook = this.#runbooks.get(id);
      return runbook && runbook.hash === this.#seen.get(id) ? [runbook] : [];
    });
  }

  /** Every id and hash, paged in id order (search_after), as of the last refresh. */
  async hashes(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let after: unknown[] | undefined;
    for (;;) {
      const body = { size: 5_000, _source: false, docvalue_fields: ['hash'], sort: [{ id: 'asc' }], ...(after ? { search_after: after } : {}) };
      const response = await this.#cluster.call<{ hits: { hits: { _id: string; sort: unknown[]; fields?: { hash?: string[] } }[] } }>(
        'POST',
        `/${this.#alias}/_search`,
        { body, ignore: [404], retry: this.options.readRetry },
      );
      if (response.statusCode === 404) return out;
      const hits = response.body.hits.hits;
      for (const h of hits) out.set(h._id, h.fields?.hash?.[0] ?? '');
      if (hits.length < body.size) return out;
      after = hits.at(-1)?.sort;
    }
  }

  async stats(): Promise<IndexStats> {
    const body = { size: 0, track_total_hits: true, aggs: { tier: { terms: { field: 'tier', size: 10 } }, sections: { sum: { field: 'sections' } } } };
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
   * running on the old index meanwhile. If the cluster fails half-way, the new index is dropped
   * and the alias is untouched; too many refused runbooks also keep the old index in service.
   */
  async rebuild(runbooks: readonly CompiledRunbook[]): Promise<RebuildReport> {
    const previous = (await aliasState(this.#cluster, this.options.alias)).index;
    const index = versionedName(this.options.alias);
    await createIndex(this.#cluster, index, { replicas: this.options.replicas, bulkLoad: true });
    let outcome: Awaited<ReturnType<typeof bulkWrite>>;
    let swapped = false;
    try {
      outcome = await bulkWrite(this.#cluster.client, this.#cluster.node, index, runbooks.map(indexOp), {
        limits: this.options.bulk,
        retry: this.options.writeRetry,
      });
      swapped = outcome.failed.length <= runbooks.length * this.options.rebuildFailureTolerance;
      if (swapped) {
        await finishBulkLoad(this.#cluster, index);
        await swapAlias(this.#cluster, this.options.alias, index, previous ? [previous] : []);
      }
    } catch (error) {
      await dropIndex(this.#cluster, index);
      throw error;
    }
    if (!swapped) await dropIndex(this.#cluster, index);
    this.#forget();
    // Pruning is housekeeping: if it fails, the next rebuild does it.
    const pruned = swapped ? await pruneIndices(this.#cluster, this.options, index).catch(() => []) : [];
    return {
      index,
      ...(previous ? { previous } : {}),
      swapped,
      indexed: outcome.written,
      unchanged: 0,
      failed: outcome.failed,
      pruned,
      retried: outcome.retried,
    };
  }
}
