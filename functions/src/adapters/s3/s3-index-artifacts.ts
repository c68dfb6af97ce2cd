import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { decodeArtifact, encodeArtifact, gunzippedSize, type IndexArtifact, type LoadedArtifact } from '../embedded/index-artifact.ts';
import type { S3Send } from './s3-content-source.ts';

export const MANIFEST_FORMAT = 'runbook-kb/index-manifest@1';

/** What `manifest.json` says: the artifact to load, and enough about it to log and to check. */
export interface IndexManifest {
  format: typeof MANIFEST_FORMAT;
  version: string;
  /** The artifact's key in the bucket (`<prefix>v/<version>.json.gz`). */
  key: string;
  builtAt: string;
  runbooks: number;
  /** Compressed size. */
  bytes: number;
  /** Decompressed size: the reader allocates it once. */
  rawBytes?: number;
  model: IndexArtifact['model'];
}

export type ManifestRead = { status: 'found'; manifest: IndexManifest; etag: string } | { status: 'not-modified' } | { status: 'missing' };

/** A manifest that exists but cannot be used: a deployment or storage fault, never silently ignored. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

export interface S3IndexArtifactsOptions {
  /** Key prefix ('' or ending in '/'). */
  prefix: string;
  /** Artifact versions kept, the current one included: a reader still loading an older one finds it. */
  keep: number;
}

export const S3_INDEX_DEFAULTS: S3IndexArtifactsOptions = { prefix: 'index/', keep: 3 };

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
const named = (error: unknown) => (error as { name?: string })?.name;

/**
 * Versioned index artifacts in a bucket: `<prefix>v/<version>.json.gz`, and `<prefix>manifest.json`
 * naming the current one. A publish writes the artifact first and the manifest last, so a reader
 * sees the old version or the new one, never half of one; older versions stay readable (`keep`).
 */
export class S3IndexArtifacts {
  readonly options: S3IndexArtifactsOptions;

  constructor(
    private readonly s3: S3Send,
    readonly bucket: string,
    options: Partial<S3IndexArtifactsOptions> = {},
  ) {
    this.options = { ...S3_INDEX_DEFAULTS, ...options };
  }

  get manifestKey(): string {
    return `${this.options.prefix}manifest.json`;
  }

  get location(): string {
    return `s3://${this.bucket}/${this.manifestKey}`;
  }

  async publish(artifact: IndexArtifact): Promise<IndexManifest> {
    const body = encodeArtifact(artifact);
    const key = `${this.options.prefix}v/${artifact.version}.json.gz`;
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json', ContentEncoding: 'gzip' }),
    );
    const manifest: IndexManifest = {
      format: MANIFEST_FORMAT,
      version: artifact.version,
      key,
      builtAt: artifact.builtAt,
      runbooks: artifact.index.runbooks.length,
      bytes: body.byteLength,
      rawBytes: gunzippedSize(body),
      model: artifact.model,
    };
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.manifestKey,
        Body: JSON.stringify(manifest, null, 2),
        ContentType: 'application/json',
        CacheControl: 'no-cache',
      }),
    );
    await this.#prune(key);
    return manifest;
  }

  /** Deletes all but the newest `keep` versions; never the current one. A failure is left for the next publish. */
  async #prune(current: string): Promise<void> {
    try {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${this.options.prefix}v/`, ContinuationToken: token }),
        );
        keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      // Versions sort by build time (see artifactOf).
      const old = keys
        .sort()
        .reverse()
        .slice(this.options.keep)
        .filter((key) => key !== current);
      if (old.length === 0) return;
      await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: old.map((Key) => ({ Key })) } }));
    } catch (error) {
      console.warn({ message: 'could not prune old index artifacts', error: String(error) });
    }
  }

  /** The current manifest; `not-modified` when its ETag is still `etag` (a conditional GET, no body). */
  async manifest(etag?: string): Promise<ManifestRead> {
    let text: string;
    let tag: string;
    try {
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.manifestKey, ...(etag ? { IfNoneMatch: etag } : {}) }),
      );
      text = (await object.Body?.transformToString()) ?? '';
      tag = object.ETag ?? '';
    } catch (error) {
      if (status(error) === 304 || named(error) === 'NotModified') return { status: 'not-modified' };
      if (named(error) === 'NoSuchKey' || named(error) === 'NotFound' || status(error) === 404) return { status: 'missing' };
      throw error;
    }
    return { status: 'found', manifest: parseManifest(text, this.location), etag: tag };
  }

  /** The artifact a manifest names, streamed from S3 and decompressed as it arrives. */
  async load(manifest: IndexManifest): Promise<LoadedArtifact> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: manifest.key }));
    if (!object.Body) throw new ManifestError(`s3://${this.bucket}/${manifest.key} has no body`);
    const artifact = await decodeArtifact(object.Body as AsyncIterable<Uint8Array>, manifest.rawBytes);
    if (artifact.header.version !== manifest.version) {
      throw new ManifestError(
        `s3://${this.bucket}/${manifest.key} holds version ${artifact.header.version}, the manifest names ${manifest.version}`,
      );
    }
    return artifact;
  }
}

export function parseManifest(text: string, location: string): IndexManifest {
  let parsed: Partial<IndexManifest> | null;
  try {
    parsed = JSON.parse(text) as Partial<IndexManifest> | null;
  } catch {
    throw new ManifestError(`${location} is not JSON`);
  }
  if (parsed?.format !== MANIFEST_FORMAT || typeof parsed.key !== 'string' || typeof parsed.version !== 'string') {
    throw new ManifestError(`${location} is not a ${MANIFEST_FORMAT} manifest (expected format, version and key)`);
  }
  return parsed as IndexManifest;
}
