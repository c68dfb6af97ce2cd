import type { CompiledRunbook } from '../core/runbook/model.ts';
import { embeddingTexts } from '../core/search/documents.ts';
import type { Embedder } from '../ports/embedder.ts';

/** Runbooks embedded between two asks of `keepEmbedding`: a few seconds of the model on Lambda. */
const EMBED_SLICE = 32;

/**
 * Slices given to the embedder before the oldest is done. One at a time, the model's processes
 * ran dry at the end of every slice (its last texts on one process, the other idle): 187–195
 * texts/s against 208–224 in one call; two: 184–192; four: 199–203, as one call (1,000 support
 * articles, 2 processes, 2026-12-06). On Lambda the slices given finish after the clock says stop:
 * about 2 s of the model, well within the time kept for writing.
 */
const SLICES_IN_FLIGHT = 4;

/**
 * Each runbook's vectors by id, as both engines store them: the main text's first, then one per
 * symptom phrase (`embeddingTexts`). With `keepEmbedding` (a Lambda's clock, a server's stop),
 * runbooks are embedded in slices and it is asked before each is given to the embedder: once it
 * says no, the slices given finish and the rest get none. Without, one call: every text in one
 * queue.
 */
export async function embedRunbooks(
  embedder: Embedder,
  runbooks: readonly CompiledRunbook[],
  keepEmbedding?: () => boolean,
): Promise<Map<string, Float32Array[]>> {
  const out = new Map<string, Float32Array[]>();
  const slice = keepEmbedding ? EMBED_SLICE : Math.max(1, runbooks.length);
  const given: Promise<void>[] = [];
  for (let start = 0; start < runbooks.length; start += slice) {
    if (keepEmbedding && !keepEmbedding()) break;
    const part = embedSlice(embedder, runbooks.slice(start, start + slice), out);
    // Awaited below; a slice that fails while an older one is awaited must not count as unhandled.
    part.catch(() => {});
    given.push(part);
    if (given.length >= SLICES_IN_FLIGHT) await given.shift();
  }
  await Promise.all(given);
  return out;
}

async function embedSlice(embedder: Embedder, part: readonly CompiledRunbook[], out: Map<string, Float32Array[]>): Promise<void> {
  const texts = part.map(embeddingTexts);
  const flat = await embedder.embed(texts.flat());
  let next = 0;
  part.forEach((runbook, i) => {
    const count = texts[i]?.length ?? 0;
    out.set(runbook.id, flat.slice(next, next + count));
    next += count;
  });
}
