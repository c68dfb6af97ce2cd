import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbResolutionStore } from '../../functions/src/adapters/dynamodb/dynamodb-resolution-store.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../functions/src/adapters/dynamodb/local-dynamodb.ts';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { S3IndexArtifacts } from '../../functions/src/adapters/s3/s3-index-artifacts.ts';
import { RefreshingRunbookIndex } from '../../functions/src/app/refreshing-index.ts';
import { queuesFromPublished } from '../../functions/src/core/search/queues.ts';
import { QUEUES_KEY } from '../../infra/stacks/data-stack.ts';
import { restEvent } from '../helpers/aws-events.ts';
import { embeddedLambdaEnv } from '../helpers/embedded-lambda-env.ts';
import { type LocalS3, startLocalS3 } from '../helpers/local-s3.ts';
import { l1Runbook } from '../helpers/runbooks.ts';

/*
 * The embedded engine on Lambda, end to end in-process: the content indexer and API handlers as
 * Lambda runs them (KB_SEARCH_ENGINE=embedded), against the S3 API served locally (s3rver) and
 * the DynamoDB API served locally (dynalite). The refresh interval is one second, so "after the
 * next manifest check" is a 1.1 s wait, not 30.
 */

const TABLE = 'serverless-embedded';
const CONTENT_BUCKET = 'kb-content';
const INDEX_BUCKET = 'kb-index';
const CLIENTS = [{ keyId: 'key-jira', name: 'jira', scopes: ['search', 'resolve'] }];
const REFRESH_MS = 1_000;

let dynamo: LocalDynamoDb;
let local: LocalS3;
let s3: S3Client;
let apiHandler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
let contentIndexer: (event: S3Event | { kb: 'sync' | 'rebuild' }) => Promise<{ published: { version: string; key: string } | null }>;

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nextCheck = () => later(REFRESH_MS + 150);

async function upload(path: string, text: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: path, Body: text }));
}

function s3Event(key: string): S3Event {
  return {
    Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: CONTENT_BUCKET }, object: { key, size: 1 } } }],
  } as unknown as S3Event;
}

async function call(method: string, path: string, options: Parameters<typeof restEvent>[2] = {}) {
  const response = await apiHandler(restEvent(method, path, { apiKeyId: 'key-jira', ...options }));
  return { status: response.statusCode, json: JSON.parse(response.body) as Record<string, unknown> & { hits?: { id: string }[] } };
}

const searchIds = async (q: string) => ((await call('GET', '/search', { query: { q } })).json.hits ?? []).map((r) => r.id);

async function keys(prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: INDEX_BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key as string).sort();
}

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn'] as const) vi.spyOn(console, level).mockImplementation(() => {});
  local = await startLocalS3([CONTENT_BUCKET, INDEX_BUCKET]);
  const { endpoint } = local;
  dynamo = await startLocalDynamoDb();
  await new DynamoDbResolutionStore(dynamo.client, TABLE).ensureTable();
  s3 = local.s3;
  // The settings CDK gives both functions with `-c search=embedded`, pointing at the local services.
  Object.assign(process.env, {
    ...embeddedLambdaEnv({
      s3Endpoint: endpoint,
      dynamoEndpoint: dynamo.endpoint,
      table: TABLE,
      contentBucket: CONTENT_BUCKET,
      indexBucket: INDEX_BUCKET,
      refreshSeconds: REFRESH_MS / 1000,
      clients: CLIENTS,
    }),
  });
  delete process.env.KB_OPENSEARCH_URL;
  ({ handler: contentIndexer } = (await import('../../functions/src/handlers/content-indexer.ts')) as unknown as {
    handler: typeof contentIndexer;
  });
  ({ handler: apiHandler } = (await import('../../functions/src/handlers/api.ts')) as unknown as { handler: typeof apiHandler });
});

afterAll(async () => {
  await dynamo?.close();
  await local?.close();
});

