import MiniSearch, { type SearchResult } from 'minisearch';
import type { CompiledRunbook, Tier } from '../../core/runbook/model.ts';
import { analyzeToken, tokenize } from '../../core/search/analyze.ts';
import { splitCommonTerms } from '../../core/search/common-terms.ts';
import { PHRASE_WEIGHT, passesFilters, type SearchDoc, searchDocument } from '../../core/search/documents.ts';
import type { DenseHit, FacetCounts, LexicalResult, RunbookHit } from '../../core/search/engine-result.ts';
import { SEARCH_FIELDS, type SearchField } from '../../core/search/options.ts';
import type { PlannedTerm, QueryPlan } from '../../core/search/plan.ts';
import { type Embedder, sameModel } from '../../ports/embedder.ts';
import type { IndexReport, IndexStats, RunbookIndex } from '../../ports/runbook-index.ts';
import { embedRunbooks } from '../runbook-vectors.ts';
import type { ModelRef } from './index-artifact.ts';
import { VectorStore } from './vector-store.ts';

/** Index terms whose runbook counts are kept between changes to the index. */
const FREQUENCY_CACHE_SIZE = 10_000;

type Stored = Pick<SearchDoc, 'tier' | 'category' | 'state' | 'audience'>;

/**
 * The in-process engine (MiniSearch): what `npm start` runs on, with no server to install.
 * Documents are analysed with the same tokenizer and stemmer the query planner uses.
 */
export class EmbeddedRunbookIndex implements RunbookIndex {
  #engine = new MiniSearch<SearchDoc>(this.#engineOptions());
  readonly #runbooks = new Map<string, CompiledRunbook>();
  /** Every term ever indexed: typo tolerance is only tried for words the index does not know. */
  readonly #vocabulary = new Set<string>();
  /** Runbooks per index term, for the common-terms split; emptied whenever the index changes. */
  readonly #frequencies = new Map<string, number>();
  readonly #embedder: Embedder | undefined;
  readonly #keepEmbedding: (() => boolean) | undefined;
  #vectors: VectorStore | undefined;
  /** The model behind the vectors: the embedder's, or a restored snapshot's. */
  #model: ModelRef | undefined;

  /**
   * With an embedder, every runbook also gets a meaning vector, and plans with a vector get dense
   * hits. `keepEmbedding` is asked before each slice of runbooks is embedded: once it says no (a
   * Lambda near its time limit), the rest are indexed by their words only, and `embedMissing`
   * embeds them later (`withoutVectors` counts them).
   */
  constructor(options: EmbeddedIndexOptions = {}) {
    this.#embedder = options.embedder;
    this.#keepEmbedding = options.keepEmbedding;
    this.#vectors = options.embedder ? new VectorStore(options.embedder.dimension, PHRASE_WEIGHT) : undefined;
    this.#model = options.embedder ? { id: options.embedder.modelId, dimension: options.embedder.dimension } : undefined;
  }

  /** The model behind the vectors, recorded so that vectors of another model are never compared. */
  get modelId(): string | undefined {
    return this.#model?.id;
  }

