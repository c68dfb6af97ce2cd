import { readFileSync } from 'node:fs';
import { asTicket } from '../../functions/src/cli/commands/eval.ts';
import type { SuggestRequest, SuggestResponse } from '../../functions/src/contracts/api.ts';
import type { LabelledQuery } from '../../functions/src/core/search/metrics.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import type { QueryPlan } from '../../functions/src/core/search/plan.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';
import type { RunbookIndex } from '../../functions/src/ports/runbook-index.ts';

type Suggest = (request: SuggestRequest) => Promise<Pick<SuggestResponse, 'suggestions'>>;

export interface ParityReport {
  queries: number;
  /** Share of queries whose first suggestion is the same runbook on both engines. */
  top1: number;
  /** Mean |A ∩ B| / max(|A|, |B|) over the first five suggestions (1 when both are empty). */
  top5: number;
  /** Queries whose first suggestion differs, for the report. */
  differences: { id: string; a?: string; b?: string }[];
}

export function readQueries(file: string): LabelledQuery[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LabelledQuery);
}

/** The same labelled queries, as tickets, through two engines' suggest; compares what comes back. */
export async function parity(queries: readonly LabelledQuery[], a: Suggest, b: Suggest): Promise<ParityReport> {
  let same = 0;
  let overlap = 0;
  const differences: ParityReport['differences'] = [];
  for (const q of queries) {
    const request = { ...asTicket(q.query), limit: 10 };
    const [ra, rb] = await Promise.all([a(request), b(request)]);
    const top = (r: Pick<SuggestResponse, 'suggestions'>) => r.suggestions.slice(0, 5).map((s) => s.id);
    const [ta, tb] = [top(ra), top(rb)];
    if (ta[0] === tb[0]) same++;
    else differences.push({ id: q.id, ...(ta[0] ? { a: ta[0] } : {}), ...(tb[0] ? { b: tb[0] } : {}) });
    const shared = ta.filter((id) => tb.includes(id)).length;
    overlap += Math.max(ta.length, tb.length) === 0 ? 1 : shared / Math.max(ta.length, tb.length);
  }
  const n = queries.length || 1;
  return { queries: queries.length, top1: round(same / n), top5: round(overlap / n), differences };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The same model, remembering each text's vector: two engines built from one library then hold
 * the very same vectors (the quantised model's vary a little with the batch a text is in), so a
 * difference between them is the engines', and the second engine does not run the model again.
 */
export function rememberingEmbedder(inner: Embedder): Embedder {
  const known = new Map<string, Float32Array>();
  return {
    modelId: inner.modelId,
    dimension: inner.dimension,
    async embed(texts) {
      const missing = [...new Set(texts.filter((t) => !known.has(t)))];
      const fresh = missing.length > 0 ? await inner.embed(missing) : [];
      missing.forEach((t, i) => {
        const v = fresh[i];
        if (v) known.set(t, v);
      });
      return texts.map((t) => known.get(t) as Float32Array);
    },
  };
}

export interface DenseParityReport {
  plans: number;
  /** Share of plans whose nearest runbooks by meaning come back as the same ids in the same order. */
  sameOrder: number;
  /** Largest difference in similarity of a runbook both engines returned. */
  maxDifference: number;
}

/**
 * The engines' nearest runbooks by meaning for each query's vector (plans with no words, so only
 * the dense hits), every other plan filtered to one tier: the same ids, order and similarities
 * are expected, both engines scoring the same vectors with the same formula.
 */
export async function denseParity(
  queries: readonly LabelledQuery[],
  embedder: Embedder,
  a: RunbookIndex,
  b: RunbookIndex,
): Promise<DenseParityReport> {
  const options = searchOptions();
  let same = 0;
  let maxDifference = 0;
  for (const [i, q] of queries.entries()) {
    const [vector] = await embedder.embed([q.query]);
    const plan: QueryPlan = {
      terms: [],
      filters: i % 2 === 1 ? { tiers: ['l2'] } : {},
      boosts: options.boosts,
      window: options.window,
      runbookBoosts: {},
      denseWindow: options.fusion.denseWindow,
      ...(vector ? { vector } : {}),
    };
    const [da, db] = await Promise.all([a.nearest(plan), b.nearest(plan)]);
    const [ha, hb] = [da ?? [], db ?? []];
    if (ha.length > 0 && ha.map((h) => h.runbookId).join() === hb.map((h) => h.runbookId).join()) same++;
    const byId = new Map(hb.map((h) => [h.runbookId, h.similarity]));
    for (const h of ha) {
      const other = byId.get(h.runbookId);
      if (other !== undefined) maxDifference = Math.max(maxDifference, Math.abs(other - h.similarity));
    }
  }
  return { plans: queries.length, sameOrder: round(same / (queries.length || 1)), maxDifference };
}
