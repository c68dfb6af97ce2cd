import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilerVersion } from '../../functions/src/adapters/compile/compiler-version.ts';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { S3CompileCache } from '../../functions/src/adapters/s3/s3-compile-cache.ts';
import { type Compile, compileInThread } from '../../functions/src/app/load-library.ts';
import { type ContentDeps, syncLibrary } from '../../functions/src/handlers/content-events.ts';
import { type LocalS3, startLocalS3 } from '../helpers/local-s3.ts';
import { CONTENT } from '../helpers/runbooks.ts';

/**
 * The content indexer's compile cache in S3 (the S3 API served locally by s3rver): a whole-library
 * sync on a cold instance compiles only what changed since the last one.
 */
const BUCKET = 'kb-index';
let local: LocalS3;
let s3: S3Client;

beforeAll(async () => {
  local = await startLocalS3([BUCKET]);
  s3 = local.s3;
});

afterAll(() => local?.close());

/** Sync deps over the starter library, counting the files actually compiled; a new cache object each time, as on a cold instance. */
async function syncDeps(key: string) {
  const compiled: string[] = [];
  const counting: Compile = (sources, options, onDone) => {
    compiled.push(...sources.map((s) => s.path));
    return compileInThread(sources, options, onDone);
  };
  const index = new EmbeddedRunbookIndex();
  const deps = {
    source: new FsContentSource(CONTENT) as unknown as ContentDeps['source'],
    index,
    compile: counting,
    compileCache: async () => ({ store: new S3CompileCache(s3, BUCKET, key), compilerVersion: await compilerVersion() }),
    sync: async (runbooks) => {
      const report = await index.upsert(runbooks);
      return { mode: 'incremental', indexed: report.indexed, removed: 0, failed: [], swapped: false };
    },
  } satisfies ContentDeps;
  return { deps, compiled, index };
}

describe('the content indexer’s compile cache in S3', () => {
  it('compiles every runbook on the first sync and none on the next, with the same library indexed', async () => {
    const first = await syncDeps('compile-cache/runbooks.json');
    const before = await syncLibrary(false, first.deps);
    expect(first.compiled.length).toBeGreaterThan(70);

    const second = await syncDeps('compile-cache/runbooks.json');
    const after = await syncLibrary(false, second.deps);
    expect(second.compiled).toEqual([]);
    expect(after.indexed).toBe(before.indexed);
    expect(after.skipped).toEqual(before.skipped);
    const [onedrive] = await second.index.get(['onedrive-not-syncing']);
    expect(onedrive?.meta.title).toMatch(/OneDrive/);
  });

  it('compiles everything, and goes on, when the cached object is missing or not a cache', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'compile-cache/torn.json', Body: '{"format":2,"entries":{' }));
    for (const key of ['compile-cache/torn.json', 'compile-cache/none-yet.json']) {
      const run = await syncDeps(key);
      const outcome = await syncLibrary(false, run.deps);
      expect(run.compiled.length, key).toBeGreaterThan(70);
      expect(outcome.indexed, key).toBeGreaterThan(70);
    }
  });
});
