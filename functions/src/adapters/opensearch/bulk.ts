import type { IndexFailure } from '../../ports/runbook-index.ts';
import type { Transport } from './client.ts';
import { isRetryableStatus, RetryBudget, type RetryPolicy, retryableOrThrow, unavailable } from './retry.ts';

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
 * (429) or a node problem (5xx) are sent again with backoff and jitter, as are whole requests,
 * all from one RetryBudget per chunk (retry.ts): a failing cluster costs one budget, not
 * attempts × attempts. Items still refused when it runs out are reported as failed; a cluster
 * that stays unreachable throws OpenSearchUnavailableError.
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
    /** When the caller needs an answer by (epoch ms): retries stop before it. */
    deadline?: number;
  },
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { written: 0, failed: [], retried: 0 };
  const querystring = {
    ...(options.requireAlias ? { require_alias: true } : {}),
    ...(options.waitForRefresh ? { refresh: 'wait_for' } : {}),
  };
  const query = Object.keys(querystring).length > 0 ? { querystring } : {};
  for (const lines of chunk(ops, options.limits)) {
    const budget = new RetryBudget(options.retry, options.deadline);
    let pending = lines;
    while (pending.length > 0) {
      const payload = pending.map((l) => l.ndjson).join('');
      let body: BulkBody;
      try {
        const request = { method: 'POST', path: `/${encodeURIComponent(index)}/_bulk`, bulkBody: payload, ...query };
        body = (await transport.request(request, { requestTimeout: budget.attemptTimeoutMs() })).body as BulkBody;
      } catch (error) {
        // The whole request failed (refused connection, timeout, 429, 503): send it all again.
        retryableOrThrow(error);
        if (!(await budget.next())) throw unavailable(node, error, budget);
        outcome.retried += pending.length;
        continue;
      }
      const again: { line: Line; item: BulkItem }[] = [];
      pending.forEach((line, i) => {
        const item: BulkItem = Object.values(body.items[i] ?? {})[0] ?? { status: 500, error: { type: 'missing_item' } };
        if (item.status < 300 || (line.op.action === 'delete' && item.status === 404)) outcome.written++;
        else if (isRetryableStatus(item.status)) again.push({ line, item });
        else outcome.failed.push({ id: line.op.id, reason: reasonOf(item) });
      });
      if (again.length > 0 && !(await budget.next())) {
        for (const { line, item } of again) outcome.failed.push({ id: line.op.id, reason: reasonOf(item) });
        break;
      }
      outcome.retried += again.length;
      pending = again.map((a) => a.line);
    }
  }
  return outcome;
}
