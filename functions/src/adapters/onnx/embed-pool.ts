import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ModelSpec } from './model-files.ts';

/** Set in the environment of a process started by embed-pool.ts: the model to load, as JSON. */
export const EMBED_CHILD_ENV = 'KB_EMBED_CHILD';

export interface EmbedChildModel {
  spec: ModelSpec;
  dir: string;
}

export interface EmbedJob {
  id: number;
  texts: string[];
}

export type EmbedReply = { ready: true } | { failed: string } | { id: number; vectors: Float32Array[] } | { id: number; error: string };

/** Texts a process takes at a time: few, so that every process stays busy to the end of a call. */
const CHUNK = 8;

interface Chunk {
  id: number;
  texts: string[];
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

interface Child {
  process: ChildProcess;
  job: Chunk | undefined;
}

/**
 * Whether this code can start the pool's processes: run from source (tsx), it has their entry
 * script beside it; a Lambda bundle has not, and embeds on its main thread (one vCPU at the API's
 * 1,536 MB, so more processes would gain nothing there).
 */
export const canStartProcesses = (): boolean => import.meta.url.endsWith('.ts');

/**
 * The model in child processes, one session and one onnxruntime thread each: onnxruntime-node runs
 * a model on the calling thread and holds it until done, so on the main thread two runs never
 * overlapped (and a request waited out each run). Two processes of one onnxruntime thread each
 * embedded 85–89 support-article texts/s on 2 cores (a scratch run and `npm run bench`), one
 * session of two threads 60–65, with the very same vectors (2026-12-06, the packaged model; the
 * rebuilt one: 190–228 in two processes, 114–125 on one thread). Processes, not worker
 * threads: a process gives its memory back when it ends (worker threads left the server about
 * 200 MB larger for good). They start on the first call and end after `idleMs` without work.
 */
export class EmbedPool {
  readonly #children: (Child | undefined)[];
  readonly #queue: Chunk[] = [];
  #nextId = 0;
  #idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: EmbedChildModel,
    size: number,
    private readonly idleMs = 10_000,
  ) {
    this.#children = Array.from({ length: Math.max(1, size) }, () => undefined);
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

  /** Ends every process now; texts still waiting are rejected. */
  async close(): Promise<void> {
    clearTimeout(this.#idle);
    for (const [i] of this.#children.entries()) this.#end(i, new Error('the embedding processes were closed'), true);
  }

  #dispatch(): void {
    clearTimeout(this.#idle);
    this.#children.forEach((child, i) => {
      if (this.#queue.length === 0 || child?.job) return;
      let current: Child;
      try {
        current = child ?? this.#start(i);
      } catch (error) {
        // A process that cannot even start fails what waits, rather than throwing in a caller's event.
        for (const job of this.#queue.splice(0)) job.reject(error as Error);
        return;
      }
      const job = this.#queue.shift() as Chunk;
      current.job = job;
      current.process.channel?.ref();
      current.process.send({ id: job.id, texts: job.texts } satisfies EmbedJob);
    });
    if (this.#queue.length === 0 && this.#children.every((c) => !c?.job)) {
      this.#idle = setTimeout(() => void this.close(), this.idleMs).unref();
    }
  }

  #start(i: number): Child {
    const entry = fileURLToPath(new URL('./embed-worker-entry.js', import.meta.url));
    const child = fork(entry, [], {
      // Vectors cross as typed arrays, not JSON; none of node's flags (the bench runs with --expose-gc).
      serialization: 'advanced',
      execArgv: [],
      env: { ...process.env, [EMBED_CHILD_ENV]: JSON.stringify(this.model) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const slot: Child = { process: child, job: undefined };
    this.#children[i] = slot;
    child.unref();
    child.on('message', (reply: EmbedReply) => {
      // A process that cannot load the model fails every text waiting, with its reason.
      if ('failed' in reply) return this.#end(i, new Error(reply.failed), true);
      if ('ready' in reply || slot.job?.id !== reply.id) return;
      const job = slot.job;
      slot.job = undefined;
      child.channel?.unref();
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(reply.vectors);
      this.#dispatch();
    });
    child.on('error', (error) => this.#end(i, error, true));
    child.on('exit', () => this.#end(i, new Error('an embedding process ended')));
    return slot;
  }

  /** Ends one process, rejecting its chunk (and, with `failQueue`, every chunk waiting); a new one takes what still waits. */
  #end(i: number, error: Error, failQueue = false): void {
    const child = this.#children[i];
    if (!child) return;
    this.#children[i] = undefined;
    child.job?.reject(error);
    if (failQueue) for (const job of this.#queue.splice(0)) job.reject(error);
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill();
    if (this.#queue.length > 0) this.#dispatch();
  }
}
