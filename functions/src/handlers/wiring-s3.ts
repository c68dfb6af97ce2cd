import { S3Client } from '@aws-sdk/client-s3';
import { S3ContentSource } from '../adapters/s3/s3-content-source.ts';
import type { SearchService } from '../app/search-service.ts';
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

/** The content indexer's ports. */
export const contentIndexerDeps = /* @__PURE__ */ once(
  (): ContentDeps => ({ source: contentSource(), index: runbookIndex(), sync: syncRunbooks }),
);

/**
 * Synonyms live in the content bucket and apply at query time: reloaded at most every few
 * minutes, so an edit to synonyms.txt needs no reindex. A failed load keeps the previous set.
 */
export function synonymLoader(source: Pick<ContentSource, 'readOptional'>, search: SearchService, ttlMs = 5 * 60_000) {
  let loadedAt = Number.NEGATIVE_INFINITY;
  let current: string | undefined;
  return async () => {
    if (Date.now() - loadedAt < ttlMs) return;
    loadedAt = Date.now();
    try {
      const bytes = await source.readOptional('synonyms.txt');
      const text = bytes ? new TextDecoder().decode(bytes) : '';
      if (text !== current) search.setSynonyms(text ? parseSynonyms(text).set : NO_SYNONYMS);
      current = text;
    } catch (error) {
      loadedAt = Date.now() - ttlMs + 30_000; // try again in 30 s
      console.error({ message: 'could not load synonyms.txt', error: String(error) });
    }
  };
}
