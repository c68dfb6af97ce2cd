import { LRUCache } from 'lru-cache';
import type {
  RunbookResponse,
  SearchHit,
  SearchQuery,
  SearchResponse,
  Suggestion,
  SuggestRequest,
  SuggestResponse,
} from '../contracts/api.ts';
import type { CompiledRunbook, Section, Tier } from '../core/runbook/model.ts';
import { isStale } from '../core/runbook/stale.ts';
import { bestSection } from '../core/search/best-section.ts';
import { confidenceOf } from '../core/search/confidence.ts';
import type { EngineResult, RunbookHit } from '../core/search/engine-result.ts';
import { escalationFor } from '../core/search/escalation.ts';
import type { FusedHit } from '../core/search/fuse.ts';
import type { SearchOptions } from '../core/search/options.ts';
import { planQuery, type QueryPlan, type SearchFilters } from '../core/search/plan.ts';
import { type EscalationQueues, NO_QUEUES } from '../core/search/queues.ts';
import { isSpecific, rankHits } from '../core/search/rank.ts';
import { makeSnippet } from '../core/search/snippet.ts';
import { matchStrength, withoutWeakTail } from '../core/search/strength.ts';
import type { SynonymSet } from '../core/search/synonyms.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';
import type { LearningService } from './learning-service.ts';

export interface SearchServiceDeps {
  index: RunbookIndex;
  synonyms: SynonymSet;
  /** Team names and each tier's default queue (taxonomy.yaml): who escalation advice names when no runbook does. */
  queues?: EscalationQueues;
  options: SearchOptions;
  /** YYYY-MM-DD, for stale flags. */
  today: () => string;
  /** Gives queries a meaning vector for hybrid retrieval; lexical only without one. */
  embedder?: Embedder;
  /** Query vectors kept for repeated texts (10,000 by default; 0 computes every one, as the bench measures). */
  vectorCacheSize?: number;
  /** What past tickets and feedback say about a query (boosts, similar resolutions); none by default. */
  learning?: Pick<LearningService, 'neighbours' | 'phrasing' | 'weigh'>;
  /**
   * Answers kept for repeated requests (agents retype the same words; ticket systems retry).
   * Entries expire after `ttlMs`, and `invalidate()` drops them all when the index changes.
   */
  cache?: { max: number; ttlMs: number };
}

type Cached = Omit<SearchResponse, 'tookMs'> | Omit<SuggestResponse, 'tookMs'>;

function sectionRef(runbook: CompiledRunbook, section: Section | undefined) {
  return { anchor: section?.anchor ?? 'top', heading: section?.heading ?? runbook.meta.title, kind: section?.kind ?? 'other' };
}

/** Weights of the planned terms a hit matched: what picks its best section. */
function matchedWeights(hit: RunbookHit, plan: QueryPlan): Map<string, number> {
  return new Map(plan.terms.filter((t) => hit.matches[t.term]).map((t) => [t.term, t.weight]));
}

/** The search and suggested-fix use cases, over any RunbookIndex. Entry points stay thin around it. */
export class SearchService {
  readonly #cache: LRUCache<string, Cached> | undefined;
  /** Query vectors by text: the model is the slowest step of a query, and help desks repeat themselves. */
  readonly #vectors: LRUCache<string, Float32Array> | undefined;

  constructor(private readonly deps: SearchServiceDeps) {
    this.#cache = deps.cache ? new LRUCache({ max: deps.cache.max, ttl: deps.cache.ttlMs }) : undefined;
    const vectors = deps.vectorCacheSize ?? 10_000;
    this.#vectors = vectors > 0 ? new LRUCache({ max: vectors }) : undefined;
  }

