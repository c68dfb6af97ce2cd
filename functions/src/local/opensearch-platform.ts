import { FsContentSource } from '../adapters/fs/fs-content-source.ts';
import type { OpenSearchConnection } from '../adapters/opensearch/client.ts';
import { type OpenSearchIndexOptions, OpenSearchRunbookIndex } from '../adapters/opensearch/opensearch-runbook-index.ts';
import { type SyncReport, syncIndex } from '../adapters/opensearch/sync.ts';
import { type Library, type LoadOptions, loadLibrary } from '../app/load-library.ts';
import type { SearchService, SearchServiceDeps } from '../app/search-service.ts';
import type { SearchOptions } from '../core/search/options.ts';
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
 * needs no reindex on either engine.
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
  } = {},
): Promise<OpenSearchPlatform> {
  const source = new FsContentSource(contentDir);
  const library = await loadLibrary(source, options.load);
  const index = OpenSearchRunbookIndex.connect(connection, options.index);
  const sync = await syncIndex(index, library.runbooks, { full: options.full ?? false });
  return { library, index, search: localSearchService(index, library, options), source, sync };
}
