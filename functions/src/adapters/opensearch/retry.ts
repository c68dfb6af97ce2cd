// The client's errors module alone: the package entry would load the whole generated API.
import * as errors from '@opensearch-project/opensearch/lib/errors.js';
import { displayNode } from './client.ts';
import { OpenSearchRequestError, OpenSearchUnavailableError } from './errors.ts';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first retry waits up to this long; each further one up to twice as long… */
  baseDelayMs: number;
  /** …but never longer than this. */
  maxDelayMs: number;
}

/**
 * Writes ride out a busy or restarting cluster for about 10 s in all (0.2 + 0.4 + … capped at
 * 4 s, each a random share of it); reads give up sooner, since someone is waiting for them.
 */
export const WRITE_RETRY: RetryPolicy = { attempts: 7, baseDelayMs: 200, maxDelayMs: 4_000 };
export const READ_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 };

/** Exponential backoff with full jitter: clients that failed together do not retry together. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** 429 (rejected: queue full) and 5xx (node busy, restarting or failing over) are worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The server was not there or did not answer: worth retrying, and if it lasts, "unavailable". */
function isConnectionFailure(error: unknown): boolean {
  return (
    error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError
  );
}

function describe(error: unknown): string {
  if (error instanceof errors.ResponseError) {
    const cause = (error.body as { error?: { type?: string; reason?: string } } | undefined)?.error;
    return `${error.statusCode} ${cause?.type ?? ''} ${cause?.reason ?? error.message}`.replace(/\s+/g, ' ').trim();
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one request, retrying connection failures, 429 and 5xx with backoff. When retries run out
 * it throws OpenSearchUnavailableError; a 4xx (other than 429) throws OpenSearchRequestError at once.
 */
export async function withRetry<T>(node: string, policy: RetryPolicy, request: () => Promise<T>, onRetry?: () => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const status = error instanceof errors.ResponseError ? error.statusCode : undefined;
      const retryable = isConnectionFailure(error) || (status !== undefined && isRetryableStatus(status));
      if (status !== undefined && !retryable) {
        const cause = (error as errors.ResponseError).body as { error?: { type?: string; reason?: string } } | undefined;
        throw new OpenSearchRequestError(status, cause?.error?.type ?? 'error', cause?.error?.reason ?? describe(error), { cause: error });
      }
      if (!retryable) throw error;
      if (attempt >= policy.attempts) {
        throw new OpenSearchUnavailableError(displayNode(node), `${describe(error)} (after ${attempt} attempts)`, { cause: error });
      }
      onRetry?.();
      await sleep(backoffMs(policy, attempt - 1));
    }
  }
}
