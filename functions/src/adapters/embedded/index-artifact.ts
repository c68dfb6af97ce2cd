import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import type { EmbeddedIndexSnapshot } from './embedded-runbook-index.ts';

/*
 * The index artifact: one gzip'd JSON document holding everything the API needs to answer from
 * the embedded engine (compiled runbooks with their HTML, MiniSearch's serialised index), built by
 * the content indexer and loaded by the API at cold start. No meaning vectors yet: the Lambda
 * functions have no model, so an artifact ranks by words only and says so (`model: null`).
 */

export const ARTIFACT_FORMAT = 'runbook-kb/index-artifact@1';

export interface IndexArtifact {
  format: typeof ARTIFACT_FORMAT;
  /** Sortable and unique: the build time, then a digest of the content (`20261204T183000Z-1a2b3c4d`). */
  version: string;
  builtAt: string;
  /** The compiler's fingerprint: runbooks compiled by the same compiler are reused as they are. */
  compilerVersion: string;
  /** The compile options the runbooks were compiled with (app/cached-compile.ts's fingerprint: categories, limits…). */
  compileOptions: string;
  /** The model behind vectors in the artifact; null when it holds none (words-only ranking). */
  model: { id: string; dimension: number } | null;
  index: EmbeddedIndexSnapshot;
}

/** An artifact that cannot be read: not gzip, not JSON, or another format. */
export class ArtifactFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArtifactFormatError';
  }
}

/**
 * A new artifact's fields around a snapshot, its version derived from the time and the content.
 *
 * @example artifactOf(index.snapshot(), { builtAt: '2026-12-04T18:30:00.000Z', compilerVersion: 'abc', compileOptions: '{}' }).version // '20261204T183000000Z-…'
 */
export function artifactOf(
  index: EmbeddedIndexSnapshot,
  options: { builtAt: string; compilerVersion: string; compileOptions: string },
): IndexArtifact {
  const digest = createHash('sha256');
  for (const runbook of [...index.runbooks].sort((a, b) => a.id.localeCompare(b.id))) digest.update(`${runbook.id}\0${runbook.hash}\0`);
  const stamp = options.builtAt.replace(/[-:.]/g, '');
  return {
    format: ARTIFACT_FORMAT,
    version: `${stamp}-${digest.digest('hex').slice(0, 8)}`,
    builtAt: options.builtAt,
    compilerVersion: options.compilerVersion,
    compileOptions: options.compileOptions,
    model: null,
    index,
  };
}

/** The artifact as stored: JSON, gzip'd (level 6: within a few % of 9 at a third of the time). */
export function encodeArtifact(artifact: IndexArtifact): Uint8Array {
  return gzipSync(JSON.stringify(artifact), { level: 6 });
}

/**
 * Reads an artifact as it arrives (an S3 body stream, or bytes): decompressed on the fly into
 * one buffer, parsed once; the engine then loads from the parsed object (MiniSearch.loadJS).
 */
export async function decodeArtifact(body: AsyncIterable<Uint8Array> | Uint8Array): Promise<IndexArtifact> {
  const chunks: Buffer[] = [];
  try {
    const input = body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body);
    for await (const chunk of input.pipe(createGunzip())) chunks.push(chunk as Buffer);
  } catch (cause) {
    throw new ArtifactFormatError(`the index artifact is not gzip data: ${(cause as Error).message}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (cause) {
    throw new ArtifactFormatError(`the index artifact is not JSON: ${(cause as Error).message}`, { cause });
  }
  const artifact = parsed as Partial<IndexArtifact> | null;
  if (artifact?.format !== ARTIFACT_FORMAT || !artifact.index?.engine || !Array.isArray(artifact.index.runbooks)) {
    throw new ArtifactFormatError(`the index artifact is not ${ARTIFACT_FORMAT} (format ${JSON.stringify(artifact?.format)})`);
  }
  return artifact as IndexArtifact;
}
