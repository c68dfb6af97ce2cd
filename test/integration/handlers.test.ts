import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type AttributeValue, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, NoSuchKey } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, DynamoDBRecord, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbResolutionStore } from '../../functions/src/adapters/dynamodb/dynamodb-resolution-store.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../functions/src/adapters/dynamodb/local-dynamodb.ts';
import { EmbeddedResolutionIndex } from '../../functions/src/adapters/embedded/embedded-resolution-index.ts';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { S3ContentSource, type S3Send } from '../../functions/src/adapters/s3/s3-content-source.ts';
import type { Signal } from '../../functions/src/core/resolutions/model.ts';
import { actionsFor, type ContentDeps, REBUILD_KEY } from '../../functions/src/handlers/content-events.ts';
import { createContentIndexer } from '../../functions/src/handlers/content-indexer.ts';
import { createResolutionIndexer } from '../../functions/src/handlers/resolution-indexer.ts';
import type { ResolutionIndex } from '../../functions/src/ports/resolution-index.ts';
import { restEvent as gatewayEvent } from '../helpers/aws-events.ts';

/*
 * The three Lambda handlers, driven with the events AWS sends them: an API Gateway REST (v1)
 * proxy request, an S3 event notification and DynamoDB stream records. The table is the DynamoDB
 * API served locally (dynalite). OpenSearch cases need a server: KB_OPENSEARCH_URL (as for
 * `npm run test:opensearch`); without one they are skipped with a message, and the handlers run
 * over the embedded indices instead. S3 has no local server here: the content bucket is an
 * in-memory versioned bucket behind the S3 client's `send`, answering with the SDK's own types.
 */

const OPENSEARCH = process.env.KB_OPENSEARCH_URL;
if (!OPENSEARCH) {
  process.stderr.write(
    '\nKB_OPENSEARCH_URL is not set: skipping the handler cases that need OpenSearch (see test/opensearch/vitest.config.ts).\n\n',
  );
}
const withOpenSearch = describe.runIf(Boolean(OPENSEARCH));

const WEB_ORIGIN = 'https://d111111abcdef8.cloudfront.net';
const TABLE = 'handlers-test';
const suffix = randomUUID().slice(0, 8);
const ALIASES = { runbooks: `kb-test-handlers-runbooks-${suffix}`, resolutions: `kb-test-handlers-resolutions-${suffix}` };
const CLIENTS = [
  { keyId: 'key-jira', name: 'jira', scopes: ['search', 'resolve'] },
  { keyId: 'key-reader', name: 'reader', scopes: ['search'] },
];

// --- event factories: the shapes AWS delivers ------------------------------------------------

/** An API Gateway request from the web app (its origin set, as a browser sends it). */
const restEvent = (method: string, path: string, options: Parameters<typeof gatewayEvent>[2] = {}) =>
  gatewayEvent(method, path, { origin: WEB_ORIGIN, ...options });

/** An S3 event notification record (what S3 invokes the function with), key URL-encoded. */
function s3Event(eventName: 'ObjectCreated:Put' | 'ObjectRemoved:Delete', key: string, bucket = 'kb-content'): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: new Date().toISOString(),
        eventName,
        userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
        requestParameters: { sourceIPAddress: '203.0.113.7' },
        responseElements: { 'x-amz-request-id': 'EXAMPLE123456789', 'x-amz-id-2': 'EXAMPLE/abc' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'RunbookKbApiContentBucketNotifications',
          bucket: { name: bucket, ownerIdentity: { principalId: 'A3EXAMPLE' }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size: 1024,
            eTag: '0123456789abcdef0123456789abcdef',
            sequencer: '0A1B2C3D4E5F678901',
            ...(eventName.startsWith('ObjectCreated') ? { versionId: 'v1' } : {}),
          },
        },
      },
    ],
  } as S3Event;
}

