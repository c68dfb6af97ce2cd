import type { SearchField } from './options.ts';

/** One matching runbook, as an engine scored it. */
export interface RunbookHit {
  runbookId: string;
  score: number;
  /** Index term → the fields it matched in. */
  matches: Record<string, SearchField[]>;
}

export interface FacetCounts {
  tier: Record<string, number>;
  category: Record<string, number>;
  state: Record<string, number>;
}

/** What an engine's words find for a plan (`RunbookIndex.search`). */
export interface LexicalResult {
  /** Best first, at most `plan.window`. */
  hits: RunbookHit[];
  /** Matching runbooks in all (not only those in `hits`). */
  total: number;
  /** Counts of matching runbooks per value, after the plan's filters. */
  facets: FacetCounts;
}

/** Words and meaning side by side, as the search service fuses them. */
export interface EngineResult extends LexicalResult {
  /**
   * Nearest runbooks by meaning (cosine of the plan's vector and the runbook's), best first, at
   * most `plan.denseWindow`, after the plan's filters; absent when the plan has no vector.
   */
  dense?: DenseHit[];
}

export interface DenseHit {
  runbookId: string;
  /** Cosine similarity, -1–1 (in practice 0–1 for this kind of model). */
  similarity: number;
}
