import { Worker } from 'node:worker_threads';
import type { EmbedJob, EmbedReply, EmbedWorkerData } from './embed-worker.ts';
import type { ModelSpec } from './model-files.ts';

/** Texts a thread takes at a time: few, so that every thread stays busy to the end of a call. */
const CHUNK = 8;

interface Chunk {
  id: number;
  texts: string[];
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  job: Chunk | undefined;
}

/**
 * Whether this code can start the pool's threads: run from source (tsx), it has their entry
 * script beside it; a Lambda bundle has not, and embeds on its main thread (one vCPU at the API's
 * 1,536 MB, so threads would gain nothing there).
 */
export const canStartThreads = (): boolean => import.meta.url.endsWith('.ts');

/**
 * The model in worker threads, one session and one onnxruntime thread each: onnxruntime-node runs
 * a model on the calling thread and holds it until done, so on the main thread two runs never
 * overlapped (and a request waited out each run). Two threads of one onnxruntime thread each
 * embedded 91–93 support-article texts/s on 2 cores, one session of two threads 64–65, with the
 * very same vectors (2026-12-06). Threads start on the first call and end after `idleMs` without
 * work, giving back their copy of the model (about 100 MB each).
 */
export class EmbedPool {
  readonly #threads: (Thread | undefined)[];
  readonly #queue: Chunk[] = [];
  #nextId = 0;
  #idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: { spec: ModelSpec; dir: string },
    size: number,
    private readonly idleMs = 10_000,
  ) {
    this.#threads = Array.from({ length: Math.max(1, size) }, () => undefined);
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    const chunks: Promise<Float32Array[]>[] = [];
    for (let start = 0; start < texts.length; start += CHUNK) {
      const part = texts.slice(start, start + CHUNK);
      chunks.push(
        new Promise((resolve, reject) => {
          this.#queue.push({ id: this.#nextId++, texts: part, resolve, reject });
        }),
      );
    }
    this.#dispatch();
    return Promise.all(chunks).then((parts) => parts.flat());
  }

  /** Ends every thread now (a chunk in progress is rejected). */
  async close(): Promise<void> {
    clearTimeout(this.#idle);
    await Promise.all(
      this.#threads.map((thread, i) => (thread ? this.#end(i, new Error('the embedding threads were closed')) : undefined)),
    );
  }

  #dispatch(): void {
    clearTimeout(this.#idle);
    this.#threads.forEach((thread, i) => {
      if (this.#queue.length === 0 || thread?.job) return;
      let current: Thread;
      try {
        current = thread ?? this.#start(i);
      } catch (error) {
        // A thread that cannot even start fails what waits, rather than throwing in a caller's event.
        for (const job of this.#queue.splice(0)) job.reject(error as Error);
        return;
      }
      const job = this.#queue.shift() as Chunk;
      current.job = job;
      current.worker.ref();
      current.worker.postMessage({ id: job.id, texts: job.texts } satisfies EmbedJob);
    });
    if (this.#queue.length === 0 && this.#threads.every((t) => !t?.job)) {
      this.#idle = setTimeout(() => void this.close(), this.idleMs).unref();
    }
  }

  #start(i: number): Thread {
    const data: EmbedWorkerData = { role: 'kb-embed', spec: this.model.spec, dir: this.model.dir };
    const worker = new Worker(new URL('./embed-worker-entry.js', import.meta.url), {
      workerData: data,
      // None of node's flags: a thread refuses some (--expose-gc, --input-type), and its entry
      // script registers the TypeScript loader itself.
      execArgv: [],
    });
    const thread: Thread = { worker, job: undefined };
    this.#threads[i] = thread;
    worker.on('message', (reply: EmbedReply) => {
      if ('ready' in reply || thread.job?.id !== reply.id) return;
      const job = thread.job;
      thread.job = undefined;
      worker.unref();
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(reply.vectors);
      this.#dispatch();
    });
    // A thread that cannot load the model fails every text waiting, with its reason, not only its own.
    worker.on('error', (error) => void this.#end(i, error, true));
    worker.on('exit', () => void this.#end(i, new Error('an embedding thread stopped')));
    return thread;
  }

  async #end(i: number, error: Error, failQueue = false): Promise<void> {
    const thread = this.#threads[i];
    if (!thread) return;
    this.#threads[i] = undefined;
    thread.job?.reject(error);
    if (failQueue) for (const job of this.#queue.splice(0)) job.reject(error);
    await thread.worker.terminate().catch(() => {});
  }
}
