import { parentPort } from 'node:worker_threads';
import { type CompileOptions, compileRunbook } from '../core/runbook/compile.ts';

/** One compiler thread of the pool (compile-pool.ts): sources in, results (without syntax trees) out. */
parentPort?.on('message', (job: { id: number; path: string; bytes: Uint8Array; options: Partial<CompileOptions> }) => {
  const { tree: _tree, fieldPositions: _positions, ...result } = compileRunbook({ path: job.path, bytes: job.bytes }, job.options);
  parentPort?.postMessage({ id: job.id, result });
});
