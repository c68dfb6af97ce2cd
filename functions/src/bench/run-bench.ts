import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { FsContentSource } from '../adapters/fs/fs-content-source.ts';
import { loadLibrary } from '../app/load-library.ts';
import { CliError } from '../cli/cli-error.ts';
import { evaluate } from '../cli/commands/eval.ts';
import { type LabelledQuery, type QueryOutcome, reliability } from '../core/search/metrics.ts';
import { DEFAULT_SEARCH_OPTIONS } from '../core/search/options.ts';
import { localCompileCache } from '../local/compile-cache.ts';
import { compilePool } from '../local/compile-pool.ts';
import { startEmbeddedSearch } from '../local/embedded-platform.ts';
import { BENCH_DIR } from './bench-server.ts';
import { benchOpenSearch } from './opensearch-bench.ts';
import { round } from './stats.ts';
import { benchQueries } from './synthetic-library.ts';
import { LEARNING_SETS, learningGain, writeBackThroughput } from './write-back-bench.ts';

const KB = new URL('../../bin/kb.js', import.meta.url).pathname;
const OFFICE = resolve('../shared/corpora/office-support');
const ALERTS = resolve('../shared/eval/alerts');

type Figures = Record<string, unknown>;

function say(line: string, json: boolean) {
  (json ? process.stderr : process.stdout).write(`${line}\n`);
}

