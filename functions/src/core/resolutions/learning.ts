import type { SimilarResolution } from '../../contracts/api.ts';
import type { Signal } from './model.ts';

/** How past tickets and feedback move suggestions. Tuned with `kb bench` (the write-back replay). */
export interface LearningOptions {
  /** Past signals considered for a query. */
  neighbours: number;
  /** A signal counts only when its text matched this share of the query's term weight. */
  minCoverage: number;
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
  positiveWeight: 1,
  negativeWeight: 0.7,
  minFactor: 0.3,
  maxFactor: 4,
  similarLimit: 3,
};

export interface Neighbour {
  signal: Signal;
  score: number;
  coverage: number;
}

/**
 * Score factors per runbook from signals about similar tickets: runbooks that resolved them go
 * up, runbooks marked not helpful for them go down; the more alike the ticket, the stronger.
 *
 * @example feedbackBoosts([{ signal: { runbookId: 'vpn', polarity: 1, … }, coverage: 1, score: 3 }], DEFAULT_LEARNING_OPTIONS) // { vpn: 1.5 }
 */
export function feedbackBoosts(neighbours: readonly Neighbour[], options: LearningOptions): Record<string, number> {
  const up = new Map<string, number>();
  const down = new Map<string, number>();
  for (const { signal, coverage } of neighbours) {
    if (!signal.runbookId || coverage < options.minCoverage || signal.polarity === 0) continue;
    const bucket = signal.polarity > 0 ? up : down;
    bucket.set(signal.runbookId, (bucket.get(signal.runbookId) ?? 0) + coverage);
  }
  const boosts: Record<string, number> = {};
  for (const id of new Set([...up.keys(), ...down.keys()])) {
    const factor = (1 + options.positiveWeight * (up.get(id) ?? 0)) / (1 + options.negativeWeight * (down.get(id) ?? 0));
    boosts[id] = Math.min(options.maxFactor, Math.max(options.minFactor, Math.round(factor * 1000) / 1000));
  }
  return boosts;
}

/** Past tickets like this one that were fixed, best first, for the agent to read. */
export function similarResolutions(neighbours: readonly Neighbour[], options: LearningOptions): SimilarResolution[] {
  return neighbours
    .filter((n) => n.signal.resolution && n.signal.polarity > 0 && n.coverage >= options.minCoverage)
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
