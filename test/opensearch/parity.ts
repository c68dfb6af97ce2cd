import { readFileSync } from 'node:fs';
import { asTicket } from '../../functions/src/cli/commands/eval.ts';
import type { SuggestRequest, SuggestResponse } from '../../functions/src/contracts/api.ts';
import type { LabelledQuery } from '../../functions/src/core/search/metrics.ts';

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
