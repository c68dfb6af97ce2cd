import type { Tier } from '../../core/runbook/model.ts';
import type { QueryPlan } from '../../core/search/plan.ts';
import { sameModel } from '../../ports/embedder.ts';
import type { IndexStats, RunbookIndex } from '../../ports/runbook-index.ts';
import { type EmbeddedIndexSnapshot, EmbeddedRunbookIndex } from './embedded-runbook-index.ts';
import type { LoadedArtifact, ModelRef } from './index-artifact.ts';

export interface PublishedIndexOptions {
  /** The model the API embeds queries with; without one the artifact's vectors are not loaded. */
  model?: ModelRef;
  /** Told why an artifact ranks by words only although this function has a model. */
  warn?: (message: string) => void;
}

/**
 * A published index artifact, searchable as it is: MiniSearch's index restored, runbooks parsed
 * from the artifact when first fetched, hashes and counts from its header. Read-only: the content
 * indexer publishes changes as a new artifact.
 */
export class PublishedRunbookIndex implements RunbookIndex {
  readonly #engine: EmbeddedRunbookIndex;
  /** This function has a model and some of the artifact's runbooks have no vectors of it (see `vectorsFor`). */
  readonly wordsOnly: boolean;

  constructor(
    private readonly artifact: LoadedArtifact,
    options: PublishedIndexOptions = {},
  ) {
    // Searching uses the engine alone; the compiled runbooks are only read for the hits.
    const vectors = vectorsFor(artifact, options);
    this.#engine = EmbeddedRunbookIndex.restore({ runbooks: [], engine: artifact.engine, ...(vectors ? { vectors } : {}) });
    this.wordsOnly = options.model !== undefined && (!vectors || artifact.header.runbooks.some((r) => !vectors.byId.has(r.id)));
  }

  /** The model whose vectors this index ranks with; undefined when it ranks by words only. */
  get modelId(): string | undefined {
    return this.#engine.modelId;
  }

  get version(): string {
    return this.artifact.header.version;
  }

  search(plan: QueryPlan) {
    return this.#engine.search(plan);
  }

  nearest(plan: QueryPlan) {
    return this.#engine.nearest(plan);
  }

  async get(ids: readonly string[]) {
    return ids.flatMap((id) => this.artifact.runbook(id) ?? []);
  }

  async hashes() {
    return new Map(this.artifact.header.runbooks.map((r) => [r.id, r.hash]));
  }

  async stats(): Promise<IndexStats> {
    const byTier: Partial<Record<Tier, number>> = {};
    let sections = 0;
    for (const r of this.artifact.header.runbooks) {
      byTier[r.tier] = (byTier[r.tier] ?? 0) + 1;
      sections += r.sections;
    }
    return { runbooks: this.artifact.header.runbooks.length, sections, byTier };
  }

  async upsert(): Promise<never> {
    throw new Error('a published index is read-only: the content indexer publishes a new version');
  }

  async remove(): Promise<never> {
    throw new Error('a published index is read-only: the content indexer publishes a new version');
  }
}

/**
 * The artifact's vectors when they are of the API's model. Any other case ranks by words only:
 * vectors of two models are never compared, and a function with a model says why it is not used.
 */
function vectorsFor(artifact: LoadedArtifact, { model, warn }: PublishedIndexOptions): EmbeddedIndexSnapshot['vectors'] {
  if (!model) return undefined;
  const built = artifact.header.model;
  const byId = artifact.vectors();
  if (built && byId && sameModel(built, model)) return { model: built, byId };
  warn?.(
    built
      ? `the index artifact's vectors are of model ${built.id} (${built.dimension} dimensions), this function's of ${model.id} (${model.dimension}): ranking by words only`
      : `the index artifact holds no vectors (built without a model): ranking by words only until the content indexer runs with ${model.id}`,
  );
  return undefined;
}
