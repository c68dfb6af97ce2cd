import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbKeyStore } from '../../functions/src/adapters/dynamodb/dynamodb-key-store.ts';
import { DynamoDbResolutionStore } from '../../functions/src/adapters/dynamodb/dynamodb-resolution-store.ts';
import { startLocalDynamoDb } from '../../functions/src/adapters/dynamodb/local-dynamodb.ts';
import { ApiKeys } from '../../functions/src/app/api-keys.ts';
import type { Scope } from '../../functions/src/core/access/scopes.ts';
import { gatewayAuthenticator, withEdge } from '../../functions/src/handlers/api-access.ts';
import { createApp } from '../../functions/src/http/app.ts';
import { UnprotectedBindError } from '../../functions/src/local/access-platform.ts';
import { startEmbeddedSearch } from '../../functions/src/local/embedded-platform.ts';
import { type LocalServer, startLocalServer } from '../../functions/src/local/server.ts';
import { LOCAL_TABLE, type LocalWriteBack, startLocalWriteBack } from '../../functions/src/local/write-back-platform.ts';
import { restEvent } from '../helpers/aws-events.ts';
import { localIssuer } from '../helpers/oidc.ts';
import { FIXTURES } from '../helpers/runbooks.ts';

/*
 * Who may do what against the real `kb serve` over HTTP: agents with tokens of an OIDC issuer (a
 * local one with a generated key pair), ticket systems with `kb keys` keys, and the no-set-up
 * local developer on 127.0.0.1. The fixture library has an l1 runbook (vpn-drops) and an
 * l3-only one (ldap-bind-fails) that both match "vpn".
 */

type Issuer = Awaited<ReturnType<typeof localIssuer>>;
let issuer: Issuer;
let root: string;
let signedIn: LocalServer;
let jiraKey: string;
let webKey: string;

/** Keys made as `kb keys create` makes them, in the data folder the server then opens. */
async function withKeys(dataDir: string) {
  const dynamo = await startLocalDynamoDb(dataDir);
  await new DynamoDbResolutionStore(dynamo.client, LOCAL_TABLE).ensureTable();
  const keys = new ApiKeys(new DynamoDbKeyStore(dynamo.client, LOCAL_TABLE));
  const jira = await keys.create({ name: 'jira', scopes: ['search', 'resolve'], tier: 'l1' });
  const web = await keys.create({ name: 'portal', scopes: ['search', 'feedback'], tier: 'l1' });
  await dynamo.close();
  return { jira: jira.key, web: web.key };
}

const call = (server: LocalServer, path: string, init: RequestInit & { token?: string; key?: string } = {}) => {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.key) headers.set('x-api-key', init.key);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(new URL(path, server.url), { ...init, headers });
};

const hitIds = async (response: Response) => ((await response.json()) as { hits: { id: string }[] }).hits.map((h) => h.id);

beforeAll(async () => {
  issuer = await localIssuer();
  root = mkdtempSync(join(tmpdir(), 'kb-access-'));
  cpSync(join(FIXTURES, 'ok'), join(root, 'content'), { recursive: true });
  ({ jira: jiraKey, web: webKey } = await withKeys(join(root, 'data')));
  signedIn = await startLocalServer({
    contentDir: join(root, 'content'),
    dataDir: join(root, 'data'),
    port: 0,
    watch: false,
    access: { oidc: { issuer: issuer.issuer } },
  });
});

