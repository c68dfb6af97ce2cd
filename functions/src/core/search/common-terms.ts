import type { PlannedTerm } from './plan.ts';

/**
 * A word in more than this share of the runbooks is "common" for the in-process engine. Common
 * words barely move a ranking (BM25 weighs a word in 30 % of the runbooks about 1.2, a word in
 * 1 % about 4.6) but cost the most: scoring one visits every runbook that has it. In the bench's
 * 10,000 Office runbooks "microsoft" is in 9,052, "not" in 6,099, "user" in 5,527; queries with
 * them took up to 80 ms of words-only search, the median query 8 ms.
 */
export const COMMON_TERM_SHARE = 0.3;

/**
 * …and in more than this many runbooks: below it a word costs little to score everywhere, and the
 * split would only change rankings (measured on the 74 starter runbooks, a 30 % share alone took
 * the everyday tickets' MRR@10 from 0.740 to 0.722: runbooks that matched common words only were
 * no longer lexical candidates).
 */
export const COMMON_TERM_MIN_RUNBOOKS = 1_000;

/**
 * Splits a plan's terms as Lucene's common-terms query does: rarer words find the candidates, and
 * common words are then scored only for those candidates, so a common word still ranks the
 * runbooks that use it. A term with no known frequency (a prefix still being typed, a typo matched
 * approximately) counts as rare. When every term is common, all are rare: they alone can find
 * anything.
 *
 * @example splitCommonTerms(terms, (t) => df.get(t.term), 10_000) // { rare: [outlook, password], common: [microsoft] }
 */
export function splitCommonTerms(
  terms: readonly PlannedTerm[],
  frequency: (term: PlannedTerm) => number | undefined,
  documentCount: number,
  share = COMMON_TERM_SHARE,
): { rare: PlannedTerm[]; common: PlannedTerm[] } {
  const limit = Math.max(share * documentCount, COMMON_TERM_MIN_RUNBOOKS);
  // No word can be common in a library this small: its words are not even counted.
  if (limit >= documentCount) return { rare: [...terms], common: [] };
  const common = terms.filter((t) => (frequency(t) ?? 0) > limit);
  if (common.length === 0 || common.length === terms.length) return { rare: [...terms], common: [] };
  return { rare: terms.filter((t) => !common.includes(t)), common };
}
