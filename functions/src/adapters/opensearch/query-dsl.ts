import type { EngineResult, FacetCounts, RunbookHit } from '../../core/search/engine-result.ts';
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
  /** Index terms one fuzzy or prefix clause may expand to, at most. */
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
 * `term.+` so that it does not count the exact term twice (MiniSearch skips it as well).
 */
function termClauses(t: PlannedTerm, i: number, plan: QueryPlan, known: ReadonlySet<string>, expansions: number, scored: boolean): Query[] {
  const edits = t.fuzzy && !known.has(t.term) ? editsFor(t.term) : 0;
  const clauses: Query[] = [];
  for (const field of SEARCH_FIELDS) {
    const boost = plan.boosts[field] * t.weight;
    const extra = (b: number) => (scored ? { boost: b, _name: name(i, field) } : {});
    clauses.push({ term: { [field]: { value: t.term, ...extra(boost) } } });
    if (edits > 0) {
      const rewrite = `top_terms_${expansions}`;
      const fuzzy = { value: t.term, fuzziness: edits, max_expansions: expansions, prefix_length: 0, transpositions: false };
      clauses.push({ fuzzy: { [field]: { ...fuzzy, ...(scored ? { rewrite } : {}), ...extra(boost * QUERY_TUNING.fuzzyWeight) } } });
    }
    if (t.prefix) {
      const rewrite = `top_terms_${expansions}`;
      clauses.push({ regexp: { [field]: { value: `${t.term}.+`, ...(scored ? { rewrite } : {}), ...extra(boost * QUERY_TUNING.prefixWeight) } } });
    }
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

/** Splits the clause budget between approximate clauses (each may expand to many terms, twice: scored and counted). */
function expansionsFor(plan: QueryPlan, known: ReadonlySet<string>): number {
  const exact = plan.terms.length * SEARCH_FIELDS.length * 2;
  const approximate =
    plan.terms.filter((t) => t.prefix).length + plan.terms.filter((t) => t.fuzzy && !known.has(t.term) && editsFor(t.term) > 0).length;
  if (approximate === 0) return QUERY_TUNING.maxExpansions;
  const share = Math.floor((QUERY_TUNING.clauseBudget - exact) / (approximate * SEARCH_FIELDS.length * 2));
  return Math.max(1, Math.min(QUERY_TUNING.maxExpansions, share));
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
  const expansions = expansionsFor(plan, known);
  const should = plan.terms.flatMap((t, i) => termClauses(t, i, plan, known, expansions, true));
  const coordination = plan.terms.map((t, i) => ({
    filter: { bool: { should: termClauses(t, i, plan, known, expansions, false) } },
    weight: 1,
  }));
  let query: Query = {
    function_score: {
      query: { bool: { should, minimum_should_match: 1, filter: filterClauses(plan.filters) } },
      functions: coordination,
      score_mode: 'sum',
      boost_mode: 'multiply',
    },
  };
  const boosts = Object.entries(plan.runbookBoosts).filter(([, w]) => w !== 1);
  if (boosts.length > 0) {
    query = {
      function_score: {
        query,
        functions: boosts.map(([id, weight]) => ({ filter: { term: { id } }, weight: Math.max(weight, Number.MIN_VALUE) })),
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
export function readSearchResponse(plan: QueryPlan, body: SearchResponseBody): EngineResult & { hashes: Map<string, string> } {
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
