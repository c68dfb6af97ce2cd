import { handle } from 'hono/aws-lambda';
import { feedbackItem, resolutionItem } from '../adapters/dynamodb/items.ts';
import { flagNotifier, parseFlagWebhooks } from '../app/flag-notifier.ts';
import { LearningService, learningOptions } from '../app/learning-service.ts';
import { SearchService } from '../app/search-service.ts';
import { WriteBackService } from '../app/write-back-service.ts';
import { parseClients } from '../contracts/clients.ts';
import { searchOptions } from '../core/search/options.ts';
import { NO_SYNONYMS } from '../core/search/synonyms.ts';
import { commaList } from '../core/text/comma-list.ts';
import { createApp } from '../http/app.ts';
import { oidcVerifier } from '../http/jwt.ts';
import { gatewayAuthenticator, withEdge } from './api-access.ts';
import { ENV, openSearchEngine, searchEngine, today, useModel } from './wiring.ts';
import { resolutionStore } from './wiring-dynamodb.ts';
import { embeddedEngine } from './wiring-embedded.ts';
import { modelFromEnv } from './wiring-model.ts';
import { contentSource, settingsFiles, settingsLoader } from './wiring-s3.ts';

// The model (KB_MODEL_DIR), loaded at cold start whichever the engine: queries get a meaning
// vector, which the index compares with its runbooks' vectors when they are of the same model.
const embedder = await modelFromEnv();
const model = embedder ? { id: embedder.modelId, dimension: embedder.dimension } : undefined;
const embedded = searchEngine() === 'embedded';
if (!embedded) useModel(embedder);
// The embedded engine tells of a new index version or new signals; OpenSearch tells nothing.
const engine = embedded ? embeddedEngine(() => search.invalidate(), model) : openSearchEngine();
const { index, resolutions } = engine;
// Several warm instances answer at once and none hears of a re-index: a short TTL bounds staleness.
const search = new SearchService({
  index,
  synonyms: NO_SYNONYMS,
  options: searchOptions(),
  today,
  learning: new LearningService(resolutions, learningOptions(process.env.KB_LEARNING_SOURCE_WEIGHTS)),
  cache: { max: 2_000, ttlMs: 30_000 },
  // Query vectors per warm instance (1.5 KB each): repeated ticket texts skip the model.
  ...(embedder ? { embedder, vectorCacheSize: 1_000 } : {}),
});
// With OpenSearch, no `deliver`: the table's stream feeds the resolution indexer. Embedded, this
// instance applies its own write-backs and logs them for the others (app/signal-feed.ts).
const writeBack = new WriteBackService({
  store: resolutionStore(),
  runbooks: index,
  resolutions,
  ...(engine.deliver ? { deliver: engine.deliver } : {}),
  images: { resolution: resolutionItem, feedback: feedbackItem },
  // Flags go to the owner's webhook without holding up the answer; a post still in flight when the
  // function is frozen finishes on its next invocation or times out (logged), the flag itself is stored.
  notifyFlag: flagNotifier({
    webhooks: parseFlagWebhooks(process.env.KB_FLAG_WEBHOOKS),
    webUrl: process.env.KB_WEB_URL || undefined,
    log: (line) => console.log(line),
  }),
});
const issuer = process.env[ENV.oidcIssuer];
const app = createApp({
  search,
  index,
  writeBack,
  authenticate: gatewayAuthenticator(
    parseClients(process.env[ENV.clients] ?? '[]'),
    issuer ? oidcVerifier({ issuer, ...audienceFrom(process.env[ENV.oidcAudience]) }) : undefined,
  ),
  logError: (error) => console.error({ message: 'unhandled error', error: String(error), stack: (error as Error)?.stack }),
  // API Gateway's origin is not the web app's: suggestion links need KB_WEB_URL here.
  webUrl: process.env.KB_WEB_URL || undefined,
});

export const handler = handle(
  withEdge(app, {
    webOrigin: process.env[ENV.webOrigin] ?? '',
    beforeEach: beforeEach(settingsLoader({ content: contentSource(), published: settingsFiles() }, search), engine.refresh),
  }),
);

function audienceFrom(list: string | undefined): { audience?: string[] } {
  const ids = commaList(list);
  return ids.length > 0 ? { audience: ids } : {};
}

/** Steps that run side by side before each request (each is a no-op until it is due). */
function beforeEach(...steps: (undefined | (() => Promise<void>))[]): () => Promise<void> {
  return async () => {
    await Promise.all(steps.map((step) => step?.()));
  };
}
