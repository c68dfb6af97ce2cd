import { S3Client } from '@aws-sdk/client-s3';
import { compilerVersion } from '../adapters/compile/compiler-version.ts';
import { S3CompileCache } from '../adapters/s3/s3-compile-cache.ts';
import { S3ContentSource } from '../adapters/s3/s3-content-source.ts';
import { S3SettingsFiles } from '../adapters/s3/s3-settings-files.ts';
import type { SearchService } from '../app/search-service.ts';
import { type EscalationQueues, NO_QUEUES, publishedQueues, queuesFromPublished } from '../core/search/queues.ts';
import { NO_SYNONYMS, parseSynonyms } from '../core/search/synonyms.ts';
import type { ContentSource } from '../ports/content-source.ts';
import type { ContentDeps } from './content-events.ts';
import { ENV, once, required, runbookIndex, syncRunbooks } from './wiring.ts';

/*
 * Wiring for the content bucket, apart from wiring.ts so that the function that never reads the
 * bucket (the resolution indexer) neither bundles nor loads the S3 client and the compiler.
 */

export const contentSource = /* @__PURE__ */ once(
  () => new S3ContentSource(new S3Client({}), required(ENV.bucket), { prefix: process.env[ENV.prefix] ?? '' }),
);

/** The compile cache's key in the index bucket; infra scopes the content indexer's access to its prefix. */
export const COMPILE_CACHE_KEY = 'compile-cache/runbooks.json';

/**
 * The content indexer's compile cache: an object beside the index artifacts in the index bucket
 * (not the content bucket, whose notifications would call the indexer for it and whose CI sync
 * would delete it). None without KB_INDEX_BUCKET: every sync then compiles everything.
 */
const compileCache = /* @__PURE__ */ once(() => {
  const bucket = process.env[ENV.indexBucket];
  if (!bucket) return undefined;
  return async () => ({ store: new S3CompileCache(new S3Client({}), bucket, COMPILE_CACHE_KEY), compilerVersion: await compilerVersion() });
});

/** What the content indexer derives from the library for the API: JSON in the index bucket's `settings/`. */
export const settingsFiles = /* @__PURE__ */ once(() => new S3SettingsFiles(new S3Client({}), required(ENV.indexBucket)));

/** The taxonomy's escalation queues as the content indexer publishes them (`publishedQueues`). */
export const QUEUES_FILE = 'escalation-queues.json';

/** The content indexer's way to hand the API the queues of the library's taxonomy. */
export const queuesPublisher =
  (files: Pick<S3SettingsFiles, 'write'>) =>
  (queues: EscalationQueues): Promise<void> =>
    files.write(QUEUES_FILE, publishedQueues(queues));

/** The content indexer's ports. */
export const contentIndexerDeps = /* @__PURE__ */ once((): ContentDeps => {
  const cache = compileCache();
  return {
    source: contentSource(),
    index: runbookIndex(),
    sync: syncRunbooks,
    publishQueues: queuesPublisher(settingsFiles()),
    ...(cache ? { compileCache: cache } : {}),
  };
});

/** Where the API reads its query-time settings: the authors' synonyms.txt, and the queues the indexer published. */
export interface SettingsSources {
  content: Pick<ContentSource, 'readOptional'>;
  published: Pick<S3SettingsFiles, 'readOptional'>;
}

/**
 * Synonyms and escalation queues apply at query time, reloaded at most every few minutes: an edit
 * to synonyms.txt needs no reindex, and one to the teams in taxonomy.yaml reaches the API once the
 * sync it causes has published the queues. A file that fails to load or parse keeps its previous
 * settings.
 */
export function settingsLoader({ content, published }: SettingsSources, search: SearchService, ttlMs = 5 * 60_000) {
  const settings: Setting[] = [
    { source: content, file: 'synonyms.txt', apply: (text) => search.setSynonyms(text ? parseSynonyms(text).set : NO_SYNONYMS) },
    { source: published, file: QUEUES_FILE, apply: (text) => search.setQueues(text ? queuesFromPublished(text) : NO_QUEUES) },
  ];
  const loaders = settings.map((setting) => reloader(setting, ttlMs));
  return async () => {
    await Promise.all(loaders.map((load) => load()));
  };
}

interface Setting {
  source: Pick<ContentSource, 'readOptional'>;
  file: string;
  /** Applies the file's text ('' when absent); throws when it is malformed. */
  apply: (text: string) => void;
}

function reloader({ source, file, apply }: Setting, ttlMs: number) {
  let loadedAt = Number.NEGATIVE_INFINITY;
  let current: string | undefined;
  return async () => {
    if (Date.now() - loadedAt < ttlMs) return;
    loadedAt = Date.now();
    try {
      const bytes = await source.readOptional(file);
      const text = bytes ? new TextDecoder().decode(bytes) : '';
      if (text !== current) apply(text);
      current = text;
    } catch (error) {
      loadedAt = Date.now() - ttlMs + 30_000; // try again in 30 s
      console.error({ message: `could not load ${file}`, error: String(error) });
    }
  };
}
