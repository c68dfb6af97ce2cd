import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import type { Embedder } from '../../ports/embedder.ts';
import { DEFAULT_MODEL, type ModelSpec } from './model-files.ts';
import { modelDir, readVerified } from './model-store.ts';

export interface OnnxEmbedderOptions {
  /** Texts per model run: padding to the longest of a batch wastes less when batches are small. */
  batchSize: number;
  /** Threads per model run; 0 lets onnxruntime use every core. */
  threads: number;
}

const DEFAULTS: OnnxEmbedderOptions = { batchSize: 16, threads: 0 };

/** The tokenizer's ids for one text, cut to the model's length with the closing [SEP] kept. */
function idsOf(tokenizer: Tokenizer, text: string, maxTokens: number, sep: number): number[] {
  const { ids } = tokenizer.encode(text);
  if (ids.length <= maxTokens) return ids;
  return [...ids.slice(0, maxTokens - 1), sep];
}

/**
 * A sentence-embedding model run in-process by onnxruntime: BERT WordPiece tokens in, the mean of
 * the last hidden states over the real (unpadded) tokens out, L2-normalised — how the model was
 * trained, so a dot product of two vectors is their cosine similarity.
 */
export class OnnxEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimension: number;

  private constructor(
    private readonly spec: ModelSpec,
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
    private readonly options: OnnxEmbedderOptions,
  ) {
    this.modelId = spec.id;
    this.dimension = spec.dimension;
  }

  /**
   * Loads the model from its folder, checking every file's checksum. A missing or corrupt file is
   * a `ModelFilesError` naming the fix; there is no fallback that would quietly rank worse.
   */
  static async load(options: Partial<OnnxEmbedderOptions> & { spec?: ModelSpec; dir?: string } = {}): Promise<OnnxEmbedder> {
    const { spec = DEFAULT_MODEL, dir = modelDir(spec), ...rest } = options;
    const file = (name: string) => {
      const entry = spec.files.find((f) => f.name === name);
      if (!entry) throw new Error(`model ${spec.id} declares no ${name}`);
      return readVerified(dir, entry);
    };
    const decoder = new TextDecoder();
    const [model, tokenizerJson, tokenizerConfig] = await Promise.all([
      file('model.onnx'),
      file('tokenizer.json'),
      file('tokenizer_config.json'),
    ]);
    const settings = { ...DEFAULTS, ...rest };
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: settings.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const tokenizer = new Tokenizer(JSON.parse(decoder.decode(tokenizerJson)), JSON.parse(decoder.decode(tokenizerConfig)));
    return new OnnxEmbedder(spec, session, tokenizer, settings);
  }

  /** Requests waiting for the model while it runs: they go in together, as one larger batch. */
  #queue: { texts: readonly string[]; resolve: (v: Float32Array[]) => void; reject: (e: unknown) => void }[] = [];
  #running = false;

  /**
   * Embeds texts. Calls made while the model is busy (20 agents typing, a burst of write-backs)
   * are coalesced into the next run: one batch of many texts costs far less than many of one.
   */
  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ texts, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#queue.length > 0) {
      const requests = this.#queue;
      this.#queue = [];
      try {
        const vectors = await this.#embedNow(requests.flatMap((r) => r.texts));
        let next = 0;
        for (const r of requests) {
          r.resolve(vectors.slice(next, next + r.texts.length));
          next += r.texts.length;
        }
      } catch (error) {
        for (const r of requests) r.reject(error);
      }
    }
    this.#running = false;
  }

  async #embedNow(texts: readonly string[]): Promise<Float32Array[]> {
    const sep = this.tokenizer.token_to_id('[SEP]') ?? 102;
    const encoded = texts.map((text, i) => ({ i, ids: idsOf(this.tokenizer, text, this.spec.maxTokens, sep) }));
    // Similar lengths share a batch, so little of each batch is padding.
    encoded.sort((a, b) => a.ids.length - b.ids.length);
    const out = new Array<Float32Array>(texts.length);
    for (let start = 0; start < encoded.length; start += this.options.batchSize) {
      const batch = encoded.slice(start, start + this.options.batchSize);
      const vectors = await this.#run(batch.map((e) => e.ids));
      batch.forEach((e, j) => {
        out[e.i] = vectors[j] as Float32Array;
      });
    }
    return out;
  }

  async #run(batch: readonly number[][]): Promise<Float32Array[]> {
    const rows = batch.length;
    const width = Math.max(1, ...batch.map((ids) => ids.length));
    const ids = new BigInt64Array(rows * width);
    const mask = new BigInt64Array(rows * width);
    batch.forEach((row, r) => {
      row.forEach((id, c) => {
        ids[r * width + c] = BigInt(id);
        mask[r * width + c] = 1n;
      });
    });
    const dims = [rows, width];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
    };
    if (this.session.inputNames.includes('token_type_ids'))
      feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(rows * width), dims);
    const output = await this.session.run(feeds);
    const hidden = output[this.session.outputNames[0] as string];
    if (!hidden) throw new Error(`model ${this.modelId} returned no output`);
    const data = hidden.data as Float32Array;
    const dim = this.dimension;
    return batch.map((row, r) => {
      const vector = new Float32Array(dim);
      for (let c = 0; c < row.length; c++) {
        const offset = (r * width + c) * dim;
        for (let k = 0; k < dim; k++) vector[k] = (vector[k] as number) + (data[offset + k] as number);
      }
      return normalise(vector);
    });
  }
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let k = 0; k < vector.length; k++) vector[k] = (vector[k] as number) / norm;
  return vector;
}

let shared: Promise<OnnxEmbedder> | undefined;

/** The process's embedder, loaded once (the model takes about 0.3 s and 100 MB to load). */
export function sharedEmbedder(): Promise<OnnxEmbedder> {
  shared ??= OnnxEmbedder.load();
  shared.catch(() => {
    shared = undefined;
  });
  return shared;
}
