/** A labelled query: the format of ../shared/eval/alerts/queries.jsonl. */
export interface LabelledQuery {
  id: string;
  query: string;
  /** Relevant runbook paths, relative to the labelled set's folder (see `kb eval`). */
  relevant: string[];
  tier?: string;
}

export interface QueryOutcome {
  id: string;
  /** 1-based rank of the first relevant result within the cutoff, or null. */
  rank: number | null;
  ndcg: number;
  /** The confidence shown with the first result, when there was one. */
  confidence?: number;
}

export interface RelevanceReport {
  queries: number;
  mrr10: number;
  r1: number;
  r5: number;
  ndcg10: number;
}

/**
 * Scores one ranked list (paths, best first) against the relevant set, binary relevance:
 * reciprocal rank and nDCG at the cutoff, log2 discount, ideal DCG over min(|relevant|, cutoff).
 */
export function scoreRanking(id: string, ranked: readonly string[], relevant: ReadonlySet<string>, cutoff = 10): QueryOutcome {
  let rank: number | null = null;
  let dcg = 0;
  ranked.slice(0, cutoff).forEach((path, i) => {
    if (!relevant.has(path)) return;
    rank ??= i + 1;
    dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.size, cutoff); i++) ideal += 1 / Math.log2(i + 2);
  return { id, rank, ndcg: ideal === 0 ? 0 : dcg / ideal };
}

export function summarize(outcomes: readonly QueryOutcome[]): RelevanceReport {
  const n = outcomes.length || 1;
  const mean = (f: (o: QueryOutcome) => number) => Math.round((outcomes.reduce((s, o) => s + f(o), 0) / n) * 1000) / 1000;
  return {
    queries: outcomes.length,
    mrr10: mean((o) => (o.rank ? 1 / o.rank : 0)),
    r1: mean((o) => (o.rank !== null && o.rank <= 1 ? 1 : 0)),
    r5: mean((o) => (o.rank !== null && o.rank <= 5 ? 1 : 0)),
    ndcg10: mean((o) => o.ndcg),
  };
}

export interface ReliabilityRow {
  level: string;
  /** Queries whose first answer was shown at this level. */
  answers: number;
  /** …of which the first answer was relevant. */
  right: number;
  share: number;
}

/**
 * How often the first answer is right at each confidence level shown: the check that "high"
 * means high. `levels` are lower bounds, highest first.
 *
 * @example reliability(outcomes, [['high', 0.6], ['medium', 0.35], ['low', 0]]) // [{ level: 'high', answers: 241, right: 211, share: 0.876 }, …]
 */
export function reliability(outcomes: readonly QueryOutcome[], levels: readonly (readonly [string, number])[]): ReliabilityRow[] {
  return levels.map(([level, from], i) => {
    const below = i === 0 ? Number.POSITIVE_INFINITY : (levels[i - 1] as readonly [string, number])[1];
    const shown = outcomes.filter((o) => o.confidence !== undefined && o.confidence >= from && o.confidence < below);
    const right = shown.filter((o) => o.rank === 1).length;
    return { level, answers: shown.length, right, share: shown.length ? Math.round((right / shown.length) * 1000) / 1000 : 0 };
  });
}
