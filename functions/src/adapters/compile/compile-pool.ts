import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Compile } from '../../app/load-library.ts';
import type { CompileOptions, SourceFile } from '../../core/runbook/compile.ts';
import type { CompileResult, Message } from '../../core/runbook/model.ts';
import { type CompileJob, WORKER_ROLE } from './compile-worker.ts';

/**
 * What one file may cost. The input limits (core/runbook/limits.ts) refuse the known pathological
 * shapes in a linear scan before parsing; this budget is the backstop for the ones nobody has
 * found yet. A real runbook compiles in milliseconds; the largest allowed file (1 MiB) in about a
 * second at remark's 1.5 MB/s.
 */
export interface CompileBudget {
  /** Wall time for one file, after which its thread is terminated and replaced. */
  timeoutMs: number;
  /** V8 heap of one compiler thread (old and young generation); past it the thread dies, the file is skipped. */
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
}

export const COMPILE_BUDGET: CompileBudget = { timeoutMs: 5_000, maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 32 };

export interface CompilePoolOptions {
  /** Compiler threads; files are independent, so one per core. */
  threads: number;
  budget: CompileBudget;
  /** Threads idle this long exit (a watcher compiles now and then); the next file starts one again. */
  idleMs: number;
}

/** A Compile that runs every file in a thread under a budget; `close` stops its threads. */
export type CompilePool = Compile & { close(): Promise<void> };

interface Pending {
  id: number;
  source: SourceFile;
  options: Partial<CompileOptions>;
  done: (result: CompileResult) => void;
}

interface Slot {
  worker: Worker | undefined;
  /** The worker has loaded the compiler: a job's time counts from here, not from the thread's start. */
  ready: boolean;
  job: Pending | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The worker script. Run from source (tsx), it is an entry that registers tsx in the new thread;
 * bundled (Lambda), the bundle holds compile-worker.ts and is its own worker script.
 */
function workerScript(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./compile-worker-entry.js', import.meta.url) : new URL(import.meta.url);
}

function overBudget(source: SourceFile, reason: string): CompileResult {
  const message: Message = { severity: 'error', fatal: true, ruleId: 'compile-budget', reason };
  return { ok: false, failure: { path: source.path, hash: createHash('sha256').update(source.bytes).digest('hex'), messages: [message] } };
}

/**
 * Compiles files in worker threads, each file under a time and memory budget: a file over it is
 * reported (rule `compile-budget`) and skipped, its thread replaced, and the other files carry on.
 * The main thread never parses Markdown, so a server answering requests stays responsive while a
 * file compiles. Results come back in the order of `sources`.
 *
 * @example
 * const compile = compilePool();
 * const library = await loadLibrary(source, { compile });
 * await compile.close();
 */
export function compilePool(options: Partial<CompilePoolOptions> | number = {}): CompilePool {
  const opts: CompilePoolOptions = {
    threads: Math.max(1, availableParallelism()),
    budget: COMPILE_BUDGET,
    idleMs: 10_000,
    ...(typeof options === 'number' ? { threads: options } : options),
  };
  const slots: Slot[] = Array.from(
    { length: Math.max(1, opts.threads) },
    (): Slot => ({ worker: undefined, ready: false, job: undefined, timer: undefined }),
  );
  const queue: Pending[] = [];
  let nextId = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  const seconds = (ms: number) => `${ms / 1000} s`;
  const retire = (slot: Slot) => {
    clearTimeout(slot.timer);
    const worker = slot.worker;
    slot.worker = slot.job = slot.timer = undefined;
    slot.ready = false;
    // Not awaited: a thread stuck in the parser ends when V8 interrupts it, and nothing waits on that.
    worker?.terminate().catch(() => {});
  };

  /** Ends the current job of a slot with `result` and moves on to the next one. */
  const finish = (slot: Slot, result: CompileResult) => {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = slot.timer = undefined;
    slot.worker?.unref();
    job?.done(result);
    dispatch();
  };

  const start = (slot: Slot): Worker => {
    const worker = new Worker(workerScript(), {
      workerData: { role: WORKER_ROLE },
      // A thread inherits node's flags; `--input-type` (a script run with -e) is refused for a file.
      execArgv: process.execArgv.filter((arg) => !arg.startsWith('--input-type')),
      resourceLimits: {
        maxOldGenerationSizeMb: opts.budget.maxOldGenerationSizeMb,
        maxYoungGenerationSizeMb: opts.budget.maxYoungGenerationSizeMb,
      },
    });
    worker.on('message', (message: { id: number; result: CompileResult } | { ready: true }) => {
      if (slot.worker !== worker) return;
      if ('ready' in message) {
        slot.ready = true;
        startClock(slot);
      } else if (slot.job?.id === message.id) finish(slot, message.result);
    });
    const lost = (reason: string) => {
      if (slot.worker !== worker) return;
      const job = slot.job;
      retire(slot);
      if (job) job.done(overBudget(job.source, reason));
      dispatch();
    };
    worker.on('error', (error: NodeJS.ErrnoException) =>
      lost(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `Unexpected memory use over ${opts.budget.maxOldGenerationSizeMb} MB while compiling, expected at most ${opts.budget.maxOldGenerationSizeMb} MB`
          : `Unexpected compiler failure: ${error.message.split('\n')[0]}`,
      ),
    );
    worker.on('exit', (code) => lost(`Unexpected compiler exit (code ${code})`));
    return worker;
  };

  /** Starts the current job's time budget, once the slot's worker is ready to compile. */
  function startClock(slot: Slot): void {
    const job = slot.job;
    if (!job || !slot.ready || slot.timer) return;
    slot.timer = setTimeout(() => {
      retire(slot);
      job.done(
        overBudget(
          job.source,
          `Unexpected compile time over ${seconds(opts.budget.timeoutMs)}, expected at most ${seconds(opts.budget.timeoutMs)}`,
        ),
      );
      dispatch();
    }, opts.budget.timeoutMs);
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.job) continue;
      const job = queue.shift();
      if (!job) break;
      clearTimeout(idleTimer);
      slot.worker ??= start(slot);
      slot.job = job;
      slot.worker.ref();
      startClock(slot);
      const message: CompileJob = { id: job.id, path: job.source.path, bytes: job.source.bytes, options: job.options };
      slot.worker.postMessage(message);
    }
    if (queue.length === 0 && slots.every((s) => !s.job)) {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => slots.forEach(retire), opts.idleMs).unref();
    }
  }

  const compile = (sources: readonly SourceFile[], options: Partial<CompileOptions>, onDone?: () => void): Promise<CompileResult[]> =>
    Promise.all(
      sources.map(
        (source) =>
          new Promise<CompileResult>((resolve) => {
            queue.push({
              id: nextId++,
              source,
              options,
              done: (result) => {
                onDone?.();
                resolve(result);
              },
            });
            dispatch();
          }),
      ),
    );

  const close = async () => {
    clearTimeout(idleTimer);
    const workers = slots.map((s) => s.worker).filter((w) => w !== undefined);
    for (const slot of slots) {
      const job = slot.job;
      retire(slot);
      job?.done(overBudget(job.source, 'Unexpected shutdown while compiling'));
    }
    for (const job of queue.splice(0)) job.done(overBudget(job.source, 'Unexpected shutdown while compiling'));
    await Promise.all(workers.map((w) => w.terminate().catch(() => 0)));
  };

  return Object.assign(compile, { close });
}
