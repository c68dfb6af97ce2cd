/**
 * Turns text into unit-length vectors whose dot product says how alike two texts mean. Adapter:
 * `OnnxEmbedder` (a small sentence-embedding model run in-process). Indexes record `modelId` and
 * `dimension`, so vectors from another model are never compared with these.
 */
export interface Embedder {
  readonly modelId: string;
  readonly dimension: number;
  /** One L2-normalised vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** A model as indexes record it, by the id and dimension of its vectors. */
type ModelIdentity = { readonly id: string; readonly dimension: number };

/** Whether two models' vectors may be compared: both known, of the same id and dimension. */
export function sameModel(a: ModelIdentity | null | undefined, b: ModelIdentity | null | undefined): boolean {
  return !!a && !!b && a.id === b.id && a.dimension === b.dimension;
}
