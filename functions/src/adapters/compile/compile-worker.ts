import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type CompileOptions, compileRunbook } from '../../core/runbook/compile.ts';

/** Marks a thread started by compile-pool.ts, so a bundle that is its own worker script knows its role. */
export const WORKER_ROLE = 'kb-compile';

export interface CompileJob {
  id: number;
  path: string;
  bytes: Uint8Array;
  options: Partial<CompileOptions>;
}

/**
 * One compiler thread of the pool: sources in, results (without syntax trees) out. In a Lambda
 * bundle this module is part of the handler's file, which the pool starts as the worker script;
 * only a thread started with the pool's role listens for jobs.
 */
if (!isMainThread && (workerData as { role?: string } | undefined)?.role === WORKER_ROLE) {
  parentPort?.on('message', (job: CompileJob) => {
    const { tree: _tree, fieldPositions: _positions, ...result } = compileRunbook({ path: job.path, bytes: job.bytes }, job.options);
    parentPort?.postMessage({ id: job.id, result });
  });
  // Loading the compiler takes a while (longer under tsx); the pool starts a job's clock only now.
  parentPort?.postMessage({ ready: true });
}
