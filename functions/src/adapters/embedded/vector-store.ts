import type { DenseHit } from '../../core/search/engine-result.ts';

/**
 * Unit vectors by id in one growing Float32Array, searched exactly: at 10,000 runbooks × 384
 * dimensions a full scan is about 4 M multiply-adds, a few milliseconds, and needs no tuning.
 * An id may also carry phrase vectors (a runbook's symptoms, one each): its similarity is then
 * its main vector's blended with its closest phrase's, `phraseWeight` of it from the phrase.
 */
export class VectorStore {
  #matrix: Float32Array;
  readonly #slots = new Map<string, number>();
  /** Owner of each slot; undefined for a free one. */
  readonly #ids: (string | undefined)[] = [];
  readonly #free: number[] = [];
  /** Phrase vectors by slot, packed end to end; most slots have none. */
  readonly #phrases: (Float32Array | undefined)[] = [];

  constructor(
    readonly dimension: number,
    readonly phraseWeight = 0,
  ) {
    this.#matrix = new Float32Array(dimension * 64);
  }

  set(id: string, vector: Float32Array, phrases: readonly Float32Array[] = []): void {
    for (const v of [vector, ...phrases])
      if (v.length !== this.dimension) throw new Error(`vector of ${v.length} dimensions, expected ${this.dimension}`);
    let slot = this.#slots.get(id);
    if (slot === undefined) {
      slot = this.#free.pop() ?? this.#ids.length;
      if ((slot + 1) * this.dimension > this.#matrix.length) {
        const grown = new Float32Array(this.#matrix.length * 2);
        grown.set(this.#matrix);
        this.#matrix = grown;
      }
      this.#slots.set(id, slot);
      this.#ids[slot] = id;
    }
    this.#matrix.set(vector, slot * this.dimension);
    this.#phrases[slot] = phrases.length > 0 && this.phraseWeight > 0 ? packed(phrases, this.dimension) : undefined;
  }

  /** How many ids have vectors. */
  get size(): number {
    return this.#slots.size;
  }

  /** An id's main vector then its phrase vectors (views into the store: copy before changing them). */
  get(id: string): Float32Array[] | undefined {
    const slot = this.#slots.get(id);
    if (slot === undefined) return undefined;
    const dim = this.dimension;
    const main = this.#matrix.subarray(slot * dim, (slot + 1) * dim);
    const phrases = this.#phrases[slot];
    const rest: Float32Array[] = [];
    for (let offset = 0; phrases && offset < phrases.length; offset += dim) rest.push(phrases.subarray(offset, offset + dim));
    return [main, ...rest];
  }

  delete(id: string): void {
    const slot = this.#slots.get(id);
    if (slot === undefined) return;
    this.#slots.delete(id);
    this.#ids[slot] = undefined;
    this.#phrases[slot] = undefined;
    this.#free.push(slot);
  }

  /**
   * The `limit` ids most similar to `query` (a unit vector) among those `accept` lets through,
   * best first. `extra` gives some ids one more phrase, by its cosine with the query already.
   */
  nearest(query: Float32Array, limit: number, accept?: (id: string) => boolean, extra?: ReadonlyMap<string, number>): DenseHit[] {
    const dim = this.dimension;
    const matrix = this.#matrix;
    const weight = this.phraseWeight;
    const best: DenseHit[] = [];
    for (let slot = 0; slot < this.#ids.length; slot++) {
      const id = this.#ids[slot];
      if (id === undefined || (accept && !accept(id))) continue;
      let dot = dotAt(query, matrix, slot * dim, dim);
      const phrases = this.#phrases[slot];
      const more = extra?.get(id);
      if (phrases || (more !== undefined && weight > 0)) {
        let closest = Math.max(dot, more ?? -1);
        for (let offset = 0; phrases && offset < phrases.length; offset += dim)
          closest = Math.max(closest, dotAt(query, phrases, offset, dim));
        dot = (1 - weight) * dot + weight * closest;
      }
      if (best.length < limit || dot > (best[best.length - 1] as DenseHit).similarity) {
        // Insertion into a short sorted list: limit is tens, the scan is thousands.
        let i = Math.min(best.length, limit - 1);
        while (i > 0 && (best[i - 1] as DenseHit).similarity < dot) {
          best[i] = best[i - 1] as DenseHit;
          i--;
        }
        best[i] = { runbookId: id, similarity: dot };
      }
    }
    return best;
  }
}

function packed(vectors: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => {
    out.set(v, i * dim);
  });
  return out;
}

/** `query` · the vector at `offset`: four running sums, which V8 keeps in registers (1.6× one sum). */
function dotAt(query: Float32Array, matrix: Float32Array, offset: number, dim: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let k = 0;
  for (; k + 3 < dim; k += 4) {
    a += (query[k] as number) * (matrix[offset + k] as number);
    b += (query[k + 1] as number) * (matrix[offset + k + 1] as number);
    c += (query[k + 2] as number) * (matrix[offset + k + 2] as number);
    d += (query[k + 3] as number) * (matrix[offset + k + 3] as number);
  }
  for (; k < dim; k++) a += (query[k] as number) * (matrix[offset + k] as number);
  return a + b + c + d;
}
