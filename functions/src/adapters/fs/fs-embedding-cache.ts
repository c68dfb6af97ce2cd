import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../../ports/embedder.ts';

const KEY_BYTES = 32;

/**
 * Remembers vectors on disk, keyed by the sha256 of their text, so that a restart embeds only
 * what changed (a 2,449-article library takes the model about 40 s on 2 cores, the file a few
 * milliseconds). One file per model: `<dir>/<model id>.bin`, fixed-size records (key, then the
 * vector as float32), appended as texts are embedded. A torn last record is cut off on open.
 */
export class FsEmbeddingCache implements Embedder {
  readonly modelId: string;
  readonly dimension: number;
  readonly #vectors = new Map<string, Float32Array>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly inner: Embedder,
    private readonly file: string,
  ) {
    this.modelId = inner.modelId;
    this.dimension = inner.dimension;
  }

  static async open(inner: Embedder, dir: string): Promise<FsEmbeddingCache> {
    const cache = new FsEmbeddingCache(inner, join(dir, `${inner.modelId}.bin`));
    await mkdir(dir, { recursive: true });
    const bytes = await readFile(cache.file).catch(() => Buffer.alloc(0));
    const record = KEY_BYTES + inner.dimension * 4;
    const whole = bytes.length - (bytes.length % record);
    if (whole < bytes.length) await truncate(cache.file, whole);
    for (let offset = 0; offset < whole; offset += record) {
      const key = bytes.subarray(offset, offset + KEY_BYTES).toString('hex');
      // A copy: the file's buffer must not stay alive through one small view of it.
      const vector = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset + KEY_BYTES, bytes.byteOffset + offset + record));
      cache.#vectors.set(key, vector);
    }
    return cache;
  }

  get size(): number {
    return this.#vectors.size;
  }

  /** How many different texts of these the model would have to embed: the others are on disk. */
  uncached(texts: readonly string[]): number {
    const keys = new Set(texts.map((text) => keyOf(text).toString('hex')));
    let count = 0;
    for (const key of keys) if (!this.#vectors.has(key)) count++;
    return count;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const keys = texts.map(keyOf);
    // Each text the cache lacks, once, however often it is asked for.
    const missing = new Map<string, number>();
    keys.forEach((key, i) => {
      const hex = key.toString('hex');
      if (!this.#vectors.has(hex) && !missing.has(hex)) missing.set(hex, i);
    });
    if (missing.size > 0) {
      const wanted = [...missing.values()];
      const vectors = await this.inner.embed(wanted.map((i) => texts[i] as string));
      const records: Buffer[] = [];
      wanted.forEach((i, j) => {
        const key = keys[i] as Buffer;
        const vector = vectors[j] as Float32Array;
        this.#vectors.set(key.toString('hex'), vector);
        records.push(key, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
      });
      // Appends are queued so records never interleave; a failed write only costs a recompute.
      this.#writes = this.#writes.then(() => appendFile(this.file, Buffer.concat(records))).catch(() => {});
      await this.#writes;
    }
    return keys.map((k) => this.#vectors.get(k.toString('hex')) as Float32Array);
  }
}

const keyOf = (text: string): Buffer => createHash('sha256').update(text).digest();
