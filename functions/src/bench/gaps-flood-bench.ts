import { serve } from '@hono/node-server';
import { createApp } from '../http/app.ts';
import { startEmbeddedSearch } from '../local/embedded-platform.ts';
import { startLocalWriteBack } from '../local/write-back-platform.ts';
import { percentile, round } from './stats.ts';

export interface GapsFloodOptions {
  /** The library served beside the planted gaps (its size does not matter to the report). */
  contentDir?: string;
  /** Zero-result searches planted before measuring. */
  searches?: number;
  /** Requests per latency figure. */
  samples?: number;
}

export interface GapsFloodFigures {
  planted: number;
  plantSeconds: number;
  /** GET /analytics/gaps, server and HTTP, ms (the route rebuilds the report at most every 5 s). */
  gaps: { p50: number; p99: number };
  /** Building the report itself, uncached (what each rebuild costs), ms. */
  reportBuild: { p50: number; p99: number };
  /** GET /health alone, and while 8 clients request the gap report back to back, ms. */
  health: { idleP50: number; underGapsLoadP50: number; underGapsLoadP99: number };
  /** Groups in the report: bounded however many searches were planted. */
  reportGroups: number;
}

/**
 * The gap-report flood of issue 12: plants zero-result searches as a flood would (half from one
 * client, each query new; half from 50 agents over 200 shared queries), then times the report
 * and /health. Planted through the store, the same writes GET /search makes for a zero-result
 * search, so the figure does not depend on what the search engine finds for nonsense words.
 *
 *   const figures = await gapsFloodBench({ searches: 10_000 });
 */
export async function gapsFloodBench(options: GapsFloodOptions = {}): Promise<GapsFloodFigures> {
  const searches = options.searches ?? 10_000;
  const samples = options.samples ?? 100;
  const writeBack = await startLocalWriteBack(undefined);
  const platform = await startEmbeddedSearch(options.contentDir ?? 'content');
  const service = writeBack.service(platform.index, () => {});
  const app = createApp({ search: platform.search, index: platform.index, writeBack: service });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  try {
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const started = performance.now();
    const at = new Date().toISOString();
    const plant = async (i: number) => {
      const flood = i % 2 === 0;
      const query = flood ? `zxqv planted ${i} frobnicator` : `qwzx shared gap ${i % 200}`;
      await writeBack.store.recordSearchGap(query, 'l1', at, flood ? 'client:flood' : `agent:${i % 50}`);
    };
    for (let i = 0; i < searches; i += 20) await Promise.all(Array.from({ length: Math.min(20, searches - i) }, (_, k) => plant(i + k)));
    const plantSeconds = round((performance.now() - started) / 1000, 1);

    const time = async (path: string) => {
      const t = performance.now();
      const response = await fetch(base + path);
      await response.arrayBuffer();
      return performance.now() - t;
    };
    const figures = async (path: string, n: number) => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) xs.push(await time(path));
      return xs.sort((a, b) => a - b);
    };
    await figures('/analytics/gaps', 5);
    const gaps = await figures('/analytics/gaps', samples);
    const builds: number[] = [];
    for (let i = 0; i < Math.min(samples, 50); i++) {
      const t = performance.now();
      await service.gapReport();
      builds.push(performance.now() - t);
    }
    builds.sort((a, b) => a - b);
    const idle = await figures('/health', samples);
    let loading = true;
    const load = Array.from({ length: 8 }, async () => {
      while (loading) await time('/analytics/gaps');
    });
    const busy = await figures('/health', samples);
    loading = false;
    await Promise.all(load);
    const report = (await (await fetch(`${base}/analytics/gaps`)).json()) as { zeroResultSearches: unknown[] };
    return {
      planted: searches,
      plantSeconds,
      gaps: { p50: round(percentile(gaps, 50)), p99: round(percentile(gaps, 99)) },
      reportBuild: { p50: round(percentile(builds, 50)), p99: round(percentile(builds, 99)) },
      health: {
        idleP50: round(percentile(idle, 50)),
        underGapsLoadP50: round(percentile(busy, 50)),
        underGapsLoadP99: round(percentile(busy, 99)),
      },
      reportGroups: report.zeroResultSearches.length,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await writeBack.close();
  }
}
