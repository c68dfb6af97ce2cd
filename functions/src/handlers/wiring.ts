import { connectionFromEnv, type OpenSearchConnection } from '../adapters/opensearch/client.ts';
import { OpenSearchResolutionIndex } from '../adapters/opensearch/opensearch-resolution-index.ts';
import { OpenSearchRunbookIndex } from '../adapters/opensearch/opensearch-runbook-index.ts';
import { syncIndex } from '../adapters/opensearch/sync.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { ResolutionIndex } from '../ports/resolution-index.ts';
import type { ChangeEvent } from '../ports/resolution-store.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';
import type { ContentDeps } from './content-events.ts';

/**
 * What the Lambda functions are configured with. infra/ sets these (it cannot import this file:
 * it only references handler paths), and test/infra checks each function gets what its handler
 * reads. `KB_OPENSEARCH_*` are read by adapters/opensearch/client.ts's `connectionFromEnv`.
 */
export const ENV = {
  opensearchUrl: 'KB_OPENSEARCH_URL',
  opensearchAuth: 'KB_OPENSEARCH_AUTH',
  table: 'KB_TABLE',
  bucket: 'KB_CONTENT_BUCKET',
  prefix: 'KB_CONTENT_PREFIX',
  runbookAlias: 'KB_RUNBOOK_ALIAS',
  resolutionAlias: 'KB_RESOLUTION_ALIAS',
  replicas: 'KB_INDEX_REPLICAS',
  webOrigin: 'KB_WEB_ORIGIN',
  clients: 'KB_API_CLIENTS',
  /** The agents' sign-in (Cognito user pool) issuer and app client ids; bearer tokens are refused without it. */
  oidcIssuer: 'KB_OIDC_ISSUER',
  oidcAudience: 'KB_OIDC_AUDIENCE',
  /** `embedded` (the index artifact in S3, served in-process) or `opensearch` (the default when unset). */
  searchEngine: 'KB_SEARCH_ENGINE',
  /** Embedded engine: the bucket of index artifacts, their key prefix (default `index/`) and how often the API checks for a new one. */
  indexBucket: 'KB_INDEX_BUCKET',
  indexPrefix: 'KB_INDEX_PREFIX',
  indexRefreshSeconds: 'KB_INDEX_REFRESH_SECONDS',
  /** Optional, either engine: the folder of the embedding model's files (wiring-model.ts); words only when unset. */
  modelDir: 'KB_MODEL_DIR',
} as const;

/** The variables each handler cannot start without. */
export const REQUIRED_ENV = {
  api: [ENV.opensearchUrl, ENV.table, ENV.bucket, ENV.indexBucket, ENV.clients, ENV.webOrigin],
  contentIndexer: [ENV.opensearchUrl, ENV.bucket, ENV.indexBucket],
  resolutionIndexer: [ENV.opensearchUrl],
} as const;

/**
 * The same with `KB_SEARCH_ENGINE=embedded`: no OpenSearch, and no resolution indexer (the API
 * reads past tickets from the table itself, see app/signal-feed.ts).
 */
export const REQUIRED_ENV_EMBEDDED = {
  api: [ENV.searchEngine, ENV.indexBucket, ENV.table, ENV.bucket, ENV.clients, ENV.webOrigin],
  contentIndexer: [ENV.searchEngine, ENV.indexBucket, ENV.bucket],
} as const;

export type SearchEngine = 'embedded' | 'opensearch';

/** Which engine the functions use: `KB_SEARCH_ENGINE`, `opensearch` when unset so that existing deployments keep working. */
export function searchEngine(env: Record<string, string | undefined> = process.env): SearchEngine {
  const value = env[ENV.searchEngine] || 'opensearch';
  if (value !== 'embedded' && value !== 'opensearch') {
    throw new ConfigurationError(`${ENV.searchEngine} is ${JSON.stringify(value)}, expected embedded or opensearch`);
  }
  return value;
}

/** A function was deployed without a setting it needs: a deployment bug, reported at cold start. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigurationError(`${name} is not set`);
  return value;
}

/**
 * Built on first use, then reused by every warm invocation (clients keep their connection pools).
 * Factories are marked pure, so a bundle keeps only those its handler calls. This file holds what
 * every handler shares (settings, OpenSearch); wiring-s3.ts and wiring-dynamodb.ts the rest.
 */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export const openSearchConnection = /* @__PURE__ */ once((): OpenSearchConnection => {
  const connection = connectionFromEnv(process.env);
  if (!connection) throw new ConfigurationError(`${ENV.opensearchUrl} is not set`);
  return connection;
});

/** Index layout: replicas are 0 on a single-node (dev) domain, 1 on a zone-aware (prod) one. */
function layout(aliasVariable: string): { replicas: number; alias?: string } {
  const alias = process.env[aliasVariable];
  return { replicas: Number(process.env[ENV.replicas] ?? 0), ...(alias ? { alias } : {}) };
}

/**
 * The model both OpenSearch indices use: the runbook index embeds runbooks (content indexer) and
 * compares query vectors (API) with it, the resolution index embeds past tickets (resolution
 * indexer) and compares query vectors with theirs (API). The handlers load it at cold start
 * (wiring-model.ts `modelFromEnv`, a top-level await) and hand it over with `useModel` before an
 * index is first made; unset, the indices hold and search words only. Handed over rather than
 * loaded here: this file is in every bundle, and a function deployed without the model must not
 * carry the model loader.
 */
let openSearchModel: Embedder | undefined;
let indexMade = false;

export function useModel(embedder: Embedder | undefined): void {
  // An index keeps the model it was made with: another model later would be silently ignored.
  if (indexMade && embedder !== openSearchModel) throw new Error('useModel must run before an OpenSearch index is first used');
  openSearchModel = embedder;
}

const withModel = () => (openSearchModel ? { embedder: openSearchModel } : {});

export const runbookIndex = /* @__PURE__ */ once(() => {
  indexMade = true;
  return OpenSearchRunbookIndex.connect(openSearchConnection(), { ...layout(ENV.runbookAlias), ...withModel() });
});

export const resolutionIndex = /* @__PURE__ */ once(() => {
  indexMade = true;
  return OpenSearchResolutionIndex.connect(openSearchConnection(), { ...layout(ENV.resolutionAlias), ...withModel() });
});

/** The indexes the API serves from, whichever the engine (see wiring-embedded.ts for the other). */
export interface ApiEngine {
  index: RunbookIndex;
  resolutions: ResolutionIndex;
  /** Runs before each request: picks up a new index version or new signals when they are due. */
  refresh?: () => Promise<void>;
  /** Hands this instance's write-backs to its own resolution index (WriteBackDeps.deliver). */
  deliver?: (events: ChangeEvent[]) => Promise<void>;
}

export const openSearchEngine = (): ApiEngine => ({ index: runbookIndex(), resolutions: resolutionIndex() });

/**
 * A whole-library sync: by content hash, or (`full`) a new index swapped in behind the alias.
 * With `runbookIndex` above, the only code that knows OpenSearchRunbookIndex's concrete API.
 */
export const syncRunbooks: ContentDeps['sync'] = (runbooks, { full }) => syncIndex(runbookIndex(), runbooks, { full });

export { today } from '../app/clock.ts';
