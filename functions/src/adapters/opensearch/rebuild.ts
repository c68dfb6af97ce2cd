import { type BulkLimits, type BulkOperation, type BulkOutcome, bulkWrite } from './bulk.ts';
import type { Cluster } from './cluster.ts';
import type { VectorModel } from './index-design.ts';
import {
  aliasState,
  createIndex,
  dropIndex,
  finishBulkLoad,
  type IndexLayout,
  pruneIndices,
  swapAlias,
  versionedName,
} from './index-lifecycle.ts';
import type { RetryPolicy } from './retry.ts';

export interface Rebuilt {
  /** The index built. */
  index: string;
  /** The index the alias pointed at before, if any. */
  previous?: string;
  /** False when too many documents were refused: the new index was dropped and the alias left alone. */
  swapped: boolean;
  indexed: number;
  failed: BulkOutcome['failed'];
  /** Superseded indices deleted afterwards. */
  pruned: string[];
  /** Requests or items the backoff sent again. */
  retried: number;
}

/**
 * A full rebuild: a new versioned index, loaded with refresh off, refreshed, then the alias moved
 * to it in one atomic `_aliases` call. Searches run on the old index until that call and on the
 * new one after it, never on neither. If the cluster fails half-way, the new index is dropped (best
 * effort: else the next rebuild prunes it) and the error is thrown with the alias untouched; when
 * more than `failureTolerance` of the documents are refused, the old index also stays in service.
 * With `model`, the new index has the vector fields of that model (the documents carry its vectors).
 */
export async function rebuildBehindAlias(
  cluster: Cluster,
  layout: IndexLayout,
  ops: readonly BulkOperation[],
  options: { limits: BulkLimits; retry: RetryPolicy; failureTolerance: number; model?: VectorModel },
): Promise<Rebuilt> {
  const previous = (await aliasState(cluster, layout.alias)).index;
  const index = versionedName(layout.alias);
  await createIndex(cluster, index, { replicas: layout.replicas, bulkLoad: true, ...(options.model ? { model: options.model } : {}) });
  let outcome: BulkOutcome;
  let swapped = false;
  try {
    outcome = await bulkWrite(cluster.transport, cluster.node, index, ops, { limits: options.limits, retry: options.retry });
    swapped = outcome.failed.length <= ops.length * options.failureTolerance;
    if (swapped) {
      await finishBulkLoad(cluster, index);
      await swapAlias(cluster, layout.alias, index, previous ? [previous] : []);
    }
  } catch (error) {
    await dropIndex(cluster, index);
    throw error;
  }
  if (!swapped) await dropIndex(cluster, index);
  // Pruning is housekeeping: if it fails, the next rebuild does it.
  const pruned = swapped ? await pruneIndices(cluster, layout, index).catch(() => []) : [];
  return {
    index,
    ...(previous ? { previous } : {}),
    swapped,
    indexed: outcome.written,
    failed: outcome.failed,
    pruned,
    retried: outcome.retried,
  };
}
