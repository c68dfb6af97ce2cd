import type { DenseHit, RunbookHit } from './engine-result.ts';

/**
 * How lexical candidates (BM25 over analysed words, with synonyms and typos) and dense candidates
 * (cosine of sentence embeddings) become one ranking. Lexical search is precise on jargon, error
 * codes and alert names; embeddings find "saved a report on my laptop but it's not on the
 * desktop" for the OneDrive runbook, which shares no word with it.
 *
 * Chosen with `kb eval` on the three labelled sets at once (MRR@10, vague / starter / alerts,
 * content of 2026-12-03 with 74 runbooks): lexical only 0.303 / 0.990 / 0.841; dense only
 * 0.600 / 0.992 / 0.635; reciprocal-rank fusion 0.498 / 0.992 / 0.852; blending scores each
 * normalised to the best of its list 0.42–0.55 / 0.99 / 0.85–0.87; this blend, with lexical
 * strength measured as coverage and lexical trust gated on specificity, 0.561 / 0.996 / 0.873.
 * (Those with runbook texts cut at 700 characters; at today's 450, this blend gives 0.572 / 1.000 /
 * 0.882, see documents.ts.) With the runbooks' symptom phrases and requester phrasings, and
 * lexical trust sliding with specificity rather than switched at one point: 0.768 / 1.000 / 0.882.
 */
export interface FusionOptions {
  /** Nearest runbooks by meaning each engine returns. */
  denseWindow: number;
  /** Share of the fused score that comes from meaning when lexical search is unsure (0–1). */
  denseWeight: number;
  /**
   * Lexical search is trusted more as its best hit scores more per unit of query weight (its
   * specificity): rare words (jargon, product names, alert names) matched in strong fields.
   * Everyday tickets match common words and score far lower (medians with the embedded engine: 44
   * on the vague set, 263 on the starter set, 318 on the alerts). From this specificity meaning's
   * share starts to fall from `denseWeight`…
   */
  specificFrom: number;
  /** …and from this one it is `specificDenseWeight` (lexical search is sure: see `isSpecific`). */
  specificAt: number;
  /** Meaning's share once lexical search is sure. */
  specificDenseWeight: number;
  /** Cosine at or below this says nothing (unrelated texts and gibberish score about 0.1–0.25 with small models). */
  similarityFloor: number;
  /** Cosine at which meaning counts fully. */
  similarityCeiling: number;
}

export const DEFAULT_FUSION: FusionOptions = {
  denseWindow: 50,
  denseWeight: 0.9,
  specificFrom: 100,
  specificAt: 300,
  specificDenseWeight: 0.4,
  similarityFloor: 0.25,
  similarityCeiling: 0.7,
};

/**
 * A lexical hit with its 0–1 strength: how well it covers the query's words in strong fields,
 * scaled by its score relative to the best (see confidence.ts). Coverage rather than the raw
 * relative score, because the best lexical hit of an everyday ticket is often a poor one.
 */
export interface LexicalCandidate extends RunbookHit {
  strength: number;
}

/** A fused candidate: the lexical hit's matched terms (none for a meaning-only hit) and its cosine. */
export interface FusedHit extends RunbookHit {
  /** Cosine with the query, when the runbook was among the dense candidates. */
  similarity?: number;
  /** Found by meaning alone: no word of the query matched it. */
  meaningOnly?: true;
}

/** Cosine mapped onto 0–1 between the floor and the ceiling. */
export function similarityStrength(similarity: number, options: Pick<FusionOptions, 'similarityFloor' | 'similarityCeiling'>): number {
  const { similarityFloor: floor, similarityCeiling: ceiling } = options;
  return Math.min(1, Math.max(0, (similarity - floor) / (ceiling - floor)));
}

/**
 * Merges lexical hits (best first) and dense hits into one list, best first. `specificity` is the
 * best lexical score per unit of query weight; with no dense hits the lexical order is kept.
 *
 * @example fuse([{ runbookId: 'vpn', score: 9, matches: {}, strength: 0.3 }], [{ runbookId: 'onedrive', similarity: 0.7 }], 20, DEFAULT_FUSION)
 * // onedrive first: lexical search matched common words only, and meaning strongly points at it
 */
export function fuse(
  lexical: readonly LexicalCandidate[],
  dense: readonly DenseHit[],
  specificity: number,
  options: FusionOptions,
): FusedHit[] {
  if (dense.length === 0) return lexical.map(({ strength: _, ...hit }) => hit);
  const weight = denseShare(specificity, options);
  const parts = new Map<string, { hit: FusedHit; lexical: number; dense: number }>();
  for (const { strength, ...hit } of lexical) parts.set(hit.runbookId, { hit, lexical: strength, dense: 0 });
  for (const { runbookId, similarity } of dense) {
    const strength = similarityStrength(similarity, options);
    // A runbook only near in meaning, and not near enough to count, is not a match at all: a search
    // for gibberish must still find nothing (and be reported as a gap).
    if (strength === 0 && !parts.has(runbookId)) continue;
    const known = parts.get(runbookId) ?? { hit: { runbookId, score: 0, matches: {}, meaningOnly: true as const }, lexical: 0, dense: 0 };
    known.hit = { ...known.hit, similarity };
    known.dense = strength;
    parts.set(runbookId, known);
  }
  const fused = [...parts.values()].map((p) => ({ ...p.hit, score: (1 - weight) * p.lexical + weight * p.dense }));
  return fused.sort((a, b) => b.score - a.score || a.runbookId.localeCompare(b.runbookId));
}

/**
 * Meaning's share of the fused score for a query of this specificity: `denseWeight` up to
 * `specificFrom`, `specificDenseWeight` from `specificAt`, and a straight line between. It was a
 * step at 150 until 2026-12-05, which treated tickets just either side of it in opposite ways.
 * Measured on the three sets at once (MRR@10 vague / starter / alerts): the step 0.740 / 1.000 /
 * 0.882; sliding over 100–300 0.768 / 1.000 / 0.882 (each half of the vague set up, 0.822 → 0.843
 * and 0.657 → 0.693; OpenSearch's vague 0.734 → 0.762). Neighbouring slopes sit on the same
 * plateau (90–125 to 275–350: vague 0.764–0.768, alerts 0.876–0.882); a shorter one falls off it
 * (100–250: 0.743), and a longer reach down (75–300) costs vague 0.008. Forty everyday tickets
 * written afterwards, apart from every set (test/relevance/everyday-tickets.jsonl): the step
 * 0.969, the slope 0.981.
 *
 * @example denseShare(200, DEFAULT_FUSION) // 0.65: halfway between 0.9 and 0.4
 */
export function denseShare(
  specificity: number,
  options: Pick<FusionOptions, 'denseWeight' | 'specificDenseWeight' | 'specificFrom' | 'specificAt'>,
): number {
  const { denseWeight, specificDenseWeight, specificFrom: from, specificAt: at } = options;
  if (specificity >= at) return specificDenseWeight;
  if (specificity <= from) return denseWeight;
  return denseWeight + ((specificity - from) / (at - from)) * (specificDenseWeight - denseWeight);
}