let sequence = 1000;
/** A DynamoDB stream record (NEW_AND_OLD_IMAGES) for a table item in AttributeValue form. */
function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { newImage?: Record<string, AttributeValue>; oldImage?: Record<string, AttributeValue> },
): DynamoDBRecord {
  const image = images.newImage ?? images.oldImage ?? {};
  sequence += 100;
  return {
    eventID: randomUUID().replace(/-/g, ''),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: { pk: image.pk as never, sk: image.sk as never },
      ...(images.newImage ? { NewImage: images.newImage as never } : {}),
      ...(images.oldImage ? { OldImage: images.oldImage as never } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 512,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: `arn:aws:dynamodb:eu-west-1:123456789012:table/${TABLE}/stream/2026-11-23T00:00:00.000`,
  };
}

// --- an in-memory versioned bucket behind S3Client.send ----------------------------------------

class MemoryBucket {
  readonly versions = new Map<string, { id: string; bytes: Uint8Array | null; at: number }[]>();
  #clock = 0;

  put(key: string, content: string | Uint8Array) {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    this.versions.set(key, [...(this.versions.get(key) ?? []), { id: `v${++this.#clock}`, bytes, at: this.#clock }]);
  }

  delete(key: string) {
    this.versions.set(key, [...(this.versions.get(key) ?? []), { id: `v${++this.#clock}`, bytes: null, at: this.#clock }]);
  }

  readonly client: S3Send = {
    send: (async (command: unknown) => {
      const input = (command as { input: Record<string, string | undefined> }).input;
      if (command instanceof ListObjectsV2Command) {
        const keys = [...this.versions].filter(([k, v]) => k.startsWith(input.Prefix ?? '') && v.at(-1)?.bytes).map(([k]) => k);
        return { Contents: keys.map((Key) => ({ Key })), IsTruncated: false };
      }
      if (command instanceof ListObjectVersionsCommand) {
        const list = [...this.versions].filter(([k]) => k.startsWith(input.Prefix ?? ''));
        return {
          Versions: list.flatMap(([Key, vs]) =>
            vs
              .filter((v) => v.bytes)
              .map((v) => ({ Key, VersionId: v.id, IsLatest: v === vs.at(-1), LastModified: new Date(v.at * 1000) })),
          ),
        };
      }
      if (command instanceof GetObjectCommand) {
        const vs = this.versions.get(input.Key ?? '') ?? [];
        const version = input.VersionId ? vs.find((v) => v.id === input.VersionId) : vs.at(-1);
        if (!version?.bytes) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
        const bytes = version.bytes;
        return { Body: { transformToByteArray: async () => bytes } };
      }
      throw new Error(`unexpected S3 command ${(command as object).constructor.name}`);
    }) as S3Send['send'],
  };
}

const runbookFile = (name: string) => readFile(new URL(`../../content/${name}`, import.meta.url));

function result(response: APIGatewayProxyResult) {
  const header = (name: string) => response.multiValueHeaders?.[name]?.[0] ?? response.headers?.[name];
  return { status: response.statusCode, json: JSON.parse(response.body || 'null'), header };
}

let dynamo: LocalDynamoDb;
let apiHandler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  // The handlers log one JSON line per outcome, as on Lambda; the assertions read the results.
  for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation(() => {});
  dynamo = await startLocalDynamoDb();
  await new DynamoDbResolutionStore(dynamo.client, TABLE).ensureTable();
  // The settings CDK gives the API function, pointing at the local services. S3 is unreachable
  // on purpose: synonyms.txt fails to load, which must not fail a request.
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
    AWS_MAX_ATTEMPTS: '1',
    KB_OPENSEARCH_URL: OPENSEARCH ?? 'http://127.0.0.1:9',
    KB_OPENSEARCH_AUTH: 'none',
    KB_TABLE: TABLE,
    KB_CONTENT_BUCKET: 'kb-content',
    KB_INDEX_BUCKET: 'kb-index',
    KB_RUNBOOK_ALIAS: ALIASES.runbooks,
    KB_RESOLUTION_ALIAS: ALIASES.resolutions,
    KB_API_CLIENTS: JSON.stringify(CLIENTS),
    KB_WEB_ORIGIN: WEB_ORIGIN,
  });
  ({ handler: apiHandler } = (await import('../../functions/src/handlers/api.ts')) as unknown as { handler: typeof apiHandler });
});

afterAll(async () => {
  await dynamo?.close();
  if (OPENSEARCH)
    await fetch(new URL(`/${ALIASES.runbooks}*,${ALIASES.resolutions}*?expand_wildcards=all`, OPENSEARCH), { method: 'DELETE' }).catch(
      () => {},
    );
});

describe('API handler (API Gateway REST event → Hono)', () => {
  it('serves the OpenAPI document without a key, with CORS headers for the web origin', async () => {
    const response = result(await apiHandler(restEvent('GET', '/openapi.json')));
    expect(response.status).toBe(200);
    expect(response.json.openapi).toBe('3.1.0');
    expect(response.header('access-control-allow-origin')).toBe(WEB_ORIGIN);
  });

  it('refuses a keyed route without a key with a 401 problem', async () => {
    const response = result(await apiHandler(restEvent('GET', '/search', { query: { q: 'vpn' } })));
    expect(response.status).toBe(401);
    expect(response.header('content-type')).toBe('application/problem+json');
    expect(response.json).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses a key without the route’s scope with a 403 problem', async () => {
    const event = restEvent('POST', '/runbooks/account-lockout/feedback', { apiKeyId: 'key-reader', body: { kind: 'helpful' } });
    const response = result(await apiHandler(event));
    expect(response.status).toBe(403);
    expect(response.json.detail).toContain('feedback');
  });

  it('keeps a ticket system to its own source: jira cannot write zendesk’s resolutions', async () => {
    const body = {
      outcome: 'no-runbook',
      summary: 'Printer on floor 3 jams',
      resolution: 'Replaced the fuser.',
      closedAt: '2026-11-20T10:00:00Z',
    };
    const event = restEvent('PUT', '/tickets/zendesk/ZD-9/resolution', {
      apiKeyId: 'key-jira',
      body,
      resource: '/tickets/{source}/{ticketId}/resolution',
    });
    expect(result(await apiHandler(event)).status).toBe(403);
    const stored = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'TICKET#zendesk#ZD-9' }, sk: { S: 'RESOLUTION' } } }),
    );
    expect(stored.Item).toBeUndefined();
  });

  it('writes a resolution to the table, treats the replay as unchanged, and reads it back', async () => {
    const body = {
      outcome: 'no-runbook',
      summary: 'Plotter offline after firmware update',
      resolution: 'Rolled back the firmware.',
      closedAt: '2026-11-20T10:00:00Z',
    };
    const put = () =>
      apiHandler(
        restEvent('PUT', '/tickets/jira/HD-4711/resolution', {
          apiKeyId: 'key-jira',
          body,
          resource: '/tickets/{source}/{ticketId}/resolution',
        }),
      );
    const first = result(await put());
    expect(first.status).toBe(201);
    expect(first.json.result).toBe('created');
    expect(result(await put()).json.result).toBe('unchanged');
    const read = result(await apiHandler(restEvent('GET', '/tickets/jira/HD-4711/resolution', { apiKeyId: 'key-jira' })));
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ source: 'jira', ticketId: 'HD-4711', outcome: 'no-runbook' });
    const stored = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'TICKET#jira#HD-4711' }, sk: { S: 'RESOLUTION' } } }),
    );
    expect(stored.Item?.summary?.S).toBe(body.summary);
  });
});