  async #vectorOf(text: string): Promise<Float32Array | undefined> {
    const { embedder } = this.deps;
    if (!embedder || !text.trim()) return undefined;
    let vector = this.#vectors?.get(text);
    if (!vector) {
      [vector] = await embedder.embed([text]);
      if (vector) this.#vectors?.set(text, vector);
    }
    return vector;
  }

  /** `{ wordsOnly: true }` while the index finds runbooks by words alone (RunbookIndex.wordsOnly), read before an answer is computed (and cached with it). */
  #byWords(): { wordsOnly?: true } {
    return this.deps.embedder && this.deps.index.wordsOnly ? { wordsOnly: true } : {};
  }

  /** Forget cached answers: call after the index or the feedback behind it changed. */
  invalidate(): void {
    this.#cache?.clear();
  }

  async #cached<T extends Cached>(key: string, compute: () => Promise<T>): Promise<T & { tookMs: number }> {
    const started = performance.now();
    const hit = this.#cache?.get(key) as T | undefined;
    const value = hit ?? (await compute());
    if (!hit) this.#cache?.set(key, value);
    return { ...value, tookMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  /** Swaps the synonym set (synonyms.txt changed): no reindex needed, synonyms apply at query time. */
  setSynonyms(synonyms: SynonymSet): void {
    this.deps.synonyms = synonyms;
    this.invalidate();
  }

  /** Swaps the escalation queues (taxonomy.yaml changed): they apply to the next answer, no reindex needed. */
  setQueues(queues: EscalationQueues): void {
    this.deps.queues = queues;
    this.invalidate();
  }

  /** Runs a plan on the engine with the query's meaning, fuses lexical and dense hits, applies what past tickets say. */
  async #run(
    plan: QueryPlan,
    text: string,
  ): Promise<{
    matches: FusedHit[];
    runbooks: Map<string, CompiledRunbook>;
    total: number;
    facets: SearchResponse['facets'];
    similar: SuggestResponse['similarResolutions'];
    /** Whether meaning took part: fused scores are then 0–1 strengths rather than engine scores. */
    hybrid: boolean;
  }> {
    const { index, learning, options } = this.deps;
    // Words first (the plan without its vector), asked before the model embeds the query: a
    // cluster works on them meanwhile (the model holds this thread while it runs, so the request
    // is let out first). Then the past tickets, and meaning once, with what they decide: whether
    // past tickets' wording counts as the runbooks' phrasing.
    const asked = index.search(plan);
    asked.catch(() => {}); // awaited below; not an unhandled rejection while the model runs
    if (this.deps.embedder) await new Promise((resolve) => setImmediate(resolve));
    const vector = await this.#vectorOf(text);
    const meant: QueryPlan = vector ? { ...plan, vector } : plan;
    const [words, neighbours] = await Promise.all([asked, learning ? learning.neighbours(meant) : []]);
    const runbooks = await this.#runbooksOf(words, new Map());
    const specific = isSpecific(plan, words, runbooks, options);
    // The wording of past tickets expands the runbooks that fixed them, unless the query's words
    // already settle it: an alert's neighbours are alerts of its family, which would outvote it.
    const phrasing = specific || !learning ? new Map<string, number>() : learning.phrasing(neighbours);
    const dense = vector ? await index.nearest(phrasing.size > 0 ? { ...meant, learned: phrasing } : meant) : undefined;
    const result: EngineResult = dense ? { ...words, dense } : words;
    await this.#runbooksOf(result, runbooks);
    const bestRunbookSimilarity = result.dense?.[0]?.similarity;
    const learned = learning
      ? learning.weigh(neighbours, { specific, ...(bestRunbookSimilarity === undefined ? {} : { bestRunbookSimilarity }) })
      : { boosts: {}, similar: [] };
    const matches = rankHits(plan, result, runbooks, learned.boosts, options);
    // A runbook found only by meaning adds to the count of matches.
    const extra = matches.filter((h) => h.meaningOnly).length;
    const hybrid = (result.dense ?? []).length > 0;
    return { matches, runbooks, total: result.total + extra, facets: result.facets, similar: learned.similar, hybrid };
  }

  /** Adds to `known` the runbooks of a result's lexical and dense hits it lacks, and returns it. */
  async #runbooksOf(result: EngineResult, known: Map<string, CompiledRunbook>): Promise<Map<string, CompiledRunbook>> {
    const ids = new Set([...result.hits.map((m) => m.runbookId), ...(result.dense ?? []).map((d) => d.runbookId)]);
    const missing = [...ids].filter((id) => !known.has(id));
    if (missing.length > 0) for (const r of await this.deps.index.get(missing)) known.set(r.id, r);
    return known;
  }

  search(query: SearchQuery): Promise<SearchResponse> {
    return this.#cached(`search\0${JSON.stringify(query)}`, () => this.#search(query));
  }

  async #search(query: SearchQuery): Promise<Omit<SearchResponse, 'tookMs'>> {
    const byWords = this.#byWords();
    const filters: SearchFilters = {
      states: query.state ?? this.deps.options.defaultStates,
      ...(query.tier ? { tiers: query.tier } : {}),
      ...(query.category ? { categories: query.category } : {}),
      ...(query.audience ? { audience: query.audience } : {}),
    };
    const plan = planQuery({ text: query.q, filters, asYouType: true }, this.deps.synonyms, this.deps.options);
    const { matches, runbooks, total, facets, hybrid } = await this.#run(plan, query.q);
    const topScore = matches[0]?.score ?? 0;
    const graded = matches.map((m) => ({
      m,
      runbook: runbooks.get(m.runbookId) as CompiledRunbook,
      strength: matchStrength(confidenceFor(m, m.score, topScore, plan, hybrid), this.deps.options),
      worded: !m.meaningOnly,
    }));
    const { shown, weaker } = withoutWeakTail(graded, query.all ?? false);
    const today = this.deps.today();
    const hits: SearchHit[] = shown.slice(query.offset, query.offset + query.limit).map(({ m, runbook, strength }) => {
      const section = bestSection(runbook, matchedWeights(m, plan));
      const terms = new Set(Object.keys(m.matches));
      const text = section?.text || runbook.meta.symptoms.join('. ');
      return {
        id: runbook.id,
        path: runbook.path,
        title: runbook.meta.title,
        tier: runbook.meta.tier,
        ...(runbook.meta.category ? { category: runbook.meta.category } : {}),
        state: runbook.meta.state,
        score: Math.round(m.score * 1000) / 1000,
        strength,
        snippet: makeSnippet(text, terms),
        section: sectionRef(runbook, section),
        stale: isStale(runbook.meta.reviewBy, today),
      };
    });
    // Weak matches left out are left out of the counts too: "3 runbooks" and "L1 (3)" agree with the list.
    if (weaker === 0) return { query: query.q, total, hits, weaker, facets, ...byWords };
    return { query: query.q, total: shown.length, hits, weaker, facets: facetsOf(shown.map((g) => g.runbook)), ...byWords };
  }

  /**
   * Suggested fixes for a ticket. With a requester tier, only runbooks whose audience includes it
   * are returned (own tier first); better matches the requester may not read become an escalation.
   */
  suggest(ticket: SuggestRequest): Promise<SuggestResponse> {
    return this.#cached(`suggest\0${JSON.stringify(ticket)}`, () => this.#suggest(ticket));
  }

  async #suggest(ticket: SuggestRequest): Promise<Omit<SuggestResponse, 'tookMs'>> {
    const byWords = this.#byWords();
    const { options } = this.deps;
    const filters: SearchFilters = {
      states: ['validated', 'not-validated'],
      ...(ticket.category ? { categories: [ticket.category] } : {}),
    };
    const plan = planQuery({ text: ticket.subject, context: ticket.description ?? '', filters }, this.deps.synonyms, options);
    const text = ticket.description ? `${ticket.subject}\n${ticket.description}` : ticket.subject;
    const { matches, runbooks, similar, hybrid } = await this.#run(plan, text);
    const requester = ticket.requesterTier;
    const topScore = matches[0]?.score ?? 0;
    const scored = matches.map((m) => {
      const runbook = runbooks.get(m.runbookId) as CompiledRunbook;
      const factor = requester && runbook.meta.tier !== requester ? options.otherTierFactor : 1;
      const score = m.score * factor;
      const confidence = confidenceFor(m, score, topScore, plan, hybrid);
      return { m, runbook, score, confidence };
    });
    const visible = scored.filter((s) => !requester || s.runbook.meta.audience.includes(requester));
    visible.sort((a, b) => b.score - a.score);
    const today = this.deps.today();
    const suggestions = visible
      .slice(0, ticket.limit)
      .map(({ m, runbook, score, confidence }) => toSuggestion(m, runbook, score, confidence, plan, today));
    const hidden = scored.filter((s) => requester && !s.runbook.meta.audience.includes(requester)).sort((a, b) => b.score - a.score);
    return {
      suggestions,
      escalation: escalationFor({ requester, visible, hidden, text }, options, { queues: this.deps.queues ?? NO_QUEUES }),
      similarResolutions: await this.#readable(similar, requester),
      ...byWords,
    };
  }

  /**
   * Past tickets a reader may see: one whose fix is a runbook outside their audience would tell
   * them what that runbook says, and one linked to no runbook says nothing about who may read it,
   * so a reader with a tier sees only tickets fixed by runbooks they can open.
   */
  async #readable(similar: SuggestResponse['similarResolutions'], requester: Tier | undefined) {
    if (!requester || similar.length === 0) return similar;
    const ids = [...new Set(similar.flatMap((r) => r.runbookId ?? []))];
    const readable = new Set((await this.deps.index.get(ids)).filter((r) => r.meta.audience.includes(requester)).map((r) => r.id));
    return similar.filter((r) => r.runbookId && readable.has(r.runbookId));
  }

  async runbook(id: string, audience?: Tier): Promise<RunbookResponse | undefined> {
    const [runbook] = await this.deps.index.get([id]);
    if (!runbook || (audience && !runbook.meta.audience.includes(audience))) return undefined;
    const related = await this.deps.index.get(runbook.meta.related);
    const titles = new Map(related.filter((r) => !audience || r.meta.audience.includes(audience)).map((r) => [r.id, r.meta.title]));
    const { meta } = runbook;
    return {
      id: runbook.id,
      path: runbook.path,
      title: meta.title,
      tier: meta.tier,
      ...(meta.category ? { category: meta.category } : {}),
      state: meta.state,
      symptoms: meta.symptoms,
      tags: meta.tags,
      ...(meta.owner ? { owner: meta.owner } : {}),
      audience: meta.audience,
      ...(meta.reviewBy ? { reviewBy: meta.reviewBy } : {}),
      stale: isStale(meta.reviewBy, this.deps.today()),
      ...(meta.escalateTo ? { escalateTo: meta.escalateTo } : {}),
      appliesTo: meta.appliesTo,
      related: meta.related
        .filter((rid) => titles.has(rid) || !audience)
        .map((rid) => ({ id: rid, ...(titles.has(rid) ? { title: titles.get(rid) as string } : {}) })),
      sections: runbook.sections.map((s) => ({ anchor: s.anchor, heading: s.heading, kind: s.kind })),
      steps: runbook.steps,
      html: runbook.html,
      hash: runbook.hash,
    };
  }
}

