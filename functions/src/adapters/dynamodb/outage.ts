import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { UnavailableError } from '../../core/errors.ts';

/** The table cannot take the request now (throttled, unreachable, or failing on its side): the caller may retry. */
export class StoreUnavailableError extends UnavailableError {
  override readonly title = 'Storage is unavailable';
  override readonly detail = 'The table that keeps resolutions and feedback cannot take requests now; try again shortly';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Whether DynamoDB failed for want of capacity or reach rather than because of the request:
 * throttled, a network error or timeout, or a fault of its own (the SDK's classification). The
 * client has already retried by then; what is left is an outage, not a bug.
 */
export function isOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || sdkError.$fault === 'server';
}

/**
 * Has the client throw `StoreUnavailableError` for an outage, after its own retries, so the API
 * answers 503 with Retry-After rather than a bare 500: a ticket system retries, and resolutions
 * and feedback are written by key, so a repeat replaces rather than duplicates. The document
 * clients built on it share its middleware.
 */
export function withOutageErrors(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (!isOutage(error)) throw error;
        const { name, message } = error as Error;
        const reason = name && name !== 'Error' ? `${name}: ${message}` : message;
        throw new StoreUnavailableError(`DynamoDB cannot take requests now (${reason})`, { cause: error });
      }
    },
    { step: 'initialize', name: 'kbStoreOutage', override: true },
  );
  return client;
}
