import { compilePool } from '../adapters/compile/compile-pool.ts';
import { createArtifactIndexer } from './content-artifact.ts';
import { createContentIndexer } from './content-events.ts';
import { searchEngine } from './wiring.ts';
import { artifactIndexerDeps } from './wiring-embedded.ts';
import { modelFromEnv } from './wiring-model.ts';
import { contentIndexerDeps } from './wiring-s3.ts';

export { type ContentCommand, createContentIndexer } from './content-events.ts';

/**
 * Files compile in threads under a time and memory budget, so a hostile file is skipped instead of
 * stalling every event behind it. Wired here, not in wiring-s3.ts, which the API bundles too.
 */
const compile = compilePool();

const embedded = searchEngine() === 'embedded';
/** The embedded engine's model (`KB_MODEL_DIR`), loaded at cold start: the artifact then carries vectors. */
const embedder = embedded ? await modelFromEnv() : undefined;

/** OpenSearch by default; with `KB_SEARCH_ENGINE=embedded`, a new index artifact in S3 (content-artifact.ts). */
export const handler = embedded
  ? createArtifactIndexer(() => ({ ...artifactIndexerDeps(), compile, ...(embedder ? { embedder } : {}) }))
  : createContentIndexer(() => ({ ...contentIndexerDeps(), compile }));