/**
 * A match's 0–1 confidence. A fused score is already a 0–1 strength of words and meaning together,
 * so it is the score the list is sorted by (`score`, after any tier factor); words alone fall back
 * to their coverage of the query.
 */
function confidenceFor(m: RunbookHit, score: number, topScore: number, plan: QueryPlan, hybrid: boolean): number {
  return hybrid ? Math.round(Math.min(1, score) * 100) / 100 : confidenceOf(plan.terms, m.matches, m.score, topScore);
}

/** Facet counts of the runbooks listed. */
function facetsOf(listed: readonly CompiledRunbook[]): SearchResponse['facets'] {
  const facets: SearchResponse['facets'] = { tier: {}, category: {}, state: {} };
  const count = (facet: Record<string, number>, value: string | undefined) => {
    if (value) facet[value] = (facet[value] ?? 0) + 1;
  };
  for (const { meta } of listed) {
    count(facets.tier, meta.tier);
    count(facets.category, meta.category);
    count(facets.state, meta.state);
  }
  return facets;
}

function toSuggestion(
  m: RunbookHit,
  runbook: CompiledRunbook,
  score: number,
  confidence: number,
  plan: QueryPlan,
  today: string,
): Suggestion {
  const weights = matchedWeights(m, plan);
  const section = bestSection(runbook, weights);
  // A suggestion leads to a fix: the best-matching fix section, when the runbook has several.
  const fix = section?.kind === 'fix' ? section : bestSection(runbook, weights, 'fix');
  const sources = new Map(plan.terms.map((t) => [t.term, t.source]));
  return {
    id: runbook.id,
    path: runbook.path,
    title: runbook.meta.title,
    tier: runbook.meta.tier,
    state: runbook.meta.state,
    score: Math.round(score * 1000) / 1000,
    confidence,
    section: sectionRef(runbook, section),
    fix: fix ? { anchor: fix.anchor, heading: fix.heading, steps: fix.steps ?? [] } : null,
    why: Object.entries(m.matches).map(([term, fields]) => ({ term: sources.get(term) ?? term, fields })),
    stale: isStale(runbook.meta.reviewBy, today),
  };
}
