import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbResolutionStore } from '../../functions/src/adapters/dynamodb/dynamodb-resolution-store.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../functions/src/adapters/dynamodb/local-dynamodb.ts';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import { OpenSearchResolutionIndex } from '../../functions/src/adapters/opensearch/opensearch-resolution-index.ts';
import type { Resolution } from '../../functions/src/core/resolutions/model.ts';
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
    const store = new DynamoDbResolutionStore(dynamo.client, TABLE);
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

    const again = await kb('--resolutions-from', TABLE, '--resolution-alias', alias);
    expect(again.status).toBe(0);
    await index.refresh();
    expect(await keys()).toHaveLength(4);
  });

  it('stops with the reason when the table does not exist, and says nothing was changed', async () => {
    const missing = await kb('--resolutions-from', 'no-such-table', '--resolution-alias', alias);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/ResourceNotFoundException/);
    expect(missing.stderr).toMatch(/the table is unchanged/);
    expect(missing.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
