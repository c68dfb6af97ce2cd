import type { SearchField } from './options.ts';

/** One matching section, as an engine scored it. */
export interface SectionHit {
  runbookId: string;
  anchor: string;
  score: number;
  /** Index term → the fields it matched in. */
  matches: Record<string, SearchField[]>;
}

export interface FacetCounts {
  tier: Record<string, number>;
  category: Record<string, number>;
  state: Record<string, number>;
}

export interface EngineResult {
  /** Best sections first, at most `plan.window`. */
  sections: SectionHit[];
  /** Matching runbooks in all (not only those in `sections`). */
  total: number;
  /** Counts of matching runbooks per value, after the plan's filters. */
  facets: FacetCounts;
}
