import { EmbeddedRunbookIndex } from '../adapters/embedded/embedded-runbook-index.ts';
import { FsContentSource } from '../adapters/fs/fs-content-source.ts';
import { sharedEmbedder } from '../adapters/onnx/onnx-embedder.ts';
import { today } from '../app/clock.ts';
import { type Library, type LoadOptions, loadLibrary } from '../app/load-library.ts';
import { SearchService, type SearchServiceDeps } from '../app/search-service.ts';
import { type SearchOptions, searchOptions } from '../core/search/options.ts';
import { NO_SYNONYMS, parseSynonyms } from '../core/search/synonyms.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';

export interface EmbeddedPlatform {
  library: Library;
  index: EmbeddedRunbookIndex;
  search: SearchService;
  source: FsContentSource;
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
  } = {},
): Promise<EmbeddedPlatform> {
  const source = new FsContentSource(contentDir);
  const [library, embedder] = await Promise.all([
    loadLibrary(source, options.load),
    options.embedder === false ? undefined : (options.embedder ?? sharedEmbedder()),
  ]);
  const forDocuments = embedder && (options.documentEmbedder ?? embedder);
  const index = new EmbeddedRunbookIndex(forDocuments ? { embedder: forDocuments } : {});
  await index.upsert(library.runbooks);
  const { embedder: _, documentEmbedder: __, ...rest } = options;
  return { library, index, search: localSearchService(index, library, { ...rest, ...(embedder ? { embedder } : {}) }), source };
}
