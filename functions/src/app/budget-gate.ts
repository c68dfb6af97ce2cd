import type { SourceFile } from '../core/runbook/compile.ts';
import type { CompileResult } from '../core/runbook/model.ts';
import { type CacheSettings, compileWithCache } from './cached-compile.ts';
import type { Compile } from './load-library.ts';

const overBudget = (result: CompileResult) => !result.ok && result.failure.messages.some((m) => m.ruleId === 'compile-budget');

export type GatedCompile = Compile & { readonly stats: { cacheHits: number; overBudget: number } };

/**
 * Puts a compiler that must run in this thread (lint, which needs every syntax tree and the whole
 * library at once) behind the budgeted pool: `gate` compiles every file first, in threads under a
 * time and memory budget, and `next` sees only the files that stayed within it. A file over budget
 * is reported with the gate's message and never reaches this thread. With a cache the gate only
 * compiles what changed, since a cached result proves the file fits the budget.
 */
export function gatedCompile(gate: Compile, next: Compile, cache?: CacheSettings): GatedCompile {
  const stats = { cacheHits: 0, overBudget: 0 };
  const compile: Compile = async (sources, options, onDone) => {
    const gated = cache ? await compileWithCache(sources, options, gate, cache) : { results: await gate(sources, options), hits: 0 };
    // Only the refusals are kept: the gate's other results are dropped before `next` compiles
    // the same files again, so a large library is not held in memory twice.
    const refused = new Map<number, CompileResult>();
    const passed: SourceFile[] = [];
    gated.results.forEach((result, i) => {
      if (overBudget(result)) {
        refused.set(i, result);
        onDone?.();
      } else passed.push(sources[i] as SourceFile);
    });
    stats.cacheHits = gated.hits;
    stats.overBudget = refused.size;
    gated.results.length = 0;
    const compiled = await next(passed, options, onDone);
    let at = 0;
    return sources.map((_, i) => refused.get(i) ?? (compiled[at++] as CompileResult));
  };
  return Object.assign(compile, { stats });
}
