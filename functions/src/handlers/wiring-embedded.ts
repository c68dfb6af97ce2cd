import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbChangeLog } from '../adapters/dynamodb/dynamodb-change-log.ts';
import { signalOfItem } from '../adapters/dynamodb/items.ts';
import { EmbeddedResolutionIndex } from '../adapters/embedded/embedded-resolution-index.ts';
import type { ModelRef } from '../adapters/embedded/index-artifact.ts';
import { PublishedRunbookIndex } from '../adapters/embedded/published-runbook-index.ts';
import { RefreshingRunbookIndex } from '../app/refreshing-index.ts';
import { SignalFeed } from '../app/signal-feed.ts';
import { storedSignals } from '../app/stored-signals.ts';
import { type ApiEngine, ConfigurationError, ENV, required } from './wiring.ts';
import { indexArtifacts } from './wiring-artifacts.ts';
import { resolutionStore } from './wiring-dynamodb.ts';

/*
 * Wiring for the embedded engine on Lambda (`KB_SEARCH_ENGINE=embedded`), the API's side: index
 * artifacts from S3 served in-process, and past tickets read from the table (no stream indexer).
 */

/** `KB_INDEX_REFRESH_SECONDS` (default 30) in milliseconds. */
export function refreshIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env[ENV.indexRefreshSeconds];
  const seconds = raw ? Number(raw) : 30;
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new ConfigurationError(`${ENV.indexRefreshSeconds} is ${JSON.stringify(raw)}, expected a number of seconds`);
  }
  return seconds * 1000;
}

/**
 * The API's indexes: the latest published artifact, checked at most every refresh interval, and
 * past tickets from the table (a scan at cold start, then the change log on the same interval).
 * `onChange` is told when either changed (the search service drops its cached answers). With
 * `model` (the one the search service embeds queries with), an artifact's vectors of that model
 * rank by meaning too; an artifact of another model, or of none, ranks by words only, logged once.
 */
export function embeddedEngine(onChange: () => void, model?: ModelRef): ApiEngine {
  const intervalMs = refreshIntervalMs();
  const artifacts = indexArtifacts();
  const warned = new Set<string>();
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    console.warn({ message: 'index ranks by words only', reason: message });
  };
  const index = new RefreshingRunbookIndex(
    {
      location: artifacts.location,
      manifest: (etag) => artifacts.manifest(etag),
      load: async (manifest) => new PublishedRunbookIndex(await artifacts.load(manifest), { ...(model ? { model } : {}), warn }),
    },
    { intervalMs, onSwap: onChange },
  );
  const store = resolutionStore();
  const changes = new DynamoDbChangeLog(new DynamoDBClient({}), required(ENV.table));
  const signals = new SignalFeed(
    new EmbeddedResolutionIndex(),
    {
      all: () => storedSignals(store),
      changesSince: (at) => changes.since(at),
      append: (events) => changes.append(events),
      toSignal: signalOfItem,
    },
    { intervalMs, onChange },
  );
  return {
    index,
    resolutions: signals.index,
    refresh: async () => {
      await Promise.all([index.refresh(), signals.refresh()]);
    },
    deliver: signals.deliver,
  };
}
