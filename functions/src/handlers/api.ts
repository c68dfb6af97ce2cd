import { handle } from 'hono/aws-lambda';
import { feedbackItem, resolutionItem } from '../adapters/dynamodb/items.ts';
import { LearningService } from '../app/learning-service.ts';
import { SearchService } from '../app/search-service.ts';
import { WriteBackService } from '../app/write-back-service.ts';
import { searchOptions } from '../core/search/options.ts';
import { NO_SYNONYMS } from '../core/search/synonyms.ts';
import { createApp } from '../http/app.ts';
import { parseClients, withEdge } from './api-access.ts';
import { ENV, resolutionIndex, runbookIndex, today } from './wiring.ts';
import { resolutionStore } from './wiring-dynamodb.ts';
import { contentSource, synonymLoader } from './wiring-s3.ts';

const index = runbookIndex();
const resolutions = resolutionIndex();
// Several warm instances answer at once and none hears of a re-index: a short TTL bounds staleness.
const search = new SearchService({
  index,
  synonyms: NO_SYNONYMS,
  options: searchOptions(),
  today,
  learning: new LearningService(resolutions),
  cache: { max: 2_000, ttlMs: 30_000 },
});
// No `deliver`: on AWS the table's stream feeds the resolution indexer.
const writeBack = new WriteBackService({
  store: resolutionStore(),
  runbooks: index,
  resolutions,
  images: { resolution: resolutionItem, feedback: feedbackItem },
});
const app = createApp({
  search,
  index,
  writeBack,
  logError: (error) => console.error({ message: 'unhandled error', error: String(error), stack: (error as Error)?.stack }),
});

export const handler = handle(
  withEdge(app, {
    clients: parseClients(process.env[ENV.clients] ?? '[]'),
    webOrigin: process.env[ENV.webOrigin] ?? '',
    beforeEach: synonymLoader(contentSource(), search),
  }),
);
