import { createHash } from 'node:crypto';
import { type CompileOptions, DEFAULT_COMPILE_OPTIONS, type SourceFile } from '../core/runbook/compile.ts';
import type { CompileResult } from '../core/runbook/model.ts';
import type { CompileCache } from '../ports/compile-cache.ts';
import type { Compile } from './load-library.ts';

export interface CacheSettings {
  store: CompileCache;
  /** The compiler's fingerprint (adapters/compile/compiler-version.ts): a new compiler misses every old entry. */
  compilerVersion: string;
}

/** Everything a compile result depends on besides the file: options as the compiler sees them after defaults. */
export function optionsFingerprint(options: Partial<CompileOptions>): string {
  const { defaultTier, strict, categories, limits } = { ...DEFAULT_COMPILE_OPTIONS, ...options };
  return JSON.stringify({ defaultTier, strict, categories: categories ? [...categories].sort() : null, limits });
}

/** The cache key of one file: compiler, options, path (ids and tiers come from it) and bytes. */
export function compileCacheKey(compilerVersion: string, fingerprint: string, source: SourceFile): string {
  return createHash('sha256').update(`${compilerVersion}\0${fingerprint}\0${source.path}\0`).update(source.bytes).digest('base64url');
}

/**
 * A budget failure (time or memory, rule `compile-budget`) depends on the machine's load, not only
 * on the file, so it is not remembered: the next build tries the file again.
 */
const cacheable = (result: CompileResult) => result.ok || result.failure.messages.every((m) => m.ruleId !== 'compile-budget');

/**
 * Compiles only what the cache does not hold, in the order of `sources`. The cache is an
 * optimisation: if it cannot be read or written, every file is compiled and the build goes on.
 */
export async function compileWithCache(
  sources: readonly SourceFile[],
  options: Partial<CompileOptions>,
  compile: Compile,
  cache: CacheSettings,
  onDone?: () => void,
): Promise<{ results: CompileResult[]; hits: number }> {
  const fingerprint = optionsFingerprint(options);
  const keys = sources.map((source) => compileCacheKey(cache.compilerVersion, fingerprint, source));
  const found = await cache.store.get(keys).catch(() => new Map<string, CompileResult>());
  const results: (CompileResult | undefined)[] = keys.map((key) => found.get(key));
  const missing = results.flatMap((result, i) => (result ? [] : [i]));
  for (let i = 0; i < found.size; i++) onDone?.();

  const compiled = await compile(
    missing.map((i) => sources[i] as SourceFile),
    options,
    onDone,
  );
  const fresh = new Map<string, CompileResult>();
  missing.forEach((at, i) => {
    const result = compiled[i] as CompileResult;
    results[at] = result;
    if (cacheable(result)) fresh.set(keys[at] as string, result);
  });
  await cache.store.put(fresh, new Set([...found.keys(), ...fresh.keys()])).catch(() => {});
  return { results: results as CompileResult[], hits: found.size };
}
