import type { DenseHit, FacetCounts, LexicalResult, RunbookHit } from '../../core/search/engine-result.ts';
import { SEARCH_FIELDS, type SearchField } from '../../core/search/options.ts';
import type { PlannedTerm, QueryPlan, SearchFilters } from '../../core/search/plan.ts';

/**
 * How approximate matches are weighed, as the embedded engine weighs them (MiniSearch's defaults:
 * fuzzy 0.45, prefix 0.375; typo budget 0.2 of a term's length), so that both engines rank alike.
 * Lucene allows at most 2 edits.
 */
export const QUERY_TUNING = {
  fuzzyWeight: 0.45,
  prefixWeight: 0.375,
  fuzzyShare: 0.2,
  maxEdits: 2,
  /** Index terms one fuzzy or prefix clause may expand to, at most (Lucene's default). */
  maxExpansions: 50,
  /** Leaf clauses a query may have; OpenSearch refuses more than 1,024 (indices.query.bool.max_clause_count). */
  clauseBudget: 1_000,
  /** Facet values returned per facet. */
  facetSize: 200,
} as const;

type Query = Record<string, unknown>;

/** Edits a planned term may take, like MiniSearch's `round(length × 0.2)`, capped at Lucene's 2. */
export function editsFor(term: string): number {
  return Math.min(QUERY_TUNING.maxEdits, Math.round(term.length * QUERY_TUNING.fuzzyShare));
}

/** Terms worth asking the index about: fuzzy ones, which only match with typos when the index does not know them. */
export function fuzzyCandidates(plan: QueryPlan): string[] {
  return plan.terms.filter((t) => t.fuzzy && editsFor(t.term) > 0).map((t) => t.term);
}

/** A request counting, per term, the runbooks that contain it in any field (0: the index does not know it). */
export function vocabularyRequest(terms: readonly string[]) {
  const anyField = (term: string) => ({ bool: { should: SEARCH_FIELDS.map((f) => ({ term: { [f]: term } })) } });
  return { size: 0, track_total_hits: false, aggs: Object.fromEntries(terms.map((t, i) => [`t${i}`, { filter: anyField(t) }])) };
}

const name = (i: number, field: SearchField) => `${i}|${field}`;

/**
 * The clauses of one planned term, one per field: the exact index term (planned terms are already
 * analysed, so `term` queries, not `match`: OpenSearch must not analyse or expand them again),
 * plus a typo-tolerant and a prefix variant when the plan asks. The prefix variant is a regexp
 * `term.+` so that it does not count the exact term twice (MiniSearch skips it as well). Scored
 * variants rewrite to `top_terms_N`, which scores each expansion by BM25 as MiniSearch does, where
 * the defaults would give them a constant or blended score. Unscored clauses (the coordination
 * filters) carry no boost or name.
 */
function termClauses(t: PlannedTerm, i: number, plan: QueryPlan, edits: number, prefix: boolean, scored: boolean): Query[] {
  const { maxExpansions, fuzzyWeight, prefixWeight } = QUERY_TUNING;
  const rewrite = scored ? { rewrite: `top_terms_${maxExpansions}` } : {};
  const clauses: Query[] = [];
  for (const field of SEARCH_FIELDS) {
    const boost = plan.boosts[field] * t.weight;
    const scoring = (b: number) => (scored ? { boost: b, _name: name(i, field) } : {});
    clauses.push({ term: { [field]: { value: t.term, ...scoring(boost) } } });
    if (edits > 0) {
      const fuzzy = { value: t.term, fuzziness: edits, max_expansions: maxExpansions, prefix_length: 0, transpositions: false };
      clauses.push({ fuzzy: { [field]: { ...fuzzy, ...rewrite, ...scoring(boost * fuzzyWeight) } } });
    }
    if (prefix) clauses.push({ regexp: { [field]: { value: `${t.term}.+`, ...rewrite, ...scoring(boost * prefixWeight) } } });
  }
  return clauses;
}

