import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ModelSpec } from './model-files.ts';
import { OnnxEmbedder } from './onnx-embedder.ts';

/** What embed-pool.ts starts a thread with; the role marks it. */
export interface EmbedWorkerData {
  role: 'kb-embed';
  spec: ModelSpec;
  dir: string;
}

export interface EmbedJob {
  id: number;
  texts: string[];
}

export type EmbedReply = { ready: true } | { id: number; vectors: Float32Array[] } | { id: number; error: string };

/**
 * One model thread of the pool: its own session of the model, one onnxruntime thread, texts in,
 * vectors out (their buffers moved, not copied). The model's files are checked again on load, as
 * on the main thread.
 */
if (!isMainThread && (workerData as Partial<EmbedWorkerData> | undefined)?.role === 'kb-embed') {
  const { spec, dir } = workerData as EmbedWorkerData;
  const port = parentPort;
  const embedder = await OnnxEmbedder.load({ spec, dir, parallel: 1, workers: 0 });
  port?.on('message', async ({ id, texts }: EmbedJob) => {
    try {
      const vectors = await embedder.embed(texts);
      port.postMessage(
        { id, vectors } satisfies EmbedReply,
        vectors.map((v) => v.buffer as ArrayBuffer),
      );
    } catch (error) {
      port.postMessage({ id, error: (error as Error).message } satisfies EmbedReply);
    }
  });
  port?.postMessage({ ready: true } satisfies EmbedReply);
}
