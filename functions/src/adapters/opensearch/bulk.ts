import type { IndexFailure } from '../../ports/runbook-index.ts';
import type { Transport } from './client.ts';
import { backoffMs, isRetryableStatus, type RetryPolicy, sleep, withRetry } from './retry.ts';

export type BulkOperation = { action: 'index'; id: string; document: unknown } | { action: 'delete'; id: string };

/**
 * Chunk bounds for `_bulk`. 5 MB stays far below the smallest HTTP payload limit of Amazon
 * OpenSearch Service (10 MB) and keeps a chunk's retry cheap; 1,000 operations keep one item
 * list small enough to walk. A single document bigger than the byte bound goes alone.
 */
export interface BulkLimits {
  maxBytes: number;
  maxOperations: number;
}
export const BULK_LIMITS: BulkLimits = { maxBytes: 5 * 1024 * 1024, maxOperations: 1_000 };

export interface BulkOutcome {
  /** Ids written (or deleted) successfully. */
  written: number;
  /** Items refused for good, with OpenSearch's reason (`mapper_parsing_exception: …`). */
  failed: IndexFailure[];
  /** Requests or items sent again after a 429/5xx: what the backoff absorbed. */
  retried: number;
}

interface Line {
  op: BulkOperation;
  ndjson: string;
  bytes: number;
}

type BulkItem = { status: number; error?: { type?: string; reason?: string; caused_by?: { reason?: string } } };
type BulkBody = { errors: boolean; items: Record<string, BulkItem>[] };

function toLine(op: BulkOperation): Line {
  const action = JSON.stringify({ [op.action]: { _id: op.id } });
  const ndjson = op.action === 'index' ? `${action}\n${JSON.stringify(op.document)}\n` : `${action}\n`;
  return { op, ndjson, bytes: Buffer.byteLength(ndjson) };
}

/** Splits operations into chunks within the byte and count bounds, in order. */
export function chunk(ops: readonly BulkOperation[], limits: BulkLimits = BULK_LIMITS): Line[][] {
  const chunks: Line[][] = [];
  let current: Line[] = [];
  let bytes = 0;
  for (const op of ops) {
    const line = toLine(op);
    if (current.length > 0 && (bytes + line.bytes > limits.maxBytes || current.length >= limits.maxOperations)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += line.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function reasonOf(item: BulkItem): string {
  const { type = 'error', reason = '', caused_by } = item.error ?? {};
  return `${type}: ${reason}${caused_by?.reason ? ` (${caused_by.reason})` : ''}`;
}

/**
 * Writes operations to an index (or a single-index alias) with `_bulk`. Items OpenSearch refuses
 * for good (a mapping conflict) are reported and the rest are written; items rejected for load
 * (429) or a node problem (5xx) are sent again with backoff and jitter, as are whole requests.
 * Throws OpenSearchUnavailableError only when the cluster stays unreachable past the retry budget.
 */
export async function bulkWrite(
  transport: Transport,
  node: string,
  index: string,
  ops: readonly BulkOperation[],
  options: {
    limits?: BulkLimits;
    retry: RetryPolicy;
    /** Refuse to write when `index` is not an alias, instead of auto-creating an unmapped index of that name. */
    requireAlias?: boolean;
    /** Return only once the writes are searchable (`refresh=wait_for`): read-your-writes, like the embedded engine. */
    waitForRefresh?: boolean;
  },
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { written: 0, failed: [], retried: 0 };
  const querystring = {
    ...(options.requireAlias ? { require_alias: true } : {}),
    ...(options.waitForRefresh ? { refresh: 'wait_for' } : {}),
  };
  const query = Object.keys(querystring).length > 0 ? { querystring } : {};
  for (const lines of chunk(ops, options.limits)) {
    let pending = lines;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const payload = pending.map((l) => l.ndjson).join('');
      // Whole-request failures (refused connection, 429, 503) are retried inside withRetry.
      const response = await withRetry(
        node,
        options.retry,
        () => transport.request({ method: 'POST', path: `/${encodeURIComponent(index)}/_bulk`, bulkBody: payload, ...query }),
        () => (outcome.retried += pending.length),
      );
      const body = response.body as BulkBody;
      const again: Line[] = [];
      pending.forEach((line, i) => {
        const item: BulkItem = Object.values(body.items[i] ?? {})[0] ?? { status: 500, error: { type: 'missing_item' } };
        if (item.status < 300 || (line.op.action === 'delete' && item.status === 404)) outcome.written++;
        else if (isRetryableStatus(item.status) && attempt < options.retry.attempts) again.push(line);
        else outcome.failed.push({ id: line.op.id, reason: reasonOf(item) });
      });
      if (again.length > 0) {
        outcome.retried += again.length;
        await sleep(backoffMs(options.retry, attempt - 1));
      }
      pending = again;
    }
  }
  return outcome;
}
