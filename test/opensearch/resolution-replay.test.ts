import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbResolutionStore } from '../../functions/src/adapters/dynamodb/dynamodb-resolution-store.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../functions/src/adapters/dynamodb/local-dynamodb.ts';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import { OpenSearchResolutionIndex } from '../../functions/src/adapters/opensearch/opensearch-resolution-index.ts';
import { storedSignals } from '../../functions/src/app/stored-signals.ts';
import type { Resolution, Signal } from '../../functions/src/core/resolutions/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import { dropTestIndices, OPENSEARCH_URL, testAlias } from './helpers.ts';

const KB = new URL('../../functions/bin/kb.js', import.meta.url).pathname;
const TABLE = 'kb-replay-test';

const resolution = (ticketId: string, summary: string, runbookId: string): Resolution => ({
  source: 'jira',
  ticketId,
  runbookId,
  outcome: 'resolved',
  summary,
  resolution: 'followed the runbook',
  closedAt: '2026-10-01T10:00:00Z',
  receivedAt: '2026-10-01T10:00:01Z',
});

/**
 * Past tickets older than the stream's 24 hours reach a new OpenSearch resolution index only
 * through `kb index --resolutions-from`: the real command, against the DynamoDB API (dynalite, in
 * this process, so the command runs asynchronously beside it) and a real cluster.
 */
describe('kb index --resolutions-from TABLE', () => {
  let dynamo: LocalDynamoDb;
  let store: DynamoDbResolutionStore;
  /** What the table holds, as the command reads it. */
  const listSignals = async () => {
    const signals: Signal[] = [];
    for await (const signal of storedSignals(store)) signals.push(signal);
    return signals;
  };
  const alias = testAlias('replay');
  const kb = async (...args: string[]) => {
    const env = {
      ...process.env,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      KB_OPENSEARCH_URL: OPENSEARCH_URL,
      KB_OPENSEARCH_AUTH: 'none',
    };
    return promisify(execFile)(process.execPath, [KB, 'index', ...args], { env, timeout: 120_000 }).then(
      ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    store = new DynamoDbResolutionStore(dynamo.client, TABLE);
    await store.ensureTable();
    await store.putResolution(resolution('HD-1', 'Printer on floor 3 offline after toner swap', 'printer-offline'));
    await store.putResolution(resolution('HD-2', 'VPN client stuck on connecting from home', 'vpn-client-wont-connect'));
    await store.putResolution(resolution('HD-3', 'Outlook keeps asking for my password', 'outlook-password-prompt-loop'));
    await store.addFeedback({
      id: 'fb-1',
      runbookId: 'mailbox-full',
      kind: 'not-helpful',
      query: 'mailbox full warning',
      at: '2026-10-02T09:00:00Z',
    });
  });
  afterAll(async () => {
    await dynamo?.close();
    await dropTestIndices('replay');
  });

  it('indexes every stored ticket and feedback, with meaning, and writes nothing twice when run again', async () => {
    const first = await kb('--resolutions-from', TABLE, '--resolution-alias', alias);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/indexed 4 past tickets and feedback into kb-test-replay/);

    const embedder = await sharedEmbedder();
    const index = OpenSearchResolutionIndex.connect({ node: OPENSEARCH_URL, auth: 'none' }, { alias, embedder });
    await index.refresh();
    const keys = async () => (await index.all()).map((s) => s.key).sort();
    expect(await keys()).toEqual(['feedback:fb-1', 'ticket:jira/HD-1', 'ticket:jira/HD-2', 'ticket:jira/HD-3']);
    // A paraphrase sharing few words with the stored ticket finds it by its vector.
    const text = 'the printer upstairs shows as disconnected since the cartridge was changed';
    const [vector] = await embedder.embed([text]);
    const [nearest] = await index.similar({ ...planQuery({ text }, NO_SYNONYMS, searchOptions()), ...(vector ? { vector } : {}) }, 3);
    expect(nearest?.signal.key).toBe('ticket:jira/HD-1');
    expect(nearest?.similarity).toBeGreaterThan(0.5);

    // Run again, it writes (and embeds) only what changed in the table since.
    const again = await kb('--resolutions-from', TABLE, '--resolution-alias', alias);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/indexed 0 past tickets and feedback into kb-test-replay\S* in [\d.]+ s \(4 already there/);
    await store.putResolution({
      ...resolution('HD-1', 'Printer on floor 3 offline again', 'printer-offline'),
      closedAt: '2026-10-03T10:00:00Z',
    });
    const changed = await kb('--resolutions-from', TABLE, '--resolution-alias', alias);
    expect(changed.stdout).toMatch(/indexed 1 past tickets and feedback .*\(3 already there/);
    await index.refresh();
    expect(await keys()).toHaveLength(4);
    expect((await index.all()).find((s) => s.key === 'ticket:jira/HD-1')?.text).toBe('Printer on floor 3 offline again');
  });

  it('gives a meaning vector to the tickets an index got before it had vectors', async () => {
    const wordsAlias = testAlias('replay-words');
    // Written words only (an index made before the model): the same signals, no vectors.
    const wordsOnly = OpenSearchResolutionIndex.connect({ node: OPENSEARCH_URL, auth: 'none' }, { alias: wordsAlias });
    await wordsOnly.upsert((await listSignals()).filter((s) => s.key === 'ticket:jira/HD-2'));
    await wordsOnly.refresh();
    const run = await kb('--resolutions-from', TABLE, '--resolution-alias', wordsAlias);
    expect(run.stdout).toMatch(/indexed 4 past tickets and feedback .*\(0 already there/);
    const index = OpenSearchResolutionIndex.connect(
      { node: OPENSEARCH_URL, auth: 'none' },
      { alias: wordsAlias, embedder: await sharedEmbedder() },
    );
    await index.refresh();
    const text = 'cannot get onto the vpn from my house, it sits on connecting';
    const [vector] = await (await sharedEmbedder()).embed([text]);
    const [nearest] = await index.similar({ ...planQuery({ text }, NO_SYNONYMS, searchOptions()), ...(vector ? { vector } : {}) }, 1);
    expect(nearest?.signal.key).toBe('ticket:jira/HD-2');
    expect(nearest?.similarity).toBeGreaterThan(0.4);
  });

  it('stops with the reason when the table does not exist, and says nothing was changed', async () => {
    const missing = await kb('--resolutions-from', 'no-such-table', '--resolution-alias', alias);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/ResourceNotFoundException/);
    expect(missing.stderr).toMatch(/the table is unchanged/);
    expect(missing.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
