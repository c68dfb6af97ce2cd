import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { GapSignals } from '../../core/resolutions/gap-signals.ts';
import type { Signal } from '../../core/resolutions/model.ts';
import { countKind, emptyUsage, type RunbookUsage } from '../../core/resolutions/usage.ts';
import { coverage, type QueryPlan } from '../../core/search/plan.ts';
import { type Embedder, sameModel } from '../../ports/embedder.ts';
import type { ResolutionIndex, SimilarSignal } from '../../ports/resolution-index.ts';
import { type BulkOperation, bulkWrite } from './bulk.ts';
import { type OpenSearchConnection, openSearchTransport } from './client.ts';
import { Cluster } from './cluster.ts';
import { ANALYSIS, exactVectorField, mappingsWithVectors, SIMILARITY, type VectorModel } from './index-design.ts';
import { cosineScore, similarityOf, vectorJson } from './query-dsl.ts';
import { READ_RETRY, type RetryPolicy, WRITE_RETRY } from './retry.ts';

const textField = { type: 'text', analyzer: 'kb_text', similarity: 'kb_bm25', index_options: 'freqs' } as const;

/**
 * Past tickets and feedback, analysed exactly like runbooks (index-design.ts's `kb_text` and
 * BM25+): the planner's terms match both indices the same way. The signal itself is stored, not
 * indexed, so `all()` needs no second store; `runbookId`, `kind`, `at` and `noted` are indexed for
 * the gap report's aggregations and lists.
 */
export const RESOLUTION_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    key: { type: 'keyword' },
    text: textField,
    fix: textField,
    runbookId: { type: 'keyword' },
    kind: { type: 'keyword' },
    // For the gap report's bounded lists: newest first, and which signals carry a comment.
    at: { type: 'date' },
    noted: { type: 'boolean' },
    signal: { type: 'object', enabled: false },
  },
} as const;

/** As in the embedded resolution index: the ticket's own words count most, the fix text less. */
export const SIMILAR_BOOSTS = { text: 2, fix: 0.5 } as const;

/** The mapping update an index made before the gap fields existed takes on first use. */
const GAP_FIELDS = { properties: { at: RESOLUTION_MAPPINGS.properties.at, noted: RESOLUTION_MAPPINGS.properties.noted } };

/**
 * The meaning vector of a signal's text, with a model: exact scoring by script, no approximate
 * graph (index-design.ts `exactVectorField`; past tickets are few beside runbooks). Not part of
 * the design version: an index made without it takes it on first use with a model (`ensureIndex`),
 * as with the gap fields, so turning the model on needs no new index.
 */
const vectorFields = (model: VectorModel) => ({ vector: exactVectorField(model) });

export const RESOLUTION_DESIGN_VERSION = createHash('sha256')
  .update(JSON.stringify({ ANALYSIS, SIMILARITY, RESOLUTION_MAPPINGS }))
  .digest('hex')
  .slice(0, 8);

export interface ResolutionIndexOptions {
  /** The name everything reads and writes through; the index behind it is `<alias>-<design>`. */
  alias: string;
  /** 0 on a single node, 1+ on a zone-aware cluster. */
  replicas: number;
  writeRetry: RetryPolicy;
  readRetry: RetryPolicy;
}

export const RESOLUTION_INDEX_DEFAULTS: ResolutionIndexOptions = {
  alias: 'kb-resolutions',
  replicas: 0,
  writeRetry: WRITE_RETRY,
  readRetry: READ_RETRY,
};

/** How long a reader trusts what it read of the index's vectors (one small GET a minute per instance). */
const VECTOR_CHECK_TTL_MS = 60_000;

/** The parts of an existing index's mapping `ensureIndex` reads. */
type IndexMapping = Record<string, { mappings?: { properties?: Record<string, unknown>; _meta?: { model?: VectorModel } } }>;

type SignalHits = {
  hits: { hits: { _id: string; _score?: number; sort?: unknown[]; matched_queries?: string[]; _source?: { signal?: Signal } }[] };
};

/**
 * The ResolutionIndex on OpenSearch: the second index, next to the runbooks. Keyed by signal key,
 * so a redelivered stream record replaces rather than adds. Small by design: derived state the
 * table can always rebuild, so a design change means a new index filled from the table.
 */