afterAll(async () => {
  await signedIn?.close();
  await issuer?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('kb serve with sign-in configured', () => {
  it('answers a request without a token 401, as a problem naming how to authenticate', async () => {
    const response = await call(signedIn, '/search?q=vpn');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    // Public routes stay public.
    expect((await call(signedIn, '/health')).status).toBe(200);
  });

  it('refuses expired, foreign-issuer, foreign-key and malformed tokens', async () => {
    const bad = [
      await issuer.token('amy', ['kb-l1'], { expiresIn: Math.floor(Date.now() / 1000) - 600 }),
      await issuer.token('amy', ['kb-l1'], { issuer: 'https://evil.example.com' }),
      await issuer.token('amy', ['kb-l1'], { foreignKey: true }),
      'not-a-jwt',
    ];
    for (const token of bad) {
      const response = await call(signedIn, '/search?q=vpn', { token });
      expect(response.status, token.slice(0, 20)).toBe(401);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/not accepted/);
    }
  });

  it('lets an L1 agent find only what L1 may read, even when it asks for L3', async () => {
    const l1 = await issuer.token('amy', ['kb-l1']);
    const l3 = await issuer.token('sam', ['kb-l3']);
    expect(await hitIds(await call(signedIn, '/search?q=vpn+login+rejected', { token: l3 }))).toContain('ldap-bind-fails');
    for (const path of ['/search?q=vpn+login+rejected', '/search?q=vpn+login+rejected&audience=l3']) {
      const ids = await hitIds(await call(signedIn, path, { token: l1 }));
      expect(ids).toContain('vpn-drops');
      expect(ids).not.toContain('ldap-bind-fails');
    }
    expect((await call(signedIn, '/runbooks/ldap-bind-fails?audience=l3', { token: l1 })).status).toBe(404);
    expect((await call(signedIn, '/runbooks/ldap-bind-fails', { token: l3 })).status).toBe(200);
    // An L3 agent may narrow to what L1 sees.
    expect((await call(signedIn, '/runbooks/ldap-bind-fails?audience=l1', { token: l3 })).status).toBe(404);
    const suggested = (await (
      await call(signedIn, '/suggest', {
        method: 'POST',
        token: l1,
        body: JSON.stringify({ subject: 'vpn login rejected', requesterTier: 'l3' }),
      })
    ).json()) as { suggestions: { id: string }[] };
    expect(suggested.suggestions.map((s) => s.id)).not.toContain('ldap-bind-fails');
  });

  it('refuses a signed-in user without a runbook tier group', async () => {
    const response = await call(signedIn, '/search?q=vpn', { token: await issuer.token('guest', ['staff']) });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toContain('kb-l1');
  });

  it('keeps ticket-system keys off agent routes and agents off ticket systems’ sources', async () => {
    const agent = await issuer.token('amy', ['kb-l1']);
    const feedback = JSON.stringify({ kind: 'helpful' });
    expect((await call(signedIn, '/runbooks/vpn-drops/feedback', { method: 'POST', key: jiraKey, body: feedback })).status).toBe(403);
    expect((await call(signedIn, '/runbooks/vpn-drops/feedback', { method: 'POST', token: agent, body: feedback })).status).toBe(201);
    const resolution = JSON.stringify({ outcome: 'resolved', summary: 'vpn', resolution: 'reinstalled', closedAt: '2026-11-20T10:00:00Z' });
    expect((await call(signedIn, '/tickets/jira/HD-1/resolution', { method: 'PUT', token: agent, body: resolution })).status).toBe(403);
    expect((await call(signedIn, '/tickets/web/HD-1/resolution', { method: 'PUT', token: agent, body: resolution })).status).toBe(201);
    expect((await call(signedIn, '/tickets/jira/HD-1/resolution', { method: 'PUT', key: jiraKey, body: resolution })).status).toBe(201);
    expect((await call(signedIn, '/tickets/zendesk/HD-1/resolution', { method: 'PUT', key: jiraKey, body: resolution })).status).toBe(403);
    expect((await call(signedIn, '/analytics/gaps', { token: agent })).status).toBe(403);
    expect((await call(signedIn, '/analytics/gaps', { token: await issuer.token('ada', ['kb-l2', 'kb-admin']) })).status).toBe(200);
    expect((await call(signedIn, '/search?q=vpn', { key: 'kb_k00000000_not-a-real-key-not-a-real-key-not-a-real-key-12' })).status).toBe(
      401,
    );
    expect((await call(signedIn, '/search?q=vpn', { key: webKey })).status).toBe(200);
  });

  it('refuses HEAD, DELETE and PATCH where no rule allows them', async () => {
    for (const path of ['/tickets/zendesk/ZD-9/resolution', '/admin/dead-letters', '/runbooks/vpn-drops']) {
      const head = await call(signedIn, path, { method: 'HEAD' });
      expect(head.status, `HEAD ${path}`).toBe(401);
    }
    const agent = await issuer.token('amy', ['kb-l1']);
    for (const method of ['DELETE', 'PATCH']) {
      const response = await call(signedIn, '/runbooks/vpn-drops', { method, token: agent });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    expect((await call(signedIn, '/admin/dead-letters', { method: 'DELETE' })).status).toBe(405);
  });

  it('counts 1,000 feedback posts from one agent as one, and throttles the flood with 429 and Retry-After', async () => {
    const agent = await issuer.token('flooder', ['kb-l1']);
    const reader = await issuer.token('reader', ['kb-l1']);
    const body = JSON.stringify({ kind: 'not-helpful', query: 'vpn keeps dropping at home' });
    const suggest = async () =>
      (await (
        await call(signedIn, '/suggest', { method: 'POST', token: reader, body: JSON.stringify({ subject: 'vpn keeps dropping at home' }) })
      ).json()) as {
        suggestions: { id: string; score: number }[];
      };
    const first = await call(signedIn, '/runbooks/vpn-drops/feedback', { method: 'POST', token: agent, body });
    expect(first.status).toBe(201);
    const afterOne = await suggest();

    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 999; i++) {
      const response = await call(signedIn, '/runbooks/vpn-drops/feedback', { method: 'POST', token: agent, body });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter ??= response.headers.get('retry-after');
        expect(response.headers.get('content-type')).toBe('application/problem+json');
      }
      await response.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(900);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 201)).toEqual([]); // repeats replace the one vote
    const usage = (await (await call(signedIn, '/runbooks/vpn-drops/usage', { token: reader })).json()) as { notHelpful: number };
    expect(usage.notHelpful).toBe(1);
    expect((await suggest()).suggestions).toEqual(afterOne.suggestions);
  });

  it('does not start on a non-loopback address without sign-in or keys', async () => {
    await expect(startLocalServer({ contentDir: join(root, 'content'), host: '0.0.0.0', port: 0, watch: false })).rejects.toBeInstanceOf(
      UnprotectedBindError,
    );
  });
});

