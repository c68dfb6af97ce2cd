import { spawn } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING, HANDLERS, type HandlerName } from '../../../infra/constructs/bundling.ts';
import { percentile, round } from './stats.ts';

export interface BundleFigures {
  name: HandlerName;
  /** Minified JavaScript, without the source map. */
  bytes: number;
  /** Within BUNDLING.maxBytes (1 MiB). */
  withinBudget: boolean;
  /** Median time to import the bundle in a fresh node process (module initialisation), ms. */
  initMs: number;
  /** Each run's time, ms. */
  initRunsMs: number[];
}

/**
 * Settings the handlers read at module load. Nothing is contacted while loading (clients connect
 * on first use), so placeholders are enough; 127.0.0.1:9 refuses anything that tries.
 */
const PLACEHOLDER_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  KB_OPENSEARCH_URL: 'http://127.0.0.1:9',
  KB_TABLE: 'bench-table',
  KB_CONTENT_BUCKET: 'bench-bucket',
  KB_INDEX_BUCKET: 'bench-index',
  KB_API_CLIENTS: '[]',
  KB_WEB_ORIGIN: 'https://example.invalid',
};

/** Bundles one handler with esbuild exactly as the RunbookFunction construct has CDK do it. */
export async function bundleHandler(name: HandlerName, outDir: string): Promise<string> {
  const outfile = join(outDir, name, 'index.mjs');
  await build({
    entryPoints: [resolve(HANDLERS[name])],
    outfile,
    bundle: true,
    platform: 'node',
    target: BUNDLING.target,
    format: BUNDLING.format,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    mainFields: [...BUNDLING.mainFields],
    external: [...BUNDLING.externalModules],
    banner: { js: BUNDLING.banner },
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * Runs an ES module script in a fresh node process, as Lambda starts one: source maps on as
 * deployed, only PATH and the placeholder settings (plus `env`) in its environment. Resolves with
 * what it printed; rejects with its stderr if it fails.
 */
export function runInFreshNode(script: string, env: Record<string, string> = {}, args: string[] = []): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script, ...args], {
      env: { PATH: process.env.PATH ?? '', ...PLACEHOLDER_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`node exited with ${code}: ${err.trim()}`))));
  });
}

/** Imports a bundle in a fresh node process; resolves with the import time in ms. */
async function importTime(file: string): Promise<number> {
  const url = JSON.stringify(pathToFileURL(file).href);
  return Number(
    await runInFreshNode(`const t = performance.now(); await import(${url}); process.stdout.write(String(performance.now() - t));`),
  );
}

/**
 * Each Lambda's bundle size and module initialisation time, measured locally: bundled as CDK
 * bundles it, then imported `runs` times, each in a fresh node process. Init time here is the
 * handler's own share of a cold start (the runtime adds its ~125 ms floor on ARM64).
 */
export async function bundleBench(options: { outDir?: string; runs?: number; names?: HandlerName[] } = {}): Promise<BundleFigures[]> {
  const outDir = options.outDir ?? '.kb/bench/bundles';
  const runs = options.runs ?? 5;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const figures: BundleFigures[] = [];
  for (const name of options.names ?? (Object.keys(HANDLERS) as HandlerName[])) {
    const file = await bundleHandler(name, outDir);
    const { size } = await stat(file);
    const initRunsMs: number[] = [];
    for (let i = 0; i < runs; i++) initRunsMs.push(round(await importTime(file)));
    figures.push({
      name,
      bytes: size,
      withinBudget: size <= BUNDLING.maxBytes,
      initMs: round(
        percentile(
          [...initRunsMs].sort((a, b) => a - b),
          50,
        ),
      ),
      initRunsMs,
    });
  }
  return figures;
}
