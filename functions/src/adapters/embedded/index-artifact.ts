import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { CompiledRunbook, Tier } from '../../core/runbook/model.ts';
import type { EmbeddedIndexSnapshot } from './embedded-runbook-index.ts';

/*
 * The index artifact: everything the API needs to answer from the embedded engine, built by the
 * content indexer and loaded by the API at cold start. Gzip'd lines of JSON: a header (versions,
 * and a summary line per runbook), MiniSearch's serialised index, then one compiled runbook (with
 * its HTML) per line. A reader parses the header and the index; a runbook's line is parsed when
 * the runbook is first asked for (a search needs ten, not ten thousand), so a cold start parses
 * about a fifth of the bytes, and the heap holds the runbooks in use, not the library.
 *
 * Built with a model, the artifact also carries each runbook's meaning vectors (its main vector,
 * then one per symptom phrase, `vectors` in its summary line) as a binary tail after the last
 * line: the Float32Array bytes (little-endian, as on every Lambda and development machine), in
 * the runbooks' order, `vectorBytes` long and starting at a multiple of 4, so the reader takes
 * them as they are, with no parsing. Without a model the header says `model: null`, there is no
 * tail, and the artifact ranks by words only.
 */

export const ARTIFACT_FORMAT = 'runbook-kb/index-artifact@1';

/** What `stats()` and `hashes()` need of a runbook, kept in the header so they parse no runbook. */
export interface RunbookSummary {
  id: string;
  hash: string;
  tier: Tier;
  sections: number;
  /** Meaning vectors in the binary tail: the main one, then one per symptom phrase (absent: none). */
  vectors?: number;
}

/** The model whose vectors an index holds: vectors of two models are never compared. */
export interface ModelRef {
  id: string;
  dimension: number;
}

export interface ArtifactHeader {
  format: typeof ARTIFACT_FORMAT;
  /** Sortable and unique: the build time, then a digest of the content (`20261204T183000000Z-1a2b3c4d`). */
  version: string;
  builtAt: string;
  /** The compiler's fingerprint: runbooks compiled by the same compiler with the same options are reused as they are. */
  compilerVersion: string;
  /** The compile options the runbooks were compiled with (app/cached-compile.ts's fingerprint: categories, limits…). */
  compileOptions: string;
  /** The model behind vectors in the artifact; null when it holds none (words-only ranking). */
  model: ModelRef | null;
  /** In the order of the runbook lines. */
  runbooks: RunbookSummary[];
  /** Length of the binary tail of vectors (absent: none). */
  vectorBytes?: number;
}

/** An artifact to write: its header fields and the index's snapshot. */
export interface IndexArtifact extends Omit<ArtifactHeader, 'runbooks'> {
  index: EmbeddedIndexSnapshot;
}

/** An artifact as read: header and engine parsed, runbooks parsed on first use (once each). */
export interface LoadedArtifact {
  header: ArtifactHeader;
  engine: EmbeddedIndexSnapshot['engine'];
  runbook(id: string): CompiledRunbook | undefined;
  /** Every runbook, parsed (the content indexer's restore). */
  runbooks(): CompiledRunbook[];
  /** Each runbook's vectors (main, then phrases) as views into the artifact; undefined without a model. */
  vectors(): Map<string, Float32Array[]> | undefined;
}

/** An artifact that cannot be read: not gzip, not JSON lines, or another format. */
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
  const model = index.vectors?.model ?? null;
  return { format: ARTIFACT_FORMAT, version: `${stamp}-${digest.digest('hex').slice(0, 8)}`, model, ...options, index };
}

