import type { CompiledRunbook } from '../core/runbook/model.ts';

/**
 * A library of `size` runbooks made from real ones: copies get their own id and path and one
 * distinguishing word, so the engine holds `size` distinct documents with real-world text.
 */
export function scaleLibrary(runbooks: readonly CompiledRunbook[], size: number): CompiledRunbook[] {
  const out: CompiledRunbook[] = [];
  for (let copy = 0; out.length < size; copy++) {
    for (const r of runbooks) {
      if (out.length >= size) break;
      if (copy === 0) {
        out.push(r);
        continue;
      }
      const id = `${r.id}-copy${copy}`;
      out.push({
        ...r,
        id,
        path: r.path.replace(/\.md$/, `-copy${copy}.md`),
        hash: `${r.hash.slice(0, 56)}${copy.toString(16).padStart(8, '0')}`,
        meta: { ...r.meta, id, title: `${r.meta.title} (variant ${copy})` },
      });
    }
  }
  return out;
}

/** Search queries as agents type them: the first words of real titles, deterministic. */
export function benchQueries(runbooks: readonly CompiledRunbook[], count: number, extra: readonly string[] = []): string[] {
  const queries = [...extra];
  const step = Math.max(1, Math.floor(runbooks.length / count));
  for (let i = 0; queries.length < count && i < runbooks.length; i += step) {
    const words = (runbooks[i]?.meta.title ?? '').split(/\s+/).filter(Boolean);
    const n = 2 + (i % 4);
    if (words.length > 0) queries.push(words.slice(0, n).join(' '));
  }
  return queries.slice(0, count);
}