function filterClauses(filters: SearchFilters): Query[] {
  const out: Query[] = [];
  const terms = (field: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0) out.push({ terms: { [field]: [...values] } });
  };
  terms('tier', filters.tiers);
  terms('category', filters.categories);
  terms('state', filters.states);
  if (filters.audience) out.push({ term: { audience: filters.audience } });
  return out;
}

/**
 * Terms whose typo-tolerant and prefix variants fit the clause budget: OpenSearch counts the
 * query's leaf clauses as written (before fuzzy and prefix clauses expand), one per term, field
 * and variant. With the planner's 48 terms at most this always fits (48 × 6 × 3 = 864); the
 * guard keeps it so should `maxQueryTerms` grow, dropping the variants of the lightest terms first.
 */
function approximable(plan: QueryPlan, known: ReadonlySet<string>): Set<number> {
  const fields = SEARCH_FIELDS.length;
  let budget = QUERY_TUNING.clauseBudget - plan.terms.length * fields;
  const allowed = new Set<number>();
  const order = plan.terms.map((t, i) => ({ t, i })).sort((a, b) => b.t.weight - a.t.weight);
  for (const { t, i } of order) {
    const variants = (t.fuzzy && !known.has(t.term) && editsFor(t.term) > 0 ? 1 : 0) + (t.prefix ? 1 : 0);
    if (variants === 0 || variants * fields > budget) continue;
    budget -= variants * fields;
    allowed.add(i);
  }
  return allowed;
}

/**
 * Translates a query plan to the query DSL:
 * - a bool/should of per-term, per-field clauses, boosted by field boost × term weight, summed
 *   like the embedded engine's BM25 sums its fields and terms; filters in bool/filter;
 * - × the number of planned terms a runbook matched (a function_score counting them), which is
 *   MiniSearch's "quality" factor: a runbook matching three query words beats one matching one
 *   word three times as strongly;
 * - × per-runbook feedback boosts (function_score weights on the runbook id);
 * - facets as terms aggregations over the filtered matches, and an exact total.
 * Clause names (`term index|field`) come back as `matched_queries`: which term matched where.
 */
export function searchRequest(plan: QueryPlan, known: ReadonlySet<string> = new Set()) {
  const approximate = approximable(plan, known);
  const clausesOf = (t: PlannedTerm, i: number, scored: boolean) => {
    const allowed = approximate.has(i);
    const edits = allowed && t.fuzzy && !known.has(t.term) ? editsFor(t.term) : 0;
    return termClauses(t, i, plan, edits, allowed && t.prefix, scored);
  };
  const should = plan.terms.flatMap((t, i) => clausesOf(t, i, true));
  const coordination = plan.terms.map((t, i) => ({ filter: { bool: { should: clausesOf(t, i, false) } }, weight: 1 }));
  const boosts = Object.entries(plan.runbookBoosts).filter(([, w]) => w !== 1);
  // A factor of 0 removes a runbook from the results, as it does in the embedded engine.
  const removed = boosts.filter(([, w]) => w <= 0).map(([id]) => id);
  const scaled = boosts.filter(([, w]) => w > 0);
  let query: Query = {
    function_score: {
      query: {
        bool: {
          should,
          minimum_should_match: 1,
          filter: filterClauses(plan.filters),
          ...(removed.length > 0 ? { must_not: [{ terms: { id: removed } }] } : {}),
        },
      },
      functions: coordination,
      score_mode: 'sum',
      boost_mode: 'multiply',
    },
  };
  if (scaled.length > 0) {
    query = {
      function_score: {
        query,
        functions: scaled.map(([id, weight]) => ({ filter: { term: { id } }, weight })),
        score_mode: 'first',
        boost_mode: 'multiply',
      },
    };
  }
  const facet = (field: string) => ({ terms: { field, size: QUERY_TUNING.facetSize } });
  return {
    size: plan.window,
    track_total_hits: true,
    _source: false,
    docvalue_fields: ['hash'],
    // The id breaks ties, so equal scores come back in the same order every time.
    sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
    query,
    aggs: { tier: facet('tier'), category: facet('category'), state: facet('state') },
  };
}

