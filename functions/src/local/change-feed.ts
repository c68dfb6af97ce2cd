import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Tier } from '../core/runbook/model.ts';
import { identityOf } from '../http/access.ts';
import type { ApiRoutes } from '../http/openapi.ts';

/** A runbook that `kb serve` re-indexed or removed while an author edits. */
export interface RunbookChange {
  id: string;
  kind: 'indexed' | 'removed';
}

/** Keeps idle streams open through proxies and tells a closed tab's stream to end. */
const HEARTBEAT_MS = 25_000;

/**
 * Tells open web apps which runbooks changed, so a runbook open in a browser reloads as its author
 * saves it: `GET /events`, server-sent events, `kb serve` only (the Lambda has no watcher). A
 * reader hears only of runbooks its tier may read, as everywhere else.
 */
export class ChangeFeed {
  readonly #listeners = new Set<(change: RunbookChange) => void>();
  /** Each runbook's audience, kept after it is removed so its removal reaches only its readers. */
  readonly #audience = new Map<string, readonly Tier[]>();
  /** Ends each open stream: the server cannot close while one is open. */
  readonly #streams = new Set<() => void>();

  constructor(runbooks: Iterable<{ id: string; meta: { audience: readonly Tier[] } }>) {
    for (const r of runbooks) this.#audience.set(r.id, r.meta.audience);
  }

  publish(change: RunbookChange, audience?: readonly Tier[]): void {
    if (audience) this.#audience.set(change.id, audience);
    for (const listener of this.#listeners) listener(change);
  }

  /** Changes a reader of `tier` may hear of; the result unsubscribes. */
  subscribe(tier: Tier, listener: (change: RunbookChange) => void): () => void {
    const filtered = (change: RunbookChange) => {
      const audience = this.#audience.get(change.id) ?? [];
      if (audience.includes(tier)) listener(change);
    };
    this.#listeners.add(filtered);
    return () => this.#listeners.delete(filtered);
  }

  /** Ends every open stream (the server is closing). */
  close(): void {
    for (const end of this.#streams) end();
  }

  /** Registers `GET /events` (scope `search`) on the app's routes. */
  routes(routes: ApiRoutes): void {
    routes.add(
      {
        method: 'get',
        path: '/events',
        scope: 'search',
        summary: 'Runbook changes, as server-sent events (kb serve only)',
        description:
          'One `change` event per runbook re-indexed or removed while `kb serve` watches the content folder: `{"id","kind"}`. ' +
          "Only runbooks the caller's tier may read. The web app reloads an open runbook when it changes.",
        responses: { 200: { description: 'An event stream', content: { 'text/event-stream': {} } } },
      },
      (c: Context) =>
        streamSSE(c, async (stream) => {
          const queue: RunbookChange[] = [];
          let wake: (() => void) | undefined;
          const unsubscribe = this.subscribe(identityOf(c).tier, (change) => {
            queue.push(change);
            wake?.();
          });
          let open = true;
          const end = () => {
            open = false;
            wake?.();
          };
          stream.onAbort(end);
          this.#streams.add(end);
          try {
            await stream.writeSSE({ event: 'ready', data: '{}' });
            while (open) {
              const change = queue.shift();
              if (change) {
                await stream.writeSSE({ event: 'change', data: JSON.stringify(change) });
                continue;
              }
              await new Promise<void>((resolve) => {
                wake = resolve;
                setTimeout(resolve, HEARTBEAT_MS).unref();
              });
              wake = undefined;
              if (open && queue.length === 0) await stream.write(': keep-alive\n\n');
            }
          } finally {
            unsubscribe();
            this.#streams.delete(end);
          }
        }),
    );
  }
}