describe('resolution indexer (DynamoDB stream → resolution index)', () => {
  /** The item the API wrote, in the AttributeValue form a stream record carries. */
  async function storedItem(ticketId: string): Promise<Record<string, AttributeValue>> {
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `TICKET#jira#${ticketId}` }, sk: { S: 'RESOLUTION' } } }),
    );
    if (!Item) throw new Error(`no item for ${ticketId}`);
    return Item;
  }

  it('indexes the signal of an INSERT and removes it on REMOVE', async () => {
    const index = new EmbeddedResolutionIndex();
    const handler = createResolutionIndexer(() => index);
    const item = await storedItem('HD-4711');
    expect(await handler({ Records: [streamRecord('INSERT', { newImage: item })] })).toEqual({ batchItemFailures: [] });
    expect((await index.all()).map((s) => s.key)).toEqual(['ticket:jira/HD-4711']);
    expect(await handler({ Records: [streamRecord('REMOVE', { oldImage: item })] })).toEqual({ batchItemFailures: [] });
    expect(await index.all()).toEqual([]);
  });

  it('reports the first record that keeps failing, so Lambda resumes the batch from it', async () => {
    const item = await storedItem('HD-4711');
    const applied: string[] = [];
    let calls = 0;
    const flaky: ResolutionIndex = {
      upsert: async (signals: readonly Signal[]) => {
        calls++;
        if (calls >= 2) throw new Error('cluster unavailable');
        applied.push(...signals.map((s) => s.key));
      },
      remove: async () => {},
      similar: async () => [],
      all: async () => [],
      gapSignals: async () => ({ usage: new Map(), uncovered: [], notHelpful: [], notes: [], fixed: { total: 0, linked: 0 } }),
    };
    const records = [
      streamRecord('INSERT', { newImage: item }),
      streamRecord('MODIFY', { newImage: item, oldImage: item }),
      streamRecord('INSERT', { newImage: item }),
    ];
    const response = await createResolutionIndexer(() => flaky)({ Records: records });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    expect(applied).toEqual(['ticket:jira/HD-4711']);
  });

  withOpenSearch('on OpenSearch', () => {
    it('writes the signal to the resolution index through the deployed handler', async () => {
      const { handler } = await import('../../functions/src/handlers/resolution-indexer.ts');
      const { OpenSearchResolutionIndex } = await import('../../functions/src/adapters/opensearch/opensearch-resolution-index.ts');
      const item = await storedItem('HD-4711');
      expect(await handler({ Records: [streamRecord('INSERT', { newImage: item })] })).toEqual({ batchItemFailures: [] });
      const index = OpenSearchResolutionIndex.connect({ node: OPENSEARCH as string, auth: 'none' }, { alias: ALIASES.resolutions });
      await index.refresh();
      expect((await index.all()).map((s) => s.key)).toEqual(['ticket:jira/HD-4711']);
    });
  });
});

