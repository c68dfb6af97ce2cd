import type { Signal } from '../core/resolutions/model.ts';
import type { ResolutionIndex } from '../ports/resolution-index.ts';
import type { ChangeEvent } from '../ports/resolution-store.ts';
import { indexChanges } from './resolution-indexer.ts';

/** Where the signals come from: the whole store once, then its recent changes. */
export interface SignalSources {
  /** Every resolution and piece of feedback, as signals (a scan: once per cold start). */
  all(): AsyncIterable<Signal>;
  /** Change events written at or after `at` (ISO time), oldest first. */
  changesSince(at: string): Promise<ChangeEvent[]>;
  /** Records write-backs so other instances pick them up (the change log). */
  append(events: readonly ChangeEvent[]): Promise<void>;
  toSignal(image: Record<string, unknown>): Signal | undefined;
}

export interface SignalFeedOptions {
  /** At most one query for changes per interval. */
  intervalMs: number;
  /**
   * How far back each query for changes reaches before the last one: instances' clocks differ a
   * little, and a write stamped just before the previous query may land after it. Upserts are
   * keyed, so reading a change twice is harmless.
   */
  overlapMs: number;
  now: () => number;
  /** Called when signals changed (the search service drops its cached suggestions). */
  onChange: () => void;
}

export const SIGNAL_FEED_DEFAULTS: SignalFeedOptions = { intervalMs: 30_000, overlapMs: 60_000, now: Date.now, onChange: () => {} };

/**
 * Keeps an in-process resolution index in line with the store when no stream indexer feeds it
 * (the embedded engine on Lambda): filled from the whole store on the first refresh, then from the
 * change log every interval, and at once with this instance's own write-backs (`deliver`). A
 * write-back made on another instance shows within one interval.
 */
export class SignalFeed {
  readonly #options: SignalFeedOptions;
  #cursor: number | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | undefined;

  constructor(
    readonly index: ResolutionIndex,
    private readonly sources: SignalSources,
    options: Partial<SignalFeedOptions> = {},
  ) {
    this.#options = { ...SIGNAL_FEED_DEFAULTS, ...options };
  }

  /** Loads everything on the first call, then the changes since the last; a failure is logged and retried next interval. */
  refresh(): Promise<void> {
    if (this.#options.now() - this.#checkedAt < this.#options.intervalMs) return this.#pending ?? Promise.resolve();
    this.#pending ??= this.#pull().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #pull(): Promise<void> {
    const started = this.#options.now();
    this.#checkedAt = started;
    try {
      if (this.#cursor === undefined) {
        const signals: Signal[] = [];
        for await (const signal of this.sources.all()) signals.push(signal);
        await this.index.upsert(signals);
      } else {
        const events = await this.sources.changesSince(new Date(this.#cursor - this.#options.overlapMs).toISOString());
        if (events.length === 0) {
          this.#cursor = started;
          return;
        }
        await this.#apply(events);
      }
      this.#cursor = started;
      this.#options.onChange();
    } catch (error) {
      console.error({ message: 'resolution signals refresh failed', error: String(error) });
    }
  }

  async #apply(events: readonly ChangeEvent[]): Promise<void> {
    const { failed } = await indexChanges(events, { index: this.index, toSignal: this.sources.toSignal, attempts: 1 });
    if (failed.length > 0) throw new Error(`could not apply ${failed.length} change(s): ${failed.join(', ')}`);
  }

  /**
   * The write-back service's `deliver`: this instance's own write-backs apply at once, and go to
   * the change log for the others. A change log failure is logged, not thrown: the write itself is
   * stored, and other instances see it at their next cold start.
   */
  readonly deliver = async (events: ChangeEvent[]): Promise<void> => {
    try {
      await this.sources.append(events);
    } catch (error) {
      console.error({ message: 'could not append to the change log', events: events.map((e) => e.id), error: String(error) });
    }
    await this.#apply(events);
    this.#options.onChange();
  };
}
