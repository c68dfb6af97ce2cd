import type { SimilarResolution } from '../../contracts/api.ts';
import type { Signal } from './model.ts';

/** How past tickets and feedback move suggestions. Tuned with `kb bench` (the write-back replay). */
export interface LearningOptions {
  /** Past signals considered for a query. */
  neighbours: number;
  /** A signal counts when its text matched this share of the query's term weight… */
  minCoverage: number;
  /**
   * …or when it means the same: cosine of the two tickets' embeddings. Paraphrases of one problem
   * ("printer on floor 3 offline after toner swap" / "printer floor 3 offline again after toner
   * change": 0.92) often score lower: on the labelled sets half of same-problem pairs pass 0.54,
   * while 99% of different-problem pairs stay under 0.48 (everyday tickets) or 0.60 (alerts, whose
   * templates make them alike) — hence the low floor here and the runbook's own similarity above it.
   */
  minSimilarity: number;
  /**
   * How much closer than the query's most similar runbook a past ticket must be for its vote to
   * count. With none, alerts from one family (kubevirt's controller-down and controller-count)
   * voted for each other's runbooks: write-back replay 0.878 → 0.867 on the alerts, 0.574 → 0.739
   * on the vague pairs; 0.03 gave 0.878 → 0.884 and 0.574 → 0.735, and 0.04 cost the vague pairs
   * another 0.012.
   */
  voteMargin: number;
  /**
   * How far past that threshold a past ticket's cosine must be to count fully, for everyday
   * tickets: a paraphrase of the same problem rarely passes 0.75 (see `likeness`).
   */
  likenessSpan: number;
  /** What one source (a ticket system, or agents' feedback) can add to one runbook's vote. */
  maxPerSource: number;
  /**
   * How far each source is trusted, 0–1, by the name it writes back under (`servicenow`, `jira`,
   * …, or `feedback` for agents' helpful / not-helpful): it scales that source's votes and its
   * tickets' learned phrasing; a source not listed counts fully, and 0 turns it off. All sources
   * count fully by default: the write-back replay gains the same from agents' feedback as from
   * closed tickets (everyday pairs 0.693 → 0.892 either way), so nothing measured favours one; a
   * team that knows one of its sources closes tickets against the wrong runbook sets it lower
   * (`KB_LEARNING_SOURCE_WEIGHTS`). On the everyday pairs, the first ticket of each written back
   * against the runbook the system ranked best among the wrong ones (an agent's likely slip) took
   * the second from 0.693 to 0.545 at full trust and to 0.569 at half; written back right, to
   * 0.892 at full trust and 0.860 at half.
   */
  sourceWeights: Readonly<Record<string, number>>;
  /** Boost per (coverage-weighted) success of a runbook on similar tickets. */
  positiveWeight: number;
  /** Demotion per (coverage-weighted) "did not help" on similar tickets. */
  negativeWeight: number;
  minFactor: number;
  maxFactor: number;
  /** Similar resolutions listed with a suggestion. */
  similarLimit: number;
}

export const DEFAULT_LEARNING_OPTIONS: LearningOptions = {
  neighbours: 20,
  minCoverage: 0.7,
  minSimilarity: 0.4,
  voteMargin: 0.03,
  likenessSpan: 0.15,
  maxPerSource: 1,
  sourceWeights: {},
  positiveWeight: 2.2,
  negativeWeight: 0.7,
  minFactor: 0.3,
  maxFactor: 4,
  similarLimit: 3,
};

export interface Neighbour {
  signal: Signal;
  score: number;
  coverage: number;
  similarity?: number;
}

/**
 * How much a neighbour counts, 0–1 (0 when it is not alike enough): how far its cosine, or else
 * its word coverage, is past the threshold. For an everyday ticket a paraphrase counts fully from
 * `likenessSpan` past it: two users' words for one problem sat at 0.46–0.72 on the everyday pairs,
 * and a vote that counts a quarter cannot lift the runbook that fixed it (write-back replay on the
 * everyday pairs: +0.124 scaled up to a cosine of 1, +0.161 with this and the gate below, +0.173
 * without the gate, which cost the alerts 0.011). For a query lexical search is sure of
 * (jargon, an alert name) the vote grows slowly all the way to 1: alerts of one family mean much
 * the same ("LowVirtAPICount", "LowVirtControllersCount": 0.88) and must not outvote their words.
 */
export function likeness(n: Pick<Neighbour, 'coverage' | 'similarity'>, options: LearningOptions, context: LearningContext = {}): number {
  const threshold = Math.max(options.minSimilarity, (context.bestRunbookSimilarity ?? -1) + options.voteMargin);
  const span = context.specific ? 1 - threshold : Math.min(options.likenessSpan, 1 - threshold);
  if (n.similarity !== undefined && n.similarity > threshold) return Math.min(1, (n.similarity - threshold) / span);
  return n.coverage >= options.minCoverage ? n.coverage : 0;
}

