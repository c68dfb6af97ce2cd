import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { bundleHandler, runInFreshNode } from '../../functions/src/bench/bundle-bench.ts';
import { BUNDLING, HANDLERS, type HandlerName } from '../../infra/constructs/bundling.ts';
import { restEvent } from '../helpers/aws-events.ts';

/** The bundles CDK deploys, built the same way (bundling.ts), each within BUNDLING.maxBytes (1 MiB). */
const outDir = mkdtempSync(join(tmpdir(), 'kb-bundles-'));
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
});
