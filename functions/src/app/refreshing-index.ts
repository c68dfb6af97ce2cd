import { UnavailableError } from '../core/errors.ts';
import type { QueryPlan } from '../core/search/plan.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';

/** What the refreshing index asks of where published indexes live (S3IndexArtifacts, through wiring). */
export interface IndexPublications<M extends { version: string }> {
  /** A human-readable location, for messages. */
  readonly location: string;
  /** The current manifest; `not-modified` when it still has ETag `etag`. */
  manifest(etag?: string): Promise<{ status: 'found'; manifest: M; etag: string } | { status: 'not-modified' } | { status: 'missing' }>;
  /** The index a manifest names, ready to search. */
  load(manifest: M): Promise<RunbookIndex>;
}

export interface RefreshOptions {
  /** At most one manifest check per interval (`KB_INDEX_REFRESH_SECONDS`). */
  intervalMs: number;
  /** Before any index is loaded, a failed load is retried at most this often, not once per interval. */
  retryMs: number;
  now: () => number;
  log: (entry: Record<string, unknown>) => void;
  /** Called after a new version is swapped in (the search service drops its cached answers). */
  onSwap: (version: string) => void;
}

export const REFRESH_DEFAULTS: RefreshOptions = {
  intervalMs: 30_000,
  retryMs: 1_000,
  now: Date.now,
  log: (entry) => console.log(entry),
  onSwap: () => {},
};

/**
 * A read-only RunbookIndex over the latest published index: loaded on the first `refresh()`, then
 * swapped for a new version when the manifest changes. A call in flight finishes on the index it
 * started on (on Lambda the check runs before a request, never during one), so a swap fails no
 * request; a failed check or load keeps the current index and is logged.
 * Writes belong to the publisher (the content indexer), not here.
 */
export class RefreshingRunbookIndex<M extends { version: string }> implements RunbookIndex {
  readonly #publications: IndexPublications<M>;
  readonly #options: RefreshOptions;
  #current: { index: RunbookIndex; version: string; etag: string } | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | undefined;
  /** Why there is no index yet, for the 503 every request gets until there is one. */
  #unavailable = 'the search index has not been loaded yet';

  constructor(publications: IndexPublications<M>, options: Partial<RefreshOptions> = {}) {
    this.#publications = publications;
    this.#options = { ...REFRESH_DEFAULTS, ...options };
  }

  /** The version being served, if any. */
  get version(): string | undefined {
    return this.#current?.version;
  }

  get wordsOnly(): boolean {
    return this.#current?.index.wordsOnly ?? false;
  }

  /** Checks the manifest if the interval has passed (or nothing is loaded yet); concurrent callers share one check. */
  refresh(): Promise<void> {
    const wait = this.#current ? this.#options.intervalMs : this.#options.retryMs;
    if (this.#options.now() - this.#checkedAt < wait) return this.#pending ?? Promise.resolve();
    this.#pending ??= this.#check().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #check(): Promise<void> {
    this.#checkedAt = this.#options.now();
    const serving = this.#current?.version;
    try {
      const read = await this.#publications.manifest(this.#current?.etag);
      if (read.status === 'not-modified') return;
      if (read.status === 'missing') {
        this.#unavailable = `no index has been published: ${this.#publications.location} does not exist (has the content indexer run?)`;
        if (serving) this.#options.log({ message: 'index manifest missing; still serving the loaded version', version: serving });
        return;
      }
      if (this.#current && read.manifest.version === serving) {
        this.#current = { ...this.#current, etag: read.etag };
        return;
      }
      const started = this.#options.now();
      const index = await this.#publications.load(read.manifest);
      this.#current = { index, version: read.manifest.version, etag: read.etag };
      this.#options.log({ message: 'index loaded', version: read.manifest.version, previous: serving, ms: this.#options.now() - started });
      this.#options.onSwap(read.manifest.version);
    } catch (error) {
      this.#unavailable = `the search index could not be loaded from ${this.#publications.location}: ${(error as Error)?.message ?? error}`;
      console.error({ message: 'index refresh failed', serving: serving ?? null, error: String(error) });
    }
  }

  #index(): RunbookIndex {
    if (!this.#current) throw new UnavailableError(this.#unavailable);
    return this.#current.index;
  }

  async search(plan: QueryPlan) {
    return this.#index().search(plan);
  }

  async nearest(plan: QueryPlan) {
    return this.#index().nearest(plan);
  }

  async get(ids: readonly string[]) {
    return this.#index().get(ids);
  }

  async hashes() {
    return this.#index().hashes();
  }

  async stats() {
    return this.#index().stats();
  }

  async upsert(): Promise<never> {
    throw new Error('a published index is read-only: the content indexer publishes a new version');
  }

  async remove(): Promise<never> {
    throw new Error('a published index is read-only: the content indexer publishes a new version');
  }
}
