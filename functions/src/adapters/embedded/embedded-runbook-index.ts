import MiniSearch, { type SearchResult } from 'minisearch';
import type { CompiledRunbook, Tier } from '../../core/runbook/model.ts';
import { analyzeToken, tokenize } from '../../core/search/analyze.ts';
import { passesFilters, type SectionDoc, sectionDocuments } from '../../core/search/documents.ts';
import type { EngineResult, FacetCounts, SectionHit } from '../../core/search/engine-result.ts';
import { SEARCH_FIELDS, type SearchField } from '../../core/search/options.ts';
import type { QueryPlan } from '../../core/search/plan.ts';
import type { IndexReport, IndexStats, RunbookIndex } from '../../ports/runbook-index.ts';

type Stored = Pick<SectionDoc, 'runbookId' | 'anchor' | 'tier' | 'category' | 'state' | 'audience'>;

/**
 * The in-process engine (MiniSearch): what `npm start` runs on, with no server to install.
 * Section documents are analysed with the same tokenizer and stemmer the query planner uses.
 */
export class EmbeddedRunbookIndex implements RunbookIndex {
  constructor(private readonly bm25?: { k: number; b: number; d: number }) {}

  readonly #engine = new MiniSearch<SectionDoc>({
    fields: [...SEARCH_FIELDS],
    storeFields: ['runbookId', 'anchor', 'tier', 'category', 'state', 'audience'],
    tokenize,
    processTerm: (term) => {
      const analyzed = analyzeToken(term);
      if (analyzed) this.#vocabulary.add(analyzed);
      return analyzed ?? null;
    },
    // Queries arrive as analysed terms from the planner; MiniSearch must not analyse them again.
    searchOptions: { tokenize: (text) => text.split(' '), processTerm: (term) => term },
  });
  readonly #runbooks = new Map<string, CompiledRunbook>();
  readonly #sections = new Map<string, string[]>();
  /** Every term ever indexed: typo tolerance is only tried for words the index does not know. */
  readonly #vocabulary = new Set<string>();

  async upsert(runbooks: readonly CompiledRunbook[]): Promise<IndexReport> {
    let indexed = 0;
    let unchanged = 0;
    for (const runbook of runbooks) {
      if (this.#runbooks.get(runbook.id)?.hash === runbook.hash) {
        unchanged++;
        continue;
      }
      this.#discard(runbook.id);
      const docs = sectionDocuments(runbook);
      this.#engine.addAll(docs);
      this.#sections.set(runbook.id, docs.map((d) => d.id));
      this.#runbooks.set(runbook.id, runbook);
      indexed++;
    }
    return { indexed, unchanged, failed: [] };
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#discard(id);
  }

  #discard(id: string): void {
    for (const docId of this.#sections.get(id) ?? []) this.#engine.discard(docId);
    this.#sections.delete(id);
    this.#runbooks.delete(id);
  }

  async search(plan: QueryPlan): Promise<EngineResult> {
    const facets: FacetCounts = { tier: {}, category: {}, state: {} };
    if (plan.terms.length === 0) return { sections: [], total: 0, facets };
    const weights = new Map(plan.terms.map((t) => [t.term, t]));
    const results = this.#engine.search(plan.terms.map((t) => t.term).join(' '), {
      boost: plan.boosts,
      combineWith: 'OR',
      ...(this.bm25 ? { bm25: this.bm25 } : {}),
      boostTerm: (term) => weights.get(term)?.weight ?? 1,
      fuzzy: (term) => (weights.get(term)?.fuzzy && !this.#vocabulary.has(term) ? 0.2 : false),
      prefix: (term) => weights.get(term)?.prefix ?? false,
      filter: (result) => passesFilters(result as unknown as Stored, plan.filters),
      boostDocument: (_id, _term, stored) => plan.runbookBoosts[(stored as Stored | undefined)?.runbookId ?? ''] ?? 1,
    });
    const seen = new Map<string, Stored>();
    for (const r of results) {
      const stored = r as unknown as Stored;
      if (!seen.has(stored.runbookId)) seen.set(stored.runbookId, stored);
    }
    for (const doc of seen.values()) {
      facets.tier[doc.tier] = (facets.tier[doc.tier] ?? 0) + 1;
      if (doc.category) facets.category[doc.category] = (facets.category[doc.category] ?? 0) + 1;
      facets.state[doc.state] = (facets.state[doc.state] ?? 0) + 1;
    }
    return { sections: results.slice(0, plan.window).map((r) => toHit(r, plan)), total: seen.size, facets };
  }

  async get(ids: readonly string[]): Promise<CompiledRunbook[]> {
    return ids.flatMap((id) => this.#runbooks.get(id) ?? []);
  }

  async hashes(): Promise<Map<string, string>> {
    return new Map([...this.#runbooks].map(([id, r]) => [id, r.hash]));
  }

  async stats(): Promise<IndexStats> {
    const byTier: Partial<Record<Tier, number>> = {};
    for (const r of this.#runbooks.values()) byTier[r.meta.tier] = (byTier[r.meta.tier] ?? 0) + 1;
    return { runbooks: this.#runbooks.size, sections: this.#engine.documentCount, byTier };
  }
}

/**
 * MiniSearch reports matches by the index term that matched; with typos or prefixes that is not
 * the query's term, so it is mapped back to the planned term it came from (via `queryTerms`).
 */
function toHit(result: SearchResult, plan: QueryPlan): SectionHit {
  const stored = result as unknown as Stored;
  const matches: Record<string, SearchField[]> = {};
  const planned = new Set(plan.terms.map((t) => t.term));
  const approximate = result.queryTerms.filter((q) => !(q in result.match));
  for (const [term, fields] of Object.entries(result.match)) {
    const queryTerm = planned.has(term) ? term : (approximate[0] ?? term);
    matches[queryTerm] = [...new Set([...(matches[queryTerm] ?? []), ...(fields as SearchField[])])];
  }
  return { runbookId: stored.runbookId, anchor: stored.anchor, score: result.score, matches };
}
