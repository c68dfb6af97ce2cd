import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { API_MEMORY_MB } from '../../../infra/constructs/function-memory.ts';
import { DynamoDbResolutionStore } from '../adapters/dynamodb/dynamodb-resolution-store.ts';
import { startLocalDynamoDb } from '../adapters/dynamodb/local-dynamodb.ts';
import { EmbeddedRunbookIndex } from '../adapters/embedded/embedded-runbook-index.ts';
import { artifactOf } from '../adapters/embedded/index-artifact.ts';
import { ReusedVectors } from '../adapters/embedded/reused-vectors.ts';
import { modelDir } from '../adapters/onnx/model-store.ts';
import { sharedEmbedder } from '../adapters/onnx/onnx-embedder.ts';
import { S3IndexArtifacts } from '../adapters/s3/s3-index-artifacts.ts';
import type { CompiledRunbook } from '../core/runbook/model.ts';
import type { Embedder } from '../ports/embedder.ts';
import { bundleHandler, runInFreshNode } from './bundle-bench.ts';
import { findEmulator, startEmulated } from './lambda-emulator.ts';
import { startLocalS3 } from './local-s3.ts';
import { round } from './stats.ts';
import { scaleLibrary } from './synthetic-library.ts';

interface Latency {
  p50: number;
  p99: number;
  cpuP50: number;
  cpuP99: number;
}

export interface EmbeddedLambdaFigures {
  runbooks: number;
  /**
   * The model the content indexer embedded the runbooks with and the API embeds queries with
   * (KB_MODEL_DIR set, onnxruntime-node beside the bundle); absent on the words-only rows.
   */
  model?: string;
  /** The artifact as stored in S3 (gzip). */
  artifactBytes: number;
  /** Building the index and the artifact in the content indexer's place (compile excluded; embedding included with the model), s. */
  buildSeconds: number;
  /** From the node process's start to the first answered search: import, artifact download, gunzip, parse, load, search. */
  initMs: number;
  /**
   * CPU time (user + system) from the process's start to the first answer: what contention on the
   * machine does not inflate. Lambda gives 1,024 MB about 0.58 of a vCPU (1,769 MB is one), so
   * there CPU-bound time runs about 1.7× this.
   */
  initCpuMs: number;
  /** Of which the index (manifest, artifact, restore), as the handler logged it. */
  loadMs: number;
  /**
   * The same cold start under the Lambda runtime interface emulator and AWS's runtime client
   * (lambda-emulator.ts): from starting the emulator to the first answered search. Absent
   * without the emulator (KB_LAMBDA_RIE).
   */
  emulatedInitMs?: number;
  /** Wall-clock and CPU time per request, ms. */
  search: Latency;
  suggest: Latency;
  /** After the warm requests, against the function's memory (`memoryMb`). */
  rssMb: number;
  /** The process's highest RSS: the load's peak (the gunzipped artifact is briefly held twice). */
  peakRssMb: number;
  /** Heap in use plus buffers after a full collection, after the warm requests. */
  liveMb: number;
  memoryMb: number;
}

const KEY = { keyId: 'bench-key', name: 'bench', scopes: ['search'] };

/**
 * The API function serving the embedded engine (`KB_SEARCH_ENGINE=embedded`) at several library
 * sizes: a synthetic library (real runbooks scaled, synthetic-library.ts) published as an index
 * artifact to an S3 API served locally (s3rver), then the API bundle, built as CDK builds it,
 * started in a fresh node process as Lambda starts one, timed to its first answered search, then
 * `requests` warm searches and suggestions (after 50 of each not counted) (API Gateway events straight to the handler, so no
 * HTTP in the figure). DynamoDB is the local one (dynalite), with no past tickets.
 *
 * When the model is installed, each size runs a second time with it, as a function deployed with
 * the model runs: the artifact carries the vectors, and the bundle starts with KB_MODEL_DIR set and
 * node_modules beside it (a link to the repository's, where the deployed asset has onnxruntime-node
 * and the tokenizer), so init includes loading the model and every warm request embeds its text
 * (the queries repeat with a counter, so the API's query-vector cache rarely answers).
 */
