import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HealthResponse, SearchResponse, SuggestResponse } from '../../functions/src/contracts/api.ts';
import { type LocalServer, startLocalServer } from '../../functions/src/local/server.ts';
import { CONTENT } from '../helpers/runbooks.ts';

const EVERYDAY = "can't type anything the keys do nothing on the wireless one";
const ITS_RUNBOOK = 'bluetooth-keyboard-mouse-not-working';

async function suggest(server: LocalServer): Promise<SuggestResponse> {
  const response = await fetch(`${server.url}/suggest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subject: EVERYDAY }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SuggestResponse;
}

async function search(server: LocalServer, q: string): Promise<SearchResponse> {
  const response = await fetch(`${server.url}/search?q=${encodeURIComponent(q)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SearchResponse;
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

  it('answers by words at once, then by meaning once every runbook is embedded, and says which in /health and in answers', async () => {
    const server = await start();
    const { embedding } = server;
    expect(embedding?.runbooks).toBe(74);
    expect(await health(server)).toMatchObject({ runbooks: 74, withoutVectors: 74 });
    const byWords = await suggest(server);
    expect(byWords.suggestions[0]?.id).not.toBe(ITS_RUNBOOK);
    expect(byWords.wordsOnly).toBe(true);
    expect(await search(server, 'printer')).toMatchObject({ wordsOnly: true });

    expect(await embedding?.done).toBe(74);
    expect(await health(server)).not.toHaveProperty('withoutVectors');
    // The words-only answers were cached: the cache is emptied when the meaning arrives.
    const byMeaning = await suggest(server);
    expect(byMeaning.suggestions[0]?.id).toBe(ITS_RUNBOOK);
    expect(byMeaning).not.toHaveProperty('wordsOnly');
    expect(await search(server, 'printer')).not.toHaveProperty('wordsOnly');
  });

  it('waits for the model on the next start, which finds every vector in the cache', async () => {
    const server = await start();
    expect(server.embedding).toBeUndefined();
    expect(await health(server)).not.toHaveProperty('withoutVectors');
    const answer = await suggest(server);
    expect(answer.suggestions[0]?.id).toBe(ITS_RUNBOOK);
    expect(answer).not.toHaveProperty('wordsOnly');
  });
});
