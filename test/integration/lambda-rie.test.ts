import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler } from '../../functions/src/bench/bundle-bench.ts';
import { type EmulatedFunction, findEmulator, startEmulated } from '../../functions/src/bench/lambda-emulator.ts';
import { restEvent } from '../helpers/aws-events.ts';

/**
 * The API bundle CDK deploys (infra/constructs/bundling.ts), run the way Lambda runs it (see
 * lambda-emulator.ts), with API Gateway proxy events posted to the emulator's invoke URL.
 * .ci/run installs the emulator and names it in KB_LAMBDA_RIE; without it (or `aws-lambda-rie`
 * on PATH) the file is skipped, saying so.
 */
const emulator = findEmulator();
if (!emulator) {
  console.warn(
    'lambda-rie.test.ts skipped: no Lambda runtime interface emulator. Set KB_LAMBDA_RIE to an aws-lambda-rie binary ' +
      '(go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@<version>; .ci/run does).',
  );
}

const CLIENTS = [{ keyId: 'key-reader', name: 'reader', scopes: ['search'] }];
/** What the stand-in cluster answers to the index-size query behind `/health`. */
const STATS = {
  hits: { total: { value: 3 } },
  aggregations: { tier: { buckets: [{ key: 'l1', doc_count: 3 }] }, sections: { value: 12 } },
};

/** A stand-in OpenSearch: answers every search with STATS, anything else 404. Closing it leaves a closed port. */
async function standInCluster(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createHttpServer((request, response) => {
    request.resume();
    const found = request.method === 'POST' && request.url?.split('?')[0]?.endsWith('/_search');
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(found ? STATS : { error: 'not found', status: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.skipIf(!emulator)('the bundled API under the Lambda runtime interface emulator', () => {
  let workDir: string;
  let cluster: Awaited<ReturnType<typeof standInCluster>>;
  let lambda: EmulatedFunction;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'kb-rie-'));
    const bundle = await bundleHandler('api', workDir);
    cluster = await standInCluster();
    lambda = await startEmulated(emulator as string, bundle, {
      AWS_LAMBDA_FUNCTION_TIMEOUT: '10',
      AWS_ACCESS_KEY_ID: 'rie',
      AWS_SECRET_ACCESS_KEY: 'rie',
      AWS_MAX_ATTEMPTS: '1',
      // S3 (synonyms) and DynamoDB are not reachable: nothing these requests answer needs them.
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      KB_SEARCH_ENGINE: 'opensearch',
      KB_OPENSEARCH_URL: cluster.url,
      KB_TABLE: 'rie-table',
      KB_CONTENT_BUCKET: 'rie-bucket',
      KB_INDEX_BUCKET: 'rie-index',
      KB_API_CLIENTS: JSON.stringify(CLIENTS),
      KB_WEB_ORIGIN: 'https://example.invalid',
    });
  });

  afterAll(async () => {
    await lambda?.stop();
    await cluster?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const invoke = async (event: APIGatewayProxyEvent) => (await lambda.invoke(event)) as APIGatewayProxyResult;
  const output = () => lambda.output();

  const contentType = (result: APIGatewayProxyResult) =>
    result.multiValueHeaders?.['content-type']?.[0] ?? result.headers?.['content-type'] ?? undefined;

  it('answers 200 to /health with the index size the cluster reports', async () => {
    const result = await invoke(restEvent('GET', '/health'));
    expect(result.statusCode, output()).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ status: 'ok', runbooks: 3, sections: 12 });
  });

  it('answers 401 problem+json to a search without an API key', async () => {
    const result = await invoke(restEvent('GET', '/search', { query: { q: 'vpn drops' } }));
    expect(result.statusCode).toBe(401);
    expect(contentType(result)).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ status: 401 });
  });

  it('answers 503 problem+json to a keyed search once the cluster’s port is closed', async () => {
    await cluster.close();
    const result = await invoke(restEvent('GET', '/search', { query: { q: 'vpn drops' }, apiKeyId: 'key-reader' }));
    expect(result.statusCode, output()).toBe(503);
    expect(contentType(result)).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ status: 503 });
  });
});
