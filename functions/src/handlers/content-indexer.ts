import { compilePool } from '../adapters/compile/compile-pool.ts';
import { createArtifactIndexer } from './content-artifact.ts';
import { createContentIndexer } from './content-events.ts';
import { embeddingTimeLimit, type InvocationTime } from './time-limit.ts';
import { runbookIndex, searchEngine, useModel } from './wiring.ts';
import { artifactIndexerDeps } from './wiring-artifacts.ts';
import { modelFromEnv } from './wiring-model.ts';
import { contentIndexerDeps } from './wiring-s3.ts';

export { type ContentCommand, createContentIndexer } from './content-events.ts';

/**
 * Files compile in threads under a time and memory budget, so a hostile file is skipped instead of
 * stalling every event behind it. Wired here, not in wiring-s3.ts, which the API bundles too.
 */
const compile = compilePool();

const embedded = searchEngine() === 'embedded';
/**
 * The model (`KB_MODEL_DIR`), loaded at cold start whichever the engine: the artifact, or the
 * OpenSearch index, then carries the runbooks' vectors. Words only when the function has none.
 */
const embedder = await modelFromEnv();
if (!embedded) useModel(embedder);

const onOpenSearch = createContentIndexer(() => ({ ...contentIndexerDeps(), compile }));

/**
 * OpenSearch by default; with `KB_SEARCH_ENGINE=embedded`, a new index artifact in S3
 * (content-artifact.ts). Either way embedding stops short of Lambda's time limit, and what it had
 * no time for is embedded by the next run.
 */
export const handler = embedded
  ? createArtifactIndexer(() => ({ ...artifactIndexerDeps(), compile, ...(embedder ? { embedder } : {}) }))
  : (event: Parameters<typeof onOpenSearch>[0], context?: InvocationTime) => {
      runbookIndex().setTimeLimit(embeddingTimeLimit(context));
      return onOpenSearch(event);
    };
