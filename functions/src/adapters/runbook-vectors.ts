import type { CompiledRunbook } from '../core/runbook/model.ts';
import { embeddingTexts } from '../core/search/documents.ts';
import type { Embedder } from '../ports/embedder.ts';

/** Runbooks embedded between two asks of `keepEmbedding`: a few seconds of the model on Lambda. */
const EMBED_SLICE = 32;

/**
 * Each runbook's vectors by id, as both engines store them: the main text's first, then one per
 * symptom phrase (`embeddingTexts`). With `keepEmbedding` (a Lambda's clock), runbooks are
 * embedded in slices and it is asked before each: once it says no, the rest get none. Without,
 * one call: every text in one queue, so the model's parallel runs never wait at a slice's end.
 */
export async function embedRunbooks(
  embedder: Embedder,
  runbooks: readonly CompiledRunbook[],
  keepEmbedding?: () => boolean,
): Promise<Map<string, Float32Array[]>> {
  const out = new Map<string, Float32Array[]>();
  const slice = keepEmbedding ? EMBED_SLICE : Math.max(1, runbooks.length);
  for (let start = 0; start < runbooks.length; start += slice) {
    if (keepEmbedding && !keepEmbedding()) break;
    const part = runbooks.slice(start, start + slice);
    const texts = part.map(embeddingTexts);
    const flat = await embedder.embed(texts.flat());
    let next = 0;
    part.forEach((runbook, i) => {
      const count = texts[i]?.length ?? 0;
      out.set(runbook.id, flat.slice(next, next + count));
      next += count;
    });
  }
  return out;
}
