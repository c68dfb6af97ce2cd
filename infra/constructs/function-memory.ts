/**
 * The API function's memory: plain data, read by the API stack and by
 * functions/src/bench/embedded-lambda-bench.ts, which runs the function at the size it deploys
 * with (its heap capped under it, and its RSS reported against it).
 */
export const API_MEMORY_MB = {
  /** Words only (on the embedded engine the index lives in this memory, beside Node and the handler). */
  wordsOnly: 1024,
  /** With the embedding model: about 160 MB more resident, and more of a vCPU for the query's embedding. */
  withModel: 1536,
} as const;
