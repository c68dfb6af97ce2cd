import { availableParallelism } from 'node:os';
import type { Tokenizer } from '@huggingface/tokenizers';
import type * as Ort from 'onnxruntime-node';
import type { Embedder } from '../../ports/embedder.ts';
import { canStartProcesses, EmbedPool } from './embed-pool.ts';
import { DEFAULT_MODEL, type ModelSpec } from './model-files.ts';
import { ModelFilesError, modelDir, readVerified } from './model-store.ts';

export interface OnnxEmbedderOptions {
  /** onnxruntime threads of a model run on the calling thread (one per core, at most 4). */
  parallel: number;
  /** Processes for calls of many texts (a library's build), each with its own session (see EmbedPool); 0 for none. */
  workers: number;
}

const CORES = Math.max(1, Math.min(4, availableParallelism()));
/** Texts in one call from which the model's processes embed them: a slice of 32 runbooks has at least this many. */
const POOL_FROM = 32;
const DEFAULTS: OnnxEmbedderOptions = { parallel: CORES, workers: CORES > 1 && canStartProcesses() ? CORES : 0 };

/** A text waiting for the model, with where its vector goes. */
interface Queued {
  text: string;
  resolve: (v: Float32Array) => void;
  reject: (e: unknown) => void;
}

/**
 * A sentence-embedding model run in-process by onnxruntime: BERT WordPiece tokens in, the mean of
 * the last hidden states over the real (unpadded) tokens out, L2-normalised — how the model was
 * trained, so a dot product of two vectors is their cosine similarity.
 */
