import type { SearchOptions } from './options.ts';

export const MATCH_STRENGTHS = ['strong', 'partial', 'weak'] as const;
/** How well a search hit answers the query, in the words the web app shows. */
export type MatchStrength = (typeof MATCH_STRENGTHS)[number];

/**
 * A 0–1 confidence as a strength: "strong" from the confidence suggest calls a confident match,
 * "partial" from its "medium", "weak" below.
 *
 * @example matchStrength(0.72, DEFAULT_SEARCH_OPTIONS) // 'strong'
 */
export function matchStrength(confidence: number, options: Pick<SearchOptions, 'confidentAt' | 'partialAt'>): MatchStrength {
  return confidence >= options.confidentAt ? 'strong' : confidence >= options.partialAt ? 'partial' : 'weak';
}

/**
 * The hits worth listing: weak ones only when nothing stronger matched and a word of the query
 * found one of them (they are then the best there is, shown as weak), or when asked for; `weaker`
 * counts those left out. Weak hits found by meaning alone are the model's noise: of 66 made-up
 * words, the closest came within 0.33 in cosine of a starter-library runbook and 0.48 of an alert
 * runbook, past the 0.25 floor where meaning starts to count.
 *
 * @example withoutWeakTail([{ strength: 'strong', worded: true }, { strength: 'weak', worded: true }], false) // { shown: [the strong one], weaker: 1 }
 */
export function withoutWeakTail<T extends { strength: MatchStrength; worded: boolean }>(
  hits: readonly T[],
  includeWeak: boolean,
): { shown: T[]; weaker: number } {
  if (includeWeak || (hits.every((h) => h.strength === 'weak') && hits.some((h) => h.worded))) return { shown: [...hits], weaker: 0 };
  const shown = hits.filter((h) => h.strength !== 'weak');
  return { shown, weaker: hits.length - shown.length };
}
