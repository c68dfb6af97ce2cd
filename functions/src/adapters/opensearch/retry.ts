// The client's errors module alone: the package entry would load the whole generated API.
import * as errors from '@opensearch-project/opensearch/lib/errors.js';
import { displayNode } from './client.ts';
import { OpenSearchRequestError, OpenSearchUnavailableError } from './errors.ts';

/**
 * The one retry policy of the OpenSearch adapter: every call (cluster.ts) and every bulk write
 * (bulk.ts, whole requests and refused items alike) retries through a RetryBudget, with one
 * backoff formula and a total time budget. Nothing above the adapter retries OpenSearch again.
 */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first retry waits up to this long; each further one up to twice as long… */
  baseDelayMs: number;
  /** …but never longer than this. */
  maxDelayMs: number;
  /** How long one attempt may wait for an answer (the client's request timeout); 30 s when absent. */
  attemptTimeoutMs?: number;
  /** All attempts and waits together, from the first try; unlimited when absent. */
  budgetMs?: number;
}

/**
 * Writes ride out a busy or restarting cluster for about 15 s in all (0.2 + 0.4 + … capped at
 * 4 s, each a random share of it), well inside a 60 s indexer batch. Reads give up within 2.5 s:
 * someone is waiting, and a 503 then is better than the API Gateway's 29 s timeout. One read
 * attempt may take 1.2 s (a search on 10,000 runbooks answers in tens of milliseconds), so a
 * cluster that accepts connections and never answers costs two attempts, not three of 30 s each.
 */
export const WRITE_RETRY: RetryPolicy = { attempts: 7, baseDelayMs: 200, maxDelayMs: 4_000, attemptTimeoutMs: 10_000, budgetMs: 15_000 };
export const READ_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 50, maxDelayMs: 500, attemptTimeoutMs: 1_200, budgetMs: 2_500 };

const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
/** An attempt with less time than this left is not worth starting. */
const MIN_ATTEMPT_MS = 100;

/** Exponential backoff with full jitter: clients that failed together do not retry together. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The attempts and time one operation has left. `deadline` (epoch ms) is the caller's, when it
 * has one (a Lambda's remaining time): the budget ends at whichever comes first.
 */
export class RetryBudget {
  attempt = 1;
  readonly #started: number;
  readonly #deadline: number;

  constructor(
    readonly policy: RetryPolicy,
    deadline?: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#started = now();
    this.#deadline = Math.min(deadline ?? Number.POSITIVE_INFINITY, this.#started + (policy.budgetMs ?? Number.POSITIVE_INFINITY));
  }

  /** How long the current attempt may wait for an answer: its timeout, within what the budget has left. */
  attemptTimeoutMs(): number {
    const left = this.#deadline - this.now();
    return Math.max(MIN_ATTEMPT_MS, Math.min(this.policy.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS, left));
  }

  /** Waits out the backoff and counts the next attempt; false (at once) when attempts or time are used up. */
  async next(): Promise<boolean> {
    if (this.attempt >= this.policy.attempts) return false;
    const delay = backoffMs(this.policy, this.attempt - 1);
    if (this.now() + delay + MIN_ATTEMPT_MS > this.#deadline) return false;
    await sleep(delay);
    this.attempt += 1;
    return true;
  }

  /** "3 attempts in 2.4 s", for messages. */
  spent(): string {
    return `${this.attempt} attempt${this.attempt === 1 ? '' : 's'} in ${((this.now() - this.#started) / 1000).toFixed(1)} s`;
  }
}

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

type ErrorBody = { error?: { type?: string; reason?: string } | string; Message?: string; message?: string } | undefined;

/**
 * OpenSearch's reason for a refusal. Amazon OpenSearch Service answers an IAM deny with
 * `{"Message": "User: arn:… is not authorized to perform: es:ESHttpPost …"}`, not OpenSearch's
 * `error.reason`: without reading it, a missing permission is logged as a bare 403.
 */
function reasonOf(error: errors.ResponseError): { type: string; reason: string } {
  const body = error.body as ErrorBody;
  const cause = typeof body?.error === 'object' ? body.error : undefined;
  const reason =
    cause?.reason ?? (typeof body?.error === 'string' ? body.error : undefined) ?? body?.Message ?? body?.message ?? error.message;
  return { type: cause?.type ?? 'error', reason };
}

function describe(error: unknown): string {
  if (error instanceof errors.ResponseError) {
    const { type, reason } = reasonOf(error);
    return `${error.statusCode} ${type === 'error' ? '' : type} ${reason}`.replace(/\s+/g, ' ').trim();
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sorts a failed attempt: returns when it is worth retrying (connection failure, timeout, 429,
 * 5xx); throws OpenSearchRequestError for a refusal a retry cannot fix (another 4xx), and the
 * error itself for anything else (a bug).
 */
export function retryableOrThrow(error: unknown): void {
  const status = error instanceof errors.ResponseError ? error.statusCode : undefined;
  if (isConnectionFailure(error) || (status !== undefined && isRetryableStatus(status))) return;
  if (status !== undefined) {
    const { type, reason } = reasonOf(error as errors.ResponseError);
    throw new OpenSearchRequestError(status, type, reason, { cause: error });
  }
  throw error;
}

/** What a caller gets when the budget ran out on a cluster that kept failing. */
export function unavailable(node: string, error: unknown, budget: RetryBudget): OpenSearchUnavailableError {
  return new OpenSearchUnavailableError(displayNode(node), `${describe(error)} (after ${budget.spent()})`, { cause: error });
}

/**
 * Runs one request within a RetryBudget: connection failures, timeouts, 429 and 5xx are retried
 * with backoff while attempts and time last, then OpenSearchUnavailableError; any other 4xx is
 * OpenSearchRequestError at once. `request` gets the time its attempt may take.
 */
export async function withRetry<T>(
  node: string,
  policy: RetryPolicy,
  request: (attempt: { timeoutMs: number }) => Promise<T>,
  options: { onRetry?: () => void; deadline?: number } = {},
): Promise<T> {
  const budget = new RetryBudget(policy, options.deadline);
  for (;;) {
    try {
      return await request({ timeoutMs: budget.attemptTimeoutMs() });
    } catch (error) {
      retryableOrThrow(error);
      if (!(await budget.next())) throw unavailable(node, error, budget);
      options.onRetry?.();
    }
  }
}
