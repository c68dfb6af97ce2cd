import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { compilerVersion } from '../adapters/compile/compiler-version.ts';
import { FsCompileCache } from '../adapters/fs/fs-compile-cache.ts';
import type { CacheSettings } from '../app/cached-compile.ts';

/** Where `kb build` and `kb serve` keep compile results between runs, beside the other local state. */
export const LOCAL_CACHE_DIR = '.kb/compile-cache';

/**
 * The local compile cache of one content folder. One file per folder: a cache keeps only the
 * entries its library uses, so `kb build --content other` must not empty the cache of `content/`.
 */
export async function localCompileCache(contentDir: string, dir = LOCAL_CACHE_DIR): Promise<CacheSettings> {
  const folder = createHash('sha256').update(resolve(contentDir)).digest('hex').slice(0, 16);
  return { store: new FsCompileCache(join(dir, `${folder}.json`)), compilerVersion: await compilerVersion() };
}
