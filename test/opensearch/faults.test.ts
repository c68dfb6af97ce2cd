import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FsCompileCache } from '../../functions/src/adapters/fs/fs-compile-cache.ts';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { openSearchTransport } from '../../functions/src/adapters/opensearch/client.ts';
import { Cluster } from '../../functions/src/adapters/opensearch/cluster.ts';
import { OpenSearchRunbookIndex } from '../../functions/src/adapters/opensearch/opensearch-runbook-index.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import { SearchService } from '../../functions/src/app/search-service.ts';
import type { CompiledRunbook } from '../../functions/src/core/runbook/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import { localCompileCache } from '../../functions/src/local/compile-cache.ts';
import { contractLibrary } from '../contract/runbook-index.contract.ts';
import { CONTENT, FIXTURES } from '../helpers/runbooks.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { dropTestIndices, OPENSEARCH_URL, raw, testAlias, testIndex } from './helpers.ts';

/** Quick retries, so that the tests spend their time on behaviour rather than on backoff. */
const FAST_RETRY = { attempts: 7, baseDelayMs: 20, maxDelayMs: 200 };
const ROOT = new URL('../../', import.meta.url).pathname;
const KB = new URL('../../functions/bin/kb.js', import.meta.url).pathname;

let starter: CompiledRunbook[];
beforeAll(async () => {
  starter = (await loadLibrary(new FsContentSource(CONTENT))).runbooks;
});
afterAll(() => dropTestIndices('faults-'));

const through = (url: string, alias: string) =>
  new OpenSearchRunbookIndex(new Cluster(openSearchTransport({ node: url, auth: 'none' }), url), { alias, writeRetry: FAST_RETRY });
const count = async (alias: string) => (await raw<{ count: number }>('GET', `/${alias}/_count`)).body.count;
const aliasTarget = async (alias: string) => Object.keys((await raw<Record<string, unknown>>('GET', `/_alias/${alias}`)).body);