describe('kb serve on 127.0.0.1 with no set-up', () => {
  let local: LocalServer;
  beforeAll(async () => {
    local = await startLocalServer({ contentDir: join(root, 'content'), port: 0, watch: false, access: { developerTier: 'l1' } });
  });
  afterAll(async () => local?.close());

  const rawGet = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(path, local.url);
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('works without credentials, as the local developer at the tier it was given', async () => {
    const response = await call(local, '/search?q=vpn+login+rejected');
    expect(response.status).toBe(200);
    expect(await hitIds(response)).not.toContain('ldap-bind-fails');
  });

  it('refuses a foreign Host (DNS rebinding) and accepts its own names', async () => {
    const port = new URL(local.url).port;
    const foreign = await rawGet('/search?q=vpn', { host: `attacker.example.com:${port}` });
    expect(foreign.status).toBe(421);
    expect(JSON.parse(foreign.body)).toMatchObject({ status: 421 });
    expect((await rawGet('/search?q=vpn', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses to act as the local developer for another site (CSRF)', async () => {
    const replay = await call(local, '/admin/dead-letters/replay', { method: 'POST', headers: { origin: 'https://evil.example.com' } });
    expect(replay.status).toBe(403);
    const sameSite = await call(local, '/admin/dead-letters/replay', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } });
    expect(sameSite.status).toBe(200);
  });

  it('sends a Content-Security-Policy and the usual security headers, and no CORS for other origins', async () => {
    const response = await call(local, '/health', { headers: { origin: 'https://evil.example.com' } });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the API Lambda edge, with API Gateway and Cognito event shapes', () => {
  const CLIENTS = [{ keyId: 'key-jira', name: 'jira', scopes: ['search', 'resolve'] as Scope[], tier: 'l1' as const }];
  let lambda: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
  let writeBack: LocalWriteBack;
  afterAll(async () => writeBack?.close());
  beforeAll(async () => {
    const platform = await startEmbeddedSearch(join(root, 'content'));
    writeBack = await startLocalWriteBack(undefined);
    const app = createApp({
      search: platform.search,
      index: platform.index,
      writeBack: writeBack.service(platform.index, () => {}),
      authenticate: gatewayAuthenticator(CLIENTS),
    });
    lambda = handle(withEdge(app, { webOrigin: 'https://web.example.com' })) as never;
  });
  const agent = (groups: string) => ({ sub: 'f00-ba7', 'cognito:username': 'amy', 'cognito:groups': groups, token_use: 'id' });
  const send = async (...args: Parameters<typeof restEvent>) => {
    const response = await lambda(restEvent(...args));
    const headers = {
      ...response.headers,
      ...Object.fromEntries(Object.entries(response.multiValueHeaders ?? {}).map(([k, v]) => [k, v[0]])),
    };
    return { status: response.statusCode, json: JSON.parse(response.body || 'null'), headers };
  };

  it('answers 401 without a token or key', async () => {
    const response = await send('GET', '/search', { query: { q: 'vpn' } });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });

  it('reads at the tier of the Cognito group, whatever the request asks', async () => {
    const asked = await send('GET', '/search', { query: { q: 'vpn login rejected', audience: 'l3' }, claims: agent('kb-l1') });
    expect(asked.status).toBe(200);
    expect(asked.json.hits.map((h: { id: string }) => h.id)).not.toContain('ldap-bind-fails');
    const runbook = await send('GET', '/runbooks/ldap-bind-fails', {
      query: { audience: 'l3' },
      claims: agent('kb-l1'),
      resource: '/runbooks/{id}',
    });
    expect(runbook.status).toBe(404);
    expect((await send('GET', '/runbooks/ldap-bind-fails', { claims: agent('kb-l3,kb-admin'), resource: '/runbooks/{id}' })).status).toBe(
      200,
    );
  });

  it('reads at the key’s configured tier', async () => {
    const response = await send('GET', '/search', { query: { q: 'vpn login rejected', audience: 'l3' }, apiKeyId: 'key-jira' });
    expect(response.json.hits.map((h: { id: string }) => h.id)).not.toContain('ldap-bind-fails');
  });

  it('keeps a ticket-system key off agent routes and agents off ticket systems’ routes', async () => {
    const feedback = await send('POST', '/runbooks/vpn-drops/feedback', { apiKeyId: 'key-jira', body: { kind: 'helpful' } });
    expect(feedback.status).toBe(403);
    const body = { outcome: 'resolved', summary: 'vpn', resolution: 'reinstalled', closedAt: '2026-11-20T10:00:00Z' };
    const asAgent = await send('PUT', '/tickets/jira/HD-1/resolution', { claims: agent('kb-l2'), body });
    expect(asAgent.status).toBe(403);
    expect((await send('GET', '/admin/dead-letters', { claims: agent('kb-l3') })).status).toBe(403);
  });

  it('refuses HEAD without credentials and DELETE or PATCH anywhere', async () => {
    expect((await send('HEAD', '/tickets/zendesk/ZD-9/resolution')).status).toBe(401);
    expect((await send('HEAD', '/admin/dead-letters')).status).toBe(401);
    expect((await send('DELETE', '/runbooks/vpn-drops', { claims: agent('kb-l1') })).status).toBe(405);
    expect((await send('PATCH', '/runbooks/vpn-drops', { apiKeyId: 'key-jira' })).status).toBe(405);
  });
});
