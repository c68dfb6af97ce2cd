import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { EmbeddedResolutionIndex } from '../adapters/embedded/embedded-resolution-index.ts';
import { EmbeddedRunbookIndex } from '../adapters/embedded/embedded-runbook-index.ts';
import { ReusedVectors } from '../adapters/embedded/reused-vectors.ts';
import { sharedEmbedder } from '../adapters/onnx/onnx-embedder.ts';
import { LearningService } from '../app/learning-service.ts';
import { SearchService } from '../app/search-service.ts';
import type { Resolution } from '../contracts/api.ts';
import { signalOfResolution } from '../core/resolutions/model.ts';
import type { CompiledRunbook } from '../core/runbook/model.ts';
import { searchOptions } from '../core/search/options.ts';
import { parseSynonyms } from '../core/search/synonyms.ts';
import { createApp } from '../http/app.ts';
import { LOCAL_CACHE } from '../local/embedded-platform.ts';
import type { Embedder } from '../ports/embedder.ts';
import { latency, mb, round } from './stats.ts';
import { scaleLibrary } from './synthetic-library.ts';

/** Where `kb bench` keeps its compiled library and query set between its processes. */
export const BENCH_DIR = '.kb/bench';

/**
 * The server side of `kb bench`, run in its own process so that its memory is measured alone and
 * the load generator does not share its event loop. Prints one JSON line with index build time,
 * memory and in-process latency, then serves HTTP until stdin closes.
 */
export async function runBenchServer(bundleFile: string, size: number, synonymsText: string, queryFile: string): Promise<void> {
  // Measured before the library is read: the index holds the runbooks it was given, so they are
  // part of its heap (measured after reading, the parsed file's garbage made it come out negative).
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let runbooks: CompiledRunbook[] = scaleLibrary(
    (JSON.parse(readFileSync(bundleFile, 'utf8')) as { runbooks: CompiledRunbook[] }).runbooks,
    size,
  );
  const queries = JSON.parse(readFileSync(queryFile, 'utf8')) as string[];

  const loading = performance.now();
  const embedder = await sharedEmbedder();
  const modelLoadSeconds = (performance.now() - loading) / 1000;
  // Built as `kb serve` builds a library it has no vectors for: by its words first (answering
  // from then on), then a meaning vector per runbook, computed by the model on every core.
  const started = performance.now();
  const index = new EmbeddedRunbookIndex({ embedder, keepEmbedding: () => true });
  await index.upsert(runbooks, { vectors: 'later' });
  const wordsSeconds = (performance.now() - started) / 1000;
  await index.embedMissing();
  const buildSeconds = (performance.now() - started) / 1000;
  const closed = pastTickets(runbooks);
  runbooks = [];
  globalThis.gc?.();
  const memory = process.memoryUsage();

  const deps = { index, embedder, synonyms: parseSynonyms(synonymsText).set, options: searchOptions(), today: () => '2026-11-23' };
  // In-process latency is measured without the answer cache or the query-vector cache (every
  // query embedded and computed); the HTTP server runs as `kb serve` does, with both.
  const search = new SearchService({ ...deps, vectorCacheSize: 0 });
  const searchLatency = await latency(queries, (q) => search.search({ q, limit: 10, offset: 0 }));
  const suggestLatency = await latency(queries, (q) => search.suggest({ subject: q, limit: 5 }));
  // With past tickets, a suggestion also asks the resolution index for the query's neighbours, and
  // a query whose words do not settle it is scanned by meaning with the phrasing they teach.
  const history = new EmbeddedResolutionIndex({ embedder });
  await history.upsert(closed.map(signalOfResolution));
  const learned = new SearchService({ ...deps, vectorCacheSize: 0, learning: new LearningService(history) });
  const learnedSuggestLatency = await latency(queries, (q) => learned.suggest({ subject: q, limit: 5 }));
  const rebuildSeconds = await timeRebuild(index, embedder);

  const app = createApp({ search: new SearchService({ ...deps, cache: LOCAL_CACHE }), index });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const stats = await index.stats();
  process.stdout.write(
    `${JSON.stringify({
      port,
      runbooks: stats.runbooks,
      sections: stats.sections,
      buildSeconds: round(buildSeconds, 2),
      wordsSeconds: round(wordsSeconds, 2),
      rebuildSeconds: round(rebuildSeconds, 2),
      modelLoadSeconds: round(modelLoadSeconds, 2),
      model: embedder.modelId,
      rssMb: mb(memory.rss),
      heapUsedMb: mb(memory.heapUsed),
      indexHeapMb: mb(memory.heapUsed - heapBefore),
      searchMs: searchLatency,
      suggestMs: suggestLatency,
      pastTickets: closed.length,
      suggestWithPastTicketsMs: learnedSuggestLatency,
    })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => {
    server.close();
    process.exit(0);
  });
}

/**
 * What a publish costs once a library is indexed: the content indexer rebuilds the whole index,
 * and takes the vectors of every text it embedded before from the previous artifact. Here 1 % of
 * the runbooks are edited (their titles change, so their texts are embedded again).
 */
async function timeRebuild(index: EmbeddedRunbookIndex, embedder: Embedder): Promise<number> {
  const previous = index.snapshot();
  const edited = previous.runbooks.map((r, i) =>
    i % 100 === 0 ? { ...r, hash: `edited-${r.hash}`, meta: { ...r.meta, title: `${r.meta.title} (edited)` } } : r,
  );
  const reused = new ReusedVectors(embedder, { runbooks: previous.runbooks, vectors: previous.vectors?.byId ?? new Map() });
  const started = performance.now();
  await new EmbeddedRunbookIndex({ embedder: reused }).upsert(edited);
  return (performance.now() - started) / 1000;
}

/** One closed ticket per 20 runbooks, worded as its title, as a ticket system writes them back. */
function pastTickets(runbooks: readonly CompiledRunbook[]): Resolution[] {
  return runbooks
    .filter((_, i) => i % 20 === 0)
    .map((r, i) => ({
      source: 'bench',
      ticketId: `T-${i}`,
      runbookId: r.id,
      outcome: 'resolved',
      summary: r.meta.title,
      resolution: 'Followed the runbook.',
      closedAt: '2026-11-01T00:00:00Z',
      receivedAt: '2026-11-01T00:00:00Z',
    }));
}