export async function embeddedLambdaBench(options: {
  base: readonly CompiledRunbook[];
  sizes: readonly number[];
  queries: readonly string[];
  requests?: number;
  say?: (line: string) => void;
}): Promise<EmbeddedLambdaFigures[]> {
  const say = options.say ?? (() => {});
  const dir = await mkdtemp(join(tmpdir(), 'kb-lambda-bench-'));
  const local = await startLocalS3(['bench-index', 'bench-content'], 'us-east-1');
  const { endpoint, s3 } = local;
  const dynamo = await startLocalDynamoDb();
  try {
    await new DynamoDbResolutionStore(dynamo.client, 'bench-table').ensureTable();
    const bundle = await bundleHandler('api', join(dir, 'bundle'));
    // The deployed asset's node_modules/ beside index.mjs: the externals (onnxruntime-node, the tokenizer) resolve from there.
    await symlink(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dirname(bundle), 'node_modules'), 'dir');
    const model = await sharedEmbedder().catch((error: unknown) => {
      say(`embedded lambda: no model (${(error as Error).message}); the rows with the model are left out`);
      return undefined;
    });
    const emulator = findEmulator();
    const figures: EmbeddedLambdaFigures[] = [];
    const runs = options.sizes.flatMap((size) => [{ size }, ...(model ? [{ size, model }] : [])]);
    for (const { size, model: embedder } of runs as { size: number; model?: Embedder }[]) {
      const started = performance.now();
      // Copies share their symptom phrases: each distinct text is embedded once, as the content indexer's reuse does.
      const index = new EmbeddedRunbookIndex(embedder ? { embedder: new ReusedVectors(embedder, undefined) } : {});
      await index.upsert(scaleLibrary(options.base, size));
      const prefix = embedder ? `${size}-model/` : `${size}/`;
      const artifacts = new S3IndexArtifacts(s3, 'bench-index', { prefix });
      const manifest = await artifacts.publish(
        artifactOf(index.snapshot(), { builtAt: new Date().toISOString(), compilerVersion: 'bench', compileOptions: '{}' }),
      );
      const buildSeconds = round((performance.now() - started) / 1000);
      say(
        `embedded lambda ${size}${embedder ? ' with the model' : ''}: artifact ${(manifest.bytes / 1048576).toFixed(1)} MiB gzip, built in ${buildSeconds} s; starting the API…`,
      );
      // The size the CDK app deploys the API at, with the model or without.
      const memoryMb = embedder ? API_MEMORY_MB.withModel : API_MEMORY_MB.wordsOnly;
      const env = {
        AWS_ENDPOINT_URL_S3: endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        KB_SEARCH_ENGINE: 'embedded',
        KB_INDEX_BUCKET: 'bench-index',
        KB_INDEX_PREFIX: prefix,
        ...(embedder ? { KB_MODEL_DIR: modelDir() } : {}),
        KB_TABLE: 'bench-table',
        KB_CONTENT_BUCKET: 'bench-content',
        KB_API_CLIENTS: JSON.stringify([KEY]),
        // The heap capped under the function's memory, so that the collector works as it must there.
        NODE_OPTIONS: `--max-old-space-size=${Math.floor(memoryMb * 0.8)}`,
      };
      const out = await runInFreshNode(coldStartScript(bundle, options.requests ?? 300), env, [JSON.stringify(options.queries)]);
      const run = JSON.parse(out.slice(out.lastIndexOf('\n{') + 1)) as Omit<
        EmbeddedLambdaFigures,
        'runbooks' | 'artifactBytes' | 'buildSeconds'
      >;
      const emulatedInitMs = emulator ? await emulatedColdStart(emulator, bundle, env, memoryMb, options.queries[0] ?? 'vpn') : undefined;
      figures.push({
        runbooks: size,
        ...(embedder ? { model: embedder.modelId } : {}),
        artifactBytes: manifest.bytes,
        buildSeconds,
        ...run,
        ...(emulatedInitMs === undefined ? {} : { emulatedInitMs }),
        memoryMb,
      });
    }
    return figures;
  } finally {
    await dynamo.close();
    await local.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from starting the emulator to the API's first answered search under it. */
async function emulatedColdStart(
  emulator: string,
  bundle: string,
  env: Record<string, string>,
  memoryMb: number,
  q: string,
): Promise<number> {
  const started = performance.now();
  const lambda = await startEmulated(emulator, bundle, {
    ...env,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_FUNCTION_TIMEOUT: '20',
  });
  try {
    const event = {
      resource: '/search',
      path: '/search',
      httpMethod: 'GET',
      headers: { Host: 'x.execute-api.us-east-1.amazonaws.com', 'x-api-key': 'k' },
      multiValueHeaders: {},
      queryStringParameters: { q },
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '1',
        apiId: 'x',
        httpMethod: 'GET',
        path: '/v1/search',
        stage: 'v1',
        requestId: 'bench-emulated',
        identity: { apiKeyId: KEY.keyId, apiKey: 'k', sourceIp: '203.0.113.7', userAgent: 'bench' },
        resourcePath: '/search',
      },
    };
    const answer = (await lambda.invoke(event)) as { statusCode?: number; body?: string };
    if (answer.statusCode !== 200)
      throw new Error(`under the emulator the first search answered ${answer.statusCode}: ${answer.body}\n${lambda.output()}`);
    return Math.round(performance.now() - started);
  } finally {
    await lambda.stop();
  }
}

/**
 * What runs in the fresh process: the handler's import and first search timed from the process's
 * own start (performance.now()), then warm requests one after another, as one Lambda instance
 * takes them. Prints one JSON line last.
 */
