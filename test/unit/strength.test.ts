import { describe, expect, it } from 'vitest';
import { type MatchStrength, withoutWeakTail } from '../../functions/src/core/search/strength.ts';

const hits = (...strengths: MatchStrength[]) => strengths.map((strength, i) => ({ id: `r${i}`, strength }));

describe('withoutWeakTail', () => {
  it('leaves weak matches out behind a stronger one, and counts them', () => {
    expect(withoutWeakTail(hits('strong', 'partial', 'weak', 'weak'), false)).toEqual({ shown: hits('strong', 'partial'), weaker: 2 });
  });

  it('lists them all when asked', () => {
    expect(withoutWeakTail(hits('strong', 'weak'), true)).toEqual({ shown: hits('strong', 'weak'), weaker: 0 });
  });

  it('keeps weak matches when nothing is stronger: they are the best there is, and shown as weak', () => {
    expect(withoutWeakTail(hits('weak', 'weak'), false)).toEqual({ shown: hits('weak', 'weak'), weaker: 0 });
  });
});
