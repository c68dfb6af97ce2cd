import type { CompiledRunbook, CompileFailure, Tier } from './model.ts';

export interface LibrarySummary {
  files: number;
  compiled: number;
  skipped: number;
  byTier: Partial<Record<Tier, number>>;
  warnings: number;
  /** Non-fatal errors in compiled runbooks (fatal ones are counted in `skipped`). */
  errors: number;
}

export function summarizeLibrary(runbooks: readonly CompiledRunbook[], failures: readonly CompileFailure[]): LibrarySummary {
  const byTier: Partial<Record<Tier, number>> = {};
  let warnings = 0;
  let errors = 0;
  for (const r of runbooks) {
    byTier[r.meta.tier] = (byTier[r.meta.tier] ?? 0) + 1;
    for (const m of r.messages) {
      if (m.severity === 'warning') warnings++;
      else if (m.severity === 'error') errors++;
    }
  }
  return { files: runbooks.length + failures.length, compiled: runbooks.length, skipped: failures.length, byTier, warnings, errors };
}
