import { AUTH, SAME_ORIGIN } from './client.ts';

/** What `kb serve` says when a runbook it watches is saved or deleted (functions/src/local/change-feed.ts). */
export interface RunbookChange {
  id: string;
  kind: 'indexed' | 'removed';
}

const listeners = new Set<(change: RunbookChange) => void>();
let source: EventSource | undefined;

function open(): void {
  source = new EventSource('/events');
  source.addEventListener('change', (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as RunbookChange;
    for (const listener of listeners) listener(change);
  });
  // The API answered no stream (deployed, or sign-in needed): the browser does not retry that, nor do we.
}

/**
 * Calls `listener` when a runbook changes on the server: only `kb serve` watches content, and only
 * same-origin without sign-in (an EventSource cannot send a token), so elsewhere it never fires.
 * One stream serves every listener; the result unsubscribes, and the last one closes the stream.
 */
export function onRunbookChange(listener: (change: RunbookChange) => void): () => void {
  if (!SAME_ORIGIN || AUTH || typeof EventSource === 'undefined') return () => {};
  listeners.add(listener);
  if (!source) open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      source?.close();
      source = undefined;
    }
  };
}
