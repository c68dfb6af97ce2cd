import { describe, expect, it } from 'vitest';
import { type MatchStrength, withoutWeakTail } from '../../functions/src/core/search/strength.ts';

const hits = (...strengths: MatchStrength[]) => strengths.map((strength, i) => ({ id: `r${i}`, strength, worded: true }));

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

  it('leaves out weak matches that no word of the query found: noise from the model, not the best there is', () => {
    const byMeaningOnly = hits('weak', 'weak').map((h) => ({ ...h, worded: false }));
    expect(withoutWeakTail(byMeaningOnly, false)).toEqual({ shown: [], weaker: 2 });
    expect(withoutWeakTail(byMeaningOnly, true)).toEqual({ shown: byMeaningOnly, weaker: 0 });
    const oneWorded = [...byMeaningOnly, ...hits('weak')];
    expect(withoutWeakTail(oneWorded, false)).toEqual({ shown: oneWorded, weaker: 0 });
  });
});
