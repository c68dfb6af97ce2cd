import { connectionFromEnv, type OpenSearchConnection } from '../adapters/opensearch/client.ts';
import { OpenSearchResolutionIndex } from '../adapters/opensearch/opensearch-resolution-index.ts';
import { OpenSearchRunbookIndex } from '../adapters/opensearch/opensearch-runbook-index.ts';
import { syncIndex } from '../adapters/opensearch/sync.ts';
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
} as const;

/** The variables each handler cannot start without. */
export const REQUIRED_ENV = {
  api: [ENV.opensearchUrl, ENV.table, ENV.bucket, ENV.clients, ENV.webOrigin],
  contentIndexer: [ENV.opensearchUrl, ENV.bucket],
  resolutionIndexer: [ENV.opensearchUrl],
} as const;

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

export const runbookIndex = /* @__PURE__ */ once(() => OpenSearchRunbookIndex.connect(openSearchConnection(), layout(ENV.runbookAlias)));

export const resolutionIndex = /* @__PURE__ */ once(() =>
  OpenSearchResolutionIndex.connect(openSearchConnection(), layout(ENV.resolutionAlias)),
);

/**
 * A whole-library sync: by content hash, or (`full`) a new index swapped in behind the alias.
 * With `runbookIndex` above, the only code that knows OpenSearchRunbookIndex's concrete API.
 */
export const syncRunbooks: ContentDeps['sync'] = (runbooks, { full }) => syncIndex(runbookIndex(), runbooks, { full });

export { today } from '../app/clock.ts';
