import type { CompiledRunbook } from '../runbook/model.ts';
import { confidenceOf } from './confidence.ts';
import type { EngineResult, RunbookHit } from './engine-result.ts';
import { type FusedHit, fuse } from './fuse.ts';
import type { SearchOptions } from './options.ts';
import type { QueryPlan } from './plan.ts';
import { titleCoverage, titleTerms } from './title-match.ts';

const titleTermsByRunbook = new WeakMap<CompiledRunbook, Set<string>>();

/** A runbook's title and file-name words, analysed once per compiled runbook. */
function titleTermsOf(runbook: CompiledRunbook): Set<string> {
  let terms = titleTermsByRunbook.get(runbook);
  if (!terms) {
    const fileName =
      runbook.path
        .split('/')
        .pop()
        ?.replace(/\.(md|markdown)$/i, '') ?? '';
    terms = titleTerms(runbook.meta.title, fileName);
    titleTermsByRunbook.set(runbook, terms);
  }
  return terms;
}

/** Applies the title-coverage factor (see title-match.ts); runbooks the index no longer has are dropped. */
export function rerankByTitle(
  matches: readonly RunbookHit[],
  runbooks: ReadonlyMap<string, CompiledRunbook>,
  plan: QueryPlan,
  options: SearchOptions,
): RunbookHit[] {
  const queryTerms = plan.terms.map((t) => t.term);
  const reranked: RunbookHit[] = [];
  for (const m of matches) {
    const runbook = runbooks.get(m.runbookId);
    if (!runbook) continue;
    const coverage = titleCoverage(titleTermsOf(runbook), queryTerms);
    reranked.push({ ...m, score: m.score * (1 + options.titleCoverageBoost * coverage) });
  }
  return reranked.sort((a, b) => b.score - a.score || a.runbookId.localeCompare(b.runbookId));
}

/** Multiplies fused scores by what similar past tickets said of each runbook (see core/resolutions/learning.ts). */
export function applyBoosts(hits: readonly FusedHit[], boosts: Readonly<Record<string, number>>): FusedHit[] {
  if (Object.keys(boosts).length === 0) return [...hits];
  return hits
    .map((h) => ({ ...h, score: h.score * (boosts[h.runbookId] ?? 1) }))
    .sort((a, b) => b.score - a.score || a.runbookId.localeCompare(b.runbookId));
}

/**
 * One ranking from an engine's answer: lexical hits reranked by title coverage and given their
 * 0–1 strength, fused with the dense hits (see fuse.ts), then moved by what similar past tickets
 * said (`boosts`). Runbooks missing from `runbooks` (removed since the engine answered) are dropped.
 *
 * @example rankHits(plan, engineResult, runbooksById, {}, options)[0].runbookId // 'onedrive-not-syncing'
 */
export function rankHits(
  plan: QueryPlan,
  result: Pick<EngineResult, 'hits' | 'dense'>,
  runbooks: ReadonlyMap<string, CompiledRunbook>,
  boosts: Readonly<Record<string, number>>,
  options: SearchOptions,
): FusedHit[] {
  const lexical = rerankByTitle(result.hits, runbooks, plan, options);
  const dense = (result.dense ?? []).filter((d) => runbooks.has(d.runbookId));
  // Words alone keep their engine's order: strengths are for fusing with meaning.
  if (dense.length === 0) return applyBoosts(lexical, boosts);
  const topScore = lexical[0]?.score ?? 0;
  const candidates = lexical.map((hit) => ({ ...hit, strength: confidenceOf(plan.terms, hit.matches, hit.score, topScore) }));
  return applyBoosts(fuse(candidates, dense, specificity(plan, lexical), options.fusion), boosts);
}

/** The best lexical score per unit of query weight: high for rare words matched in strong fields (see FusionOptions.specificAt). */
function specificity(plan: QueryPlan, lexical: readonly RunbookHit[]): number {
  const queryWeight = plan.terms.reduce((sum, t) => sum + t.weight, 0);
  return queryWeight > 0 ? (lexical[0]?.score ?? 0) / queryWeight : 0;
}

/**
 * Whether lexical search is sure of this query (jargon, alert names): fusion gives meaning its
 * least share (`specificAt`). Past tickets then only nudge the ranking (learning.ts). It moved
 * with the slope (150 → 300); the learning replay measured it (everyday pairs, second tickets):
 * 0.693 → 0.892 with the gate at 300, 0.880 at 150, 0.855 at 100; alerts 0.888 → 0.886 at 300.
 */
export function isSpecific(
  plan: QueryPlan,
  result: Pick<EngineResult, 'hits'>,
  runbooks: ReadonlyMap<string, CompiledRunbook>,
  options: SearchOptions,
): boolean {
  return specificity(plan, rerankByTitle(result.hits, runbooks, plan, options)) >= options.fusion.specificAt;
}
