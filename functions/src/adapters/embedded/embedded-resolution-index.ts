import MiniSearch from 'minisearch';
import { type GapSignals, gapSignalsOf } from '../../core/resolutions/gap-signals.ts';
import type { Signal } from '../../core/resolutions/model.ts';
import { analyzeToken, tokenize } from '../../core/search/analyze.ts';
import { coverage, type QueryPlan } from '../../core/search/plan.ts';
import type { Embedder } from '../../ports/embedder.ts';
import type { ResolutionIndex, SimilarSignal } from '../../ports/resolution-index.ts';
import { VectorStore } from './vector-store.ts';

interface SignalDoc {
  id: string;
  text: string;
  fix: string;
}

/**
 * Past tickets and feedback in the in-process engine, analysed like runbooks. With an embedder,
 * each signal's wording also gets a meaning vector, and a plan with a vector finds its nearest
 * past tickets by cosine: paraphrases of the same problem, whatever words they use.
 */
export class EmbeddedResolutionIndex implements ResolutionIndex {
  readonly #engine = new MiniSearch<SignalDoc>({
    fields: ['text', 'fix'],
    tokenize,
    processTerm: (term) => analyzeToken(term),
    searchOptions: { tokenize: (text) => text.split(' '), processTerm: (term) => term },
  });
  readonly #signals = new Map<string, Signal>();
  readonly #embedder: Embedder | undefined;
  readonly #vectors: VectorStore | undefined;

  constructor(options: { embedder?: Embedder } = {}) {
    this.#embedder = options.embedder;
    this.#vectors = options.embedder ? new VectorStore(options.embedder.dimension) : undefined;
  }

  async upsert(signals: readonly Signal[]): Promise<void> {
    const worded = signals.filter((s) => s.text.trim());
    // Embed first: a model failure then leaves the index as it was, and the indexer retries.
    const vectors = this.#embedder && worded.length > 0 ? await this.#embedder.embed(worded.map((s) => s.text)) : [];
    for (const signal of signals) {
      if (this.#engine.has(signal.key)) this.#engine.discard(signal.key);
      this.#engine.add({ id: signal.key, text: signal.text, fix: signal.resolution?.resolution ?? '' });
      this.#signals.set(signal.key, signal);
      this.#vectors?.delete(signal.key);
    }
    worded.forEach((signal, i) => {
      const vector = vectors[i];
      if (vector) this.#vectors?.set(signal.key, vector);
    });
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      if (this.#engine.has(key)) this.#engine.discard(key);
      this.#signals.delete(key);
      this.#vectors?.delete(key);
    }
  }

  async similar(plan: QueryPlan, limit: number): Promise<SimilarSignal[]> {
    // As OpenSearch answers: no room, no neighbours (VectorStore.nearest assumes a limit of 1 or more).
    if (this.#signals.size === 0 || limit <= 0) return [];
    if (plan.vector && this.#vectors) {
      return this.#vectors.nearest(plan.vector, limit).flatMap(({ runbookId: key, similarity }) => {
        const signal = this.#signals.get(key);
        return signal ? [{ signal, score: similarity, coverage: 0, similarity: Math.round(similarity * 1000) / 1000 }] : [];
      });
    }
    if (plan.terms.length === 0) return [];
    const weights = new Map(plan.terms.map((t) => [t.term, t.weight]));
    // The ticket's own words are what make two tickets alike; the resolver's fix text helps less.
    const results = this.#engine.search(plan.terms.map((t) => t.term).join(' '), {
      boost: { text: 2, fix: 0.5 },
      boostTerm: (term) => weights.get(term) ?? 1,
    });
    return results.slice(0, limit).flatMap((r) => {
      const signal = this.#signals.get(String(r.id));
      if (!signal) return [];
      const share = coverage(plan.terms, (term) => (r.match[term]?.includes('text') ? 1 : 0));
      return [{ signal, score: r.score, coverage: Math.round(share * 1000) / 1000 }];
    });
  }

  async all(): Promise<Signal[]> {
    return [...this.#signals.values()];
  }

  /** Read from memory: in-process, the signals themselves are the index (no I/O per signal). */
  async gapSignals(limit: number): Promise<GapSignals> {
    return gapSignalsOf([...this.#signals.values()], limit);
  }
}
