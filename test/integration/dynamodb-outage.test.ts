import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbResolutionStore } from '../../functions/src/adapters/dynamodb/dynamodb-resolution-store.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../functions/src/adapters/dynamodb/local-dynamodb.ts';
import { isOutage, StoreUnavailableError } from '../../functions/src/adapters/dynamodb/outage.ts';
import { putJson, resolutionBody, storedResolution, writeBackApp } from '../helpers/write-back.ts';

const resolution = storedResolution({ ticketId: 'HD-9' });

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});
afterAll(() => dynamo?.close());

describe('the table out of reach', () => {
  it("takes throttling and the table's own faults for an outage, and a failed condition or a bug for none", () => {
    const $metadata = {};
    expect(isOutage(new ProvisionedThroughputExceededException({ message: 'throughput exceeded', $metadata }))).toBe(true);
    expect(isOutage(new InternalServerError({ message: 'internal', $metadata }))).toBe(true);
    expect(isOutage(new ConditionalCheckFailedException({ message: 'condition failed', $metadata }))).toBe(false);
    expect(isOutage(new TypeError('x is undefined'))).toBe(false);
  });

  it('is a StoreUnavailableError once the client has retried; a request the table refuses is not', async () => {
    // A table nobody listens for (connection refused), and the DynamoDB API (dynalite) asked for a table it lacks.
    const unreachable = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'local',
      maxAttempts: 2,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const refused = new DynamoDbResolutionStore(unreachable, 'test-resolutions');
    const missing = new DynamoDbResolutionStore(dynamo.client, 'no-such-table');

    const outage = await refused.putResolution(resolution).catch((error: unknown) => error);
    const mistake = await missing.putResolution(resolution).catch((error: unknown) => error);

    expect(outage).toBeInstanceOf(StoreUnavailableError);
    expect((outage as Error).message).toMatch(/^DynamoDB cannot take requests now \(connect ECONNREFUSED 127\.0\.0\.1:9\)$/);
    expect(mistake).not.toBeInstanceOf(StoreUnavailableError);
    expect((mistake as Error).name).toBe('ResourceNotFoundException');
  });
});

describe('the API while the table is out of reach', () => {
  let ctx: Awaited<ReturnType<typeof writeBackApp>>;
  beforeAll(async () => {
    ctx = await writeBackApp();
  });
  afterAll(() => ctx?.close());

  it('answers a write-back 503 problem+json with Retry-After, naming storage and not its cause', async () => {
    // Inject the fault: the table throttles every write, past the client's own retries.
    const cause = Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });
    const put = vi
      .spyOn(ctx.writeBack.store, 'putResolution')
      .mockRejectedValue(new StoreUnavailableError('DynamoDB: throttled', { cause }));

    const response = await ctx.app.request('/tickets/jira/HD-9/resolution', putJson(resolutionBody()));

    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('5');
    const body = await response.json();
    expect(body).toMatchObject({ status: 503, title: 'Storage is unavailable' });
    expect(JSON.stringify(body)).not.toMatch(/throttl|DynamoDB/i);
    expect(ctx.errors).toEqual([expect.any(StoreUnavailableError)]);
    put.mockRestore();
  });
});