function coldStartScript(bundle: string, requests: number): string {
  return `
const queries = JSON.parse(process.argv[1]);
let loadMs = 0;
const log = console.log;
console.log = (entry) => { if (entry && entry.message === 'index loaded') loadMs = entry.ms; };
console.info = () => {};
const event = (method, path, query, body) => ({
  resource: path, path, httpMethod: method,
  headers: { Host: 'x.execute-api.us-east-1.amazonaws.com', 'x-api-key': 'k', ...(body ? { 'Content-Type': 'application/json' } : {}) },
  multiValueHeaders: {}, queryStringParameters: query ?? null, multiValueQueryStringParameters: null,
  pathParameters: null, stageVariables: null, body: body ? JSON.stringify(body) : null, isBase64Encoded: false,
  requestContext: { accountId: '1', apiId: 'x', httpMethod: method, path: '/v1' + path, stage: 'v1', requestId: String(Math.random()),
    identity: { apiKeyId: ${JSON.stringify(KEY.keyId)}, apiKey: 'k', sourceIp: '203.0.113.7', userAgent: 'bench' }, resourcePath: path },
});
const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const first = await handler(event('GET', '/search', { q: queries[0] }), {});
if (first.statusCode !== 200) throw new Error('first search answered ' + first.statusCode + ': ' + first.body);
const initMs = performance.now();
const initCpu = process.cpuUsage();
// \`distinct\`: every text differs (a number appended), so that suggest does not find the query
// vectors search left in the API's cache: with the model, each ticket is embedded.
const timed = async (make, distinct = false) => {
  const samples = [];
  const cpu = [];
  // A warm-up of 50 requests (not counted): the figures are a warm instance's.
  for (let i = -50; i < ${requests}; i++) {
    const started = performance.now();
    const startedCpu = process.cpuUsage();
    const q = queries[(i + 50) % queries.length];
    const response = await handler(make(distinct ? q + ' ' + (1000 + i) : q + (i + 50 >= queries.length ? ' ' + i : '')), {});
    if (i >= 0) samples.push(performance.now() - started);
    const used = process.cpuUsage(startedCpu);
    if (i >= 0) cpu.push((used.user + used.system) / 1000);
    if (response.statusCode !== 200) throw new Error('answered ' + response.statusCode + ': ' + response.body);
  }
  const at = (list, p) => {
    const sorted = [...list].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 100) / 100;
  };
  return { p50: at(samples, 50), p99: at(samples, 99), cpuP50: at(cpu, 50), cpuP99: at(cpu, 99) };
};
const search = await timed((q) => event('GET', '/search', { q }));
const suggest = await timed((q) => event('POST', '/suggest', null, { subject: q }), true);
const rssMb = Math.round(process.memoryUsage().rss / 1048576);
// What is live after a full collection: Lambda's runtime caps the heap by the function's memory, so
// a lazy collector's garbage (in rssMb here) would be collected there.
const v8 = await import('node:v8');
v8.setFlagsFromString('--expose-gc');
(await import('node:vm')).runInNewContext('gc')();
const { heapUsed, external } = process.memoryUsage();
const liveMb = Math.round((heapUsed + external) / 1048576); // external includes arrayBuffers
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write('\\n' + JSON.stringify({ initMs: Math.round(initMs), initCpuMs: Math.round((initCpu.user + initCpu.system) / 1000), loadMs, search, suggest, rssMb, peakRssMb, liveMb }));
`;
}

/** `KB_BENCH_EMBEDDED_SIZES` (comma-separated runbook counts), by default 1,000, 5,000 and 10,000. */
export function embeddedLambdaSizes(env: Record<string, string | undefined> = process.env): number[] {
  const sizes = (env.KB_BENCH_EMBEDDED_SIZES ?? '1000,5000,10000').split(',').map(Number);
  return sizes.filter((n) => Number.isInteger(n) && n > 0);
}

/** `kb bench`'s section: the figures at each size, one line each. */
export async function embeddedLambdaSection(
  base: readonly CompiledRunbook[],
  queries: readonly string[],
  say: (line: string) => void,
): Promise<EmbeddedLambdaFigures[]> {
  const figures = await embeddedLambdaBench({ base, sizes: embeddedLambdaSizes(), queries, say });
  for (const f of figures) {
    say(
      `embedded  Lambda API at ${f.runbooks} runbooks${f.model ? ` with the model (${f.model})` : ', words only'}: artifact ${(f.artifactBytes / 1048576).toFixed(1)} MiB gzip (built in ${f.buildSeconds} s); init ${f.initMs} ms to the first answer (index ${f.loadMs} ms; CPU ${f.initCpuMs} ms${f.emulatedInitMs === undefined ? '' : `; under the Lambda emulator ${f.emulatedInitMs} ms`}); warm search p50 ${f.search.p50} / p99 ${f.search.p99} ms (CPU ${f.search.cpuP50} / ${f.search.cpuP99}), suggest p50 ${f.suggest.p50} / p99 ${f.suggest.p99} ms (CPU ${f.suggest.cpuP50} / ${f.suggest.cpuP99}); RSS ${f.rssMb} (peak ${f.peakRssMb}) of ${f.memoryMb} MB, ${f.liveMb} MB live after a full GC`,
    );
  }
  return figures;
}
