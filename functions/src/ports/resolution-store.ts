import type { Feedback, Resolution, SearchGap, WriteResult } from '../core/resolutions/model.ts';
import type { RunbookUsage } from '../core/resolutions/usage.ts';

/** A change to a stored item, in the shape a DynamoDB stream delivers it (images unmarshalled). */
export interface ChangeEvent {
  id: string;
  name: 'INSERT' | 'MODIFY' | 'REMOVE';
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
}

export interface DeadLetter {
  id: string;
  at: string;
  error: string;
  attempts: number;
  event: ChangeEvent;
}

/**
 * Where write-backs live, by role. Adapter: `DynamoDbResolutionStore` (DynamoDB on AWS, the
 * DynamoDB API served in-process by dynalite locally).
 */
export interface ResolutionStore {
  /**
   * Stores a ticket's resolution keyed by (source, ticketId). A replay, or an update whose
   * `closedAt` is not newer than the stored one, changes nothing and returns the stored record.
   */
  putResolution(resolution: Resolution): Promise<{ result: WriteResult; resolution: Resolution; previous?: Resolution }>;
  getResolution(source: string, ticketId: string): Promise<Resolution | undefined>;
  listResolutions(): AsyncIterable<Resolution>;
  /** Stores feedback under its id: the same id (one agent's vote on one runbook) replaces, never adds. */
  addFeedback(feedback: Feedback): Promise<{ created: boolean }>;
  listFeedback(): AsyncIterable<Feedback>;
  /**
   * One runbook's counters, from its own tickets and feedback only (DynamoDB: a Query of the
   * by-runbook index), so the cost grows with that runbook's use, never with the whole table.
   */
  usage(runbookId: string): Promise<RunbookUsage>;
  /** Counts a search with no good answer (no result, or weak matches only) once per searcher (`by`), within its daily allowance (core/resolutions/gaps.ts). */
  recordSearchGap(query: string, tier: string | undefined, at: string, by?: string): Promise<void>;
  /** The most-searched gaps, at most GAP_LIMITS.top of them: the report never reads more. */
  listSearchGaps(): Promise<SearchGap[]>;
  putDeadLetter(letter: DeadLetter): Promise<void>;
  listDeadLetters(): Promise<DeadLetter[]>;
  deleteDeadLetter(id: string): Promise<void>;
}
