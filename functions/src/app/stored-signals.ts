import { type Signal, signalOfFeedback, signalOfResolution } from '../core/resolutions/model.ts';
import type { ResolutionIndex } from '../ports/resolution-index.ts';
import type { ResolutionStore } from '../ports/resolution-store.ts';

/** Signals upserted per request when an index is filled from the store: one bulk request, one slice of embeddings. */
const REPLAY_SLICE = 100;

/**
 * Every signal the store holds: its past tickets, then its feedback. A resolution index is derived
 * from these alone, so any index, emptied or new, can be filled again from them.
 */
export async function* storedSignals(store: Pick<ResolutionStore, 'listResolutions' | 'listFeedback'>): AsyncGenerator<Signal> {
  for await (const resolution of store.listResolutions()) yield signalOfResolution(resolution);
  for await (const feedback of store.listFeedback()) yield signalOfFeedback(feedback);
}

/**
 * Fills a resolution index with every stored signal, in slices, and returns how many it wrote. The
 * index is keyed by signal, so a signal already there is replaced, not counted twice: running it
 * again, or while the stream indexer runs, is harmless.
 */
export async function replayStoredSignals(
  store: Pick<ResolutionStore, 'listResolutions' | 'listFeedback'>,
  index: Pick<ResolutionIndex, 'upsert'>,
  onProgress: (written: number) => void = () => {},
): Promise<number> {
  let slice: Signal[] = [];
  let written = 0;
  const flush = async () => {
    await index.upsert(slice);
    written += slice.length;
    slice = [];
    onProgress(written);
  };
  for await (const signal of storedSignals(store)) {
    slice.push(signal);
    if (slice.length === REPLAY_SLICE) await flush();
  }
  if (slice.length > 0) await flush();
  return written;
}
