import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH_OPTIONS } from '../../functions/src/core/search/options.ts';
import { matchStrength } from '../../functions/src/core/search/strength.ts';
import { confidenceLabel } from '../../functions/src/core/suggest/note.ts';
import { CONFIDENCE_LEVELS, confidenceLevel } from '../../web/src/lib/labels.ts';

describe('confidence levels', () => {
  it('are the same in the web app, the ticket note, search strength and escalation', () => {
    // The web app cannot import the server's options (it bundles the contracts' types only), so it keeps a copy.
    expect(CONFIDENCE_LEVELS).toEqual({ high: DEFAULT_SEARCH_OPTIONS.confidentAt, medium: DEFAULT_SEARCH_OPTIONS.partialAt });
    for (const confidence of [0, 0.2, 0.34, 0.35, 0.5, 0.69, 0.7, 0.72, 0.99, 1]) {
      const web = confidenceLevel(confidence);
      expect(confidenceLabel(confidence)).toBe(web);
      expect(matchStrength(confidence, DEFAULT_SEARCH_OPTIONS)).toBe({ high: 'strong', medium: 'partial', low: 'weak' }[web]);
    }
  });
});
