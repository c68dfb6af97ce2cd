import type { Embedder } from '../ports/embedder.ts';
import { ConfigurationError, ENV } from './wiring.ts';

/**
 * The embedding model, when the function was deployed with one (`KB_MODEL_DIR`, the folder of its
 * files: /var/task/model in the Lambda asset): loaded once, at
 * cold start, with onnxruntime-node imported only then (kept out of the bundle, shipped beside it).
 * Files missing or corrupt, or the runtime not loadable, is a deployment bug: a ConfigurationError
 * naming it, never a quiet fallback to words only.
 *
 * @example const embedder = await modelFromEnv(); // undefined without KB_MODEL_DIR
 */
export async function modelFromEnv(env: Record<string, string | undefined> = process.env): Promise<Embedder | undefined> {
  const dir = env[ENV.modelDir];
  if (!dir) return undefined;
  try {
    const { OnnxEmbedder } = await import('../adapters/onnx/onnx-embedder.ts');
    return await OnnxEmbedder.load({ dir });
  } catch (error) {
    throw new ConfigurationError(`${ENV.modelDir} is ${dir}, but the model cannot be loaded: ${(error as Error).message}`);
  }
}
