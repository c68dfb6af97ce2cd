import type { Signal } from '../core/resolutions/model.ts';
import type { RunbookUsage } from '../core/resolutions/usage.ts';
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
  /** Every signal, for the gap report (one runbook's counters come from `ResolutionStore.usage`). */
  all(): Promise<Signal[]>;
  /** Every runbook's counters, for the gap report's problem and reuse lists. */
  usage(): Promise<Map<string, RunbookUsage>>;
}