/** The artifact as stored (level 6: within a few % of 9's size at a third of the time). */
export function encodeArtifact(artifact: IndexArtifact): Uint8Array {
  const { index, ...fields } = artifact;
  const vectors = index.vectors && artifact.model ? index.runbooks.map((r) => index.vectors?.byId.get(r.id) ?? []) : undefined;
  const tail = vectors ? vectorBytes(vectors, (artifact.model as ModelRef).dimension) : undefined;
  const header: ArtifactHeader = {
    ...fields,
    runbooks: index.runbooks.map((r, i) => ({
      id: r.id,
      hash: r.hash,
      tier: r.meta.tier,
      sections: r.sections.length,
      ...(vectors ? { vectors: vectors[i]?.length ?? 0 } : {}),
    })),
    ...(tail ? { vectorBytes: tail.byteLength } : {}),
  };
  // JSON.stringify never writes a raw newline, so lines are records.
  const lines = [JSON.stringify(header), JSON.stringify(index.engine), ...index.runbooks.map((r) => JSON.stringify(r))];
  const text = Buffer.from(lines.join('\n'));
  if (!tail) return gzipSync(text, { level: 6 });
  // Spaces after the last line's newline put the tail at a multiple of 4 (JSON lines never end in one).
  const pad = (4 - ((text.byteLength + 1) % 4)) % 4;
  return gzipSync(Buffer.concat([text, Buffer.from(`\n${' '.repeat(pad)}`), tail]), { level: 6 });
}

