import { describe, expect, it } from 'vitest';
import { withoutTypedPrefixes } from '../../functions/src/core/resolutions/gaps.ts';
import { noGoodMatch } from '../../functions/src/http/routes/search.ts';

const hits = (...strengths: ('strong' | 'partial' | 'weak')[]) => strengths.map((strength) => ({ strength }));

describe('noGoodMatch: which searches the gap report counts', () => {
  it.each([
    ['no result', { total: 0, hits: [] }, 'zxqv wombat frobnicator', 0, true],
    ['only weak matches', { total: 3, hits: hits('weak', 'weak', 'weak') }, 'franking machine jams', 0, true],
    ['a strong match above weak ones (all=true)', { total: 3, hits: hits('strong', 'weak', 'weak') }, 'franking machine jams', 0, false],
    ['a partial match', { total: 1, hits: hits('partial') }, 'franking machine jams', 0, false],
    ['one word still being typed, weakly matched', { total: 19, hits: hits('weak', 'weak') }, 'passw', 0, false],
    ['a later page (the first was counted)', { total: 30, hits: hits('weak') }, 'franking machine jams', 20, false],
  ])('%s → %s', (_case, result, q, offset, expected) => {
    expect(noGoodMatch(result, { q, offset })).toBe(expected);
  });
});

describe('withoutTypedPrefixes', () => {
  it('drops a search typed on the way to a longer one, and keeps the rest', () => {
    const items = [
      { text: 'franking machine ja', count: 1 },
      { text: 'Franking machine jams', count: 2 },
      { text: 'plotter smears ink', count: 1 },
    ];
    expect(withoutTypedPrefixes(items)).toEqual([
      { text: 'Franking machine jams', count: 2 },
      { text: 'plotter smears ink', count: 1 },
    ]);
  });
});
