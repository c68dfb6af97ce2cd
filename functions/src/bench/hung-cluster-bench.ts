import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleHandler, runInFreshNode } from './bundle-bench.ts';

export interface HungClusterFigures {
  /** What the API answered a keyed search while OpenSearch accepted connections and never replied. */
  status: number;
  /** How long that answer took, ms (the Lambda's timeout is 10 s; the goal is a 503 within ~3 s). */
  ms: number;
}

const KEY = { keyId: 'bench-key', name: 'bench', scopes: ['search'] };

/**
 * The API bundle, as CDK builds it, in a fresh node process against an OpenSearch that accepts
 * connections and never answers (the hang that used to run the function into its 10 s timeout):
 * one keyed search, timed to its answer.
 */
export async function hungClusterBench(): Promise<HungClusterFigures> {
  const held: Socket[] = [];
  const hung = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const dir = await mkdtemp(join(tmpdir(), 'kb-hung-bench-'));
  try {
    const bundle = await bundleHandler('api', dir);
    const { port } = hung.address() as { port: number };
    const out = await runInFreshNode(script(bundle), {
      KB_SEARCH_ENGINE: 'opensearch',
      KB_OPENSEARCH_URL: `http://127.0.0.1:${port}`,
      KB_API_CLIENTS: JSON.stringify([KEY]),
      // S3 (synonyms) is not reachable either: a search must not wait on it.
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    return JSON.parse(out.slice(out.lastIndexOf('\n{') + 1)) as HungClusterFigures;
  } finally {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => hung.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

function script(bundle: string): string {
  return `
console.log = () => {};
console.info = () => {};
console.warn = () => {};
console.error = () => {};
const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const event = {
  resource: '/search', path: '/search', httpMethod: 'GET',
  headers: { Host: 'x.execute-api.us-east-1.amazonaws.com', 'x-api-key': 'k' },
  multiValueHeaders: {}, queryStringParameters: { q: 'vpn drops' }, multiValueQueryStringParameters: null,
  pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
  requestContext: { accountId: '1', apiId: 'x', httpMethod: 'GET', path: '/v1/search', stage: 'v1', requestId: 'hung',
    identity: { apiKeyId: ${JSON.stringify(KEY.keyId)}, apiKey: 'k', sourceIp: '203.0.113.7', userAgent: 'bench' }, resourcePath: '/search' },
};
const started = performance.now();
const answer = await handler(event, { getRemainingTimeInMillis: () => 10000 });
process.stdout.write('\\n' + JSON.stringify({ status: answer.statusCode, ms: Math.round(performance.now() - started) }));
process.exit(0);
`;
}
