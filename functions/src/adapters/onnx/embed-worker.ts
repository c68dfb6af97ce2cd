import { EMBED_CHILD_ENV, type EmbedChildModel, type EmbedJob, type EmbedReply } from './embed-pool.ts';
import { OnnxEmbedder } from './onnx-embedder.ts';

/**
 * One model process of the pool: its own session of the model, one onnxruntime thread, texts in,
 * vectors out. The model's files are checked again on load, as in the parent; a model that will
 * not load is reported to the parent with its reason before the process ends.
 */
const model = process.env[EMBED_CHILD_ENV];
const send = process.send?.bind(process);
if (model && send) {
  const { spec, dir } = JSON.parse(model) as EmbedChildModel;
  try {
    const embedder = await OnnxEmbedder.load({ spec, dir, parallel: 1, workers: 0 });
    process.on('message', async ({ id, texts }: EmbedJob) => {
      try {
        send({ id, vectors: await embedder.embed(texts) } satisfies EmbedReply);
      } catch (error) {
        send({ id, error: (error as Error).message } satisfies EmbedReply);
      }
    });
    send({ ready: true } satisfies EmbedReply);
  } catch (error) {
    send({ failed: (error as Error).message } satisfies EmbedReply, () => process.exit(1));
  }
}
