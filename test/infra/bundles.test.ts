import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleHandler, runInFreshNode } from '../../functions/src/bench/bundle-bench.ts';
import { BUNDLING, HANDLERS, type HandlerName } from '../../infra/constructs/bundling.ts';
import { restEvent } from '../helpers/aws-events.ts';

/** The bundles CDK deploys, built the same way (bundling.ts), each within BUNDLING.maxBytes (1 MiB). */
const outDir = mkdtempSync(join(tmpdir(), 'kb-bundles-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const built = new Map<HandlerName, Promise<string>>();
/** Each handler bundled once for the whole file. */
function bundled(name: HandlerName): Promise<string> {
  let file = built.get(name);
  if (!file) {
    file = bundleHandler(name, outDir);
    built.set(name, file);
  }
  return file;
}

/**
 * Imports a bundle in a fresh node process, as Lambda does, and invokes its handler with each
 * event in turn. Nothing is reachable: S3 and OpenSearch point at a closed port.
 */
async function invokeBundle(file: string, env: Record<string, string>, events: unknown[]): Promise<APIGatewayProxyResult[]> {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
const results = [];
for (const event of JSON.parse(process.argv[1])) results.push(await handler(event, {}));
process.stdout.write(JSON.stringify(results));`;
  const unreachable = { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' };
  return JSON.parse(await runInFreshNode(script, { ...unreachable, ...env }, [JSON.stringify(events)]));
}

describe('Lambda bundles', () => {
  for (const name of Object.keys(HANDLERS) as HandlerName[]) {
    it(`bundles ${name} as one minified ESM file with a source map, within the budget`, async () => {
      const file = await bundled(name);
      const bytes = statSync(file).size;
      expect(statSync(`${file}.map`).size).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(BUNDLING.maxBytes);
    });
  }

  it('the bundled API answers API Gateway events: its OpenAPI document, and a 400 problem naming the bad field', async () => {
    // Prepare: the API bundle as deployed, with one client allowed to search.
    const file = await bundled('api');
    const clients = [{ keyId: 'key-reader', name: 'reader', scopes: ['search'] }];
    const events: APIGatewayProxyEvent[] = [
      restEvent('GET', '/openapi.json'),
      restEvent('GET', '/search', { query: { q: ' ', limit: '500' }, apiKeyId: 'key-reader' }),
    ];
    // Act
    const [doc, invalid] = await invokeBundle(file, { KB_API_CLIENTS: JSON.stringify(clients) }, events);
    // Assess: the document lists the routes; validation runs (zod inside the bundle) before any service is called.
    expect(doc?.statusCode).toBe(200);
    expect(Object.keys(JSON.parse(doc?.body ?? '{}').paths)).toEqual(expect.arrayContaining(['/search', '/suggest', '/runbooks/{id}']));
    expect(invalid?.statusCode).toBe(400);
    expect(JSON.parse(invalid?.body ?? '{}').errors.map((e: { field: string }) => e.field)).toEqual(['q', 'limit']);
  });

  it('a bundled compile pool starts its own file as the compiler thread, and still skips a file over budget', async () => {
    // Prepare: the pool bundled as the content indexer bundles it (one ESM file, no tsx): the thread
    // it starts must be that same file, which then knows its role from the worker data.
    const file = join(outDir, 'pool', 'index.mjs');
    await build({
      entryPoints: [new URL('../../functions/src/adapters/compile/compile-pool.ts', import.meta.url).pathname],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: BUNDLING.target,
      format: BUNDLING.format,
      minify: BUNDLING.minify,
      mainFields: [...BUNDLING.mainFields],
      banner: { js: BUNDLING.banner },
      logLevel: 'silent',
    });
    const script = `const { compilePool } = await import(${JSON.stringify(pathToFileURL(file).href)});
const pool = compilePool({ threads: 1, budget: { timeoutMs: 1000, maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } });
const runbook = (id, body) => new TextEncoder().encode('---\\nid: ' + id + '\\ntitle: T\\ntier: l1\\n---\\n\\n# T\\n\\n' + body + '\\n');
const loose = { maxFileBytes: 1048576, maxFrontmatterBytes: 65536, maxYamlAliases: 100, maxNestingDepth: 64, maxInlineDepth: 1e9, maxInlineMarkers: 1e9, maxSections: 1e9 };
const results = await pool([{ path: 'l1/slow.md', bytes: runbook('slow', '!['.repeat(4000) + 'x' + '](u)'.repeat(4000)) }, { path: 'l1/ok.md', bytes: runbook('ok', 'text') }], { limits: loose });
await pool.close();
process.stdout.write(JSON.stringify(results.map((r) => (r.ok ? r.runbook.id : r.failure.messages[0].ruleId))));`;
    // Act
    const outcome = JSON.parse(await runInFreshNode(script));
    // Assess
    expect(outcome).toEqual(['compile-budget', 'ok']);
  });

  it('the bundled API answers 503 problem+json within 3.5 s when OpenSearch accepts connections but never answers', async () => {
    // Prepare: a "cluster" that takes connections and is never heard from again.
    const held: Socket[] = [];
    const hung = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const env = {
      KB_OPENSEARCH_URL: `http://127.0.0.1:${(hung.address() as AddressInfo).port}`,
      KB_API_CLIENTS: JSON.stringify([{ keyId: 'key-reader', name: 'reader', scopes: ['search'] }]),
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
    };
    try {
      // Act
      const started = performance.now();
      const [search] = await invokeBundle(await bundled('api'), env, [
        restEvent('GET', '/search', { query: { q: 'vpn drops' }, apiKeyId: 'key-reader' }),
      ]);
      const seconds = (performance.now() - started) / 1000;
      // Assess: the whole process (start, import, the request) within the budget.
      expect(search?.statusCode).toBe(503);
      expect(search?.multiValueHeaders?.['content-type']).toEqual(['application/problem+json']);
      expect(JSON.parse(search?.body ?? '{}')).toMatchObject({ status: 503 });
      expect(seconds).toBeLessThan(3.5 + 1); // + the fresh node process's start
      console.info(`bundled API, hung OpenSearch: 503 after ${seconds.toFixed(2)} s (process start included)`);
    } finally {
      for (const socket of held) socket.destroy();
      hung.close();
    }
  });
});