/** Vectors end to end, as bytes. */
function vectorBytes(vectors: readonly (readonly Float32Array[])[], dimension: number): Buffer {
  const out = new Float32Array(vectors.reduce((n, v) => n + v.length, 0) * dimension);
  let at = 0;
  for (const list of vectors)
    for (const v of list) {
      if (v.length !== dimension) throw new Error(`vector of ${v.length} dimensions, expected ${dimension}`);
      out.set(v, at);
      at += dimension;
    }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** The vectors of each runbook, from the tail, as views (copied first if the tail is not 4-aligned in memory). */
function vectorsOf(header: ArtifactHeader, tail: Buffer): Map<string, Float32Array[]> {
  const dimension = header.model?.dimension ?? 0;
  const count = header.runbooks.reduce((n, r) => n + (r.vectors ?? 0), 0);
  if (!header.model || !Number.isInteger(dimension) || dimension <= 0 || count * dimension * 4 !== tail.byteLength) {
    throw new ArtifactFormatError(
      `the index artifact's vectors (${tail.byteLength} bytes) do not match its header (${count} vectors of model ${JSON.stringify(header.model)})`,
    );
  }
  const aligned = tail.byteOffset % 4 === 0 ? tail : Buffer.from(tail);
  const floats = new Float32Array(aligned.buffer, aligned.byteOffset, tail.byteLength / 4);
  const byId = new Map<string, Float32Array[]>();
  let at = 0;
  for (const r of header.runbooks) {
    const list: Float32Array[] = [];
    for (let k = 0; k < (r.vectors ?? 0); k++, at += dimension) list.push(floats.subarray(at, at + dimension));
    if (list.length > 0) byId.set(r.id, list);
  }
  return byId;
}

/**
 * Compiled runbooks kept parsed at once (each a few tens of KB on the heap). A search reads up to
 * 200 candidates, so a cache smaller than the library re-parses on most queries: at 5,000 runbooks
 * a limit of 2,000 cost 8.3 / 69 ms of CPU at the search p50 / p99 against 6.9 / 20 ms with none.
 * Up to this many nothing is dropped; beyond, the heap stays within a 1,024 MB function.
 */
const PARSED_RUNBOOKS = 5_000;

/** The decompressed size gzip records in its trailer (ISIZE, modulo 4 GiB): what a reader allocates up front. */
export function gunzippedSize(gzip: Uint8Array): number {
  return Buffer.from(gzip.buffer, gzip.byteOffset, gzip.byteLength).readUInt32LE(gzip.byteLength - 4);
}

/**
 * Reads an artifact as it arrives (an S3 body stream, or bytes), decompressed on the fly into one
 * buffer. With `size` (the manifest's `rawBytes`) that buffer is allocated once and filled, so the
 * load's peak memory is the artifact once, not its pieces and their copy.
 */
export async function decodeArtifact(body: AsyncIterable<Uint8Array> | Uint8Array, size?: number): Promise<LoadedArtifact> {
  let bytes: Buffer;
  try {
    const input = body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body);
    bytes = await collect(input.pipe(createGunzip()), size);
  } catch (cause) {
    throw new ArtifactFormatError(`the index artifact is not gzip data: ${(cause as Error).message}`, { cause });
  }
  const firstLine = bytes.indexOf(10);
  const header = parse<ArtifactHeader>(bytes, [0, ...(firstLine === -1 ? [] : [firstLine + 1])], 0, 'header');
  if (header?.format !== ARTIFACT_FORMAT || !Array.isArray(header.runbooks)) {
    throw new ArtifactFormatError(`the index artifact is not ${ARTIFACT_FORMAT} (format ${JSON.stringify(header?.format)})`);
  }
  // With vectors, the lines end where the binary tail (and the spaces before it) begin.
  const tailBytes = header.vectorBytes ?? 0;
  if (!Number.isInteger(tailBytes) || tailBytes < 0 || tailBytes > bytes.length) {
    throw new ArtifactFormatError(`the index artifact's header gives ${tailBytes} bytes of vectors in ${bytes.length}`);
  }
  let end = bytes.length - tailBytes;
  const tail = bytes.subarray(end);
  if (tailBytes > 0) {
    while (end > 0 && bytes[end - 1] === 32) end--;
    if (bytes[end - 1] === 10) end--;
  }
  const text = bytes.subarray(0, end);
  const lineAt = lines(text);
  if (lineAt.length !== header.runbooks.length + 2) {
    throw new ArtifactFormatError(`the index artifact has ${lineAt.length - 2} runbook lines, its header lists ${header.runbooks.length}`);
  }
  const engine = parse<EmbeddedIndexSnapshot['engine']>(text, lineAt, 1, 'index');
  const position = new Map(header.runbooks.map((r, i) => [r.id, i + 2]));
  // Parsed runbooks are kept for the hits people open again; beyond that many, the least recently
  // used is dropped and parsed again from its line if asked for (tens of µs), which bounds the heap.
  const parsed = new LRUCache<string, CompiledRunbook>({ max: PARSED_RUNBOOKS });
  const runbook = (id: string) => {
    let found = parsed.get(id);
    const line = position.get(id);
    if (!found && line !== undefined) {
      found = parse<CompiledRunbook>(text, lineAt, line, `runbook ${id}`);
      parsed.set(id, found);
    }
    return found;
  };
  const vectors = tailBytes > 0 ? vectorsOf(header, tail) : undefined;
  return {
    header,
    engine,
    runbook,
    runbooks: () => header.runbooks.flatMap((r) => runbook(r.id) ?? []),
    vectors: () => vectors,
  };
}

async function collect(stream: AsyncIterable<Buffer>, size: number | undefined): Promise<Buffer> {
  let out = Buffer.allocUnsafe(size ?? 1 << 20);
  let length = 0;
  for await (const chunk of stream) {
    if (length + chunk.length > out.length) {
      const grown = Buffer.allocUnsafe(Math.max(out.length * 2, length + chunk.length));
      out.copy(grown, 0, 0, length);
      out = grown;
    }
    chunk.copy(out, length);
    length += chunk.length;
  }
  return out.subarray(0, length);
}

/** Start offsets of each line. */
function lines(bytes: Buffer): number[] {
  const starts = [0];
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) starts.push(at + 1);
  return starts;
}

function parse<T>(bytes: Buffer, starts: readonly number[], line: number, what: string): T {
  const start = starts[line] ?? bytes.length;
  const end = line + 1 < starts.length ? (starts[line + 1] as number) - 1 : bytes.length;
  try {
    return JSON.parse(bytes.toString('utf8', start, end)) as T;
  } catch (cause) {
    throw new ArtifactFormatError(`the index artifact's ${what} is not JSON: ${(cause as Error).message}`, { cause });
  }
}
