import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbResolutionStore } from '../../functions/src/adapters/dynamodb/dynamodb-resolution-store.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../functions/src/adapters/dynamodb/local-dynamodb.ts';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { artifactOf } from '../../functions/src/adapters/embedded/index-artifact.ts';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { DEFAULT_MODEL } from '../../functions/src/adapters/onnx/model-files.ts';
import { modelDir } from '../../functions/src/adapters/onnx/model-store.ts';
import { S3IndexArtifacts } from '../../functions/src/adapters/s3/s3-index-artifacts.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import { embeddingTexts } from '../../functions/src/core/search/documents.ts';
import { type InvocationTime, WRITE_RESERVE_MS } from '../../functions/src/handlers/time-limit.ts';
import { ConfigurationError } from '../../functions/src/handlers/wiring.ts';
import { modelFromEnv } from '../../functions/src/handlers/wiring-model.ts';
import { restEvent } from '../helpers/aws-events.ts';
import { embeddedLambdaEnv } from '../helpers/embedded-lambda-env.ts';
import { type LocalS3, startLocalS3, uploadRunbooks } from '../helpers/local-s3.ts';
import { CONTENT, sourcesIn } from '../helpers/runbooks.ts';

/*
 * The embedded engine on Lambda with the model (KB_MODEL_DIR, as the function's asset sets it):
 * the content indexer and API handlers in-process against the S3 API served locally (s3rver) and
 * DynamoDB served locally (dynalite), over the starter library. A second API handler, imported
 * without KB_MODEL_DIR, is the words-only function beside it.
 */

const TABLE = 'serverless-embedded-model';
const CONTENT_BUCKET = 'kb-content';
const INDEX_BUCKET = 'kb-index';
// A ticket system whose readers see up to l2 (windows-temp-profile is an l2 runbook).
const CLIENTS = [{ keyId: 'key-jira', name: 'jira', scopes: ['search', 'resolve'], tier: 'l2' }];
const REFRESH_MS = 1_000;
const MODEL_DIR = modelDir();

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
type Indexer = (
  event: S3Event | { kb: 'sync' | 'rebuild' },
  context?: InvocationTime,
) => Promise<{ published: { version: string; key: string } | null }>;

let dynamo: LocalDynamoDb;
let local: LocalS3;
let s3: S3Client;
let withModel: Handler;
let wordsOnly: Handler;
let contentIndexer: Indexer;

const nextCheck = () => new Promise((resolve) => setTimeout(resolve, REFRESH_MS + 150));

async function answer(api: Handler, subject: string): Promise<{ suggestions: { id: string }[]; wordsOnly?: true }> {
  const response = await api(restEvent('POST', '/suggest', { apiKeyId: 'key-jira', body: { subject, limit: 5 } }));
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body);
}

const suggest = async (api: Handler, subject: string) => (await answer(api, subject)).suggestions[0]?.id;

/** What the content indexer logged on its last publish. */
function lastPublish(info: { mock: { calls: unknown[][] } }): Record<string, unknown> | undefined {
  return info.mock.calls
    .map(([entry]) => entry as Record<string, unknown>)
    .filter((entry) => entry?.message === 'index published')
    .at(-1);
}

beforeAll(async () => {
  for (const level of ['log', 'warn'] as const) vi.spyOn(console, level).mockImplementation(() => {});
  local = await startLocalS3([CONTENT_BUCKET, INDEX_BUCKET]);
  const { endpoint } = local;
  dynamo = await startLocalDynamoDb();
  await new DynamoDbResolutionStore(dynamo.client, TABLE).ensureTable();
  s3 = local.s3;
  await uploadRunbooks(s3, CONTENT_BUCKET, CONTENT);
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
    KB_MODEL_DIR: MODEL_DIR,
  });
  delete process.env.KB_OPENSEARCH_URL;
  ({ handler: contentIndexer } = (await import('../../functions/src/handlers/content-indexer.ts')) as unknown as { handler: Indexer });
  ({ handler: withModel } = (await import('../../functions/src/handlers/api.ts')) as unknown as { handler: Handler });
  // Another function, deployed without the model: its own copy of the modules.
  vi.resetModules();
  delete process.env.KB_MODEL_DIR;
  ({ handler: wordsOnly } = (await import('../../functions/src/handlers/api.ts')) as unknown as { handler: Handler });
  process.env.KB_MODEL_DIR = MODEL_DIR;
}, 60_000);