describe('content indexer (S3 notification → compile → runbook index)', () => {
  async function bucketWithLibrary() {
    const bucket = new MemoryBucket();
    bucket.put('taxonomy.yaml', await runbookFile('taxonomy.yaml'));
    bucket.put('synonyms.txt', await runbookFile('synonyms.txt'));
    bucket.put('l1/account-lockout.md', await runbookFile('l1/account-lockout.md'));
    return bucket;
  }

  function embeddedDeps(bucket: MemoryBucket) {
    const index = new EmbeddedRunbookIndex();
    const deps: ContentDeps = {
      source: new S3ContentSource(bucket.client, 'kb-content'),
      index,
      sync: async (runbooks) => ({ mode: 'incremental', ...(await index.upsert(runbooks)), removed: 0, swapped: false }),
    };
    return { index, handler: createContentIndexer(() => deps) };
  }

  it('compiles and indexes a created runbook', async () => {
    const bucket = await bucketWithLibrary();
    const { index, handler } = embeddedDeps(bucket);
    const { results } = await handler(s3Event('ObjectCreated:Put', 'l1/account-lockout.md'));
    expect(results).toEqual([expect.objectContaining({ path: 'l1/account-lockout.md', result: 'indexed', id: 'account-lockout' })]);
    expect((await index.get(['account-lockout']))[0]?.path).toBe('l1/account-lockout.md');
  });

  it('keeps the indexed version when a change no longer compiles, and reports where', async () => {
    const bucket = await bucketWithLibrary();
    const { index, handler } = embeddedDeps(bucket);
    await handler(s3Event('ObjectCreated:Put', 'l1/account-lockout.md'));
    bucket.put('l1/account-lockout.md', new Uint8Array([0x23, 0x20, 0xff, 0xfe, 0x0a]));
    const { results } = await handler(s3Event('ObjectCreated:Put', 'l1/account-lockout.md'));
    expect(results[0]).toMatchObject({ result: 'skipped', messages: [expect.stringMatching(/^1:3 error /)] });
    expect(await index.get(['account-lockout'])).toHaveLength(1);
  });

  it('removes the runbook a deleted key held, found through the bucket’s previous version', async () => {
    const bucket = await bucketWithLibrary();
    const { index, handler } = embeddedDeps(bucket);
    await handler(s3Event('ObjectCreated:Put', 'l1/account-lockout.md'));
    bucket.delete('l1/account-lockout.md');
    const { results } = await handler(s3Event('ObjectRemoved:Delete', 'l1/account-lockout.md'));
    expect(results[0]).toMatchObject({ result: 'removed', id: 'account-lockout' });
    expect(await index.get(['account-lockout'])).toEqual([]);
  });

  it('does not remove a runbook that moved: its id now lives at the new path', async () => {
    const bucket = await bucketWithLibrary();
    const { index, handler } = embeddedDeps(bucket);
    bucket.put('l2/account-lockout.md', await runbookFile('l1/account-lockout.md'));
    bucket.delete('l1/account-lockout.md');
    await handler(s3Event('ObjectCreated:Put', 'l2/account-lockout.md'));
    const { results } = await handler(s3Event('ObjectRemoved:Delete', 'l1/account-lockout.md'));
    expect(results[0]).toMatchObject({ result: 'moved', id: 'account-lockout' });
    expect((await index.get(['account-lockout']))[0]?.path).toBe('l2/account-lockout.md');
  });

  it('turns taxonomy and rebuild-key changes into one full sync, and ignores synonyms and non-runbooks', () => {
    const source = { pathOf: (key: string) => key };
    expect(actionsFor(['l1/a.md', 'taxonomy.yaml', 'l1/b.md'], source)).toEqual([
      { kind: 'sync', full: true, reason: 'taxonomy.yaml changed' },
    ]);
    expect(actionsFor([REBUILD_KEY], source)).toEqual([{ kind: 'sync', full: true, reason: `${REBUILD_KEY} was written` }]);
    expect(actionsFor(['synonyms.txt', 'README.md', 'l1/_drafts/x.md', 'l1/x.md'], source).map((a) => a.kind)).toEqual([
      'ignore',
      'ignore',
      'ignore',
      'file',
    ]);
  });

  withOpenSearch('on OpenSearch', () => {
    it('indexes incrementally, rebuilds behind the alias, and the API searches the result', async () => {
      const { OpenSearchRunbookIndex } = await import('../../functions/src/adapters/opensearch/opensearch-runbook-index.ts');
      const { syncIndex } = await import('../../functions/src/adapters/opensearch/sync.ts');
      const bucket = await bucketWithLibrary();
      bucket.put('l1/mfa-reenrolment.md', await runbookFile('l1/mfa-reenrolment.md'));
      const index = OpenSearchRunbookIndex.connect({ node: OPENSEARCH as string, auth: 'none' }, { alias: ALIASES.runbooks });
      const deps: ContentDeps = {
        source: new S3ContentSource(bucket.client, 'kb-content'),
        index,
        sync: (runbooks, { full }) => syncIndex(index, runbooks, { full }),
      };
      const handler = createContentIndexer(() => deps);
      await handler(s3Event('ObjectCreated:Put', 'l1/account-lockout.md'));
      const before = (await index.status()).index;
      const { results } = await handler({ kb: 'rebuild' });
      expect(results[0]).toMatchObject({ kind: 'sync', mode: 'full', swapped: true, indexed: 2 });
      expect((await index.status()).index).not.toBe(before);
      await index.refresh();
      const search = result(await apiHandler(restEvent('GET', '/search', { query: { q: 'account locked out' }, apiKeyId: 'key-reader' })));
      expect(search.status).toBe(200);
      expect(search.json.hits[0]?.id).toBe('account-lockout');
    });
  });
});
