import type { Feedback, Resolution, SearchGap, WriteResult } from '../core/resolutions/model.ts';

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
  addFeedback(feedback: Feedback): Promise<void>;
  listFeedback(): AsyncIterable<Feedback>;
  recordSearchGap(query: string, tier: string | undefined, at: string): Promise<void>;
  listSearchGaps(): Promise<SearchGap[]>;
  putDeadLetter(letter: DeadLetter): Promise<void>;
  listDeadLetters(): Promise<DeadLetter[]>;
  deleteDeadLetter(id: string): Promise<void>;
}
