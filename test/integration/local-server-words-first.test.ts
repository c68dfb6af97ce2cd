import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HealthResponse, SuggestResponse } from '../../functions/src/contracts/api.ts';
import { type LocalServer, startLocalServer } from '../../functions/src/local/server.ts';
import { CONTENT } from '../helpers/runbooks.ts';

const EVERYDAY = "can't type anything the keys do nothing on the wireless one";
const ITS_RUNBOOK = 'bluetooth-keyboard-mouse-not-working';

async function firstSuggestion(server: LocalServer): Promise<string | undefined> {
  const response = await fetch(`${server.url}/suggest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subject: EVERYDAY }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as SuggestResponse).suggestions[0]?.id;
}

async function health(server: LocalServer): Promise<HealthResponse> {
  return (await (await fetch(`${server.url}/health`)).json()) as HealthResponse;
}

// The starter library stands in for a large one: with no texts allowed before serving, its 74
// runbooks take the path a team's first start on 10,000 articles takes.
describe('kb serve with more for the model to embed than it waits for', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-words-first-'));
  const servers: LocalServer[] = [];
  const start = async () => {
    // One server at a time holds the data folder.
    for (const running of servers.splice(0)) await running.close();
    const server = await startLocalServer({ contentDir: CONTENT, port: 0, dataDir, watch: false, embedBeforeServing: 0 });
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    for (const server of servers) await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers by words at once, then by meaning once every runbook is embedded, and says which in /health', async () => {
    const server = await start();
    const { embedding } = server;
    expect(embedding?.runbooks).toBe(74);
    expect(await health(server)).toMatchObject({ runbooks: 74, withoutVectors: 74 });
    expect(await firstSuggestion(server)).not.toBe(ITS_RUNBOOK);

    expect(await embedding?.done).toBe(74);
    expect(await health(server)).not.toHaveProperty('withoutVectors');
    // The words-only answer was cached: the cache is emptied when the meaning arrives.
    expect(await firstSuggestion(server)).toBe(ITS_RUNBOOK);
  });

  it('waits for the model on the next start, which finds every vector in the cache', async () => {
    const server = await start();
    expect(server.embedding).toBeUndefined();
    expect(await health(server)).not.toHaveProperty('withoutVectors');
    expect(await firstSuggestion(server)).toBe(ITS_RUNBOOK);
  });
});
