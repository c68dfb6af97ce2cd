import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  NoSuchKey,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ContentSource } from '../../ports/content-source.ts';

const MARKDOWN = /\.(md|markdown)$/i;

/** Files that document the library rather than being runbooks in it (as in FsContentSource). */
const NOT_RUNBOOKS = new Set(['readme.md', 'contributing.md', 'changelog.md', 'license.md']);

/**
 * Whether a library path is a runbook: Markdown, not under a dot-folder, `_folder` or
 * `node_modules`, and not a README-style file at the root. The same rules as FsContentSource,
 * so a bucket synced from `content/` indexes exactly what `kb serve` indexes.
 */
export function isRunbookPath(path: string): boolean {
  if (!MARKDOWN.test(path)) return false;
  const segments = path.split('/');
  if (segments.slice(0, -1).some((s) => s.startsWith('.') || s.startsWith('_') || s === 'node_modules')) return false;
  return !(segments.length === 1 && NOT_RUNBOOKS.has(path.toLowerCase()));
}

export interface S3ContentSourceOptions {
  /** Key prefix of the library in the bucket ('' or ending in '/'). */
  prefix: string;
  /** Objects fetched ahead of `read` in `list()` order: a full load is bound by round trips, not bandwidth. */
  readAhead: number;
}

export const S3_CONTENT_DEFAULTS: S3ContentSourceOptions = { prefix: '', readAhead: 16 };

/** The one method of S3Client used here: real clients and test doubles both fit. */
export type S3Send = Pick<S3Client, 'send'>;

export const isMissing = (error: unknown) =>
  error instanceof NoSuchKey || (error as { name?: string })?.name === 'NoSuchKey' || (error as { name?: string })?.name === 'NotFound';

/**
 * The content library in an S3 bucket (synced from a content repo's `content/`). Paths are
 * relative to `prefix`. The bucket is versioned, so `previousVersion` can say which runbook a
 * deleted key held.
 */
export class S3ContentSource implements ContentSource {
  readonly location: string;
  readonly options: S3ContentSourceOptions;
  readonly #pending = new Map<string, Promise<Uint8Array>>();
  /** Listed paths and their position, for read-ahead. */
  #order: string[] = [];
  #position = new Map<string, number>();

  constructor(
    private readonly s3: S3Send,
    private readonly bucket: string,
    options: Partial<S3ContentSourceOptions> = {},
  ) {
    this.options = { ...S3_CONTENT_DEFAULTS, ...options };
    this.location = `s3://${bucket}/${this.options.prefix}`;
  }

  /** The library path of a bucket key, or undefined when the key is outside the prefix. */
  pathOf(key: string): string | undefined {
    return key.startsWith(this.options.prefix) ? key.slice(this.options.prefix.length) : undefined;
  }

  async list(): Promise<string[]> {
    const paths: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.options.prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const path = object.Key === undefined ? undefined : this.pathOf(object.Key);
        if (path && isRunbookPath(path)) paths.push(path);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // A new listing starts a new load: nothing fetched ahead for an earlier one may be served.
    this.#pending.clear();
    this.#order = paths.sort();
    this.#position = new Map(this.#order.map((p, i) => [p, i]));
    return [...this.#order];
  }

  read(path: string): Promise<Uint8Array> {
    const pending = this.#pending.get(path);
    this.#pending.delete(path);
    this.#prefetchAfter(path);
    return pending ?? this.#get(path);
  }

  async readOptional(path: string): Promise<Uint8Array | undefined> {
    try {
      return await this.#get(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /**
   * The content a key held before its latest version: for a deleted key, what was deleted.
   * Undefined when the bucket has no older version (or is not versioned).
   */
  async previousVersion(path: string): Promise<Uint8Array | undefined> {
    const key = this.options.prefix + path;
    const page: ListObjectVersionsCommandOutput = await this.s3.send(
      new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key, MaxKeys: 50 }),
    );
    const versions = (page.Versions ?? [])
      .filter((v) => v.Key === key && v.VersionId && !v.IsLatest)
      .sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0));
    const versionId = versions[0]?.VersionId;
    if (!versionId) return undefined;
    return this.#get(path, versionId);
  }

  async #get(path: string, versionId?: string): Promise<Uint8Array> {
    const { Body } = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.options.prefix + path, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    if (!Body) throw new Error(`s3://${this.bucket}/${this.options.prefix}${path} has no body`);
    return Body.transformToByteArray();
  }

  /** Starts fetching the next few listed paths; their errors surface when they are read. */
  #prefetchAfter(path: string): void {
    const at = this.#position.get(path);
    if (at === undefined) return;
    for (const next of this.#order.slice(at + 1, at + 1 + this.options.readAhead)) {
      if (this.#pending.has(next)) continue;
      const fetching = this.#get(next);
      fetching.catch(() => {});
      this.#pending.set(next, fetching);
    }
  }
}