export class OnnxEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimension: number;
  readonly #sep: number;

  readonly #pool: EmbedPool | undefined;

  private constructor(
    private readonly spec: ModelSpec,
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
    options: OnnxEmbedderOptions,
    dir: string,
  ) {
    this.modelId = spec.id;
    this.dimension = spec.dimension;
    this.#sep = tokenizer.token_to_id('[SEP]') ?? 102;
    this.#pool = options.workers > 0 ? new EmbedPool({ spec, dir }, options.workers) : undefined;
  }

  /**
   * Loads the model from its folder, checking every file's checksum. A missing or corrupt file is
   * a `ModelFilesError` naming the fix; there is no fallback that would quietly rank worse.
   * onnxruntime (a native addon) and the tokenizer are imported here, not at the top: a Lambda
   * bundle keeps both external (shipped beside it with the model), and a function that loads no
   * model never loads them.
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
    const [ort, { Tokenizer }] = await Promise.all([importRuntime(), importPackage(() => import('@huggingface/tokenizers'))]);
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: settings.parallel,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // onnxruntime's threads spin while they wait for work, and so took the CPU from the event
      // loop: search p50 25 ms with spinning against 11 ms without (796 runbooks, 2 cores).
      // Its fusion of a residual Add into LayerNormalization (SkipLayerNormalization) made the
      // packaged model slower: 14.0 ms per 96-token text without it, 15.5 ms with it (2 threads);
      // on the rebuilt one it makes no difference that measures (115–125 texts/s either way), so it stays off.
      extra: {
        session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } },
        optimization: { disable_specified_optimizers: 'SkipLayerNormFusion' },
      },
    });
    const tokenizer = new Tokenizer(JSON.parse(decoder.decode(tokenizerJson)), JSON.parse(decoder.decode(tokenizerConfig)));
    return new OnnxEmbedder(spec, ort, session, tokenizer, settings, dir);
  }

  /**
   * Texts waiting for the model, each with where its vector goes: calls of one text (a query, a
   * written-back ticket) in `#single`, which runs first, and the texts of larger calls in `#bulk`.
   * First in, first out, a query that came while `kb serve` embedded a new library waited for all
   * of it (minutes for thousands of runbooks); now it waits for the runs in progress only: 15 ms
   * against 3,251 ms behind 600 short texts (2 cores, 2026-12-05).
   */
  readonly #single: Queued[] = [];
  readonly #bulk: Queued[] = [];
  #running = false;

  /**
   * Embeds texts, one text per model run: that pads nothing, and so beat batches of texts of
   * similar length (66 texts/s against 51 in batches of 16, 400 support articles, 2 cores), with
   * the very same vectors. Calls of many texts go to the model's processes when there are any (see
   * EmbedPool). On the calling thread, onnxruntime-node holds the thread for each run, so runs
   * never overlap there: texts queue up, and calls of one text (agents typing, a burst of
   * write-backs) go first.
   */
  embed(texts: readonly string[]): Promise<Float32Array[]> {
    // A library's texts go to the model's processes, so the calling thread stays free for queries;
    // a saved runbook's few texts do not wait for processes to start (about 1.5 s after idling).
    if (texts.length >= POOL_FROM && this.#pool) return this.#pool.embed(texts);
    const queue = texts.length === 1 ? this.#single : this.#bulk;
    const vectors = texts.map(
      (text) =>
        new Promise<Float32Array>((resolve, reject) => {
          queue.push({ text, resolve, reject });
        }),
    );
    if (!this.#running) void this.#drain();
    return Promise.all(vectors);
  }

  async #drain(): Promise<void> {
    this.#running = true;
    const take = () => this.#single.shift() ?? this.#bulk.shift();
    for (let next = take(); next; next = take()) {
      try {
        next.resolve(await this.#run(this.#idsOf(next.text)));
      } catch (error) {
        next.reject(error);
      }
    }
    this.#running = false;
  }

  /** The tokenizer's ids for one text, cut to the model's length with the closing [SEP] kept. */
  #idsOf(text: string): number[] {
    const { ids } = this.tokenizer.encode(text);
    if (ids.length <= this.spec.maxTokens) return ids;
    return [...ids.slice(0, this.spec.maxTokens - 1), this.#sep];
  }

  /** One model run over one text's token ids: the mean of its tokens' last hidden states, normalised. */
  async #run(tokens: readonly number[]): Promise<Float32Array> {
    const dims = [1, tokens.length];
    // A model asks for the inputs it declares: a text alone is never padded, so its mask is all
    // ones and its token types all zero (the rebuilt model declares neither).
    const inputs: Record<string, () => BigInt64Array> = {
      input_ids: () => BigInt64Array.from(tokens, BigInt),
      attention_mask: () => new BigInt64Array(tokens.length).fill(1n),
      token_type_ids: () => new BigInt64Array(tokens.length),
    };
    const feeds: Record<string, Ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      const values = inputs[name];
      if (!values) throw new Error(`model ${this.modelId} asks for an input the embedder does not know: ${name}`);
      feeds[name] = new this.ort.Tensor('int64', values(), dims);
    }
    const output = await this.session.run(feeds);
    const hidden = output[this.session.outputNames[0] as string];
    if (!hidden) throw new Error(`model ${this.modelId} returned no output`);
    const data = hidden.data as Float32Array;
    const dim = this.dimension;
    const vector = new Float32Array(dim);
    for (let offset = 0; offset < tokens.length * dim; offset += dim) {
      for (let k = 0; k < dim; k++) vector[k] = (vector[k] as number) + (data[offset + k] as number);
    }
    return normalise(vector);
  }
}

/** onnxruntime-node (CommonJS: its exports may be on `default` only). */
async function importRuntime(): Promise<typeof Ort> {
  const module = (await importPackage(() => import('onnxruntime-node'))) as typeof Ort & { default?: typeof Ort };
  return module.InferenceSession ? module : (module.default as typeof Ort);
}

/** A package the model needs, or a `ModelFilesError` saying it is not installed beside the code. */
async function importPackage<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    throw new ModelFilesError(
      `the model's runtime cannot be loaded (is it in node_modules beside the code?): ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
function normalise(vector: Float32Array): Float32Array {
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
