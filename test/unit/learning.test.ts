import { describe, expect, it } from 'vitest';
import { learningOptions } from '../../functions/src/app/learning-service.ts';
import {
  DEFAULT_LEARNING_OPTIONS,
  feedbackBoosts,
  learnedPhrasing,
  likeness,
  type Neighbour,
} from '../../functions/src/core/resolutions/learning.ts';
import type { Signal } from '../../functions/src/core/resolutions/model.ts';

function ticket(key: string, runbookId: string, similarity: number, source = 'jira'): Neighbour {
  const signal: Signal = {
    key,
    text: key,
    runbookId,
    polarity: 1,
    kind: 'resolved',
    at: '2026-12-01T00:00:00Z',
    resolution: {
      source,
      ticketId: key,
      runbookId,
      outcome: 'resolved',
      summary: key,
      resolution: 'fixed',
      closedAt: '2026-12-01T00:00:00Z',
      receivedAt: '2026-12-01T00:00:00Z',
    },
  };
  return { signal, score: similarity, coverage: 0, similarity };
}

describe('learning from similar past tickets', () => {
  it('counts a paraphrase of an earlier ticket, more the closer it is', () => {
    const near = likeness({ coverage: 0, similarity: 0.92 }, DEFAULT_LEARNING_OPTIONS);
    const loose = likeness({ coverage: 0, similarity: 0.5 }, DEFAULT_LEARNING_OPTIONS);
    expect(near).toBeGreaterThan(loose);
    expect(loose).toBeGreaterThan(0);
    expect(likeness({ coverage: 0, similarity: 0.3 }, DEFAULT_LEARNING_OPTIONS)).toBe(0);
  });

  it('lets a paraphrase of an everyday ticket lift its runbook, but count for less where the words already settled the answer', () => {
    // Two users' words for one problem (cosine 0.66), the runbooks far from both (0.45).
    const everyday = feedbackBoosts([ticket('paraphrase', 'onedrive', 0.66)], DEFAULT_LEARNING_OPTIONS, { bestRunbookSimilarity: 0.45 });
    expect(everyday.onedrive).toBe(1 + DEFAULT_LEARNING_OPTIONS.positiveWeight);
    // The same closeness between sibling alerts, where the query's words found their runbook.
    const sibling = feedbackBoosts([ticket('sibling-alert', 'sibling-runbook', 0.66)], DEFAULT_LEARNING_OPTIONS, {
      bestRunbookSimilarity: 0.45,
      specific: true,
    });
    expect(sibling['sibling-runbook']).toBeGreaterThan(1);
    expect(sibling['sibling-runbook']).toBeLessThan(2);
  });

  it('ignores a past ticket that is not closer to the new one than its best runbook is', () => {
    // Alerts from one template are close to each other (0.7) and to their own runbooks (0.72).
    const boosts = feedbackBoosts([ticket('other-alert', 'wrong-runbook', 0.7)], DEFAULT_LEARNING_OPTIONS, { bestRunbookSimilarity: 0.72 });
    expect(boosts).toEqual({});
    const everyday = feedbackBoosts([ticket('paraphrase', 'onedrive', 0.7)], DEFAULT_LEARNING_OPTIONS, { bestRunbookSimilarity: 0.4 });
    expect(everyday.onedrive).toBeGreaterThan(1);
  });

  it('needs a past ticket to be clearly closer than the best runbook, not just a hair closer', () => {
    // Sibling alerts (controller down / controller count) sit a hair apart; a near-tie is no evidence.
    const hair = feedbackBoosts([ticket('sibling-alert', 'sibling-runbook', 0.73)], DEFAULT_LEARNING_OPTIONS, {
      bestRunbookSimilarity: 0.72,
    });
    expect(hair).toEqual({});
    const clear = feedbackBoosts([ticket('same-alert', 'its-runbook', 0.9)], DEFAULT_LEARNING_OPTIONS, { bestRunbookSimilarity: 0.72 });
    expect(clear['its-runbook']).toBeGreaterThan(1);
  });

  it('caps what one source can move a runbook by, however many tickets it writes', () => {
    const flood = Array.from({ length: 200 }, (_, i) => ticket(`t${i}`, 'printer', 0.7, 'zendesk'));
    const fromFlood = feedbackBoosts(flood, DEFAULT_LEARNING_OPTIONS).printer as number;
    const fromTwo = feedbackBoosts(flood.slice(0, 2), DEFAULT_LEARNING_OPTIONS).printer as number;
    expect(fromFlood).toBe(fromTwo);
    expect(fromFlood).toBeLessThan(DEFAULT_LEARNING_OPTIONS.maxFactor);
    // A second, independent source still adds its own evidence.
    const twoSources = feedbackBoosts([...flood, ticket('j1', 'printer', 0.7, 'jira')], DEFAULT_LEARNING_OPTIONS).printer as number;
    expect(twoSources).toBeGreaterThan(fromFlood);
  });

  it('gives each runbook the closest wording of the tickets it fixed, and none from tickets it did not fix', () => {
    const failed = ticket('tried the vpn runbook', 'vpn', 0.9);
    failed.signal = { ...failed.signal, polarity: -1, kind: 'not-helpful' };
    // Found by its words, with no meaning vector to compare.
    const { similarity: _, ...wordsOnly } = ticket('same words', 'printer', 0.8);
    const phrasing = learnedPhrasing(
      [ticket('a', 'onedrive', 0.52), ticket('b', 'onedrive', 0.71), ticket('c', 'wifi', 0.4), failed, wordsOnly],
      DEFAULT_LEARNING_OPTIONS,
    );
    expect(phrasing).toEqual(
      new Map([
        ['onedrive', 0.71],
        ['wifi', 0.4],
      ]),
    );
  });

  it('counts a source as far as it is trusted, in votes and in learned phrasing', () => {
    const trusted = { ...DEFAULT_LEARNING_OPTIONS, sourceWeights: { zendesk: 0.5, feedback: 0 } };
    const fromZendesk = [ticket('z1', 'printer', 0.7, 'zendesk')];
    const full = feedbackBoosts(fromZendesk, DEFAULT_LEARNING_OPTIONS).printer as number;
    const half = feedbackBoosts(fromZendesk, trusted).printer as number;
    expect(half).toBeGreaterThan(1);
    expect(half - 1).toBeCloseTo((full - 1) / 2, 2);
    // A source not listed counts fully.
    expect(feedbackBoosts([ticket('j1', 'printer', 0.7, 'jira')], trusted)).toEqual(feedbackBoosts(fromZendesk, DEFAULT_LEARNING_OPTIONS));
    // Half-trusted wording counts half as far past the point where a past ticket starts to count (0.4).
    expect(learnedPhrasing(fromZendesk, trusted)).toEqual(new Map([['printer', 0.55]]));
    // An agent's "helpful" has no resolution, so its source is `feedback`: trusted 0, it is ignored.
    const helpful = ticket('agent search', 'vpn', 0.9);
    const { resolution: _, ...fromAgent } = helpful.signal;
    helpful.signal = { ...fromAgent, kind: 'helpful' };
    expect(feedbackBoosts([helpful], trusted)).toEqual({});
    expect(learnedPhrasing([helpful], trusted)).toEqual(new Map());
  });

  it('reads the trust per source from KB_LEARNING_SOURCE_WEIGHTS, refusing a malformed value at start', () => {
    expect(learningOptions(undefined)).toBe(DEFAULT_LEARNING_OPTIONS);
    expect(learningOptions('{"zendesk": 0.5}').sourceWeights).toEqual({ zendesk: 0.5 });
    expect(() => learningOptions('{"zendesk": 2}')).toThrow(/KB_LEARNING_SOURCE_WEIGHTS is invalid: zendesk: .*1/);
    expect(() => learningOptions('{"Zen Desk": 0.5}')).toThrow(/KB_LEARNING_SOURCE_WEIGHTS is invalid: Zen Desk: Invalid key/);
    expect(() => learningOptions('{nope')).toThrow(/KB_LEARNING_SOURCE_WEIGHTS is not JSON/);
  });
});