export interface SearchResponseBody {
  hits: {
    total?: { value: number };
    hits: { _id: string; _score?: number | null; sort?: unknown[]; matched_queries?: string[]; fields?: { hash?: string[] } }[];
  };
  aggregations?: Record<keyof FacetCounts, { buckets: { key: string; doc_count: number }[] }>;
}

/** Reads a search response back into the engine-neutral result, and the content hash of each hit. */
export function readSearchResponse(plan: QueryPlan, body: SearchResponseBody): LexicalResult & { hashes: Map<string, string> } {
  const hashes = new Map<string, string>();
  const hits: RunbookHit[] = body.hits.hits.map((h) => {
    const hash = h.fields?.hash?.[0];
    if (hash) hashes.set(h._id, hash);
    const byTerm = new Map<string, Set<SearchField>>();
    for (const matched of h.matched_queries ?? []) {
      const [i, field] = matched.split('|');
      const term = plan.terms[Number(i)]?.term;
      if (!term || !field) continue;
      byTerm.set(term, (byTerm.get(term) ?? new Set()).add(field as SearchField));
    }
    const matches: Record<string, SearchField[]> = {};
    for (const [term, fields] of byTerm) matches[term] = SEARCH_FIELDS.filter((f) => fields.has(f));
    const score = typeof h._score === 'number' ? h._score : Number(h.sort?.[0] ?? 0);
    return { runbookId: h._id, score, matches };
  });
  const facets: FacetCounts = { tier: {}, category: {}, state: {} };
  for (const key of ['tier', 'category', 'state'] as const) {
    for (const b of body.aggregations?.[key]?.buckets ?? []) if (b.key !== '') facets[key][b.key] = b.doc_count;
  }
  return { hits, total: body.hits.total?.value ?? hits.length, facets, hashes };
}

/** A vector as JSON: 9 significant digits give back the same 32-bit float, in half the characters of a double's. */
export function vectorJson(vector: Float32Array): number[] {
  return Array.from(vector, (x) => Number(x.toPrecision(9)));
}

/**
 * Nearest runbooks by meaning, scored exactly as the embedded engine's VectorStore scores them:
 * `(1 − w) × main + w × max(main, closest phrase)` with dot products of unit vectors (cosines).
 * Two clauses whose scores a bool query adds up: the main vector's, and a nested query's max over
 * the `phrases` documents (the main vector again and each phrase: index-design.ts). Scores may
 * not be negative, so each cosine is lifted (`cosineScore`), and the sum is 1 + the similarity.
 * In an index with the graph (index-design.ts `VECTOR_GRAPH`), only the candidates it finds are
 * scored (`graphCandidates`); in one without, every runbook with vectors that passes the plan's
 * filters: exact, a few milliseconds for a few thousand runbooks, about 20 ms for 10,000 (twice the
 * graph's, 2026-12-05). Like the embedded engine, the plan's feedback factors do not apply here
 * (the core applies them to the fused list).
 */
export function denseRequest(plan: QueryPlan, vector: Float32Array, phraseWeight: number, options: { graph: boolean }) {
  const q = vectorJson(vector);
  const filters = filterClauses(plan.filters);
  const scored = (field: string, weight: number) => cosineScore(field, q, weight);
  const phrases: Query = { nested: { path: 'phrases', score_mode: 'max', query: scored('phrases.vector', phraseWeight) } };
  // Learned phrasing (plan.learned) is one more phrase of its runbook, its cosine already known:
  // the closest phrase is the best of the nested ones and it, as the embedded engine takes it.
  const learned = [...(plan.learned ?? [])].map(
    ([id, similarity]): Query => ({
      constant_score: { filter: { ids: { values: [id] } }, boost: Math.max(0, 1 + similarity) * phraseWeight },
    }),
  );
  return {
    size: plan.denseWindow,
    track_total_hits: false,
    _source: false,
    sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
    query: {
      bool: {
        filter: [...filters, ...(options.graph ? [graphCandidates(plan, q, filters)] : [])],
        must: [scored('vector', 1 - phraseWeight), learned.length > 0 ? { dis_max: { queries: [phrases, ...learned] } } : phrases],
      },
    },
  };
}

