import type { CompiledRunbook } from '../../core/runbook/model.ts';
import { embeddingTexts } from '../../core/search/documents.ts';
import type { Embedder } from '../../ports/embedder.ts';

/**
 * An embedder that first looks a text up among the vectors of a previous index artifact (each
 * runbook's texts, from `embeddingTexts`, and the vectors it was published with), and runs the
 * model only for texts it has not seen: a publish embeds what changed, even on a full sync that
 * rebuilds the index from nothing. Counts both, for the content indexer's log.
 */
export class ReusedVectors implements Embedder {
  readonly modelId: string;
  readonly dimension: number;
  readonly #known = new Map<string, Float32Array>();
  #embedded = 0;
  #reused = 0;

  constructor(
    private readonly inner: Embedder,
    previous: { runbooks: readonly CompiledRunbook[]; vectors: ReadonlyMap<string, readonly Float32Array[]> } | undefined,
  ) {
    this.modelId = inner.modelId;
    this.dimension = inner.dimension;
    for (const runbook of previous?.runbooks ?? []) {
      const vectors = previous?.vectors.get(runbook.id);
      const texts = embeddingTexts(runbook);
      // A runbook published with another count of texts (another embeddingTexts) is embedded again.
      if (vectors?.length !== texts.length) continue;
      texts.forEach((text, i) => {
        this.#known.set(text, vectors[i] as Float32Array);
      });
    }
  }

  /** Texts the model embedded, and texts answered from the previous artifact. */
  get counts(): { embedded: number; reused: number } {
    return { embedded: this.#embedded, reused: this.#reused };
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const unknown = [...new Set(texts.filter((t) => !this.#known.has(t)))];
    const fresh = unknown.length > 0 ? await this.inner.embed(unknown) : [];
    unknown.forEach((text, i) => {
      this.#known.set(text, fresh[i] as Float32Array);
    });
    this.#embedded += unknown.length;
    this.#reused += texts.length - unknown.length;
    return texts.map((t) => this.#known.get(t) as Float32Array);
  }
}