  /**
   * Embeds the runbooks that have no vectors yet (restored from a snapshot of another model, or
   * of none, or indexed while `keepEmbedding` said no). Their vectors arrive together, when all
   * are embedded: runbooks are never ranked half by meaning, half by words alone. Returns how
   * many; none without an embedder.
   */
  async embedMissing(): Promise<number> {
    const vectors = this.#vectors;
    if (!vectors) return 0;
    const missing = [...this.#runbooks.values()].filter((r) => !vectors.get(r.id));
    const embedded = await this.#embed(missing);
    let added = 0;
    for (const runbook of missing) {
      // The model may take minutes (a large library served by words meanwhile): a runbook saved or
      // deleted in that time keeps what its change gave it, not vectors of its former text.
      if (this.#runbooks.get(runbook.id) !== runbook || vectors.get(runbook.id)) continue;
      const [main, ...phrases] = embedded.get(runbook.id) ?? [];
      if (!main) continue;
      vectors.set(runbook.id, main, phrases);
      added++;
    }
    return added;
  }

  get wordsOnly(): boolean {
    return this.withoutVectors > 0;
  }

  /**
   * Runbooks indexed without vectors though the index has a model (see `keepEmbedding`): a
   * difference of counts, since vectors are only ever kept for indexed runbooks (read per answer).
   */
  get withoutVectors(): number {
    return this.#vectors && this.#embedder ? this.#runbooks.size - this.#vectors.size : 0;
  }

  /** Vectors for runbooks, within the time `keepEmbedding` allows; none without an embedder. */
  #embed(runbooks: readonly CompiledRunbook[]): Promise<Map<string, Float32Array[]>> {
    return this.#embedder ? embedRunbooks(this.#embedder, runbooks, this.#keepEmbedding) : Promise.resolve(new Map());
  }

  /**
   * With `vectors: 'later'`, changed runbooks are indexed by their words only and `embedMissing`
   * embeds them (a large library served by words while the model works).
   */
  async upsert(runbooks: readonly CompiledRunbook[], options: { vectors?: 'now' | 'later' } = {}): Promise<IndexReport> {
    const changed = runbooks.filter((r) => this.#runbooks.get(r.id)?.hash !== r.hash);
    // Embed first: a model failure then leaves the index as it was.
    const embedded = options.vectors === 'later' ? new Map<string, Float32Array[]>() : await this.#embed(changed);
    this.#frequencies.clear();
    for (const runbook of changed) {
      this.#discard(runbook.id);
      this.#engine.add(searchDocument(runbook));
      this.#runbooks.set(runbook.id, runbook);
      const [main, ...phrases] = embedded.get(runbook.id) ?? [];
      if (main) this.#vectors?.set(runbook.id, main, phrases);
    }
    return { indexed: changed.length, unchanged: runbooks.length - changed.length, failed: [] };
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#discard(id);
  }

  #discard(id: string): void {
    this.#frequencies.clear();
    if (this.#engine.has(id)) this.#engine.discard(id);
    this.#runbooks.delete(id);
    this.#vectors?.delete(id);
  }

  async search(plan: QueryPlan): Promise<LexicalResult> {
    const facets: FacetCounts = { tier: {}, category: {}, state: {} };
    const filtered = isFiltered(plan);
    if (plan.terms.length === 0) return { hits: [], total: 0, facets };
    const planned = new Map(plan.terms.map((t) => [t.term, t]));
    const { rare, common } = splitCommonTerms(
      plan.terms,
      (t) => (t.prefix || this.#typoTolerant(t) ? undefined : this.#documentFrequency(t.term)),
      this.#engine.documentCount,
    );
    let results = this.#match(rare, plan, { filtered });
    if (common.length > 0) {
      // Nothing rarer matched (a word no runbook has): the common words are all there is to go on.
      if (results.length === 0) results = this.#match(plan.terms, plan, { filtered });
      else {
        // MiniSearch builds an object per runbook and term it scores, which is most of its time:
        // the common words rank the runbooks the engine returns, not all the rarer words found.
        const top = new Set(results.slice(0, plan.window).map((r) => String(r.id)));
        results = withCommonTerms(results, this.#match(common, plan, { only: top }));
      }
    }
    for (const r of results) {
      const doc = r as unknown as Stored;
      facets.tier[doc.tier] = (facets.tier[doc.tier] ?? 0) + 1;
      if (doc.category) facets.category[doc.category] = (facets.category[doc.category] ?? 0) + 1;
      facets.state[doc.state] = (facets.state[doc.state] ?? 0) + 1;
    }
    return { hits: results.slice(0, plan.window).map((r) => toHit(r, planned)), total: results.length, facets };
  }

  /**
   * MiniSearch's results for some of a plan's terms. `only` scores the terms for those runbooks
   * alone: MiniSearch skips a runbook whose document boost is 0 before it builds a result for it.
   */
  #match(terms: readonly PlannedTerm[], plan: QueryPlan, scope: { filtered?: boolean; only?: ReadonlySet<string> }): SearchResult[] {
    const boosts = plan.runbookBoosts;
    const only = scope.only;
    const boostDocument = only
      ? (id: string) => (only.has(id) ? (boosts[id] ?? 1) : 0)
      : Object.keys(boosts).length > 0
        ? (id: string) => boosts[id] ?? 1
        : undefined;
    const byTerm = new Map(terms.map((t) => [t.term, t]));
    return this.#engine.search([...byTerm.keys()].join(' '), {
      boost: plan.boosts,
      combineWith: 'OR',
      boostTerm: (term) => byTerm.get(term)?.weight ?? 1,
      fuzzy: (term) => {
        const planned = byTerm.get(term);
        return planned && this.#typoTolerant(planned) ? 0.2 : false;
      },
      prefix: (term) => byTerm.get(term)?.prefix ?? false,
      // Callbacks run once per matching posting: pass them only when they have work to do.
      ...(scope.filtered ? { filter: (result: SearchResult) => passesFilters(result as unknown as Stored, plan.filters) } : {}),
      ...(boostDocument ? { boostDocument } : {}),
    });
  }

  /** Typo tolerance is only tried for words the index does not know. */
  #typoTolerant(term: PlannedTerm): boolean {
    return term.fuzzy && !this.#vocabulary.has(term.term);
  }

