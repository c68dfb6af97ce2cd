import type { CompiledRunbook, Tier } from '../core/runbook/model.ts';
import type { DenseHit, LexicalResult } from '../core/search/engine-result.ts';
import type { QueryPlan } from '../core/search/plan.ts';

export interface IndexFailure {
  id: string;
  reason: string;
}

export interface IndexReport {
  indexed: number;
  /** Runbooks whose content hash had not changed. */
  unchanged: number;
  failed: IndexFailure[];
}

export interface IndexStats {
  runbooks: number;
  sections: number;
  byTier: Partial<Record<Tier, number>>;
  /** Runbooks found by their words only until the model has embedded them (left out when none). */
  withoutVectors?: number;
}

/**
 * The search engine, by role. Adapters: `EmbeddedRunbookIndex` (in-process) and
 * `OpenSearchRunbookIndex`. Every adapter runs test/contract/runbook-index.contract.ts.
 */
export interface RunbookIndex {
  /** Adds or replaces runbooks; a runbook whose hash is unchanged is skipped. */
  upsert(runbooks: readonly CompiledRunbook[]): Promise<IndexReport>;
  remove(ids: readonly string[]): Promise<void>;
  /** Executes a plan's words: runbook hits for the core to rank, with facets. Its vector, if any, is for `nearest`. */
  search(plan: QueryPlan): Promise<LexicalResult>;
  /**
   * Nearest runbooks by meaning alone, after the plan's filters: the search service asks for
   * words first, then for meaning with the learned phrasing the past tickets decide. Undefined
   * when the plan has no vector or the index none.
   */
  nearest(plan: QueryPlan): Promise<DenseHit[] | undefined>;
  /** Compiled runbooks by id, in the order asked; unknown ids are left out. */
  get(ids: readonly string[]): Promise<CompiledRunbook[]>;
  /** Id → content hash of everything indexed, for incremental indexing. */
  hashes(): Promise<Map<string, string>>;
  stats(): Promise<IndexStats>;
  /**
   * True while some runbooks can be found by their words alone although queries have a meaning
   * vector: a large library indexed by its words while the model embeds it, or an index whose
   * vectors are of another model, or of none. Answers say so. Absent: never.
   */
  readonly wordsOnly?: boolean;
}
