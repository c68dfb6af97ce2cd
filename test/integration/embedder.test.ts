import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbedPool } from '../../functions/src/adapters/onnx/embed-pool.ts';
import { rebuildEncoder } from '../../functions/src/adapters/onnx/encoder-rebuild.ts';
import { DEFAULT_MODEL } from '../../functions/src/adapters/onnx/model-files.ts';
import { packagedFiles } from '../../functions/src/adapters/onnx/model-install.ts';
import { ModelFilesError, modelDir } from '../../functions/src/adapters/onnx/model-store.ts';
import { OnnxEmbedder, sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

describe('OnnxEmbedder (the installed model)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kb-model-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('places paraphrases of one problem closer than different problems', async () => {
    const embedder = await sharedEmbedder();
    const [printer, printerAgain, password] = await embedder.embed([
      'Printer on floor 3 offline after toner swap',
      'printer floor 3 offline again after toner change',
      'I forgot my password and cannot sign in',
    ]);
    expect(embedder.dimension).toBe(384);
    expect(printer).toHaveLength(384);
    expect(dot(printer as Float32Array, printer as Float32Array)).toBeCloseTo(1, 4);
    expect(dot(printer as Float32Array, printerAgain as Float32Array)).toBeGreaterThan(0.8);
    expect(dot(printer as Float32Array, password as Float32Array)).toBeLessThan(0.4);
  });

  it("keeps the packaged model's meaning after the set-up's rebuild to integer products: every vector at cosine ≥ 0.998 to the packaged model's", async () => {
    const model = DEFAULT_MODEL.files.find((f) => f.rebuiltFrom);
    if (!model?.rebuiltFrom) throw new Error('the pinned model has no rebuilt file');
    const packaged = join(scratch, 'packaged');
    mkdirSync(packaged);
    const [bytes] = (await packagedFiles([model])).values();
    writeFileSync(join(packaged, model.name), bytes as Uint8Array);
    for (const f of DEFAULT_MODEL.files) if (f !== model) cpSync(join(modelDir(), f.name), join(packaged, f.name));
    const spec = {
      ...DEFAULT_MODEL,
      id: 'packaged',
      files: DEFAULT_MODEL.files.map((f) => (f === model ? { ...f, sha256: model.rebuiltFrom?.sha256 ?? '' } : f)),
    };
    const [rebuilt, original] = await Promise.all([sharedEmbedder(), OnnxEmbedder.load({ spec, dir: packaged, workers: 0 })]);
    const texts = [
      'vpn',
      'Outlook keeps asking for my password',
      'saved a report on my laptop but it is not on the desktop',
      'KubePodCrashLooping: pod checkout-7d9f in namespace shop is restarting (CrashLoopBackOff) after the last deploy',
      // Longer than the model's 128 tokens: cut, with the closing [SEP] kept.
      `Disk usage on /var above 90 % on db-02. ${'The volume holds the write-ahead log and the nightly dumps; '.repeat(12)}`,
    ];
    const [after, before] = await Promise.all([rebuilt.embed(texts), original.embed(texts)]);
    for (const [i, text] of texts.entries()) expect(dot(after[i] as Float32Array, before[i] as Float32Array), text).toBeGreaterThan(0.998);
    // and not trivially: the rebuild does change the arithmetic.
    expect(after.some((v, i) => dot(v, before[i] as Float32Array) < 0.99999)).toBe(true);
  });

  it('refuses to rebuild a model that is not the packaged encoder', () => {
    expect(() => rebuildEncoder(new Uint8Array())).toThrow(/^the packaged model has no /);
  });

  it('gives a text the same vector alone or in a batch of longer texts (padding does not leak)', async () => {
    const embedder = await sharedEmbedder();
    const [alone] = await embedder.embed(['vpn will not connect']);
    const batch = await embedder.embed([
      'a much longer ticket text about outlook asking for a password again and again',
      'vpn will not connect',
    ]);
    expect(dot(alone as Float32Array, batch[1] as Float32Array)).toBeCloseTo(1, 4);
  });

  it('embeds a query that comes during a bulk load before the rest of the load', async () => {
    const embedder = await sharedEmbedder();
    const finished: string[] = [];
    const texts = Array.from({ length: 60 }, (_, i) => `runbook ${i}: the shared drive mapping fails after a password change`);
    const bulk = embedder.embed(texts).then(() => finished.push('bulk'));
    const query = embedder.embed(['my printer is offline']).then(() => finished.push('query'));
    await Promise.all([bulk, query]);
    expect(finished).toEqual(['query', 'bulk']);
  });

  it("embeds a library in the model's processes with the very vectors of the calling thread, in the order asked", async () => {
    const texts = Array.from({ length: 41 }, (_, i) => `ticket ${i}: ${i % 2 ? 'outlook asks for the password again' : 'vpn drops'}`);
    const [threads, calling] = await Promise.all([OnnxEmbedder.load({ workers: 2 }), OnnxEmbedder.load({ workers: 0 })]);
    const [fromThreads, fromCalling] = await Promise.all([threads.embed(texts), calling.embed(texts)]);
    expect(fromThreads.map((v) => [...v])).toEqual(fromCalling.map((v) => [...v]));
  });

  it('fails every text waiting, with the reason, when a process cannot load the model', async () => {
    const pool = new EmbedPool({ spec: DEFAULT_MODEL, dir: join(scratch, 'no-model-here') }, 2);
    const texts = Array.from({ length: 40 }, (_, i) => `text ${i}`);
    await expect(pool.embed(texts)).rejects.toThrow(/missing.*npm run setup:model/);
    await pool.close();
  });

  it('refuses to start without its model files, naming the fix', async () => {
    const empty = join(scratch, 'empty');
    const error = await OnnxEmbedder.load({ dir: empty }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFilesError);
    expect(String(error)).toMatch(/missing.*npm run setup:model/);
  });

  it('refuses a model file that does not match its checksum', async () => {
    const corrupt = join(scratch, 'corrupt');
    cpSync(modelDir(DEFAULT_MODEL), corrupt, { recursive: true });
    writeFileSync(join(corrupt, 'tokenizer.json'), '{"tampered": true}');
    const error = await OnnxEmbedder.load({ dir: corrupt }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFilesError);
    expect(String(error)).toMatch(/tokenizer\.json is corrupt \(checksum mismatch\)/);
  });
});
