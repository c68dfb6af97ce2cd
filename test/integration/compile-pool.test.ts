import { describe, expect, it } from 'vitest';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import { compilePool } from '../../functions/src/local/compile-pool.ts';
import { CONTENT, FIXTURES } from '../helpers/runbooks.ts';

describe('the compile thread pool', () => {
  it('compiles a library exactly as the single thread does, in the same order', async () => {
    const source = new FsContentSource(CONTENT);
    const inThread = await loadLibrary(source);
    let progress = 0;
    const pooled = await loadLibrary(source, { compile: compilePool(2, 0), onProgress: (done) => (progress = done) });
    expect(pooled.runbooks).toEqual(inThread.runbooks);
    expect(progress).toBe(inThread.runbooks.length);
  });

  it('reports broken files from the threads as skipped', async () => {
    const pooled = await loadLibrary(new FsContentSource(`${FIXTURES}not-ok`), { compile: compilePool(2, 0) });
    expect(pooled.failures.map((f) => f.path)).toEqual(['l1/duplicate-b.md']);
  });
});
