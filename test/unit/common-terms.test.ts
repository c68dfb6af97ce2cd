import { describe, expect, it } from 'vitest';
import { COMMON_TERM_MIN_RUNBOOKS, splitCommonTerms } from '../../functions/src/core/search/common-terms.ts';
import type { PlannedTerm } from '../../functions/src/core/search/plan.ts';

const term = (name: string): PlannedTerm => ({ term: name, weight: 1, fuzzy: false, prefix: false, source: name });
const names = (terms: readonly PlannedTerm[]) => terms.map((t) => t.term);

describe('splitCommonTerms', () => {
  const counts = new Map([
    ['microsoft', 9_000],
    ['outlook', 3_000],
    ['credenti', 700],
  ]);
  const frequency = (t: PlannedTerm) => counts.get(t.term);

  it('leaves words in more than 30 % of the runbooks to score the rarer words’ results', () => {
    const split = splitCommonTerms([term('microsoft'), term('outlook'), term('credenti')], frequency, 10_000);
    expect(names(split.rare)).toEqual(['outlook', 'credenti']);
    expect(names(split.common)).toEqual(['microsoft']);
  });

  it('keeps every word when all are common, or the library is small enough to score them all', () => {
    expect(splitCommonTerms([term('microsoft'), term('outlook')], frequency, 5_000).common).toEqual([]);
    const small = splitCommonTerms([term('microsoft'), term('credenti')], frequency, COMMON_TERM_MIN_RUNBOOKS * 2);
    expect(names(small.common)).toEqual(['microsoft']);
    expect(splitCommonTerms([term('user'), term('vpn')], (t) => (t.term === 'user' ? 60 : 2), 74).common).toEqual([]);
  });

  it('counts a word of unknown frequency (a prefix, a typo) as rare', () => {
    const split = splitCommonTerms([term('microsoft'), { ...term('outl'), prefix: true }], frequency, 10_000);
    expect(names(split.rare)).toEqual(['outl']);
    expect(names(split.common)).toEqual(['microsoft']);
  });
});
