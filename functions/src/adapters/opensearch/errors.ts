import { UnavailableError } from '../../core/errors.ts';

/**
 * OpenSearch could not be reached or kept failing after retries (refused connection, timeouts,
 * 5xx/429 past the retry budget). Entry points turn it into a clear message and a non-zero exit
 * or a 503; nothing was half-done that a retry cannot redo (see the rebuild in index-lifecycle.ts).
 */
export class OpenSearchUnavailableError extends UnavailableError {
  constructor(
    readonly node: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach OpenSearch at ${node}: ${reason}`, options);
    this.name = 'OpenSearchUnavailableError';
  }
}

/** OpenSearch answered, but refused a request for a reason a retry will not fix (a 4xx). */
export class OpenSearchRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`OpenSearch refused the request (${statusCode} ${type}): ${reason}`, options);
    this.name = 'OpenSearchRequestError';
  }
}
