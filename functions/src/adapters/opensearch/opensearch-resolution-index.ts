import { createHash } from 'node:crypto';
import type { GapSignals } from '../../core/resolutions/gap-signals.ts';
import type { Signal } from '../../core/resolutions/model.ts';
import { emptyUsage, type RunbookUsage } from '../../core/resolutions/usage.ts';
import { coverage, type QueryPlan } from '../../core/search/plan.ts';
import type { ResolutionIndex, SimilarSignal } from '../../ports/resolution-index.ts';
import { type BulkOperation, bulkWrite } from './bulk.ts';
import { type OpenSearchConnection, openSearchTransport } from './client.ts';
import { Cluster } from './cluster.ts';
import { ANALYSIS, SIMILARITY } from './index-design.ts';
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
  #ready: Promise<void> | undefined;

  constructor(cluster: Cluster, options: Partial<ResolutionIndexOptions> = {}) {
    this.#cluster = cluster;
    this.options = { ...RESOLUTION_INDEX_DEFAULTS, ...options };
  }

  static connect(connection: OpenSearchConnection, options: Partial<ResolutionIndexOptions> = {}): OpenSearchResolutionIndex {
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
        // Fields added since the index was made (additive, so an existing index takes them):
        // signals written before then have no value there until written again.
        await this.#cluster.call('PUT', `/${this.#alias}/_mapping`, { body: GAP_FIELDS, retry: this.options.writeRetry });
        return;
      }
      const body = {
        settings: { index: { number_of_shards: 1, number_of_replicas: this.options.replicas, analysis: ANALYSIS, similarity: SIMILARITY } },
        mappings: { ...RESOLUTION_MAPPINGS, _meta: { design: RESOLUTION_DESIGN_VERSION } },
        aliases: { [this.options.alias]: {} },
      };
      const index = encodeURIComponent(`${this.options.alias}-${RESOLUTION_DESIGN_VERSION}`);
      await this.#cluster.call('PUT', `/${index}`, { body, ignore: [400], retry: this.options.writeRetry });
    })().catch((error) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async upsert(signals: readonly Signal[]): Promise<void> {
    await this.#write(
      signals.map((signal) => ({
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
        },
      })),
    );
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
    if (plan.terms.length === 0 || limit <= 0) return [];
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
    const { statusCode, body: result } = await this.#cluster.call<SignalHits>('POST', `/${this.#alias}/_search`, {
      body,
      ignore: [404],
      retry: this.options.readRetry,
    });
    if (statusCode === 404) return [];
    return result.hits.hits.flatMap((hit) => {
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

  /** Every signal, paged in key order (as of the last refresh, about a second behind writes). */
  async all(): Promise<Signal[]> {
    const signals: Signal[] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const body = { size: 5_000, _source: ['signal'], sort: [{ key: 'asc' }], ...(after ? { search_after: after } : {}) };
      const { statusCode, body: page } = await this.#cluster.call<SignalHits>('POST', `/${this.#alias}/_search`, {
        body,
        ignore: [404],
        retry: this.options.readRetry,
      });
      if (statusCode === 404) return signals;
      for (const hit of page.hits.hits) if (hit._source?.signal) signals.push(hit._source.signal);
      if (page.hits.hits.length < body.size) return signals;
      after = page.hits.hits.at(-1)?.sort;
    }
  }

  /**
   * The gap report's inputs, as core/resolutions/gap-signals.ts's `gapSignalsOf` reads them from
   * memory: counters from a composite aggregation (one bucket per runbook and kind, paged), counts
   * from filters, and each list a sorted search of at most `limit` signals.
   */
  async gapSignals(limit: number): Promise<GapSignals> {
    await this.ensureIndex();
    const newest = async (filter: readonly Record<string, unknown>[]): Promise<Signal[]> => {
      if (limit <= 0) return [];
      const body = { size: limit, _source: ['signal'], query: { bool: { filter } }, sort: [{ at: 'desc' }, { key: 'asc' }] };
      const { body: page } = await this.#cluster.call<SignalHits>('POST', `/${this.#alias}/_search`, {
        body,
        retry: this.options.readRetry,
      });
      return page.hits.hits.flatMap((hit) => (hit._source?.signal ? [hit._source.signal] : []));
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
      key: { runbookId: string; kind: string };
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
            aggs: { last: { top_hits: { size: 1, sort: [{ at: 'desc' }], _source: ['signal.at'] } } },
          },
        },
      };
      const { body: result } = await this.#cluster.call<{
        aggregations: { used: { buckets: Bucket[]; after_key?: Record<string, string> } };
      }>('POST', `/${this.#alias}/_search`, { body, retry: this.options.readRetry });
      const { buckets, after_key } = result.aggregations.used;
      for (const { key, doc_count: n, last } of buckets) {
        const u = usage.get(key.runbookId) ?? emptyUsage();
        if (key.kind === 'resolved') u.resolved += n;
        else if (key.kind === 'workaround') u.workaround += n;
        else if (key.kind === 'not-helpful') u.notHelpful += n;
        else if (key.kind === 'helpful') u.helpful += n;
        else if (key.kind === 'flag') u.flagged += n;
        // Everything but "did not help" counts as using the runbook (usageBySignals' polarity ≥ 0).
        const at = last.hits.hits[0]?._source?.signal?.at;
        if (key.kind !== 'not-helpful' && at && (!u.lastUsed || Date.parse(at) > Date.parse(u.lastUsed))) u.lastUsed = at;
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
    const { body: result } = await this.#cluster.call<{
      hits: { total: { value: number } };
      aggregations: { linked: { doc_count: number } };
    }>('POST', `/${this.#alias}/_search`, { body, retry: this.options.readRetry });
    return { total: result.hits.total.value, linked: result.aggregations.linked.doc_count };
  }

  /** Makes every write so far searchable (tests; OpenSearch does so by itself within a second). */
  async refresh(): Promise<void> {
    await this.#cluster.call('POST', `/${this.#alias}/_refresh`, { ignore: [404], retry: this.options.writeRetry });
  }
}
