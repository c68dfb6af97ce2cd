/**
 * Time a content indexer keeps for writing once it stops embedding: the artifact's snapshot,
 * compression and upload (34 MiB gzip'd with vectors at 10,000 runbooks), or the bulk load and
 * alias swap of a new OpenSearch index.
 */
export const WRITE_RESERVE_MS = 120_000;

/** The part of Lambda's invocation context a content indexer reads. */
export interface InvocationTime {
  getRemainingTimeInMillis(): number;
}

/**
 * Whether there is time to embed another slice of runbooks in this invocation; `undefined` when
 * the caller has no time limit (a script, a test: Lambda's context is the only clock).
 */
export function embeddingTimeLimit(context: Partial<InvocationTime> | undefined): (() => boolean) | undefined {
  const remaining = context?.getRemainingTimeInMillis?.bind(context);
  return remaining ? () => remaining() > WRITE_RESERVE_MS : undefined;
}
