import type { CompileResult } from '../core/runbook/model.ts';

/**
 * Compile results by key (the file's path and bytes, the compile options and the compiler's own
 * version: see app/compile-cache-key.ts), so an unchanged runbook is never compiled twice. A file
 * on disk locally (`.kb/`); an S3 object can follow for the content indexer.
 */
export interface CompileCache {
  /** The results held for these keys; a key missing from the answer is a miss. */
  get(keys: readonly string[]): Promise<Map<string, CompileResult>>;
  /**
   * Stores fresh results. `live` is every key the library uses now (fresh or from the cache), so
   * the cache may drop the rest and stay the size of the library.
   */
  put(fresh: ReadonlyMap<string, CompileResult>, live: ReadonlySet<string>): Promise<void>;
}
