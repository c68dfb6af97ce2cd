import { FsContentSource } from '../adapters/fs/fs-content-source.ts';
import { sharedEmbedder } from '../adapters/onnx/onnx-embedder.ts';
import type { OpenSearchConnection } from '../adapters/opensearch/client.ts';
import { type OpenSearchIndexOptions, OpenSearchRunbookIndex } from '../adapters/opensearch/opensearch-runbook-index.ts';
import { type SyncReport, syncIndex } from '../adapters/opensearch/sync.ts';
import { type Library, type LoadOptions, loadLibrary } from '../app/load-library.ts';
import type { SearchService, SearchServiceDeps } from '../app/search-service.ts';
import type { SearchOptions } from '../core/search/options.ts';
import type { Embedder } from '../ports/embedder.ts';
import { localSearchService } from './embedded-platform.ts';

/** Where `kb serve --opensearch` searches: a cluster, and the alias there (default `kb-runbooks`). */
export interface OpenSearchTarget {
  connection: OpenSearchConnection;
  alias?: string;
}

export interface OpenSearchPlatform {
  library: Library;
  index: OpenSearchRunbookIndex;
  search: SearchService;
  source: FsContentSource;
  /** What starting did to the index (usually: nothing changed, everything unchanged). */
  sync: SyncReport;
}

/**
 * The local platform on an OpenSearch cluster instead of the embedded engine: the content folder
 * is synced into the index by content hash (or rebuilt when the index design changed), and the
 * same SearchService runs over it. Synonyms stay with the query planner, so editing synonyms.txt
 * needs no reindex on either engine. With a model (the installed one by default), runbooks get
 * meaning vectors in the index and queries a vector, as on the embedded engine: hybrid retrieval.
 */
export async function startOpenSearchSearch(
  contentDir: string,
  connection: OpenSearchConnection,
  options: {
    load?: LoadOptions;
    search?: Partial<SearchOptions>;
    learning?: SearchServiceDeps['learning'];
    index?: Partial<OpenSearchIndexOptions>;
    full?: boolean;
    /** The model for hybrid retrieval: the installed one by default; `false` for words only. */
    embedder?: Embedder | false;
    /** The same model for runbooks, when it is behind a cache of their vectors (see FsEmbeddingCache). */
    documentEmbedder?: Embedder;
  } = {},
): Promise<OpenSearchPlatform> {
  const source = new FsContentSource(contentDir);
  const [library, embedder] = await Promise.all([
    loadLibrary(source, options.load),
    options.embedder === false ? undefined : (options.embedder ?? sharedEmbedder()),
  ]);
  const forDocuments = embedder && (options.documentEmbedder ?? embedder);
  const index = OpenSearchRunbookIndex.connect(connection, { ...options.index, ...(forDocuments ? { embedder: forDocuments } : {}) });
  const sync = await syncIndex(index, library.runbooks, { full: options.full ?? false });
  const { embedder: _, documentEmbedder: __, ...rest } = options;
  return { library, index, search: localSearchService(index, library, { ...rest, ...(embedder ? { embedder } : {}) }), source, sync };
}
