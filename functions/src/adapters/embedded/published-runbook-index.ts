import type { Tier } from '../../core/runbook/model.ts';
import type { QueryPlan } from '../../core/search/plan.ts';
import type { IndexStats, RunbookIndex } from '../../ports/runbook-index.ts';
import { EmbeddedRunbookIndex } from './embedded-runbook-index.ts';
import type { LoadedArtifact } from './index-artifact.ts';

/**
 * A published index artifact, searchable as it is: MiniSearch's index restored, runbooks parsed
 * from the artifact when first fetched, hashes and counts from its header. Read-only: the content
 * indexer publishes changes as a new artifact.
 */
export class PublishedRunbookIndex implements RunbookIndex {
  readonly #engine: EmbeddedRunbookIndex;

  constructor(private readonly artifact: LoadedArtifact) {
    // Searching uses the engine alone; the compiled runbooks are only read for the hits.
    this.#engine = EmbeddedRunbookIndex.restore({ runbooks: [], engine: artifact.engine });
  }

  get version(): string {
    return this.artifact.header.version;
  }

  search(plan: QueryPlan) {
    return this.#engine.search(plan);
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