/** The real `kb index` in a child process; asynchronous, since the fault proxy runs in this one. */
function kbIndex(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [KB, 'index', ...args], { cwd: ROOT, timeout: 120_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

describe('indexing faults against a real OpenSearch', () => {
  it('indexes the rest of a bulk when one document conflicts with the mapping, and reports it', async () => {
    // Prepare: a tier that is an object cannot go into the keyword field `tier`.
    const index = testIndex('faults-mapping');
    const [bad, ...good] = contractLibrary();
    const conflicting = { ...bad, meta: { ...bad?.meta, tier: { level: 1 } } } as unknown as CompiledRunbook;
    // Act
    const report = await index.upsert([conflicting, ...good]);
    await index.refresh();
    // Assess
    expect(report.indexed).toBe(good.length);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.id).toBe(bad?.id);
    expect(report.failed[0]?.reason).toMatch(/mapper_parsing_exception|document_parsing_exception/);
    expect((await index.stats()).runbooks).toBe(good.length);
  });

  it('keeps the old index in service when a rebuild has too many refused documents', async () => {
    const index = testIndex('faults-refused');
    await index.rebuild(starter);
    const before = (await index.status()).index;
    const broken = starter.map((r) => ({ ...r, meta: { ...r.meta, tier: { level: 1 } } }) as unknown as CompiledRunbook);
    const report = await index.rebuild(broken);
    expect(report.swapped).toBe(false);
    expect((await index.status()).index).toBe(before);
    expect(await count(index.options.alias)).toBe(starter.length);
  });

  it('retries bulk requests and items answered with 429, and loses nothing', async () => {
    // Prepare: the first two bulk requests are refused whole, the next two lose half their items.
    const proxy = await startFaultProxy(OPENSEARCH_URL, (request, bulks) => {
      if (!request.path.includes('_bulk')) return 'forward';
      if (bulks <= 2) return 'reject';
      return bulks <= 4 ? 'reject-half' : 'forward';
    });
    try {
      const alias = testAlias('faults-429');
      const index = through(proxy.url, alias);
      index.options.bulk = { maxBytes: 5 * 1024 * 1024, maxOperations: 10 };
      // Act
      const report = await index.rebuild(starter);
      // Assess
      expect(report.failed).toEqual([]);
      expect(report.swapped).toBe(true);
      expect(report.indexed).toBe(starter.length);
      expect(report.retried).toBeGreaterThanOrEqual(2 + 2 * 5);
      expect(await count(alias)).toBe(starter.length);
    } finally {
      await proxy.close();
    }
  });

  it('kb index: the server going down mid-rebuild gives a clear error, exit 1, and the alias untouched', async () => {
    // Prepare: a live alias on the real server, then a proxy that dies at the first bulk request.
    const alias = testAlias('faults-down');
    const first = await kbIndex('--opensearch', OPENSEARCH_URL, '--content', CONTENT, '--alias', alias);
    expect(first.status, first.stderr).toBe(0);
    const before = await aliasTarget(alias);
    const proxy = await startFaultProxy(OPENSEARCH_URL, (request) => (request.path.includes('_bulk') ? 'down' : 'forward'));
    // Act
    const result = await kbIndex('--opensearch', proxy.url, '--content', CONTENT, '--alias', alias, '--full');
    await proxy.close();
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^kb: cannot reach OpenSearch at http:\/\/127\.0\.0\.1:\d+: .*\nnothing was swapped/m);
    expect(result.stderr).not.toMatch(/\n\s+at /); // one clear message, no stack trace
    expect(await aliasTarget(alias)).toEqual(before);
    expect(await count(alias)).toBe(starter.length);
  });

  it('kb index: an unreachable server gives a clear error and exit 1', async () => {
    const result = await kbIndex('--opensearch', 'http://127.0.0.1:9', '--content', CONTENT, '--alias', testAlias('faults-none'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^kb: cannot reach OpenSearch at http:\/\/127\.0\.0\.1:9: .*ECONNREFUSED/m);
  });

  it('kb index: a hostile file is reported and skipped, the good runbooks are indexed', async () => {
    // Prepare: the two good fixtures and two files that took minutes to compile before the budget.
    const root = mkdtempSync(join(tmpdir(), 'kb-index-hostile-'));
    try {
      const content = join(root, 'content');
      cpSync(join(FIXTURES, 'ok'), content, { recursive: true });
      const front = (id: string) => `---\nid: ${id}\ntitle: Hostile ${id}\ntier: l1\n---\n\n`;
      writeFileSync(join(content, 'l1/images-250k.md'), `${front('images')}${'!['.repeat(41_000)}x${'](u)'.repeat(41_000)}\n`);
      writeFileSync(join(content, 'l1/emphasis-120k.md'), `${front('emphasis')}${'*a '.repeat(20_000)}x${' a*'.repeat(20_000)}\n`);
      const alias = testAlias('faults-hostile');
      // Act
      const result = await kbIndex('--opensearch', OPENSEARCH_URL, '--content', content, '--alias', alias, '--full');
      // Assess
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/images-250k\.md:\d+:\d+ .*\(skipped\)/);
      expect(result.stderr).toMatch(/emphasis-120k\.md:\d+:\d+ .*\(skipped\)/);
      expect(result.stdout).toMatch(/compiled 2 runbooks from .* \(2 skipped\)/);
      expect(await count(alias)).toBe(2);
    } finally {
      // kb index keeps its compile cache under .kb/, one file per content folder: this one's goes too.
      rmSync(((await localCompileCache(join(root, 'content'))).store as FsCompileCache).file, { force: true });
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('keeps answering every search during rebuilds', async () => {
    // Prepare: a searched index and queries that each have answers in the starter library.
    const index = testIndex('faults-live');
    await index.rebuild(starter);
    const service = new SearchService({ index, synonyms: NO_SYNONYMS, options: searchOptions(), today: () => '2026-11-23' });
    const queries = ['password reset', 'printer offline', 'vpn', 'outlook', 'disk full', 'wifi'];
    let searches = 0;
    const problems: string[] = [];
    let rebuilding = true;
    const searching = (async () => {
      while (rebuilding) {
        const q = queries[searches % queries.length] as string;
        searches++;
        try {
          const result = await service.search({ q, limit: 5, offset: 0 });
          if (result.hits.length === 0) problems.push(`no hits for "${q}"`);
        } catch (error) {
          problems.push(`"${q}" failed: ${(error as Error).message}`);
        }
      }
    })();
    // Resolves once `n` searches have started: paces the rebuilds by searches rather than by time
    // (counting the searches one rebuild overlapped failed on a busy machine).
    const searched = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (searches >= n ? resolve() : setTimeout(check, 5));
        check();
      });
    // Act: three full rebuilds, each swapping the alias, with searches running throughout and at
    // least five more after each swap.
    const targets: string[] = [];
    for (let i = 0; i < 3; i++) {
      targets.push((await index.rebuild(starter)).index);
      await searched(searches + 5);
    }
    rebuilding = false;
    await searching;
    // Assess
    expect(new Set(targets).size).toBe(3);
    expect(problems).toEqual([]);
  });
});