/**
 * How many candidates each graph search returns, per runbook of the plan's `denseWindow` (Lucene
 * searches the graph with a beam as wide as that count). An approximate search may miss a near
 * runbook; more candidates miss fewer. On the alerts set (796 runbooks, every other plan filtered
 * to one tier) the whole window came back as exact scoring orders it for 0.888 of the plans at 2×,
 * for all of them at 4× and 8×. At 10,000 runbooks (office-support copies), 4× agreed with exact
 * scoring on every first runbook, 0.998 of the first ten and the whole window for 0.93 of the plans
 * (2026-12-05).
 */
export const GRAPH_OVERSAMPLE = 4;

/**
 * The runbooks worth scoring exactly, as a filter: the nearest by the main vector and as many by
 * their closest phrase (`GRAPH_OVERSAMPLE` × the plan's window each), each found in the graph with
 * the plan's filters applied during the search (so a filter to one tier still yields a full
 * window, where filtering after the search left 27 of 50), and the runbooks of the plan's learned
 * phrasing, whose similarity is known already. The exact scores then rank them as without the graph.
 */
function graphCandidates(plan: QueryPlan, q: number[], filters: Query[]): Query {
  const nearest = (field: string): Query => ({
    knn: {
      [field]: {
        vector: q,
        k: GRAPH_OVERSAMPLE * plan.denseWindow,
        ...(filters.length > 0 ? { filter: { bool: { filter: filters } } } : {}),
      },
    },
  });
  const learned = [...(plan.learned?.keys() ?? [])];
  return {
    bool: {
      should: [
        nearest('vector'),
        { nested: { path: 'phrases', query: nearest('phrases.vector') } },
        ...(learned.length > 0 ? [{ ids: { values: learned } }] : []),
      ],
      minimum_should_match: 1,
    },
  };
}

/** Dense hits from a `denseRequest` response. */
export function readDenseResponse(body: SearchResponseBody): DenseHit[] {
  return body.hits.hits.map((h) => ({ runbookId: h._id, similarity: similarityOf(h) }));
}

/**
 * Scores every document with a vector in `field` by 1 + its cosine with `q` (0–2: scores may not
 * be negative), times `weight`. The k-NN plugin's own exact scoring (`knn_score`), whose cosine
 * space scores (1 + cosine) / 2, hence the boost of twice the weight. Exact, over every such
 * document. It replaced a Painless script computing the same: over 10,000 documents of 384
 * random dimensions with one nested vector each, the main-and-phrase request took p50 36.7 ms
 * against 45.1 ms (2026-12-05, local single node), with the same scores. Its inner-product space
 * was faster still (27.7 ms) but lifts a negative cosine by 1 / (1 − it), and so summed a main
 * and a phrase clause into a similarity the embedded engine does not compute.
 */
export function cosineScore(field: string, q: number[], weight = 1): Query {
  return {
    script_score: {
      query: { exists: { field } },
      boost: 2 * weight,
      script: { source: 'knn_score', lang: 'knn', params: { field, query_value: q, space_type: 'cosinesimil' } },
    },
  };
}

/** The cosine of a hit scored by `cosineScore` (weights summing to 1): its score less the 1 it was lifted by. */
export function similarityOf(hit: { _score?: number | null; sort?: unknown[] }): number {
  return (typeof hit._score === 'number' ? hit._score : Number(hit.sort?.[0] ?? 1)) - 1;
}
