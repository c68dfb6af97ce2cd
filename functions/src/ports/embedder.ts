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