  /**
   * How many runbooks hold an index term, counted once per term until the index changes (a
   * boost callback that counts and returns 0 visits the postings without building results).
   */
  #documentFrequency(term: string): number {
    let count = this.#frequencies.get(term);
    if (count === undefined) {
      const seen = new Set<string>();
      this.#engine.search(term, {
        prefix: false,
        fuzzy: false,
        boostDocument: (id) => {
          seen.add(id);
          return 0;
        },
      });
      count = seen.size;
      // Queries are open-ended text: the cache must not grow with every word ever searched.
      if (this.#frequencies.size >= FREQUENCY_CACHE_SIZE) this.#frequencies.clear();
      this.#frequencies.set(term, count);
    }
    return count;
  }

  async nearest(plan: QueryPlan): Promise<DenseHit[] | undefined> {
    if (!plan.vector || !this.#vectors) return undefined;
    // The fields the lexical engine stores for filtering serve here too: no object per runbook.
    const accept = isFiltered(plan)
      ? (id: string) => {
          const stored = this.#engine.getStoredFields(id) as Stored | undefined;
          return !!stored && passesFilters(stored, plan.filters);
        }
      : undefined;
    return this.#vectors.nearest(plan.vector, plan.denseWindow, accept, plan.learned);
  }

  async get(ids: readonly string[]): Promise<CompiledRunbook[]> {
    return ids.flatMap((id) => this.#runbooks.get(id) ?? []);
  }

  async hashes(): Promise<Map<string, string>> {
    return new Map([...this.#runbooks].map(([id, r]) => [id, r.hash]));
  }

  async stats(): Promise<IndexStats> {
    const byTier: Partial<Record<Tier, number>> = {};
    let sections = 0;
    for (const r of this.#runbooks.values()) {
      byTier[r.meta.tier] = (byTier[r.meta.tier] ?? 0) + 1;
      sections += r.sections.length;
    }
    const waiting = this.withoutVectors;
    return { runbooks: this.#runbooks.size, sections, byTier, ...(waiting > 0 ? { withoutVectors: waiting } : {}) };
  }

  #engineOptions(): ConstructorParameters<typeof MiniSearch<SearchDoc>>[0] {
    return {
      fields: [...SEARCH_FIELDS],
      storeFields: ['tier', 'category', 'state', 'audience'],
      tokenize,
      processTerm: (term) => {
        const analyzed = analyzeToken(term);
        if (analyzed) this.#vocabulary.add(analyzed);
        return analyzed ?? null;
      },
      // Queries arrive as analysed terms from the planner; MiniSearch must not analyse them again.
      searchOptions: { tokenize: (text) => text.split(' '), processTerm: (term) => term },
      // MiniSearch cleans removed runbooks out of its index in batches, pausing between them; a
      // search or an update in a pause changed the tree it was walking, and the clean-up threw
      // outside any caller (an unhandled rejection ends a Node process). With no batch limit it
      // never pauses: it runs to the end inside the removal that started it (once a tenth of the
      // index is removed entries: 155 ms for removing 1,000 of 10,000 runbooks, the pass included).
      autoVacuum: { batchSize: Number.POSITIVE_INFINITY },
    };
  }

  /**
   * What an index artifact keeps of this index (adapters/embedded/index-artifact.ts): the compiled
   * runbooks, MiniSearch's own serialised index and, with a model, each runbook's vectors (views:
   * serialise them before changing the index), so a reader loads it without analysing any text
   * or running the model.
   */
  snapshot(): EmbeddedIndexSnapshot {
    const vectors = this.#vectors;
    const model = this.#model;
    const byId = new Map<string, Float32Array[]>();
    if (vectors) for (const id of this.#runbooks.keys()) byId.set(id, vectors.get(id) ?? []);
    return {
      runbooks: [...this.#runbooks.values()],
      engine: this.#engine.toJSON(),
      ...(vectors && model ? { vectors: { model, byId } } : {}),
    };
  }

  /**
   * An index from `snapshot()`'s output, already parsed: nothing is parsed twice. The snapshot's
   * vectors are kept when they are of the embedder's model, or when there is no embedder (the
   * API: its queries are embedded by the search service, which checks the model first); with an
   * embedder of another model they are dropped, and `embedMissing` makes new ones.
   */
  static restore(snapshot: EmbeddedIndexSnapshot, options: EmbeddedIndexOptions = {}): EmbeddedRunbookIndex {
    const index = new EmbeddedRunbookIndex(options);
    index.#engine = MiniSearch.loadJS<SearchDoc>(snapshot.engine, index.#engineOptions());
    for (const [term] of snapshot.engine.index) index.#vocabulary.add(term);
    for (const runbook of snapshot.runbooks) index.#runbooks.set(runbook.id, runbook);
    const saved = snapshot.vectors;
    if (saved && (!index.#model || sameModel(index.#model, saved.model))) {
      index.#model = saved.model;
      const store = index.#vectors ?? new VectorStore(saved.model.dimension, PHRASE_WEIGHT);
      for (const [id, [main, ...phrases]] of saved.byId) if (main) store.set(id, main, phrases);
      index.#vectors = store;
    }
    return index;
  }
}

/**
 * Adds the scores of common terms, found for the rarer terms' results only, to those results.
 * MiniSearch scores a runbook as the sum over matched terms times how many query terms matched,
 * so the sums are added and multiplied again by all matched terms: the same score a single search
 * for every term gives the runbook.
 */
function withCommonTerms(results: readonly SearchResult[], common: readonly SearchResult[]): SearchResult[] {
  const byId = new Map(common.map((c) => [c.id, c]));
  return results
    .map((r) => {
      const c = byId.get(r.id);
      if (!c) return r;
      const sum = r.score / Math.max(1, r.queryTerms.length) + c.score / Math.max(1, c.queryTerms.length);
      const queryTerms = [...r.queryTerms, ...c.queryTerms];
      const match: SearchResult['match'] = { ...r.match };
      for (const [term, fields] of Object.entries(c.match)) match[term] = [...new Set([...(match[term] ?? []), ...fields])];
      return { ...r, score: sum * queryTerms.length, queryTerms, terms: Object.keys(match), match };
    })
    .sort((a, b) => b.score - a.score);
}

/** How an EmbeddedRunbookIndex embeds its runbooks (see its constructor). */
export interface EmbeddedIndexOptions {
  embedder?: Embedder;
  keepEmbedding?: () => boolean;
}

/** The serialisable state of an EmbeddedRunbookIndex (see `snapshot`). */
export interface EmbeddedIndexSnapshot {
  runbooks: CompiledRunbook[];
  engine: ReturnType<MiniSearch['toJSON']>;
  /** Each runbook's vectors (main, then one per symptom phrase) and the model that made them. */
  vectors?: { model: ModelRef; byId: ReadonlyMap<string, readonly Float32Array[]> };
}

/**
 * MiniSearch reports matches by the index term that matched; with typos or prefixes that is not
 * the query's term, so it is mapped back to the planned term it came from (via `queryTerms`).
 */
function toHit(result: SearchResult, planned: ReadonlyMap<string, unknown>): RunbookHit {
  const matches: Record<string, SearchField[]> = {};
  const approximate = result.queryTerms.filter((q) => !(q in result.match));
  for (const [term, fields] of Object.entries(result.match)) {
    const queryTerm = planned.has(term) ? term : (approximate[0] ?? term);
    matches[queryTerm] = [...new Set([...(matches[queryTerm] ?? []), ...(fields as SearchField[])])];
  }
  return { runbookId: String(result.id), score: result.score, matches };
}

/** Whether any of the plan's filters restricts the runbooks (none does by default). */
function isFiltered(plan: QueryPlan): boolean {
  return Object.values(plan.filters).some((f) => f !== undefined && (!Array.isArray(f) || f.length > 0));
}
