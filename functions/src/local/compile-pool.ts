import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Compile, compileInThread } from '../app/load-library.ts';
import type { CompileOptions, SourceFile } from '../core/runbook/compile.ts';
import type { CompileResult } from '../core/runbook/model.ts';

/** Below this many files a pool costs more to start (≈100 ms a thread) than it saves. */
export const POOL_THRESHOLD = 300;

function startWorker(): Worker {
  // The CLI runs TypeScript through tsx; the entry registers the same loader in the new thread.
  return new Worker(new URL('./compile-worker-entry.js', import.meta.url));
}

/**
 * Compiles on every core: remark's parser is the cost of a build (about 1.5 MB/s a core), and
 * files are independent. Results come back in the order of `sources`.
 */
export function compilePool(threads = Math.max(1, availableParallelism()), threshold = POOL_THRESHOLD): Compile {
  return async (sources: readonly SourceFile[], options: Partial<CompileOptions>, onDone?: () => void): Promise<CompileResult[]> => {
    if (sources.length < threshold || threads < 2) return compileInThread(sources, options, onDone);
    const results: CompileResult[] = new Array(sources.length);
    const workers = Array.from({ length: Math.min(threads, sources.length) }, startWorker);
    let next = 0;
    try {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                if (next >= sources.length) return resolve();
                const id = next++;
                const source = sources[id] as SourceFile;
                worker.postMessage({ id, path: source.path, bytes: source.bytes, options });
              };
              worker.on('message', (message: { id: number; result: CompileResult }) => {
                results[message.id] = message.result;
                onDone?.();
                send();
              });
              worker.once('error', reject);
              send();
            }),
        ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    return results;
  };
}