export class OpenSearchResolutionIndex implements ResolutionIndex {
  readonly options: ResolutionIndexOptions;
  readonly #cluster: Cluster;
  readonly #embedder: Embedder | undefined;
  readonly #model: VectorModel | undefined;
  #ready: Promise<void> | undefined;
  /** Whether the index behind the alias takes vectors of this index's model (known once `ensureIndex` ran). */
  #vectors = false;
  /** Whether it holds vectors of this model, as a reader last read it from the mapping, and when. */
  #readVectors: { comparable: boolean; at: number } | undefined;

  /**
   * With an embedder, each worded signal also gets a meaning vector, and a plan with a vector finds
   * its nearest past tickets by cosine, as EmbeddedResolutionIndex does. Without, words only.
   */
  constructor(cluster: Cluster, options: Partial<ResolutionIndexOptions> & { embedder?: Embedder } = {}) {
    const { embedder, ...rest } = options;
    this.#cluster = cluster;
    this.options = { ...RESOLUTION_INDEX_DEFAULTS, ...rest };
    this.#embedder = embedder;
    this.#model = embedder ? { id: embedder.modelId, dimension: embedder.dimension } : undefined;
  }

  static connect(
    connection: OpenSearchConnection,
    options: Partial<ResolutionIndexOptions> & { embedder?: Embedder } = {},
  ): OpenSearchResolutionIndex {
    return new OpenSearchResolutionIndex(new Cluster(openSearchTransport(connection), connection.node), options);
  }

