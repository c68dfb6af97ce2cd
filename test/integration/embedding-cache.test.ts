import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsEmbeddingCache } from '../../functions/src/adapters/fs/fs-embedding-cache.ts';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';

/** The real model, counting the texts it is asked to embed. */
async function countingModel(): Promise<Embedder & { texts: number }> {
  const model = await sharedEmbedder();
  const counting = {
    modelId: model.modelId,
    dimension: model.dimension,
    texts: 0,
    embed: (texts: readonly string[]) => {
      counting.texts += texts.length;
      return model.embed(texts);
    },
  };
  return counting;
}

describe('FsEmbeddingCache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-embeddings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const texts = ['VPN will not connect from home', 'Outlook keeps asking for the password', 'VPN will not connect from home'];

  it('embeds a text once, across restarts, and gives back the same vectors', async () => {
    const model = await countingModel();
    const first = await FsEmbeddingCache.open(model, dir);
    const vectors = await first.embed(texts);
    expect(model.texts).toBe(2);
    expect(vectors[2]).toEqual(vectors[0]);

    const restarted = await FsEmbeddingCache.open(model, dir);
    expect(restarted.size).toBe(2);
    expect(restarted.uncached([...texts, 'Teams has no sound', 'Teams has no sound'])).toBe(1);
    expect(await restarted.embed(texts)).toEqual(vectors);
    expect(model.texts).toBe(2);
  });

  it('drops a record torn by a crash mid-write and keeps the whole ones', async () => {
    const model = await countingModel();
    const file = join(dir, `${model.modelId}.bin`);
    const whole = statSync(file).size;
    appendFileSync(file, Buffer.alloc(100, 7));
    const reopened = await FsEmbeddingCache.open(model, dir);
    expect(reopened.size).toBe(2);
    expect(statSync(file).size).toBe(whole);
    await reopened.embed(['a new ticket about a printer']);
    expect((await FsEmbeddingCache.open(model, dir)).size).toBe(3);
  });
});
