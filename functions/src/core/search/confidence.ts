import type { SearchField } from './options.ts';
import { coverageParts, type PlannedTerm } from './plan.ts';

/** How much a match in each field says that a runbook is about the query. */
const FIELD_QUALITY: Record<SearchField, number> = { title: 1, symptoms: 1, heading: 0.8, steps: 0.6, body: 0.5 };

/** A query is "fully covered" once this much term weight matched: long alert texts need not match every word. */
const COVERAGE_SATURATION = 5;

/**
 * A 0–1 estimate that a runbook answers the query: the weighted share of query terms it matched
 * (strong fields count more), scaled by its score relative to the best hit.
 * Deterministic and explainable; not a calibrated probability.
 */
export function confidenceOf(
  terms: readonly PlannedTerm[],
  matches: Readonly<Record<string, readonly SearchField[]>>,
  score: number,
  topScore: number,
): number {
  const { matched, total } = coverageParts(terms, (term) => Math.max(0, ...(matches[term] ?? []).map((f) => FIELD_QUALITY[f])));
  if (total === 0 || topScore <= 0) return 0;
  const coverage = Math.min(1, matched / Math.min(total, COVERAGE_SATURATION));
  const relative = score / topScore;
  return Math.round(coverage * (0.4 + 0.6 * relative) * 100) / 100;
}