  get #alias(): string {
    return encodeURIComponent(this.options.alias);
  }

  /**
   * Creates `<alias>-<design>` behind the alias when the alias does not exist yet. The name is
   * fixed, so stream shards racing to create it make one index; the loser's 400 is the answer.
   */
  async ensureIndex(): Promise<void> {
    this.#ready ??= (async () => {
      const { statusCode } = await this.#cluster.call('HEAD', `/_alias/${this.#alias}`, { ignore: [404], retry: this.options.readRetry });
      if (statusCode !== 404) {
        await this.#addFields();
        return;
      }
      const mappings = { ...RESOLUTION_MAPPINGS, _meta: { design: RESOLUTION_DESIGN_VERSION } };
      const body = {
        settings: { index: { number_of_shards: 1, number_of_replicas: this.options.replicas, analysis: ANALYSIS, similarity: SIMILARITY } },
        mappings: this.#model ? mappingsWithVectors(mappings, this.#model, vectorFields(this.#model)) : mappings,
        aliases: { [this.options.alias]: {} },
      };
      const index = encodeURIComponent(`${this.options.alias}-${RESOLUTION_DESIGN_VERSION}`);
      const { statusCode: created } = await this.#cluster.call('PUT', `/${index}`, { body, ignore: [400], retry: this.options.writeRetry });
      // A 400 is a racing shard's index, which may have been made words only: read what it holds.
      if (created === 400) await this.#addFields();
      else this.#vectors = Boolean(this.#model);
    })().catch((error) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /**
   * Fields added since the index was made, put on the existing index (additive, so it takes them;
   * signals written before then have no value there until written again, as `kb index
   * --resolutions-from` does for those without a vector): the gap fields, and with
   * a model the vector field and the model in `_meta`. `_source` excludes cannot change on an
   * existing index, so there the vectors are also kept in `_source` (never read back: every search
   * asks for `signal` only). An index already holding another model's vectors (or vectors of no
   * recorded model) is left alone and answered by words only: they must not be compared with this
   * model's, until the index behind the alias is deleted and refilled from the table (`kb index
   * --resolutions-from`).
   */
  async #addFields(): Promise<void> {
    const model = this.#model;
    const putMapping = (body: object) => this.#cluster.call('PUT', `/${this.#alias}/_mapping`, { body, retry: this.options.writeRetry });
    if (!model) {
      await putMapping(GAP_FIELDS);
      return;
    }
    const { _meta: meta = {}, properties = {} } = (await this.#mapping()) ?? {};
    if (!('vector' in properties)) {
      await putMapping({ properties: { ...GAP_FIELDS.properties, ...vectorFields(model) }, _meta: { ...meta, model } });
      this.#vectors = true;
      return;
    }
    // Never put the vector field again: the k-NN plugin (2.19) answers a knn_vector field put on
    // an index that has it with a 500 ("index.version.created is not present").
    await putMapping(GAP_FIELDS);
    this.#vectors = sameModel(meta.model, this.#model);
    if (!this.#vectors)
      console.warn({
        message: 'resolution index holds vectors of another model: similar tickets are found by words only',
        alias: this.options.alias,
        index: meta.model ?? null,
        model,
      });
  }

  /** The mapping of the index behind the alias; undefined when there is none. */
  async #mapping(): Promise<NonNullable<IndexMapping[string]['mappings']> | undefined> {
    const { statusCode, body } = await this.#cluster.call<IndexMapping>('GET', `/${this.#alias}/_mapping`, {
      ignore: [404],
      retry: this.options.readRetry,
    });
    return statusCode === 404 ? undefined : (Object.values(body)[0]?.mappings ?? {});
  }

  /**
   * Whether the index holds vectors of this index's model, read from its mapping at most
   * `VECTOR_CHECK_TTL_MS` ago: a reader (the API) may not put mappings (`ensureIndex`), and the
   * resolution indexer may give the index its vector field meanwhile. A missing index is not
   * remembered: the first write makes it.
   */
  async #comparable(): Promise<boolean> {
    const known = this.#readVectors;
    if (known && Date.now() - known.at < VECTOR_CHECK_TTL_MS) return known.comparable;
    const mapping = await this.#mapping();
    if (!mapping) return false;
    const comparable = 'vector' in (mapping.properties ?? {}) && sameModel(mapping._meta?.model, this.#model);
    this.#readVectors = { comparable, at: Date.now() };
    return comparable;
  }

  async upsert(signals: readonly Signal[]): Promise<void> {
    if (signals.length === 0) return;
    await this.ensureIndex();
    const worded = signals.filter((s) => s.text.trim());
    // Embedded first: a model failure then leaves the index as it was, and the indexer retries.
    const embedded = this.#vectors && this.#embedder && worded.length > 0 ? await this.#embedder.embed(worded.map((s) => s.text)) : [];
    const vectors = new Map(worded.map((s, i) => [s.key, embedded[i]]));
    await this.#write(
      signals.map((signal): BulkOperation => {
        const vector = vectors.get(signal.key);
        return {
          action: 'index',
          id: signal.key,
          document: {
            key: signal.key,
            text: signal.text,
            fix: signal.resolution?.resolution ?? '',
            ...(signal.runbookId ? { runbookId: signal.runbookId } : {}),
            kind: signal.kind,
            at: signal.at,
            noted: Boolean(signal.note),
            signal,
            // None for a signal without words (feedback given without a search): never like any ticket.
            ...(vector ? { vector: vectorJson(vector) } : {}),
          },
        };
      }),
    );
  }

  /**
   * The keys of those signals the index already holds as they are: the same signal, with its
   * meaning vector when the index keeps vectors and the signal has words (one written before the
   * index had its vector field has none). As of the last refresh: one written in the last second
   * may be missed, and is then written again, alike. `kb index --resolutions-from` skips them, so
   * run again after a failure it embeds only what it had not written.
   */
  async indexedAlike(signals: readonly Signal[]): Promise<Set<string>> {
    if (signals.length === 0) return new Set();
    await this.ensureIndex();
    const ids = { ids: { values: signals.map((s) => s.key) } };
    const [stored, vectored] = await Promise.all([
      this.#search<SignalHits>({ size: signals.length, _source: ['signal'], query: { bool: { filter: [ids] } } }),
      this.#vectors
        ? this.#search<SignalHits>({
            size: signals.length,
            _source: false,
            query: { bool: { filter: [ids, { exists: { field: 'vector' } }] } },
          })
        : undefined,
    ]);
    const held = new Map((stored?.hits.hits ?? []).map((hit) => [hit._id, hit._source?.signal]));
    const withVector = new Set((vectored?.hits.hits ?? []).map((hit) => hit._id));
    const alike = signals.filter((signal) => {
      const kept = held.get(signal.key);
      // Compared as JSON, as it was stored: a field set to undefined is no field at all there.
      const same = kept !== undefined && isDeepStrictEqual(kept, JSON.parse(JSON.stringify(signal)));
      return same && (!this.#vectors || !signal.text.trim() || withVector.has(signal.key));
    });
    return new Set(alike.map((signal) => signal.key));
  }

  async remove(keys: readonly string[]): Promise<void> {
    await this.#write(keys.map((key) => ({ action: 'delete', id: key })));
  }

  async #write(ops: BulkOperation[]): Promise<void> {
    if (ops.length === 0) return;
    await this.ensureIndex();
    const outcome = await bulkWrite(this.#cluster.transport, this.#cluster.node, this.options.alias, ops, {
      retry: this.options.writeRetry,
      requireAlias: true,
    });
    if (outcome.failed.length > 0)
      throw new Error(`resolution index refused ${outcome.failed.map((f) => `${f.id} (${f.reason})`).join(', ')}`);
  }

  /**
   * Signals whose words are like the plan's: exact index terms (the planner already analysed
   * them), boosted by term weight and field, summed, then multiplied by the number of terms
   * matched, as the embedded engine ranks. Coverage counts the terms found in the ticket text.
   */
  async similar(plan: QueryPlan, limit: number): Promise<SimilarSignal[]> {
    if (limit <= 0) return [];
    if (plan.vector && this.#model && plan.vector.length === this.#model.dimension && (await this.#comparable())) {
      return this.#nearest(plan.vector, limit);
    }
    if (plan.terms.length === 0) return [];
    const clauses = (i: number, scored: boolean) =>
      (['text', 'fix'] as const).map((field) => ({
        term: {
          [field]: {
            value: plan.terms[i]?.term,
            ...(scored ? { boost: SIMILAR_BOOSTS[field] * (plan.terms[i]?.weight ?? 1), _name: `${i}|${field}` } : {}),
          },
        },
      }));
    const body = {
      size: limit,
      _source: ['signal'],
      sort: [{ _score: { order: 'desc' } }, { key: { order: 'asc' } }],
      query: {
        function_score: {
          query: { bool: { should: plan.terms.flatMap((_, i) => clauses(i, true)), minimum_should_match: 1 } },
          functions: plan.terms.map((_, i) => ({ filter: { bool: { should: clauses(i, false) } }, weight: 1 })),
          score_mode: 'sum',
          boost_mode: 'multiply',
        },
      },
    };
    const result = await this.#search<SignalHits>(body);
    return (result?.hits.hits ?? []).flatMap((hit) => {
      const signal = hit._source?.signal;
      if (!signal) return [];
      const inText = new Set(
        (hit.matched_queries ?? []).filter((q) => q.endsWith('|text')).map((q) => plan.terms[Number(q.split('|')[0])]?.term),
      );
      const share = coverage(plan.terms, (term) => (inText.has(term) ? 1 : 0));
      const score = typeof hit._score === 'number' ? hit._score : Number(hit.sort?.[0] ?? 0);
      return [{ signal, score, coverage: Math.round(share * 1000) / 1000 }];
    });
  }

  /** The signals nearest the plan's meaning, as EmbeddedResolutionIndex ranks them: by cosine, exactly. */
  async #nearest(vector: Float32Array, limit: number): Promise<SimilarSignal[]> {
    const page = await this.#search<SignalHits>({
      size: limit,
      track_total_hits: false,
      _source: ['signal'],
      sort: [{ _score: { order: 'desc' } }, { key: { order: 'asc' } }],
      query: cosineScore('vector', vectorJson(vector)),
    });
    return (page?.hits.hits ?? []).flatMap((hit) => {
      const signal = hit._source?.signal;
      if (!signal) return [];
      const similarity = similarityOf(hit);
      return [{ signal, score: similarity, coverage: 0, similarity: Math.round(similarity * 1000) / 1000 }];
    });
  }

  /** Every signal, paged in key order (as of the last refresh, about a second behind writes). */
  async all(): Promise<Signal[]> {
    const signals: Signal[] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const body = { size: 5_000, _source: ['signal'], sort: [{ key: 'asc' }], ...(after ? { search_after: after } : {}) };
      const page = await this.#search<SignalHits>(body);
      if (!page) return signals;
      for (const hit of page.hits.hits) if (hit._source?.signal) signals.push(hit._source.signal);
      if (page.hits.hits.length < body.size) return signals;
      after = page.hits.hits.at(-1)?.sort;
    }
  }

  /**
   * The gap report's inputs, as core/resolutions/gap-signals.ts's `gapSignalsOf` reads them from
   * memory: counters from a composite aggregation (one bucket per runbook and kind, paged), counts
   * from filters, and each list a sorted search of at most `limit` signals. Reads only: the API
   * that asks may not create or change the index (no index yet is an empty report, and an index
   * made before `at` existed sorts those signals last).
   */
  async gapSignals(limit: number): Promise<GapSignals> {
    const newest = async (filter: readonly Record<string, unknown>[]): Promise<Signal[]> => {
      if (limit <= 0) return [];
      const sort = [{ at: { order: 'desc', unmapped_type: 'date' } }, { key: 'asc' }];
      const page = await this.#search<SignalHits>({ size: limit, _source: ['signal'], query: { bool: { filter } }, sort });
      return (page?.hits.hits ?? []).flatMap((hit) => (hit._source?.signal ? [hit._source.signal] : []));
    };
    const ticket = { prefix: { key: 'ticket:' } };
    const [usage, fixed, uncovered, notHelpful, notes] = await Promise.all([
      this.#usage(),
      this.#fixed(),
      newest([
        ticket,
        { bool: { should: [{ term: { kind: 'no-runbook' } }, { bool: { must_not: { exists: { field: 'runbookId' } } } }] } },
      ]),
      newest([{ term: { kind: 'not-helpful' } }]),
      newest([{ term: { noted: true } }, { exists: { field: 'runbookId' } }]),
    ]);
    return { usage, fixed, uncovered, notHelpful, notes };
  }

  async #usage(): Promise<Map<string, RunbookUsage>> {
    type Bucket = {
      key: { runbookId: string; kind: Signal['kind'] };
      doc_count: number;
      last: { hits: { hits: { _source?: { signal?: Signal } }[] } };
    };
    const usage = new Map<string, RunbookUsage>();
    let after: Record<string, string> | undefined;
    do {
      const body = {
        size: 0,
        aggs: {
          used: {
            composite: {
              size: 1_000,
              sources: [{ runbookId: { terms: { field: 'runbookId' } } }, { kind: { terms: { field: 'kind' } } }],
              ...(after ? { after } : {}),
            },
            aggs: { last: { top_hits: { size: 1, sort: [{ at: { order: 'desc', unmapped_type: 'date' } }], _source: ['signal.at'] } } },
          },
        },
      };
      const result = await this.#search<{ aggregations: { used: { buckets: Bucket[]; after_key?: Record<string, string> } } }>(body);
      if (!result) return usage;
      const { buckets, after_key } = result.aggregations.used;
      for (const { key, doc_count: n, last } of buckets) {
        const u = usage.get(key.runbookId) ?? emptyUsage();
        countKind(u, key.kind, n, last.hits.hits[0]?._source?.signal?.at);
        usage.set(key.runbookId, u);
      }
      after = buckets.length > 0 ? after_key : undefined;
    } while (after);
    return usage;
  }

  async #fixed(): Promise<GapSignals['fixed']> {
    const body = {
      size: 0,
      track_total_hits: true,
      query: { bool: { filter: [{ prefix: { key: 'ticket:' } }, { terms: { kind: ['resolved', 'workaround'] } }] } },
      aggs: { linked: { filter: { exists: { field: 'runbookId' } } } },
    };
    const result = await this.#search<{ hits: { total: { value: number } }; aggregations: { linked: { doc_count: number } } }>(body);
    return result ? { total: result.hits.total.value, linked: result.aggregations.linked.doc_count } : { total: 0, linked: 0 };
  }

  /** A search through the alias; undefined when there is no index yet. */
  async #search<T>(body: Record<string, unknown>): Promise<T | undefined> {
    const { statusCode, body: result } = await this.#cluster.call<T>('POST', `/${this.#alias}/_search`, {
      body,
      ignore: [404],
      retry: this.options.readRetry,
    });
    return statusCode === 404 ? undefined : result;
  }

  /** Makes every write so far searchable (tests; OpenSearch does so by itself within a second). */
  async refresh(): Promise<void> {
    await this.#cluster.call('POST', `/${this.#alias}/_refresh`, { ignore: [404], retry: this.options.writeRetry });
  }
}
