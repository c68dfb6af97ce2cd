import type { Signal } from '../core/resolutions/model.ts';
import type { ResolutionIndex } from '../ports/resolution-index.ts';
import type { ChangeEvent, DeadLetter } from '../ports/resolution-store.ts';

export interface IndexerDeps {
  index: ResolutionIndex;
  /** A stored item → its signal (the store adapter's mapping). */
  toSignal: (image: Record<string, unknown>) => Signal | undefined;
  /**
   * Attempts per event before it counts as failed, one after another: backoff belongs to the
   * index adapter (OpenSearch retries within its own budget, retry.ts), so the Lambda handler
   * sets 1 and leaves further retries to the event source; locally the in-process index needs no wait.
   */
  attempts?: number;
  /** Where a failed event goes locally. On AWS it is left out: the failure is reported to Lambda. */
  deadLetter?: (letter: DeadLetter) => Promise<void>;
  /** Called after events were applied (the local server drops cached answers). */
  onIndexed?: () => void;
}

async function apply(event: ChangeEvent, deps: IndexerDeps): Promise<void> {
  const image = event.newImage ?? event.oldImage;
  if (!image) return;
  const signal = deps.toSignal(image);
  if (!signal) return;
  if (event.name === 'REMOVE') await deps.index.remove([signal.key]);
  else await deps.index.upsert([signal]);
}

/**
 * The resolution indexer: applies the store's change events to the resolution index, in order.
 * Each event is tried `attempts` times; one that still fails becomes a dead letter (locally) or is
 * returned as failed (Lambda reports it for a partial-batch retry), never silently dropped.
 * Upserts are keyed, so at-least-once delivery cannot double-count.
 */
export async function indexChanges(events: readonly ChangeEvent[], deps: IndexerDeps): Promise<{ failed: string[] }> {
  const failed: string[] = [];
  const attempts = deps.attempts ?? 3;
  for (const event of events) {
    for (let attempt = 1; ; attempt++) {
      try {
        await apply(event, deps);
        break;
      } catch (error) {
        if (attempt < attempts) continue;
        failed.push(event.id);
        // A stream is ordered: without a local dead-letter, stop here so Lambda retries from
        // this record (partial batch response) rather than applying later changes first.
        if (!deps.deadLetter) return { failed };
        await deps.deadLetter({
          id: event.id,
          at: new Date().toISOString(),
          error: String((error as Error)?.message ?? error),
          attempts,
          event,
        });
        break;
      }
    }
  }
  if (events.length > failed.length) deps.onIndexed?.();
  return { failed };
}