describe('the embedded engine on Lambda (KB_SEARCH_ENGINE=embedded)', () => {
  it('answers 503 before any index is published, and logs why', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await call('GET', '/search', { query: { q: 'vpn' } });
    expect(response.status).toBe(503);
    expect(JSON.stringify(errors.mock.calls)).toContain('no index has been published: s3://kb-index/index/manifest.json does not exist');
    errors.mockRestore();
  });

  it('publishes an artifact, then the manifest naming it, and the API answers from it', async () => {
    // Prepare
    await upload('l1/vpn-drops.md', l1Runbook('vpn-drops', { title: 'VPN drops every few minutes' }));
    await upload('l1/printer-jam.md', l1Runbook('printer-jam', { title: 'Printer jams on every page' }));

    // Act
    const { published } = await contentIndexer({ kb: 'sync' });
    await nextCheck();

    // Assess: one versioned artifact and the manifest; the API finds both runbooks.
    expect(published?.key).toMatch(/^index\/v\/\d{8}T\d+Z-[0-9a-f]{8}\.json\.gz$/);
    expect(await keys('index/')).toEqual(['index/manifest.json', published?.key]);
    const manifest = JSON.parse(
      (await (await s3.send(new GetObjectCommand({ Bucket: INDEX_BUCKET, Key: 'index/manifest.json' }))).Body?.transformToString()) ?? '',
    );
    expect(manifest).toMatchObject({ version: published?.version, key: published?.key, runbooks: 2, model: null });
    expect(await searchIds('vpn drops')).toContain('vpn-drops');
    expect(await searchIds('printer jams')).toContain('printer-jam');
  });

  it('checks the manifest with its ETag: unchanged, S3 answers 304 and sends no body', async () => {
    const artifacts = new S3IndexArtifacts(s3, INDEX_BUCKET);
    const first = await artifacts.manifest();
    expect(first.status).toBe('found');
    expect(await artifacts.manifest(first.status === 'found' ? first.etag : undefined)).toEqual({ status: 'not-modified' });
  });

  it('serves a new runbook after the next manifest check, keeping the previous version readable', async () => {
    // Prepare
    const before = await keys('index/v/');
    await upload('l1/outlook-offline.md', l1Runbook('outlook-offline', { title: 'Outlook says working offline' }));

    // Act: the S3 notification for the new file.
    const { published } = await contentIndexer(s3Event('l1/outlook-offline.md'));

    // Assess: a second version; the API sees it once the interval has passed.
    expect(published).not.toBeNull();
    expect(await keys('index/v/')).toEqual([...before, published?.key].sort());
    await nextCheck();
    expect(await searchIds('outlook offline')).toContain('outlook-offline');
    expect(await searchIds('vpn drops')).toContain('vpn-drops');
  });

  it('publishes nothing when an event changes nothing, and keeps the last three versions', async () => {
    expect((await contentIndexer(s3Event('l1/outlook-offline.md'))).published).toBeNull();
    for (const n of [1, 2]) {
      await upload(`l1/extra-${n}.md`, l1Runbook(`extra-${n}`));
      await contentIndexer(s3Event(`l1/extra-${n}.md`));
    }
    expect(await keys('index/v/')).toHaveLength(3);
  });

  it('shows a write-back in suggestions: at once on this instance, within one interval on another', async () => {
    // Prepare: another warm instance of the API, with its own in-process indexes.
    const { embeddedEngine } = await import('../../functions/src/handlers/wiring-embedded.ts');
    const other = embeddedEngine(() => {});
    await other.refresh?.();
    const ticket = { subject: 'laptop fan screams during video calls', limit: 5 };
    const similar = async () =>
      ((await call('POST', '/suggest', { body: ticket })).json.similarResolutions as { ticketId: string }[]).map((r) => r.ticketId);
    expect(await similar()).toEqual([]);

    // Act
    const body = {
      outcome: 'resolved',
      runbookId: 'printer-jam',
      summary: 'laptop fan screams during video calls',
      resolution: 'Updated the BIOS and cleaned the fan.',
      closedAt: '2026-12-01T10:00:00Z',
    };
    const put = await call('PUT', '/tickets/jira/HD-77/resolution', { body, resource: '/tickets/{source}/{ticketId}/resolution' });

    // Assess: this instance lists it at once; the other after its next check of the change log.
    expect(put.status).toBe(201);
    expect(await similar()).toEqual(['HD-77']);
    expect((await other.resolutions.all()).map((s) => s.key)).not.toContain('ticket:jira/HD-77');
    await nextCheck();
    await other.refresh?.();
    expect((await other.resolutions.all()).some((s) => s.key.includes('HD-77'))).toBe(true);
  });

  it("publishes the taxonomy's escalation queues for the API when taxonomy.yaml changes, as JSON (the API parses no YAML)", async () => {
    // Prepare: teams, and the default team for L3.
    const taxonomy = `categories: [{ id: network }]
teams:
  - { id: network-team, name: Network Support, queue: NET-L2 }
  - { id: server-team, name: Server Operations, queue: SRV-L3 }
escalation: { l3: server-team }
`;
    await upload('taxonomy.yaml', taxonomy);

    // Act
    await contentIndexer(s3Event('taxonomy.yaml'));

    // Assess: at the key the CDK app lets the indexer write and the API read, what the API's settings loader reads back.
    const object = await s3.send(new GetObjectCommand({ Bucket: INDEX_BUCKET, Key: QUEUES_KEY }));
    const queues = queuesFromPublished((await object.Body?.transformToString()) ?? '');
    expect(queues.byTier).toEqual({ l3: 'Server Operations (queue SRV-L3)' });
    expect(queues.teams.get('network-team')).toBe('Network Support (queue NET-L2)');
  });

  it('publishes the queues after a changed runbook too, which is all a first deploy sends', async () => {
    // Prepare: no queues published yet (as on a deployment before this version's first sync).
    await s3.send(new DeleteObjectCommand({ Bucket: INDEX_BUCKET, Key: QUEUES_KEY }));
    await upload('l1/badge-reader.md', l1Runbook('badge-reader', { title: 'Badge reader rejects new starters' }));

    // Act
    await contentIndexer(s3Event('l1/badge-reader.md'));

    // Assess
    const object = await s3.send(new GetObjectCommand({ Bucket: INDEX_BUCKET, Key: QUEUES_KEY }));
    expect(queuesFromPublished((await object.Body?.transformToString()) ?? '').byTier).toEqual({ l3: 'Server Operations (queue SRV-L3)' });
  });

  it('keeps serving the loaded version when the manifest is corrupt, and logs why', async () => {
    // Prepare
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await s3.send(new PutObjectCommand({ Bucket: INDEX_BUCKET, Key: 'index/manifest.json', Body: '{"format": "something else"' }));

    // Act
    await nextCheck();
    const ids = await searchIds('outlook offline');

    // Assess
    expect(ids).toContain('outlook-offline');
    expect(JSON.stringify(errors.mock.calls)).toContain('index/manifest.json is not JSON');
    errors.mockRestore();
  });

  it('refuses with a clear reason when the manifest is missing and nothing was loaded', async () => {
    const index = new RefreshingRunbookIndex({
      location: 's3://kb-index/elsewhere/manifest.json',
      manifest: (etag) => new S3IndexArtifacts(s3, INDEX_BUCKET, { prefix: 'elsewhere/' }).manifest(etag),
      load: async () => new EmbeddedRunbookIndex(),
    });
    await index.refresh();
    await expect(index.get(['vpn-drops'])).rejects.toThrow(/s3:\/\/kb-index\/elsewhere\/manifest.json does not exist/);
  });
});