/** A real `kb serve` on a scratch data folder, for the write-back figures. */
async function startServeProcess(dataDir: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [KB, 'serve', '--port', '0', '--data', dataDir, '--no-watch'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolveUrl, reject) => {
    lines.on('line', (line) => {
      const match = /serving on (http:\/\/\S+)/.exec(line);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new CliError(`kb serve exited with ${code}`, 1)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** Starts `kb bench --serve` in a child process and reads its first JSON line. */
async function startServer(size: number, queryFile: string): Promise<{ figures: Figures; stop: () => void }> {
  const child = spawn(process.execPath, ['--expose-gc', KB, 'bench', '--serve', String(size), '--queries', queryFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new CliError(`bench server exited with ${code}`, 1)));
  });
  return { figures: JSON.parse(first) as Figures, stop: () => child.stdin.end() };
}

async function load(port: number, requests: autocannon.Request[], seconds: number) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 50, duration: seconds, requests });
  return {
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export interface BenchSettings {
  /** Figures as one JSON line on stdout; progress lines go to stderr. */
  json: boolean;
  /** Duration of each HTTP load, s. */
  seconds: number;
  /** The large synthetic library's size. */
  large: number;
}

/**
 * Every figure of `kb bench`: compile, embedded and OpenSearch engines, relevance, web and Lambda
 * bundles, write-back. Each search server runs in its own process (`kb bench --serve`), so its
 * memory is its own and the load generator does not share its event loop.
 */
export async function runBench({ json, seconds, large }: BenchSettings): Promise<void> {
  if (!existsSync(OFFICE)) throw new CliError(`bench needs the office-support corpus at ${OFFICE}`, 1);
  const out: Figures = {};
  await mkdir(BENCH_DIR, { recursive: true });

  // 1. Compile throughput on real support articles.
  // Cold: an empty compile cache (which this run fills); warm: the same files again, all from it.
  const threads = availableParallelism();
  const cacheDir = await mkdtemp(join(tmpdir(), 'kb-bench-cache-'));
  const cache = await localCompileCache(OFFICE, cacheDir);
  const compile = compilePool(threads);
  const started = performance.now();
  const library = await loadLibrary(new FsContentSource(OFFICE), { compile, cache });
  const compileSeconds = (performance.now() - started) / 1000;
  const warmStarted = performance.now();
  await loadLibrary(new FsContentSource(OFFICE), { compile, cache });
  const warmSeconds = (performance.now() - warmStarted) / 1000;
  await rm(cacheDir, { recursive: true, force: true });
  const files = library.runbooks.length + library.failures.length;
  out.compile = {
    files,
    threads,
    seconds: round(compileSeconds),
    runbooksPerSecond: Math.round(files / compileSeconds),
    warmSeconds: round(warmSeconds),
    warmRunbooksPerSecond: Math.round(files / warmSeconds),
    skipped: library.failures.length,
  };
  say(
    `compile   office-support: ${files} files in ${round(compileSeconds)} s on ${threads} threads = ${Math.round(files / compileSeconds)} runbooks/s cold; ${round(warmSeconds)} s = ${Math.round(files / warmSeconds)} runbooks/s warm (every file from the compile cache)`,
    json,
  );
  await writeFile(join(BENCH_DIR, 'office-bundle.json'), JSON.stringify({ runbooks: library.runbooks }));
  const starter = (await readFile('test/relevance/starter-queries.jsonl', 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as LabelledQuery).query);
  const queries = benchQueries(library.runbooks, 300, starter.slice(0, 60));
  const queryFile = join(BENCH_DIR, 'queries.json');
  await writeFile(queryFile, JSON.stringify(queries));

  // 2. Index, memory, latency and HTTP throughput at two sizes, each server in its own process.
  for (const [name, size] of [
    ['office', files],
    [`${large}`, large],
  ] as const) {
    const server = await startServer(size, queryFile);
    try {
      const f = server.figures;
      const port = f.port as number;
      const searchRequests = queries.map((q) => ({ method: 'GET' as const, path: `/search?q=${encodeURIComponent(q)}&limit=10` }));
      const suggestRequests = queries.map((q) => ({
        method: 'POST' as const,
        path: '/suggest',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: q, requesterTier: 'l2' }),
      }));
      // Steady state, as a running server is: each distinct query's meaning vector computed once
      // (the model is the slow step of a new query; its per-query cost is the in-process figure).
      for (const r of [...searchRequests, ...suggestRequests]) {
        await fetch(`http://127.0.0.1:${port}${r.path}`, {
          method: r.method,
          ...('body' in r ? { body: r.body, headers: r.headers } : {}),
        });
      }
      const httpSearch = await load(port, searchRequests, seconds);
      const httpSuggest = await load(port, suggestRequests, seconds);
      delete f.port;
      out[`index_${name}`] = { ...f, httpSearch, httpSuggest };
      const s = f.searchMs as { p50: number; p99: number };
      const g = f.suggestMs as { p50: number; p99: number };
      say(
        `index     ${String(f.runbooks).padStart(5)} runbooks (${f.sections} sections): build ${f.buildSeconds} s with embeddings, answering by words after ${f.wordsSeconds} s (model ${f.model} loaded in ${f.modelLoadSeconds} s), rebuild with 1 % edited ${f.rebuildSeconds} s (other vectors reused), RSS ${f.rssMb} MB (index ${f.indexHeapMb} MB heap)`,
        json,
      );
      say(
        `search    server p50 ${s.p50} ms (query embedded, no caches), p99 ${s.p99} ms; HTTP 50 conns ${httpSearch.rps} req/s (p99 ${httpSearch.p99Ms} ms, non-2xx ${httpSearch.non2xx})`,
        json,
      );
      say(
        `suggest   server p50 ${g.p50} ms, p99 ${g.p99} ms; HTTP 50 conns ${httpSuggest.rps} req/s (p99 ${httpSuggest.p99Ms} ms, non-2xx ${httpSuggest.non2xx})`,
        json,
      );
      const h = f.suggestWithPastTicketsMs as { p50: number; p99: number };
      say(`suggest   with ${f.pastTickets} past tickets (neighbours, learned phrasing): server p50 ${h.p50} ms, p99 ${h.p99} ms`, json);
    } finally {
      server.stop();
    }
  }

  // The same figures through the OpenSearch adapter, when a server is configured (KB_OPENSEARCH_URL).
  const opensearch = await benchOpenSearch(
    {
      env: process.env,
      runbooks: library.runbooks,
      sizes: [
        ['office', files],
        [`${large}`, large],
      ],
      queries,
      embedded: out,
    },
    (line) => say(line, json),
  );
  if (opensearch) out.opensearch = opensearch;

  // 3. Relevance on every labelled set, hybrid (what runs) and lexical only (for reference).
  const relevance: Figures = {};
  const firstAnswers: QueryOutcome[] = [];
  for (const set of LEARNING_SETS(ALERTS)) {
    if (!existsSync(set.content) || !existsSync(set.queries)) continue;
    const labelled = (await readFile(set.queries, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LabelledQuery);
    const [hybrid, lexical] = await Promise.all([startEmbeddedSearch(set.content), startEmbeddedSearch(set.content, { embedder: false })]);
    const { report, outcomes } = await evaluate(labelled, (r) => hybrid.search.suggest(r), set.prefix);
    firstAnswers.push(...outcomes);
    const { report: wordsOnly } = await evaluate(labelled, (r) => lexical.search.suggest(r), set.prefix);
    relevance[set.name] = { ...report, lexicalMrr10: wordsOnly.mrr10 };
    say(
      `relevance ${set.name}: ${report.queries} queries MRR@10 ${report.mrr10}, R@1 ${report.r1}, R@5 ${report.r5}, nDCG@10 ${report.ndcg10} (lexical only: MRR@10 ${wordsOnly.mrr10})`,
      json,
    );
  }
  out.relevance = relevance;
  // Does "high" mean high? The web app's levels, over every labelled set's first answers.
  const levels = [
    ['high', DEFAULT_SEARCH_OPTIONS.confidentAt],
    ['medium', DEFAULT_SEARCH_OPTIONS.partialAt],
    ['low', 0],
  ] as const;
  const table = reliability(firstAnswers, levels);
  out.reliability = table;
  say(`reliability of the first answer: ${table.map((r) => `${r.level} ${r.right}/${r.answers} right (${r.share})`).join(', ')}`, json);
  // 4. The web app's first screen, as built for CloudFront: built now, since a web/dist left by
  // the browser suite or older sources would be measured instead.
  say('building web/dist for the bundle figure…', json);
  spawnSync('npm', ['run', 'build'], { stdio: 'ignore' });
  if (existsSync('web/dist/.vite/manifest.json')) {
    const { firstScreenJs, FIRST_SCREEN_BUDGET_BYTES } = await import('../../../web/bundle-size.ts');
    const { bytes, files } = await firstScreenJs('web/dist');
    out.web = { firstScreenJsGzipKb: round(bytes / 1024, 1), files: files.length, budgetKb: FIRST_SCREEN_BUDGET_BYTES / 1024 };
    say(
      `web       first-screen JS ${round(bytes / 1024, 1)} KB gzipped (${files.length} file; budget ${FIRST_SCREEN_BUDGET_BYTES / 1024} KB)`,
      json,
    );
  }

  // The Lambda bundles, built as CDK builds them, and their module initialisation time.
  const { bundleBench } = await import('./bundle-bench.ts');
  const lambdas = await bundleBench({ runs: 5 });
  out.lambdas = lambdas;
  for (const f of lambdas) {
    say(
      `lambda    ${f.name}: ${(f.bytes / 1048576).toFixed(2)} MiB minified${f.withinBudget ? '' : ' (over 1 MiB)'}, init ${f.initMs} ms (median)`,
      json,
    );
  }

  // The API function on the embedded engine, from an index artifact in S3 (KB_BENCH_EMBEDDED_SIZES).
  const { embeddedLambdaSection } = await import('./embedded-lambda-bench.ts');
  out.embeddedLambda = await embeddedLambdaSection(library.runbooks, queries, (line) => say(line, json));

  // The API's answer when OpenSearch accepts connections and never answers.
  const { hungClusterBench } = await import('./hung-cluster-bench.ts');
  const hung = await hungClusterBench();
  out.hungCluster = hung;
  say(`lambda    API with a hung OpenSearch: ${hung.status} in ${hung.ms} ms (Lambda timeout 10 s)`, json);

  // 5. Write-back: throughput over HTTP to a real `kb serve`, and the learning loop's gain.
  const dir = await mkdtemp(join(tmpdir(), 'kb-bench-'));
  const server = await startServeProcess(dir);
  try {
    const throughput = await writeBackThroughput(server.url, 5_000);
    out.writeBack = throughput;
    say(
      `write-back ${throughput.writes} PUTs (30% replays) from 20 clients: ${throughput.writesPerSecond} writes/s, ${throughput.failures} failed`,
      json,
    );
  } finally {
    server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const learning: Figures = {};
  for (const set of LEARNING_SETS(ALERTS)) {
    if (!existsSync(set.content) || !existsSync(set.queries)) continue;
    const gain = await learningGain(set.content, set.queries, set.prefix);
    learning[set.name] = gain;
    say(
      `learning  ${set.name}: ${gain.written} tickets written back, other ${gain.measured} queries MRR@10 ${gain.before.mrr10} → ${gain.after.mrr10} (R@1 ${gain.before.r1} → ${gain.after.r1})`,
      json,
    );
  }
  out.learning = learning;

  // 6. Abuse: 10,000 planted zero-result searches, then the gap report and /health under load.
  const { gapsFloodBench } = await import('./gaps-flood-bench.ts');
  const flood = await gapsFloodBench({ searches: 10_000, contentDir: 'content', samples: 100 });
  out.gapsFlood = flood;
  say(
    `gaps      ${flood.planted} zero-result searches planted: GET /analytics/gaps p50 ${flood.gaps.p50} ms, p99 ${flood.gaps.p99} ms; /health p50 ${flood.health.idleP50} ms idle, ${flood.health.underGapsLoadP50} ms while the report is pulled`,
    json,
  );

  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
}
