import { EmbeddedRunbookIndex } from '../adapters/embedded/embedded-runbook-index.ts';
import { FsContentSource } from '../adapters/fs/fs-content-source.ts';
import { FsEmbeddingCache } from '../adapters/fs/fs-embedding-cache.ts';
import { sharedEmbedder } from '../adapters/onnx/onnx-embedder.ts';
import { today } from '../app/clock.ts';
import { type Library, type LoadOptions, loadLibrary } from '../app/load-library.ts';
import { SearchService, type SearchServiceDeps } from '../app/search-service.ts';
import type { CompiledRunbook } from '../core/runbook/model.ts';
import { embeddingTexts } from '../core/search/documents.ts';
import { type SearchOptions, searchOptions } from '../core/search/options.ts';
import { NO_SYNONYMS, parseSynonyms } from '../core/search/synonyms.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';

export interface EmbeddedPlatform {
  library: Library;
  index: EmbeddedRunbookIndex;
  search: SearchService;
  source: FsContentSource;
  /** Set when the library was indexed by its words first and the model embeds it behind the running server. */
  embedding?: BackgroundEmbedding;
}

/**
 * Texts `kb serve` lets the model embed before it answers: about 10 s of the model on 2 cores
 * for long texts (190–228 a second), less for symptom phrases; the starter library has 775. A
 * first start with more than the vector cache holds (a team's own 10,000 articles: about 46 s of
 * the model) answers by words at once, and by meaning too once every runbook is embedded; the
 * next start finds the vectors in the cache.
 */
export const EMBED_BEFORE_SERVING = 2_000;

/** A library's runbooks being embedded while the server already answers by their words. */
export interface BackgroundEmbedding {
  /** Runbooks answered by their words alone until `done`. */
  runbooks: number;
  /**
   * Settles once their vectors are in the index and the answer cache is emptied, with how many
   * runbooks were embedded, or with undefined if `stop` came first; rejects if the model fails
   * (the server goes on answering by words).
   */
  done: Promise<number | undefined>;
  /** Stops after the slices of runbooks given to the model (up to four): the vectors made so far stay in the vector cache. */
  stop: () => Promise<void>;
}

/** A few thousand answers for a minute: a help desk repeats itself, and edits invalidate it. */
export const LOCAL_CACHE = { max: 5000, ttlMs: 60_000 };

/** The search service the local platform runs over any engine: the library's synonyms and escalation queues, the answer cache, learning. */
export function localSearchService(
  index: RunbookIndex,
  library: Library,
  options: { search?: Partial<SearchOptions>; learning?: SearchServiceDeps['learning']; embedder?: Embedder },
): SearchService {
  return new SearchService({
    index,
    synonyms: library.settings.synonyms ? parseSynonyms(library.settings.synonyms).set : NO_SYNONYMS,
    ...(library.settings.queues ? { queues: library.settings.queues } : {}),
    options: searchOptions(options.search),
    today,
    cache: LOCAL_CACHE,
    ...(options.learning ? { learning: options.learning } : {}),
    ...(options.embedder ? { embedder: options.embedder } : {}),
  });
}

/** Compiles a content folder into the in-process engine and returns the search service over it. */
export async function startEmbeddedSearch(
  contentDir: string,
  options: {
    load?: LoadOptions;
    search?: Partial<SearchOptions>;
    learning?: SearchServiceDeps['learning'];
    /** The model for hybrid retrieval: the installed one by default; `false` for lexical only. */
    embedder?: Embedder | false;
    /** The same model for runbooks, when it is behind a cache of their vectors (see FsEmbeddingCache). */
    documentEmbedder?: Embedder;
    /**
     * Texts to embed before returning (see EMBED_BEFORE_SERVING); with more, the runbooks are
     * indexed by their words and embedded in the background (`embedding`). Unset, every runbook
     * is embedded before returning, as `kb eval` needs.
     */
    embedBeforeServing?: number;
  } = {},
): Promise<EmbeddedPlatform> {
  const source = new FsContentSource(contentDir);
  const [library, embedder] = await Promise.all([
    loadLibrary(source, options.load),
    options.embedder === false ? undefined : (options.embedder ?? sharedEmbedder()),
  ]);
  const forDocuments = embedder && (options.documentEmbedder ?? embedder);
  const limit = options.embedBeforeServing;
  const later = forDocuments !== undefined && limit !== undefined && textsToEmbed(forDocuments, library.runbooks) > limit;
  // Embedding in the background goes in slices, each asked first whether the server is stopping.
  const stop = { asked: false };
  const keepEmbedding = () => !stop.asked;
  const index = new EmbeddedRunbookIndex(forDocuments ? { embedder: forDocuments, ...(later ? { keepEmbedding } : {}) } : {});
  await index.upsert(library.runbooks, { vectors: later ? 'later' : 'now' });
  const { embedder: _, documentEmbedder: __, embedBeforeServing: ___, ...rest } = options;
  const search = localSearchService(index, library, { ...rest, ...(embedder ? { embedder } : {}) });
  return { library, index, search, source, ...(later ? { embedding: embedInBackground(index, search, stop) } : {}) };
}

/** Texts of these runbooks the model has not embedded yet, as far as a vector cache tells. */
function textsToEmbed(embedder: Embedder, runbooks: readonly CompiledRunbook[]): number {
  const texts = runbooks.flatMap(embeddingTexts);
  return embedder instanceof FsEmbeddingCache ? embedder.uncached(texts) : texts.length;
}

function embedInBackground(index: EmbeddedRunbookIndex, search: SearchService, stop: { asked: boolean }): BackgroundEmbedding {
  const runbooks = index.withoutVectors;
  const done = index.embedMissing().then((embedded) => {
    search.invalidate();
    return stop.asked ? undefined : embedded;
  });
  // A caller that does not wait for it is not ended by an unhandled rejection if the model fails.
  done.catch(() => {});
  return {
    runbooks,
    done,
    stop: async () => {
      stop.asked = true;
      await done.catch(() => {});
    },
  };
}
