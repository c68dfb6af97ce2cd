import type { GapSignals } from '../core/resolutions/gap-signals.ts';
import type { Signal } from '../core/resolutions/model.ts';
import type { QueryPlan } from '../core/search/plan.ts';

export interface SimilarSignal {
  signal: Signal;
  score: number;
  /** Share of the plan's term weight the signal's text matched (0–1): how alike the words are. */
  coverage: number;
  /** Cosine of the signal's and the plan's meaning vectors, when both have one: how alike they mean. */
  similarity?: number;
}

/**
 * The second index: past resolutions and agent feedback, searchable by what a ticket says.
 * Fed by the resolution indexer from the store's change events; keyed, so redelivery is harmless.
 */
export interface ResolutionIndex {
  upsert(signals: readonly Signal[]): Promise<void>;
  remove(keys: readonly string[]): Promise<void>;
  similar(plan: QueryPlan, limit: number): Promise<SimilarSignal[]>;
  /** Every signal: for tests and checks only; no request reads it (its cost grows with every ticket). */
  all(): Promise<Signal[]>;
  /**
   * The gap report's inputs, from the index rather than a pass over every signal: each runbook's
   * counters, the fixed-ticket counts, and the latest `limit` signals of each kind the report lists.
   */
  gapSignals(limit: number): Promise<GapSignals>;
}
