import { readFile } from 'node:fs/promises';
import { sharedEmbedder } from '../adapters/onnx/onnx-embedder.ts';
import { connectionFromEnv, displayNode, openSearchTransport } from '../adapters/opensearch/client.ts';
import { Cluster } from '../adapters/opensearch/cluster.ts';
import { OPENSEARCH_INDEX_DEFAULTS, OpenSearchRunbookIndex } from '../adapters/opensearch/opensearch-runbook-index.ts';
import { SearchService } from '../app/search-service.ts';
import type { CompiledRunbook } from '../core/runbook/model.ts';
import { searchOptions } from '../core/search/options.ts';
import { NO_SYNONYMS, parseSynonyms } from '../core/search/synonyms.ts';
import type { Embedder } from '../ports/embedder.ts';
import { latency, round } from './stats.ts';
import { scaleLibrary } from './synthetic-library.ts';

/** Bench indices live behind their own aliases and are deleted afterwards. */
const BENCH_ALIAS = 'kb-bench';
const WARM_UP = 50;
const ROUNDS = 3;

type Latency = { p50: number; p99: number; n: number };
type EngineFigures = { searchMs?: Latency; suggestMs?: Latency };

export interface OpenSearchBenchOptions {
  /** Where to find the cluster (KB_OPENSEARCH_URL, KB_OPENSEARCH_AUTH…); no URL, no figures. */
  env: NodeJS.ProcessEnv;
  /** The compiled office-support library; larger sizes are made from it as the embedded bench does. */
  runbooks: readonly CompiledRunbook[];
  /** Name and library size, as `kb bench` names them (`office`, `10000`). */
  sizes: readonly (readonly [string, number])[];
  queries: readonly string[];
  /** `kb bench`'s figures so far: `index_<name>` holds the embedded engine's, printed alongside. */
  embedded?: Record<string, unknown>;
  synonymsFile?: string;
  /** Gives runbooks and queries their meaning vectors, as `kb serve` does on OpenSearch: the installed model unless given; false for words only. */
  embedder?: Embedder | false;
}

const time = (queries: readonly string[], run: (q: string) => Promise<unknown>): Promise<Latency> => latency(queries, run, ROUNDS, WARM_UP);

const pair = (l: Latency, e?: Latency) => `p50 ${l.p50} ms, p99 ${l.p99} ms${e ? `  (embedded p50 ${e.p50}, p99 ${e.p99})` : ''}`;

/**
 * OpenSearch figures for `kb bench`, measured through our adapter the way the embedded engine is:
 * a full rebuild per library size (runbooks/s, embedding included, as the embedded engine's build
 * time is), and search/suggest latency through SearchService (no answer cache, every query
 * embedded), next to the embedded engine's figures when given.
 */
export async function benchOpenSearch(
  options: OpenSearchBenchOptions,
  say: (line: string) => void,
): Promise<Record<string, unknown> | undefined> {
  const connection = connectionFromEnv(options.env);
  if (!connection) return undefined;
  const cluster = new Cluster(openSearchTransport(connection), connection.node);
  const text = await readFile(options.synonymsFile ?? 'content/synonyms.txt', 'utf8').catch(() => '');
  const synonyms = text ? parseSynonyms(text).set : NO_SYNONYMS;
  const embedder = options.embedder === false ? undefined : (options.embedder ?? (await sharedEmbedder()));
  const out: Record<string, unknown> = { node: displayNode(connection.node), model: embedder?.modelId ?? 'none' };
  for (const [name, size] of options.sizes) {
    // The embedded engine holds every runbook in memory; the adapter's runbook cache is sized to
    // do the same here, so the latencies compare engines rather than cache sizes.
    const runbookCacheSize = Math.max(OPENSEARCH_INDEX_DEFAULTS.runbookCacheSize, size);
    const index = new OpenSearchRunbookIndex(cluster, { alias: `${BENCH_ALIAS}-${name}`, runbookCacheSize, ...(embedder && { embedder }) });
    try {
      const runbooks = scaleLibrary(options.runbooks, size);
      const started = performance.now();
      const report = await index.rebuild(runbooks);
      const seconds = (performance.now() - started) / 1000;
      // No query vector cache: every query is embedded, as the embedded engine's figures are taken.
      const service = new SearchService({
        index,
        synonyms,
        options: searchOptions(),
        today: () => '2026-11-23',
        ...(embedder && { embedder, vectorCacheSize: 0 }),
      });
      const searchMs = await time(options.queries, (q) => service.search({ q, limit: 10, offset: 0 }));
      const suggestMs = await time(options.queries, (q) => service.suggest({ subject: q, limit: 5 }));
      const figures = {
        runbooks: report.indexed,
        failed: report.failed.length,
        bulkSeconds: round(seconds, 2),
        docsPerSecond: Math.round(report.indexed / seconds),
        searchMs,
        suggestMs,
      };
      out[`index_${name}`] = figures;
      const embedded = options.embedded?.[`index_${name}`] as EngineFigures | undefined;
      say(
        `opensearch ${String(report.indexed).padStart(5)} runbooks${embedder ? ', with meaning vectors' : ', words only'}: rebuild ${figures.bulkSeconds} s = ${figures.docsPerSecond} docs/s (${figures.failed} failed)`,
      );
      say(`opensearch search  ${pair(searchMs, embedded?.searchMs)}`);
      say(`opensearch suggest ${pair(suggestMs, embedded?.suggestMs)}`);
    } finally {
      await cluster.call('DELETE', `/${BENCH_ALIAS}-${name}-*`, { ignore: [404] }).catch(() => {});
    }
  }
  return out;
}
