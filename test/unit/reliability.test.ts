import { describe, expect, it } from 'vitest';
import { type QueryOutcome, reliability } from '../../functions/src/core/search/metrics.ts';

const outcome = (rank: number | null, confidence?: number): QueryOutcome => ({
  id: 'q',
  rank,
  ndcg: 0,
  ...(confidence === undefined ? {} : { confidence }),
});

describe('reliability', () => {
  it('counts, per confidence level shown, how often the first answer was the right one', () => {
    const table = reliability(
      [outcome(1, 0.9), outcome(2, 0.7), outcome(1, 0.6), outcome(1, 0.4), outcome(null, 0.1), outcome(null)],
      [
        ['high', 0.6],
        ['medium', 0.35],
        ['low', 0],
      ],
    );
    expect(table).toEqual([
      { level: 'high', answers: 3, right: 2, share: 0.667 },
      { level: 'medium', answers: 1, right: 1, share: 1 },
      { level: 'low', answers: 1, right: 0, share: 0 },
    ]);
  });
});
