/**
 * How the Lambda handlers are bundled: plain data, read by the RunbookFunction construct (which
 * hands it to NodejsFunction's local esbuild) and by functions/src/bench/bundle-bench.ts (which
 * runs esbuild the same way to report sizes and init times), so the two cannot drift.
 */

/** Handler entry points, relative to the repository root. infra/ references them only by path. */
export const HANDLERS = {
  api: 'functions/src/handlers/api.ts',
  contentIndexer: 'functions/src/handlers/content-indexer.ts',
  resolutionIndexer: 'functions/src/handlers/resolution-indexer.ts',
} as const;

export type HandlerName = keyof typeof HANDLERS;

/**
 * ESM for Node.js 22, minified, with an external source map (no sources inside: smaller, and the
 * code is in git). The banner gives bundled CommonJS packages the `require` an ES module lacks.
 *
 * The AWS SDK v3 is bundled, not taken from the runtime. Measured with `bundleBench` (imports in a
 * fresh node process, median of 7): taking the SDK from node_modules shrinks the API bundle from
 * 0.81 MB to 0.32 MB but makes its module initialisation slower (about 225 ms instead of 125 ms),
 * because the SDK's ES modules load as hundreds of files; bundled and tree-shaken they load as one.
 * Bundling also pins the SDK version to the one tested. What keeps each bundle under `maxBytes`:
 * zod used through `import * as` (never a whole `z` namespace passed around, which keeps all 40
 * locales), zod/mini for frontmatter, and the OpenSearch client's transport without its API surface.
 */
export const BUNDLING = {
  target: 'node22',
  format: 'esm',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  /**
   * The embedding model's runtime: onnxruntime-node loads a native binary, which no bundle can
   * hold, and the tokenizer (37 kB minified) would take the bundles past `maxBytes`. The handlers
   * import both lazily (only when `KB_MODEL_DIR` is set: esbuild would hoist a static import of an
   * external to the bundle's top), and the functions that embed carry them in node_modules beside
   * the bundle (model-asset.ts), counted apart from `maxBytes`.
   */
  externalModules: ['onnxruntime-node', '@huggingface/tokenizers'] as string[],
  banner: "import { createRequire as __kbRequire } from 'node:module'; const require = __kbRequire(import.meta.url);",
  /** The budget per bundle (minified JS, without the map): cold starts near the runtime's floor. */
  maxBytes: 1024 * 1024,
} as const;