/** What the query's own retrieval found, which decides how much past tickets can add to it. */
export interface LearningContext {
  /**
   * Cosine of the query and its most similar runbook. A past ticket's vote counts only past this
   * (and `voteMargin`): it must describe the new ticket better than any runbook does. Everyday tickets sit far from
   * every runbook (0.3–0.45), so a paraphrase of an earlier one counts; an alert sits close to its
   * runbook (0.6–0.75), and so does every alert from the same template, which must not outvote it.
   */
  bestRunbookSimilarity?: number;
  /** Whether lexical search is sure of its answer (fuse.ts's `specificAt`): past tickets then only nudge it. */
  specific?: boolean;
}

/** Where a signal comes from, for the per-source cap and weight: the ticket system, or agents' feedback. */
function sourceOf(signal: Signal): string {
  return signal.resolution?.source ?? 'feedback';
}

/** How far a signal's source is trusted (`sourceWeights`; an own key only, so a source named 'constructor' counts fully). */
function trustOf(source: string, options: Pick<LearningOptions, 'sourceWeights'>): number {
  return Object.hasOwn(options.sourceWeights, source) ? (options.sourceWeights[source] as number) : 1;
}

/**
 * Score factors per runbook from signals about similar tickets: runbooks that resolved them go
 * up, runbooks marked not helpful for them go down; the more alike the ticket, the stronger.
 *
 * @example feedbackBoosts([{ signal: { runbookId: 'vpn', polarity: 1, … }, coverage: 1, score: 3 }], DEFAULT_LEARNING_OPTIONS) // { vpn: 1.5 }
 */
export function feedbackBoosts(
  neighbours: readonly Neighbour[],
  options: LearningOptions,
  context: LearningContext = {},
): Record<string, number> {
  // Votes per (direction, runbook, source): one source cannot move a runbook further than its cap.
  const votes = new Map<string, number>();
  for (const n of neighbours) {
    const { signal } = n;
    const weight = likeness(n, options, context);
    const source = sourceOf(signal);
    if (!signal.runbookId || weight === 0 || signal.polarity === 0 || trustOf(source, options) <= 0) continue;
    const key = JSON.stringify([signal.polarity, signal.runbookId, source]);
    votes.set(key, Math.min(options.maxPerSource, (votes.get(key) ?? 0) + weight));
  }
  const up = new Map<string, number>();
  const down = new Map<string, number>();
  for (const [key, capped] of votes) {
    const [polarity, runbookId, source] = JSON.parse(key) as [number, string, string];
    const bucket = polarity > 0 ? up : down;
    bucket.set(runbookId, (bucket.get(runbookId) ?? 0) + capped * trustOf(source, options));
  }
  const boosts: Record<string, number> = {};
  for (const id of new Set([...up.keys(), ...down.keys()])) {
    const factor = (1 + options.positiveWeight * (up.get(id) ?? 0)) / (1 + options.negativeWeight * (down.get(id) ?? 0));
    boosts[id] = Math.min(options.maxFactor, Math.max(options.minFactor, Math.round(factor * 1000) / 1000));
  }
  return boosts;
}

/**
 * Learned phrasing: for each runbook that resolved a ticket among the neighbours, the cosine of
 * the query and the closest such ticket. The engines count it as one of the runbook's symptom
 * phrases — the wording of every ticket a runbook fixed expands the runbook, read from the
 * resolution index at query time, so a rebuild of either index reproduces it. A source trusted
 * less (`sourceWeights`) has its tickets' cosine drawn down towards `minSimilarity`, where a past
 * ticket starts to count, as its votes are scaled.
 *
 * @example learnedPhrasing([{ signal: { runbookId: 'vpn', polarity: 1, … }, similarity: 0.71, … }], DEFAULT_LEARNING_OPTIONS) // Map { 'vpn' => 0.71 }
 */
export function learnedPhrasing(
  neighbours: readonly Neighbour[],
  options: Pick<LearningOptions, 'sourceWeights' | 'minSimilarity'>,
): Map<string, number> {
  const closest = new Map<string, number>();
  for (const { signal, similarity } of neighbours) {
    if (!signal.runbookId || signal.polarity <= 0 || similarity === undefined) continue;
    const trust = trustOf(sourceOf(signal), options);
    if (trust <= 0) continue;
    const floor = options.minSimilarity;
    const phrase = trust < 1 && similarity > floor ? floor + trust * (similarity - floor) : similarity;
    closest.set(signal.runbookId, Math.max(closest.get(signal.runbookId) ?? -1, phrase));
  }
  return closest;
}

/** Past tickets like this one that were fixed, best first, for the agent to read. */
export function similarResolutions(neighbours: readonly Neighbour[], options: LearningOptions): SimilarResolution[] {
  return neighbours
    .filter((n) => n.signal.resolution && n.signal.polarity > 0 && likeness(n, options) > 0)
    .slice(0, options.similarLimit)
    .map(({ signal, score }) => {
      const r = signal.resolution as NonNullable<Signal['resolution']>;
      return {
        source: r.source,
        ticketId: r.ticketId,
        summary: r.summary,
        resolution: r.resolution.slice(0, 1000),
        outcome: r.outcome,
        ...(r.runbookId ? { runbookId: r.runbookId } : {}),
        closedAt: r.closedAt,
        score: Math.round(score * 1000) / 1000,
      };
    });
}
