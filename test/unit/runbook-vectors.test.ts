import { describe, expect, it } from 'vitest';
import { embedRunbooks } from '../../functions/src/adapters/runbook-vectors.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import type { CompiledRunbook } from '../../functions/src/core/runbook/model.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';
import { l1Runbook, source } from '../helpers/runbooks.ts';
import { recordUnhandledRejections } from '../helpers/unhandled.ts';

function library(size: number): CompiledRunbook[] {
  return Array.from({ length: size }, (_, i) => {
    const result = compileRunbook(source(`l1/r${i}.md`, l1Runbook(`r${i}`)));
    if (!result.ok) throw new Error('fixture');
    return result.runbook;
  });
}

/** A model that answers each call after `delayMs`, failing the calls `fails` picks (the fault injected). */
function model(delayMs: (call: number) => number, fails: (call: number) => boolean = () => false): Embedder & { calls: number } {
  const embedder = {
    modelId: 'fake',
    dimension: 2,
    calls: 0,
    embed: async (texts: readonly string[]) => {
      const call = embedder.calls++;
      await new Promise((resolve) => setTimeout(resolve, delayMs(call)));
      if (fails(call)) throw new Error(`slice ${call} failed`);
      return texts.map(() => new Float32Array([1, 0]));
    },
  };
  return embedder;
}

describe('embedRunbooks with a clock (slices of 32 runbooks)', () => {
  it('asks the clock before each slice it gives the model; once it says no, the slices given finish and the rest get no vectors', async () => {
    const runbooks = library(32 * 6);
    let asks = 0;
    const embedder = model(() => 5);
    const vectors = await embedRunbooks(embedder, runbooks, () => ++asks <= 5);
    expect(embedder.calls).toBe(5);
    expect(vectors.size).toBe(32 * 5);
    expect(vectors.has('r159')).toBe(true);
    expect(vectors.has('r160')).toBe(false);
  });

  it('fails the call with the error of a slice that fails while an older one is still embedding, and leaves nothing unhandled', async () => {
    const unhandled = recordUnhandledRejections();
    // The first slice takes 40 ms; the second fails after 1 ms, while the first is awaited.
    const embedder = model(
      (call) => (call === 0 ? 40 : 1),
      (call) => call === 1 || call === 2,
    );
    await expect(embedRunbooks(embedder, library(32 * 4), () => true)).rejects.toThrow('slice 1 failed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });
});