afterAll(async () => {
  delete process.env.KB_MODEL_DIR;
  await dynamo?.close();
  await local?.close();
});

const TICKET = "can't type anything the keys do nothing on the wireless one";

describe('the embedded engine on Lambda with the model (KB_MODEL_DIR)', () => {
  it('ranks by words only, and logs why once, while the published artifact has no vectors', async () => {
    // Prepare: an artifact published before the model was deployed (words only).
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const library = await loadLibrary(new FsContentSource(CONTENT));
    const index = new EmbeddedRunbookIndex();
    await index.upsert(library.runbooks);
    await new S3IndexArtifacts(s3, INDEX_BUCKET).publish(
      artifactOf(index.snapshot(), { builtAt: '2026-12-01T00:00:00.000Z', compilerVersion: 'old', compileOptions: '{}' }),
    );

    // Act
    const first = await answer(withModel, TICKET);
    await suggest(withModel, 'keyboard not typing');

    // Assess: the answer says it matched by words only (the ticket system's note says so too).
    expect(first.suggestions[0]?.id).not.toBe('bluetooth-keyboard-mouse-not-working');
    expect(first.wordsOnly).toBe(true);
    expect(await answer(wordsOnly, TICKET)).not.toHaveProperty('wordsOnly');
    const reasons = warn.mock.calls.filter(([entry]) => (entry as { message?: string })?.message === 'index ranks by words only');
    expect(reasons).toHaveLength(1);
    expect(JSON.stringify(reasons[0])).toContain('holds no vectors');
    info.mockRestore();
    warn.mockRestore();
  });

  it("publishes an artifact with each runbook's vectors, and the API answers an everyday ticket by meaning", async () => {
    // Prepare
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});

    // Act: the daily sync, with the model; then the API's next manifest check.
    const { published } = await contentIndexer({ kb: 'sync' });
    await nextCheck();

    // Assess: the manifest names the model; every runbook has its vectors; the API with the
    // model finds the runbook by meaning, the words-only function reading the same artifact does not.
    const manifest = JSON.parse(
      (await (await s3.send(new GetObjectCommand({ Bucket: INDEX_BUCKET, Key: 'index/manifest.json' }))).Body?.transformToString()) ?? '',
    );
    expect(manifest).toMatchObject({ version: published?.version, model: { id: DEFAULT_MODEL.id, dimension: 384 } });
    const loaded = await new S3IndexArtifacts(s3, INDEX_BUCKET).load(manifest);
    expect(loaded.header.runbooks.every((r) => (r.vectors ?? 0) >= 1)).toBe(true);
    expect(lastPublish(info)).toMatchObject({ reusedVectors: 0 });
    const byMeaning = await answer(withModel, TICKET);
    expect(byMeaning.suggestions[0]?.id).toBe('bluetooth-keyboard-mouse-not-working');
    expect(byMeaning).not.toHaveProperty('wordsOnly');
    expect(await suggest(wordsOnly, TICKET)).not.toBe('bluetooth-keyboard-mouse-not-working');
    expect(await suggest(withModel, 'all my desktop icons vanished and my wallpaper is the default one')).toBe('windows-temp-profile');
    info.mockRestore();
  });

  it('embeds only what changed on the next publish: one edited runbook, nothing on a rebuild', async () => {
    // Prepare: one runbook's title changes (its main text; its symptom phrases stay the same).
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const path = sourcesIn(CONTENT).find((f) => f.path.endsWith('/bluetooth-keyboard-mouse-not-working.md'))?.path as string;
    const text = new TextDecoder().decode(sourcesIn(CONTENT).find((f) => f.path === path)?.bytes);
    await s3.send(
      new PutObjectCommand({
        Bucket: CONTENT_BUCKET,
        Key: path,
        Body: text.replace(/^title: (.*)$/m, 'title: $1 (wireless or USB receiver)'),
      }),
    );
    const event = {
      Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: CONTENT_BUCKET }, object: { key: path, size: 1 } } }],
    };

    // Act
    const edited = await contentIndexer(event as unknown as S3Event);
    const editLog = lastPublish(info);
    const rebuilt = await contentIndexer({ kb: 'rebuild' });
    const rebuildLog = lastPublish(info);

    // Assess: the edit re-embeds that runbook's main text only (its symptom phrases are the same
    // texts, and no other runbook is embedded again); the rebuild, which indexes every runbook
    // from nothing, embeds none.
    expect(edited.published).not.toBeNull();
    expect(editLog).toMatchObject({ embeddedTexts: 1 });
    expect(editLog?.reusedVectors).toBeGreaterThan(0);
    expect(rebuilt.published).not.toBeNull();
    expect(rebuildLog).toMatchObject({ embeddedTexts: 0 });
    expect(rebuildLog?.reusedVectors).toBeGreaterThan(75);
    await nextCheck();
    expect(await suggest(withModel, TICKET)).toBe('bluetooth-keyboard-mouse-not-working');
    info.mockRestore();
  });

  it('publishes what it embedded before its time limit, and the next run embeds the rest', async () => {
    // Prepare: an artifact without vectors (published before the model was deployed), and an
    // invocation that runs short of time after its first slice of runbooks. The bucket holds the
    // library as on disk again (an earlier case edited a title).
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await uploadRunbooks(s3, CONTENT_BUCKET, CONTENT);
    const library = await loadLibrary(new FsContentSource(CONTENT));
    const index = new EmbeddedRunbookIndex();
    await index.upsert(library.runbooks);
    await new S3IndexArtifacts(s3, INDEX_BUCKET).publish(
      artifactOf(index.snapshot(), { builtAt: '2026-12-01T00:00:00.000Z', compilerVersion: 'old', compileOptions: '{}' }),
    );
    let asked = 0;
    const shortOfTime = { getRemainingTimeInMillis: () => (asked++ === 0 ? 900_000 : WRITE_RESERVE_MS - 1) };
    const waiting = () =>
      warn.mock.calls
        .map(([entry]) => entry as { message?: string; runbooks?: number })
        .filter((entry) => entry?.message?.startsWith('runbooks indexed by words only until'));

    // Act
    const first = await contentIndexer({ kb: 'sync' }, shortOfTime);
    const firstLog = lastPublish(info);
    const afterFirst = waiting();
    await nextCheck();
    const partly = await answer(withModel, 'printer shows offline');
    const second = await contentIndexer({ kb: 'sync' }, { getRemainingTimeInMillis: () => 900_000 });

    // Assess: the first run publishes the 32 runbooks it embedded and says how many wait; the
    // second embeds the rest, so each distinct text is embedded once over the two runs; the API
    // then answers by meaning.
    const texts = new Set(library.runbooks.flatMap(embeddingTexts)).size;
    expect(first.published).not.toBeNull();
    expect(afterFirst.map((w) => w.runbooks)).toEqual([library.runbooks.length - 32]);
    expect(second.published).not.toBeNull();
    expect(Number(firstLog?.embeddedTexts) + Number(lastPublish(info)?.embeddedTexts)).toBe(texts);
    expect(Number(firstLog?.embeddedTexts)).toBeLessThan(texts);
    expect(waiting()).toHaveLength(1);
    // Answers say they match by words only while runbooks wait for their vectors.
    expect(partly.wordsOnly).toBe(true);
    await nextCheck();
    const byMeaning = await answer(withModel, TICKET);
    expect(byMeaning.suggestions[0]?.id).toBe('bluetooth-keyboard-mouse-not-working');
    expect(byMeaning).not.toHaveProperty('wordsOnly');
    info.mockRestore();
    warn.mockRestore();
  });

  it('refuses to start with KB_MODEL_DIR naming a folder without the model', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kb-no-model-'));
    const error = await modelFromEnv({ KB_MODEL_DIR: empty }).catch((e: unknown) => e);
    rmSync(empty, { recursive: true, force: true });
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String(error)).toMatch(/KB_MODEL_DIR is .*kb-no-model-.*, but the model cannot be loaded: .* is missing/);
  });
});
