import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * What a function that embeds text carries in its code asset besides its bundle: the sentence-
 * embedding model's files and onnxruntime with the native binary for Lambda's Linux on ARM64.
 * Both come from local files only (the model from `npm install`'s checksum-verified set-up,
 * onnxruntime from node_modules), so synth and deploy download nothing.
 *
 * Not a layer: an ES module resolves a bare `import('onnxruntime-node')` from its own folder up
 * (/var/task/node_modules), never from /opt, where layers are unpacked. In the asset the lazy
 * import in the bundle finds node_modules/onnxruntime-node beside index.mjs.
 */
export const MODEL_ASSET = {
  /** The model's id, as functions/src/adapters/onnx/model-files.ts pins it. */
  modelId: 'all-MiniLM-L6-v2-int8-cls-apart',
  /** Where `npm run setup:model` puts the verified files, relative to the repository root. */
  modelDir: 'functions/models/all-MiniLM-L6-v2-int8-cls-apart',
  /** The files the embedder reads (it checks their sha256 when it loads them). */
  modelFiles: ['model.onnx', 'tokenizer.json', 'tokenizer_config.json'],
  /** Where they are in the asset, and so in the function: /var/task/<assetModelDir>. */
  assetModelDir: 'model',
  /** The runtime's package, whose native binary is copied for one platform only. */
  runtimePackage: 'onnxruntime-node',
  /** onnxruntime-node's native binaries, one folder per platform and architecture (all 290 MB of them in node_modules). */
  binaryDir: 'bin/napi-v6',
  /**
   * The packages copied into node_modules/ beside the bundle, and what of each: onnxruntime-node
   * (its JavaScript; the binary apart), the onnxruntime-common it requires, and the tokenizer, so
   * that it too can stay out of the bundle (external in bundling.ts, imported lazily) when the
   * bundle's budget asks for it. None has dependencies of its own at run time (onnxruntime-node's
   * adm-zip and global-agent serve only its download-at-install script, which stays behind).
   */
  packages: {
    'onnxruntime-node': ['package.json', 'dist'],
    'onnxruntime-common': ['package.json', 'dist'],
    '@huggingface/tokenizers': ['package.json', 'LICENSE', 'dist'],
  },
} as const;

/** The folder a Lambda function's code is unpacked in. */
export const LAMBDA_TASK_ROOT = '/var/task';

/** The value of `KB_MODEL_DIR` in a function whose asset carries the model. */
export const MODEL_DIR_IN_LAMBDA = `${LAMBDA_TASK_ROOT}/${MODEL_ASSET.assetModelDir}`;

export class ModelAssetError extends Error {
  override name = 'ModelAssetError';
}

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

/**
 * Checks that the files the asset copies are all here, so that a missing model fails synth with
 * the fix rather than a `cp` error, or a function that fails at its first cold start.
 */
export function checkModelFiles(root: string, arch: 'arm64' | 'x64'): void {
  const missing = MODEL_ASSET.modelFiles.map((f) => join(root, MODEL_ASSET.modelDir, f)).filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new ModelAssetError(
      `The embedding model is not installed (missing ${missing.join(', ')}): run \`npm run setup:model\` (npm install runs it), or deploy without the model with -c model=false.`,
    );
  }
  const binaries = join(root, 'node_modules', MODEL_ASSET.runtimePackage, MODEL_ASSET.binaryDir, 'linux', arch);
  if (!existsSync(binaries) || readdirSync(binaries).length === 0) {
    throw new ModelAssetError(
      `onnxruntime-node's Linux ${arch} binary is missing (${binaries}): run \`npm install\`, or deploy without the model with -c model=false.`,
    );
  }
  for (const [name, parts] of Object.entries(MODEL_ASSET.packages)) {
    const missingParts = parts.filter((part) => !existsSync(join(root, 'node_modules', name, part)));
    if (missingParts.length > 0) {
      throw new ModelAssetError(`node_modules/${name} lacks ${missingParts.join(', ')}: run \`npm install\`.`);
    }
  }
}

/**
 * The bundling hooks that copy the model and the runtime into a function's asset after esbuild
 * has written index.mjs: the model into model/, and into node_modules/ onnxruntime-node with its
 * JavaScript and only the `linux/<arch>` binary (not those for x64, macOS or Windows), beside
 * onnxruntime-common and the tokenizer. Each command runs in bash in the repository root.
 */
export function modelCommandHooks(arch: 'arm64' | 'x64'): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => {
      const from = (...parts: string[]) => quote(join(inputDir, ...parts));
      const to = (...parts: string[]) => quote(join(outputDir, ...parts));
      const binary = ['node_modules', MODEL_ASSET.runtimePackage, MODEL_ASSET.binaryDir, 'linux', arch];
      return [
        `mkdir -p ${to(MODEL_ASSET.assetModelDir)} ${to(...binary)}`,
        `cp ${MODEL_ASSET.modelFiles.map((f) => from(MODEL_ASSET.modelDir, f)).join(' ')} ${to(MODEL_ASSET.assetModelDir)}`,
        ...Object.entries(MODEL_ASSET.packages).flatMap(([name, parts]) => [
          `mkdir -p ${to('node_modules', name)}`,
          `cp -R ${parts.map((part) => from('node_modules', name, part)).join(' ')} ${to('node_modules', name)}`,
        ]),
        `cp ${from(...binary)}/* ${to(...binary)}`,
      ];
    },
  };
}
