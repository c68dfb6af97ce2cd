import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePool } from '../../functions/src/adapters/compile/compile-pool.ts';
import { DEFAULT_LIMITS } from '../../functions/src/core/runbook/limits.ts';
import type { Message } from '../../functions/src/core/runbook/model.ts';
import { type LocalServer, startLocalServer } from '../../functions/src/local/server.ts';
import { eventually, searchIds as idsFrom } from '../helpers/poll.ts';
import { FIXTURES, l1Runbook } from '../helpers/runbooks.ts';

let server: LocalServer;
let root: string;
/** Compiles in threads with a 2 s budget per file; the pre-scan's limits are lifted so a slow file reaches the parser. */
const pool = compilePool({ threads: 1, budget: { timeoutMs: 2_000, maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 32 } });
const LOOSE_LIMITS = { ...DEFAULT_LIMITS, maxInlineDepth: 1e9, maxInlineMarkers: 1e9 };
const skipped: { path: string; messages: Message[] }[] = [];
const indexed: { path: string; id: string; messages: Message[] }[] = [];

const searchIds = (q: string) => idsFrom(server.url, q);

describe('kb serve (local server)', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kb-serve-'));
    cpSync(join(FIXTURES, 'ok'), root, { recursive: true });
    // A stand-in for web/dist: the server must serve it at / and nowhere else.
    const webDir = join(root, '.web');
    mkdirSync(webDir);
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>runbook-kb</title>');
    server = await startLocalServer({
      contentDir: root,
      port: 0,
      watch: true,
      webDir,
      load: { compile: pool, limits: LOOSE_LIMITS },
      events: {
        skipped: (path, messages) => skipped.push({ path, messages }),
        indexed: (path, id, messages) => indexed.push({ path, id, messages }),
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await pool.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the API over HTTP on a real port', async () => {
    expect(await searchIds('vpn drops')).toContain('vpn-drops');
  });

  it('serves the web app at / and leaves every other path to the API', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toContain('<title>runbook-kb</title>');
    const wrongMethod = await fetch(`${server.url}/suggest`);
    expect([wrongMethod.status, wrongMethod.headers.get('content-type')]).toEqual([405, 'application/problem+json']);
    expect((await fetch(`${server.url}/no-such-page`)).status).toBe(404);
  });

  it('re-indexes a saved runbook, indexes a new one and forgets a deleted one', async () => {
    writeFileSync(join(root, 'l1', 'vpn-drops.md'), l1Runbook('vpn-drops', { title: 'Kerberos ticket expired' }));
    await eventually(async () => (await searchIds('kerberos'))[0] === 'vpn-drops');

    writeFileSync(join(root, 'l1', 'toner.md'), l1Runbook('toner-low', { title: 'Toner cartridge empty' }));
    await eventually(async () => (await searchIds('toner cartridge'))[0] === 'toner-low');

    rmSync(join(root, 'l1', 'toner.md'));
    await eventually(async () => !(await searchIds('toner cartridge')).includes('toner-low'));
  });

  it('reports what lint says of a runbook it re-indexed: a bad anchor and a dead link, with where and how to fix them', async () => {
    const body = `## Symptoms

The tunnel drops. See [the check](#verfy) and [DNS](../l2/dns-fails.md).

## Fix

1. Restart it.

## Verify

It works.

## Escalation

To L2 when it still fails.
`;
    writeFileSync(join(root, 'l1', 'vpn-drops.md'), l1Runbook('vpn-drops', { title: 'VPN drops with lint errors', body }));
    await eventually(async () => indexed.some((e) => e.path === 'l1/vpn-drops.md' && e.messages.length > 0));
    const { messages } = indexed.findLast((e) => e.path === 'l1/vpn-drops.md') as (typeof indexed)[number];
    expect(messages.filter((m) => m.severity === 'error').map((m) => m.ruleId)).toEqual(['anchors', 'internal-links']);
    expect(messages[0]).toMatchObject({ line: 16, reason: expect.stringContaining('did you mean `#verify`?'), hint: expect.any(String) });
    // Indexed all the same: an author sees the page while fixing it.
    expect(await searchIds('lint errors')).toContain('vpn-drops');

    // A clean save says so: no messages.
    writeFileSync(join(root, 'l1', 'vpn-drops.md'), l1Runbook('vpn-drops', { title: 'VPN drops clean again' }));
    await eventually(async () => indexed.at(-1)?.path === 'l1/vpn-drops.md' && indexed.at(-1)?.messages.length === 0);
  });

  it('tells an open web app which runbook changed, as server-sent events', async () => {
    // Prepare: listen as the web app does.
    const controller = new AbortController();
    const response = await fetch(`${server.url}/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${received}`);
        received += decoder.decode(value, { stream: true });
      }
    };
    await until(/event: ready/);

    // Act: an author saves a runbook.
    writeFileSync(join(root, 'l1', 'vpn-drops.md'), l1Runbook('vpn-drops', { title: 'VPN drops, saved while open' }));

    // Assess
    await until(/event: change\ndata: \{"id":"vpn-drops","kind":"indexed"\}/);
    controller.abort();
  });

  it('keeps the last good version of a runbook that an edit broke', async () => {
    writeFileSync(join(root, 'l3', 'ldap-bind-fails.md'), '---\nid: [broken\n---\n');
    await new Promise((r) => setTimeout(r, 600));
    expect(await searchIds('ldap bind')).toContain('ldap-bind-fails');
  });

  it('compiles a saved file off the request thread: the API answers while a slow file hits its budget', async () => {
    // 4,000 nested images take the parser about 20 s; on the main thread that froze every request.
    const slow = `${'!['.repeat(4_000)}x${'](u)'.repeat(4_000)}`;
    writeFileSync(join(root, 'l1', 'slow.md'), l1Runbook('slow', { body: `## Symptoms\n\n${slow}\n` }));
    const slowest = { ms: 0 };
    await eventually(async () => {
      const started = performance.now();
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      slowest.ms = Math.max(slowest.ms, performance.now() - started);
      return skipped.some((s) => s.path === 'l1/slow.md');
    }, 15_000);
    expect(skipped.find((s) => s.path === 'l1/slow.md')?.messages[0]).toMatchObject({ ruleId: 'compile-budget' });
    expect(slowest.ms).toBeLessThan(500);
    expect(await searchIds('vpn drops')).toContain('vpn-drops');
  });
});
