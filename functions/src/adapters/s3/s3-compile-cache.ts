import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { CompileResult } from '../../core/runbook/model.ts';
import type { CompileCache } from '../../ports/compile-cache.ts';
import { decodeCacheFile, encodeCacheFile, mergeCacheEntries, pickEntries } from '../compile/cache-file.ts';
import type { S3Send } from './s3-content-source.ts';

/**
 * The content indexer's compile cache: one S3 object in the cache-file format (cache-file.ts), so
 * a daily sync or a rebuild on a cold instance compiles only the runbooks that changed. The cache
 * is an optimisation: an object that is missing, unreadable or of another format is an empty
 * cache, and the caller (app/cached-compile.ts) carries on when a write fails.
 */
export class S3CompileCache implements CompileCache {
  private entries: Promise<Map<string, CompileResult>> | undefined;

  constructor(
    private readonly s3: S3Send,
    readonly bucket: string,
    readonly key: string,
  ) {}

  private load(): Promise<Map<string, CompileResult>> {
    this.entries ??= this.s3
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }))
      .then(async (object) => decodeCacheFile(Buffer.from((await object.Body?.transformToByteArray()) ?? []).toString('latin1')))
      .catch(() => new Map());
    return this.entries;
  }

  async get(keys: readonly string[]): Promise<Map<string, CompileResult>> {
    return pickEntries(await this.load(), keys);
  }

  async put(fresh: ReadonlyMap<string, CompileResult>, live: ReadonlySet<string>): Promise<void> {
    const loaded = await this.load();
    // Held for one library load only: a warm instance re-reads it on the next, as another may have written it.
    this.entries = undefined;
    const { entries, changed } = mergeCacheEntries(loaded, fresh, live);
    if (!changed) return;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key,
        Body: Buffer.from(encodeCacheFile(entries), 'latin1'),
        ContentType: 'application/json',
      }),
    );
  }
}
