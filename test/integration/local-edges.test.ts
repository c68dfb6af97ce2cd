import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FsCompileCache } from '../../functions/src/adapters/fs/fs-compile-cache.ts';
import { localCompileCache } from '../../functions/src/local/compile-cache.ts';
import { type LocalServer, startLocalServer } from '../../functions/src/local/server.ts';
import { FIXTURES } from '../helpers/runbooks.ts';
import { stop } from '../helpers/server-process.ts';

const KB = new URL('../../functions/bin/kb.js', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

/** Sends raw bytes on a new connection and returns everything the server wrote before closing. */
function rawRequest(url: string, text: string, options: { hangUpAfterMs?: number } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(text);
      if (options.hangUpAfterMs !== undefined) setTimeout(() => socket.destroy(), options.hangUpAfterMs);
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
  });
}

/** `kb serve` in its own process; resolves with its URL and the lines it printed so far. */
function serveProcess(args: string[]) {
  const child = spawn(process.execPath, [KB, 'serve', '--port', '0', '--no-watch', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const errors: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => errors.push(line));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = lines.map((l) => /serving on (http:\/\/\S+)/.exec(l)).find(Boolean);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`kb serve exited with ${code}`));
    });
  });
  return { child, lines, errors, url };
}

let root: string;
let server: LocalServer;

describe('the local server at the edges of HTTP', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kb-edges-'));
    cpSync(join(FIXTURES, 'ok'), join(root, 'content'), { recursive: true });
    server = await startLocalServer({ contentDir: join(root, 'content'), port: 0, dataDir: join(root, 'data') });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('closes the connection after a 413, so a pooling client’s next request still works', async () => {
    const tooBig = await fetch(`${server.url}/suggest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'x'.repeat(80_000) }),
    });
    expect([tooBig.status, tooBig.headers.get('connection'), tooBig.headers.get('content-type')]).toEqual([
      413,
      'close',
      'application/problem+json',
    ]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('answers requests Node’s parser refuses with a problem body: 431 for huge headers, 400 for bad chunking', async () => {
    const host = new URL(server.url).host;
    const headers = await rawRequest(server.url, `GET /health HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(headers).toMatch(/^HTTP\/1.1 431 /);
    expect(headers).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(headers.slice(headers.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431 });

    const chunked =
      'POST /suggest HTTP/1.1\r\nHost: HOST\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n';
    const badChunks = await rawRequest(server.url, chunked.replace('HOST', host));
    expect(badChunks).toMatch(/^HTTP\/1.1 400 /);
    expect(JSON.parse(badChunks.slice(badChunks.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, title: 'Malformed HTTP request' });
  });

  it('logs a client that hangs up mid-body as one line, without a stack trace', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const host = new URL(server.url).host;
      const partial = `POST /suggest HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"subject":"vpn`;
      await rawRequest(server.url, partial, { hangUpAfterMs: 200 });
      await vi.waitFor(() => expect(warn).toHaveBeenCalled(), { timeout: 3_000 });
      // (The bad chunking above is also a request cut short, and may be logged here as well.)
      for (const call of warn.mock.calls) expect(call).toEqual(['client closed the connection before sending the whole request body']);
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it('refuses a closing time past year 9999 once converted to UTC', async () => {
    const response = await fetch(`${server.url}/tickets/jira/HD-10000/resolution`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ runbookId: 'vpn-drops', outcome: 'resolved', summary: 'x', closedAt: '9999-12-31T23:30:00-01:00' }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('closedAt');
  });
});

describe('kb serve refuses to start twice', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kb-twice-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** `kb serve` on the ok fixtures with a data folder under `dir`, run until it exits (each start here fails). */
  const serveToExit = (data: string, options: { port?: number; env?: NodeJS.ProcessEnv } = {}) =>
    spawnSync(
      process.execPath,
      [KB, 'serve', '--port', String(options.port ?? 0), '--no-watch', '--content', join(FIXTURES, 'ok'), '--data', join(dir, data)],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...options.env } },
    );

  it('on the same data folder: exit 1 with a clear message, and the first server keeps serving', async () => {
    const first = serveProcess(['--content', join(FIXTURES, 'ok'), '--data', join(dir, 'data')]);
    try {
      const url = await first.url;
      // Progress only: not the AWS SDK's notice, under Node 20, that its releases after January
      // 2027 need Node 22 (seven lines on every start).
      expect(first.errors.join('\n')).not.toMatch(/AWS SDK|node >=22/);
      const second = serveToExit('data');
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/another kb serve \(pid \d+\) is using .*data/);
      expect(second.stderr).not.toMatch(/\n\s+at /);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      await stop(first.child);
    }
    expect(existsSync(join(dir, 'data', 'kb-serve.pid'))).toBe(false);
  });

  it('on a busy port: exit 1 with the reason, instead of running on', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const run = serveToExit('busy', { port });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`port ${port} is in use`);
      expect(existsSync(join(dir, 'busy', 'kb-serve.pid'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('with a malformed setting: exit 1 naming the variable and the entry, and no stack trace', () => {
    const run = serveToExit('setting', { env: { KB_LEARNING_SOURCE_WEIGHTS: '{"zendesk": 2}' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/kb: KB_LEARNING_SOURCE_WEIGHTS is invalid: zendesk: .*1/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'setting', 'kb-serve.pid'))).toBe(false);
  });

  it('without the model: exit 1 naming the fix, and nothing left running (it hung with the data folder taken)', () => {
    const run = serveToExit('nomodel', { env: { KB_MODEL_DIR: join(dir, 'no-model-here') } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/kb: The embedding model file .* is missing: run `npm run setup:model`/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'nomodel', 'kb-serve.pid'))).toBe(false);
  });
});

describe('kb serve logs', () => {
  it('escape file names: a name with a newline cannot forge a log line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-names-'));
    try {
      cpSync(join(FIXTURES, 'ok'), join(dir, 'content'), { recursive: true });
      writeFileSync(join(dir, 'content', 'l1', 'x.md\n12:00:00 indexed 999 runbooks (forged).md'), '---\nid: [broken\n---\n');
      const serve = serveProcess(['--content', join(dir, 'content'), '--data', join(dir, 'data')]);
      try {
        await serve.url;
      } finally {
        await stop(serve.child);
      }
      expect(serve.lines.some((l) => l.startsWith('12:00:00 indexed 999'))).toBe(false);
      expect(serve.lines.some((l) => l.includes('x.md\\n12:00:00 indexed 999 runbooks (forged).md'))).toBe(true);
    } finally {
      // kb serve keeps a compile cache per content folder under .kb/: this folder's goes with it.
      rmSync(((await localCompileCache(join(dir, 'content'))).store as FsCompileCache).file, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('tests leave no kb-* folders of their own in the temp directory', () => {
  // The folders above are removed by their tests; this names any that were not.
  const mine = readdirSync(tmpdir()).filter((name) => /^kb-(edges|twice|names)-/.test(name));
  expect(mine).toEqual([]);
});
